import { Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { formatCount, formatRate } from '../format.ts';
import { MqlToSqlChart, MqlVolumeChart } from './PromiseCharts.tsx';
import type { PromisePeriod, SlaReport } from './promisesApi.ts';

/** What marketing promised sales: enough MQLs per period, and MQLs good enough to become SQLs. */
export function MarketingSide({ report, period }: { report: SlaReport | undefined; period: PromisePeriod }) {
  const promise = report?.marketing.promise ?? null;
  return (
    <Paper withBorder p="md" h="100%">
      <Stack gap="sm">
        <div>
          <Title order={3}>Marketing's promise to sales</Title>
          <Text size="sm" c="dimmed">
            {promise
              ? `${formatCount(promise.mqlVolume)} MQLs per ${promise.period}, at least ${formatRate(
                  promise.minMqlToSqlRate,
                )} of them reaching SQL`
              : 'No promise set yet: an admin sets it under Routing & SLA settings.'}
          </Text>
        </div>
        {!report ? (
          <Skeleton height={460} />
        ) : (
          <>
            <Text fw={600}>MQLs delivered per {period}</Text>
            <MqlVolumeChart rows={report.marketing.rows} promise={promise} period={period} />
            <Text fw={600}>Share of those MQLs that reached SQL</Text>
            <MqlToSqlChart rows={report.marketing.rows} promise={promise} period={period} />
            <Text size="xs" c="dimmed">
              Green: promise kept; red: missed; grey: the current {period}, still running. Recent MQLs have
              had less time to reach SQL.
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}
