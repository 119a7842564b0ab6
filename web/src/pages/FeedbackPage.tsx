import { Alert, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useReasons } from '../api/queue.ts';
import { ByControl } from '../components/ByControl.tsx';
import { LookbackPickers, useLookback } from '../components/LookbackPickers.tsx';
import { AcceptanceChart, ReasonsChart } from '../feedback/FeedbackCharts.tsx';
import { type FeedbackBy, type FeedbackPeriod, useFeedbackReport } from '../feedback/feedbackApi.ts';
import { byLabels, feedbackSentence } from '../feedback/feedbackWords.ts';
import { InsightsDigest } from '../feedback/InsightsDigest.tsx';
import { ReasonsTable } from '../feedback/ReasonsTable.tsx';

/** Marketing: what does sales think of the leads we send, and why do they turn some away? */
export function FeedbackPage() {
  const { days, setDays, from } = useLookback();
  const [period, setPeriod] = useState<FeedbackPeriod>('month');
  const [by, setBy] = useState<FeedbackBy>('source');
  const report = useFeedbackReport({ by, period, from });
  const reasonOptions = useReasons();
  const reasons = useMemo(
    () => (reasonOptions.data?.rejectionReasons ?? []).map(({ key, label }) => ({ key, label })),
    [reasonOptions.data],
  );
  const reasonLabel = (key: string) => reasons.find((r) => r.key === key)?.label ?? key;
  const data = report.data?.by === by ? report.data : undefined;

  return (
    <Stack gap="md" maw={1500}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Feedback from sales</Title>
          <Text size="sm" c="dimmed">
            Sales' verdict on every MQL marketing sends — accepted or rejected, and why — and what reps hear
            in the field.
          </Text>
        </div>
        <LookbackPickers
          rangeLabel="Verdicts given"
          days={days}
          onDays={setDays}
          periodLabel="Chart by"
          periods={[
            { value: 'week', label: 'Week' },
            { value: 'month', label: 'Month' },
          ]}
          period={period}
          onPeriod={setPeriod}
        />
      </Group>

      {report.isError && (
        <Alert color="red" title="The feedback report could not be loaded">
          {report.error.message}
        </Alert>
      )}
      {report.data && (
        <Text fz="xl" fw={600} data-testid="feedback-sentence">
          {feedbackSentence(report.data, reasonLabel)}
        </Text>
      )}
      {!report.data && !report.isError && <Skeleton height={400} />}

      {report.data && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Paper withBorder p="md">
              <Title order={3}>Acceptance rate over time</Title>
              <Text size="sm" c="dimmed" mb="xs">
                Share of verdicts that were "accept", per {period}. Red: sales turned away more than half.
              </Text>
              {report.data.acceptanceOverTime.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No verdicts in this range.
                </Text>
              ) : (
                <AcceptanceChart points={report.data.acceptanceOverTime} period={period} />
              )}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <InsightsDigest digest={report.data.insightsDigest} />
          </Grid.Col>
        </Grid>
      )}
      {report.data && (
        // The full width: the table has a column per rejection reason.
        <Paper withBorder p="md">
          <Group justify="space-between" mb="xs">
            <Title order={3}>Why sales rejects, by {byLabels[by].toLowerCase()}</Title>
            <ByControl labels={byLabels} value={by} onChange={setBy} ariaLabel="Rejections by" />
          </Group>
          {!data ? (
            <Skeleton height={240} />
          ) : data.rejectionsByGroup.length === 0 ? (
            <Text size="sm" c="dimmed">
              No verdicts in this range.
            </Text>
          ) : (
            <Stack gap="xs">
              {data.totals.rejected > 0 && (
                <ReasonsChart groups={data.rejectionsByGroup} by={by} reasons={reasons} />
              )}
              <ReasonsTable groups={data.rejectionsByGroup} by={by} reasons={reasons} />
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
