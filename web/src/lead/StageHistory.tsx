import { Paper, Text, Timeline, Title } from '@mantine/core';
import type { Lifecycle, StageTransition } from '../api/types.ts';
import { formatDate, humanize, movedBy } from '../format.ts';
import { stageName } from '../people/names.ts';

interface StageHistoryProps {
  transitions: StageTransition[];
  lifecycle: Lifecycle | undefined;
}

/** Every stage change, oldest first: from → to, when, who or which rule, and why. */
export function StageHistory({ transitions, lifecycle }: StageHistoryProps) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={4} mb="sm">
        Stage history
      </Title>
      {transitions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No stage changes recorded yet.
        </Text>
      ) : (
        <Timeline active={transitions.length - 1} bulletSize={14} lineWidth={2} aria-label="Stage history">
          {transitions.map((transition) => (
            <Timeline.Item
              key={transition.seq}
              title={
                transition.fromStage === null
                  ? `Entered as ${stageName(transition.toStage, lifecycle?.stages)}`
                  : `${stageName(transition.fromStage, lifecycle?.stages)} → ${stageName(transition.toStage, lifecycle?.stages)}`
              }
            >
              <Text size="xs" c="dimmed">
                {formatDate(transition.occurredAt)} · {movedBy(transition)}
              </Text>
              {transition.reason && <Text size="sm">{humanize(transition.reason)}</Text>}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Paper>
  );
}
