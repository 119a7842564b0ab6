import { Group, Paper, Text, UnstyledButton } from '@mantine/core';
import type { StageSummary } from '../api/opportunities.ts';
import { formatCount } from '../format.ts';
import { formatTotals } from './money.ts';

/** The pipeline stage by stage; a click filters the table to that stage, a second click clears it. */
export function StageStrip({
  summary,
  selected,
  onSelect,
}: {
  summary: StageSummary;
  selected: string | null;
  onSelect: (stage: string | null) => void;
}) {
  return (
    <Group gap="xs" grow aria-label="Deals by stage" role="group">
      {summary.stages.map((stage) => {
        const active = selected === stage.key;
        return (
          <UnstyledButton
            key={stage.key}
            onClick={() => onSelect(active ? null : stage.key)}
            aria-pressed={active}
            data-stage={stage.key}
          >
            <Paper
              withBorder
              p="xs"
              bg={active ? 'blue.0' : undefined}
              style={{ borderColor: active ? 'var(--mantine-color-blue-5)' : undefined }}
            >
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {stage.label}
              </Text>
              <Text fw={700} size="lg">
                {formatTotals({ count: stage.count, amounts: stage.amounts })}
              </Text>
              <Text size="xs" c="dimmed">
                {formatCount(stage.count)} {stage.count === 1 ? 'deal' : 'deals'}
              </Text>
            </Paper>
          </UnstyledButton>
        );
      })}
    </Group>
  );
}
