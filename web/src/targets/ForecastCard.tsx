import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import type { TargetView } from '../api/targets.ts';
import { formatMoney } from './targetWords.ts';

/** Where the period will land: won so far + weighted pipeline + new business at today's pace. */
export function ForecastCard({ target }: { target: TargetView }) {
  const money = (n: number) => formatMoney(n, target.currency);
  const f = target.forecast;
  const share = (n: number) => Math.min(100, (n / target.amount) * 100);
  const parts = [
    { label: 'Won so far', value: f.wonToDate, color: 'teal' },
    {
      label: 'Open pipeline, weighted by how often each stage is won',
      value: f.weightedPipeline,
      color: 'blue',
    },
    {
      label: "New deals opened and won before the end, at today's pace",
      value: f.newBusinessRunRate,
      color: 'grape',
    },
  ];
  return (
    <Paper withBorder p="md" h="100%" data-testid="forecast">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Forecast</Text>
          <Text fw={700} fz="lg">
            {money(f.total)}{' '}
            <Text span c="dimmed" fz="sm">
              of {money(target.amount)} ({Math.round((f.total / target.amount) * 100)}%)
            </Text>
          </Text>
        </Group>
        <Progress.Root size="lg">
          {parts.map((part) => (
            <Progress.Section key={part.label} value={share(part.value)} color={part.color} />
          ))}
        </Progress.Root>
        {parts.map((part) => (
          <Group key={part.label} justify="space-between" gap="xs">
            <Text size="sm">
              <Text span c={part.color} fw={700}>
                ■{' '}
              </Text>
              {part.label}
            </Text>
            <Text size="sm">{money(part.value)}</Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed">
          {Math.round(f.elapsed * 100)}% of the period has passed.
        </Text>
      </Stack>
    </Paper>
  );
}
