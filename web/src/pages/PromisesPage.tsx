import { Alert, Grid, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { User } from '../api/types.ts';
import { LookbackPickers, useLookback } from '../components/LookbackPickers.tsx';
import { MarketingSide } from '../promises/MarketingSide.tsx';
import { type PromisePeriod, type SlaReportBy, useSlaReport } from '../promises/promisesApi.ts';
import { RoutingSettings } from '../promises/RoutingSettings.tsx';
import { SalesSide } from '../promises/SalesSide.tsx';
import { marketingSentence, salesSentence } from '../promises/words.ts';

/** Are both teams keeping their promises? Sales on the left, marketing on the right. */
export function PromisesPage({ user }: { user: User }) {
  const [tab, setTab] = useState<string | null>('both');
  return (
    <Stack gap="md" maw={1500}>
      <div>
        <Title order={2}>Promises</Title>
        <Text size="sm" c="dimmed">
          The two-way SLA: sales answers every MQL in time; marketing delivers enough MQLs that are good
          enough.
        </Text>
      </div>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="both">Both sides</Tabs.Tab>
          <Tabs.Tab value="settings">Routing &amp; SLA settings</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="both" pt="md">
          <BothSides />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <RoutingSettings canEdit={user.role === 'admin'} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function BothSides() {
  const { days, setDays, from } = useLookback();
  const [period, setPeriod] = useState<PromisePeriod>('month');
  const [by, setBy] = useState<SlaReportBy>('rep');
  const report = useSlaReport({ by, period, from });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          {report.data && (
            <>
              <Text fz="lg" fw={600} data-testid="sales-sentence">
                {salesSentence(report.data.sales.total)}
              </Text>
              <Text fz="lg" fw={600} data-testid="marketing-sentence">
                {marketingSentence(report.data.marketing.rows, report.data.marketing.promise, period)}
              </Text>
            </>
          )}
        </Stack>
        <LookbackPickers
          rangeLabel="MQLs routed"
          days={days}
          onDays={setDays}
          periodLabel="Period"
          periods={[
            { value: 'week', label: 'Week' },
            { value: 'month', label: 'Month' },
            { value: 'quarter', label: 'Quarter' },
          ]}
          period={period}
          onPeriod={setPeriod}
        />
      </Group>
      {report.isError && (
        <Alert color="red" title="The SLA report could not be loaded">
          {report.error.message}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <SalesSide report={report.data} by={by} period={period} onBy={setBy} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <MarketingSide report={report.data} period={period} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
