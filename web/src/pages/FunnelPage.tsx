import {
  Alert,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';

import { lazy, Suspense, useMemo, useState } from 'react';
import { type OpenedCell, RecordsDrawer } from '../analytics/RecordsDrawer.tsx';
import { isRebuilding } from '../api/client.ts';
import { useFunnelReport } from '../api/reports.ts';
import { type FunnelBreakdown, funnelBreakdowns } from '../api/types.ts';
import { FirstCountNotice, RecountingNotice } from '../components/RecountingNotice.tsx';
import { formatCount } from '../format.ts';
import { BreakdownTable, breakdownLabels } from '../funnel/BreakdownTable.tsx';
import { EmptyFunnel } from '../funnel/EmptyFunnel.tsx';
import { stageLines } from '../funnel/funnelRows.ts';
import { leakSentence } from '../funnel/leakSentence.ts';
import { type FunnelPeriod, funnelPeriods, periodPhrase, periodStart } from '../funnel/periods.ts';
import { StageTable } from '../funnel/StageTable.tsx';
import { HomePromises } from '../promises/HomePromises.tsx';
import { HomeTargetSummary } from '../targets/HomeTargetSummary.tsx';

// ECharts is the largest piece of the app: load it with the funnel, not with the sign-in page.
const FunnelChart = lazy(() =>
  import('../funnel/FunnelChart.tsx').then((module) => ({ default: module.FunnelChart })),
);

/** Home: where does the funnel leak most? */
export function FunnelPage() {
  const [period, setPeriod] = useState<FunnelPeriod>('all');
  const from = periodStart(period);
  const funnel = useFunnelReport({ by: 'none', from });
  const lines = useMemo(() => (funnel.data ? stageLines(funnel.data) : []), [funnel.data]);
  const entered = funnel.data?.total.counts[0] ?? 0;
  const [opened, setOpened] = useState<OpenedCell | null>(null);
  const open = (cell: string | undefined, title: string) =>
    cell && setOpened({ report: 'funnel', cell, title });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Revenue funnel</Title>
        {!(period === 'all' && funnel.data && entered === 0) && (
          <Select
            label="People who entered"
            data={funnelPeriods.map(({ value, label }) => ({ value, label }))}
            value={period}
            onChange={(value) => value && setPeriod(value as FunnelPeriod)}
            allowDeselect={false}
            w={180}
            size="xs"
          />
        )}
      </Group>
      <HomeTargetSummary />
      <HomePromises />

      {funnel.isError && isRebuilding(funnel.error) && <FirstCountNotice />}
      {funnel.isError && !isRebuilding(funnel.error) && (
        <Alert color="red" title="The funnel could not be loaded">
          {funnel.error.message}
        </Alert>
      )}
      <RecountingNotice recounting={funnel.data?.recounting} />
      {funnel.isPending && <Skeleton height={320} />}

      {funnel.data && entered === 0 && period === 'all' && <EmptyFunnel />}
      {funnel.data && entered === 0 && period !== 'all' && (
        <Alert color="gray" title={`Nobody entered the funnel ${periodPhrase(period)}`}>
          Pick a longer period above to see the funnel.
        </Alert>
      )}

      {funnel.data && entered > 0 && (
        <>
          <div>
            <Text fz="xl" fw={600} data-testid="leak-sentence">
              {leakSentence(funnel.data.biggestLeak)}
            </Text>
            <Text c="dimmed" size="sm">
              Based on {formatCount(entered)} people who entered the funnel {periodPhrase(period)}. A person
              counts in every stage they reached.
            </Text>
          </div>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Paper withBorder p="md" h="100%">
                <Suspense fallback={<Skeleton height={260} />}>
                  <FunnelChart lines={lines} />
                </Suspense>
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Paper withBorder p="xs" h="100%">
                <StageTable
                  lines={lines}
                  onOpenCount={(i) =>
                    open(funnel.data?.cells.total[i], `People who reached ${lines[i]?.label ?? ''}`)
                  }
                />
              </Paper>
            </Grid.Col>
          </Grid>
          <Breakdown from={from} onOpen={open} />
        </>
      )}
      <RecordsDrawer opened={opened} onClose={() => setOpened(null)} />
    </Stack>
  );
}

function Breakdown({
  from,
  onOpen,
}: {
  from: string | undefined;
  onOpen: (cell: string, title: string) => void;
}) {
  const [by, setBy] = useState<FunnelBreakdown>('none');
  const breakdown = useFunnelReport({ by, from });
  const report = by !== 'none' && breakdown.data?.by === by ? breakdown.data : undefined;

  return (
    <Paper withBorder p="md">
      <Group mb="sm" gap="md">
        <Text fw={600}>Compare by</Text>
        <SegmentedControl
          aria-label="Compare by"
          size="xs"
          value={by}
          onChange={(value) => setBy(value as FunnelBreakdown)}
          data={funnelBreakdowns.map((value) => ({ value, label: breakdownLabels[value] }))}
        />
      </Group>
      {by === 'none' && (
        <Text c="dimmed" size="sm">
          Pick a breakdown to see which sources, campaigns, landing pages or owners bring people who move on.
        </Text>
      )}
      {by !== 'none' && breakdown.isError && (
        <Alert color="red" title="This breakdown could not be loaded">
          {breakdown.error.message}
        </Alert>
      )}
      {by !== 'none' && !report && !breakdown.isError && <Skeleton height={200} />}
      {report && <BreakdownTable key={report.by} report={report} onOpen={onOpen} />}
    </Paper>
  );
}
