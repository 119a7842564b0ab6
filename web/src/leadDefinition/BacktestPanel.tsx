import { Alert, Divider, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useBacktest } from '../api/leadDefinitions.ts';
import { formatCount, formatDate } from '../format.ts';
import { BacktestComparison } from './BacktestComparison.tsx';
import { type BacktestPeriod, backtestPeriods, backtestSentence, periodRange } from './backtestWords.ts';
import { MovedLeads } from './MovedLeads.tsx';
import { WhatChanged } from './WhatChanged.tsx';

/**
 * "What would this version have done?": the leads of a past period scored by it and by the version in force,
 * what became of each one's MQLs, the leads only one of them picks, and what the version changes.
 */
export function BacktestPanel({ version }: { version: number }) {
  const [period, setPeriod] = useState<BacktestPeriod>('quarter');
  const range = useMemo(() => periodRange(period), [period]);
  const backtest = useBacktest(version, range);
  const data = backtest.data;
  const lastDay = new Date(Date.parse(range.to) - 86_400_000).toISOString();

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <SegmentedControl
          aria-label="Period"
          value={period}
          onChange={(value) => setPeriod(value as BacktestPeriod)}
          data={backtestPeriods.map((option) => ({
            value: option.value,
            label: periodRange(option.value).label,
          }))}
        />
        <Text size="xs" c="dimmed">
          Leads who arrived {formatDate(range.from)} – {formatDate(lastDay)}
        </Text>
      </Group>
      {backtest.isError && (
        <Alert color="red" title="The backtest could not be run">
          {backtest.error.message}
        </Alert>
      )}
      {!data && !backtest.isError && <Skeleton height={260} />}
      {data && (
        <Stack gap="md" style={{ opacity: backtest.isPlaceholderData ? 0.5 : 1 }} data-testid="backtest">
          <Text fz="lg" fw={600} data-testid="backtest-sentence">
            {backtestSentence(data, range.phrase)}
          </Text>
          <BacktestComparison backtest={data} />
          <Text size="xs" c="dimmed" mt={-8}>
            Each of the {formatCount(data.leads)} leads who arrived in the period counts as a version's MQL
            when it met that version at any moment up to {formatDate(data.to)}, with what it had done by then
            (engagement fades, so a lead may have qualified in July and no longer by the end); then what
            became of each version's MQLs is counted from the funnel as it is today.
          </Text>
          <Divider />
          <WhatChanged version={version} />
          <Divider />
          {data.inForce && (
            <SimpleGrid cols={2} spacing="sm">
              <MovedLeads
                testId="moved-in"
                moved={data.movedIn}
                title={`leads only version ${data.candidate.version} makes MQLs`}
              />
              <MovedLeads
                testId="moved-out"
                moved={data.movedOut}
                title={`leads only version ${data.inForce.version} (in force) makes MQLs`}
              />
            </SimpleGrid>
          )}
        </Stack>
      )}
    </Stack>
  );
}
