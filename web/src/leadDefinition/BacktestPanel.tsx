import {
  Alert,
  Button,
  Divider,
  Group,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useBacktest } from '../api/leadDefinitions.ts';
import { formatCount } from '../format.ts';
import { BacktestComparison } from './BacktestComparison.tsx';
import {
  backtestPeriods,
  backtestSentence,
  customRange,
  type PeriodChoice,
  periodDays,
  periodLastDay,
  periodRange,
  todayInput,
} from './backtestWords.ts';
import { MovedLeads } from './MovedLeads.tsx';
import { WhatChanged } from './WhatChanged.tsx';

/**
 * "What would this version have done?": the leads of a past period scored by it and by the version in force,
 * what became of each one's MQLs, the leads only one of them picks, and what the version changes.
 */
export function BacktestPanel({ version }: { version: number }) {
  const [period, setPeriod] = useState<PeriodChoice>('quarter');
  const [days, setDays] = useState({ first: '', last: '' });
  const chosen = useMemo(
    () => (period === 'custom' ? customRange(days.first, days.last) : periodRange(period)),
    [period, days],
  );
  const range = 'problem' in chosen ? undefined : chosen;
  const backtest = useBacktest(version, range);
  const { run, data } = backtest;
  const choose = (value: PeriodChoice) => {
    // Custom days start from the period on screen, to be moved from there.
    if (value === 'custom' && range && !days.first) {
      const lastDay = new Date(Date.parse(range.to) - 86_400_000).toISOString().slice(0, 10);
      setDays({ first: range.from.slice(0, 10), last: lastDay });
    }
    setPeriod(value);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <SegmentedControl
          aria-label="Period"
          value={period}
          onChange={(value) => choose(value as PeriodChoice)}
          data={[
            ...backtestPeriods.map((option) => ({
              value: option.value,
              label: periodRange(option.value).label,
            })),
            { value: 'custom', label: 'Custom dates' },
          ]}
        />
        {range && (
          <Text size="xs" c="dimmed" data-testid="backtest-days">
            Leads who arrived {periodDays(range)}
          </Text>
        )}
      </Group>
      {period === 'custom' && (
        <Group gap="sm" align="flex-start">
          <TextInput
            type="date"
            label="First day"
            size="xs"
            w={170}
            value={days.first}
            max={days.last || todayInput()}
            onChange={(event) => setDays({ ...days, first: event.currentTarget.value })}
            error={'field' in chosen && chosen.field === 'from' ? chosen.problem : undefined}
          />
          <TextInput
            type="date"
            label="Last day"
            size="xs"
            w={170}
            value={days.last}
            min={days.first || undefined}
            max={todayInput()}
            onChange={(event) => setDays({ ...days, last: event.currentTarget.value })}
            error={'field' in chosen && chosen.field === 'to' ? chosen.problem : undefined}
          />
        </Group>
      )}
      {backtest.error && (
        <Alert color="red" title="The backtest could not be run">
          {backtest.error.message}
        </Alert>
      )}
      {run?.status === 'failed' && (
        <Alert color="red" title="The backtest stopped">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{run.error}</Text>
            <Button size="xs" variant="light" onClick={backtest.restart}>
              Run it again
            </Button>
          </Stack>
        </Alert>
      )}
      {range && !run && !backtest.error && <Skeleton height={260} />}
      {run?.status === 'running' && <BacktestProgress done={run.done} total={run.total} />}
      {data && (
        <Stack gap="md" data-testid="backtest">
          <Text fz="lg" fw={600} data-testid="backtest-sentence">
            {backtestSentence(data, range?.phrase ?? '')}
          </Text>
          <BacktestComparison backtest={data} />
          <Text size="xs" c="dimmed" mt={-8}>
            Each of the {formatCount(data.leads)} leads who arrived in the period counts as a version's MQL
            when it met that version at any moment up to the end of {periodLastDay(data)}, with what it had
            done by then (engagement fades, so a lead may have qualified in July and no longer by the end);
            then what became of each version's MQLs is counted from the funnel as it is today.
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

/** "Scoring 230,000 of 1,000,000 leads by both versions…", over a bar: a big period takes minutes. */
function BacktestProgress({ done, total }: { done: number; total: number }) {
  const share = total === 0 ? 0 : Math.min(1, done / total);
  return (
    <Stack gap={6} data-testid="backtest-progress">
      <Text size="sm">
        {done === 0
          ? `Starting: ${formatCount(total)} leads to score by both versions…`
          : `Scoring ${formatCount(done)} of ${formatCount(total)} leads by both versions (${Math.round(share * 100)}%)…`}
      </Text>
      <Progress value={share * 100} animated aria-label="Backtest progress" />
    </Stack>
  );
}
