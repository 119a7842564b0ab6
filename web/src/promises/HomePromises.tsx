import { Anchor, Paper, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { lookbackStart } from '../format.ts';
import { navigate } from '../router.ts';
import { useSlaReport } from './promisesApi.ts';
import { marketingSentence, salesSentence } from './words.ts';

/** The home page's view of the two-way SLA: the same two sentences as Promises opens with. */
export function HomePromises() {
  // The Promises page's default view: MQLs routed in the last 90 days, marketing by month.
  const from = useMemo(() => lookbackStart(90), []);
  const report = useSlaReport({ by: 'rep', period: 'month', from });
  if (!report.data) return null;
  return (
    <Paper withBorder p="md" data-testid="home-promises">
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          Promises, last 90 days{' '}
          <Anchor
            href="/promises"
            size="sm"
            onClick={(event) => {
              event.preventDefault();
              navigate('/promises');
            }}
          >
            Who is late →
          </Anchor>
        </Text>
        <Text size="sm">{salesSentence(report.data.sales.total)}</Text>
        <Text size="sm">
          {marketingSentence(report.data.marketing.rows, report.data.marketing.promise, 'month')}
        </Text>
      </Stack>
    </Paper>
  );
}
