import { Anchor, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useBottlenecks, useCurrentTarget } from '../api/targets.ts';
import { navigate, type RoutePath } from '../router.ts';
import { targetSentence } from './targetWords.ts';

/** The top of the home page: where the biggest problem is, and pacing against the shared target. */
export function HomeTargetSummary() {
  const bottlenecks = useBottlenecks('this-month');
  const current = useCurrentTarget();
  const target = current.data;
  const go = (path: RoutePath) => (event: React.MouseEvent) => {
    event.preventDefault();
    navigate(path);
  };
  if (!bottlenecks.data && current.data === undefined) return null;
  const link = (bottlenecks.data?.link ?? '/bottlenecks') as RoutePath;
  return (
    <Paper withBorder p="md" data-testid="home-target">
      <Stack gap={6}>
        {bottlenecks.data && (
          <Text fw={600} data-testid="home-bottleneck">
            {bottlenecks.data.headline}{' '}
            <Anchor href={link} onClick={go(link)} size="sm">
              See the list →
            </Anchor>
          </Text>
        )}
        {target ? (
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" style={{ flex: 1 }}>
              {targetSentence(target)}{' '}
              <Anchor href="/targets" onClick={go('/targets')} size="sm">
                Plan and pacing →
              </Anchor>
            </Text>
            {target.pacing && (
              <Progress.Root size="lg" w={220} aria-label="Revenue against target">
                <Progress.Section
                  value={Math.min(100, (target.pacing.revenue.won / target.amount) * 100)}
                  color="teal"
                />
                <Progress.Section
                  value={Math.max(
                    0,
                    Math.min(
                      100,
                      ((target.forecast.total - target.pacing.revenue.won) / target.amount) * 100,
                    ),
                  )}
                  color="teal.2"
                />
              </Progress.Root>
            )}
          </Group>
        ) : (
          current.data === null && (
            <Text size="sm" c="dimmed">
              No revenue target for today yet.{' '}
              <Anchor href="/targets" onClick={go('/targets')} size="sm">
                Set one →
              </Anchor>
            </Text>
          )
        )}
      </Stack>
    </Paper>
  );
}
