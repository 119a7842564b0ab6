import { Alert, Grid, Group, Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import {
  applyScenario,
  pace,
  reverseFunnel,
  type ScenarioOverrides,
} from '../../../src/modules/targets/reverse-funnel.ts';
import { type TargetView, useTarget, useTargets } from '../api/targets.ts';
import type { User } from '../api/types.ts';
import { Confirmations } from '../targets/Confirmations.tsx';
import { ForecastCard } from '../targets/ForecastCard.tsx';
import { NewTargetForm } from '../targets/NewTargetForm.tsx';
import { PacingTable } from '../targets/PacingTable.tsx';
import { ScenarioSliders } from '../targets/ScenarioSliders.tsx';
import { formatMoney, periodLabel, targetSentence } from '../targets/targetWords.ts';

const ReverseFunnelChart = lazy(() =>
  import('../targets/ReverseFunnelChart.tsx').then((module) => ({ default: module.ReverseFunnelChart })),
);

/** "What must each team deliver, and by when, to hit the revenue target we both signed up to?" */
export function TargetsPage({ user }: { user: User }) {
  const targets = useTargets();
  const [chosen, setChosen] = useState<string | undefined>();
  const today = new Date().toISOString().slice(0, 10);
  const holdingToday = targets.data?.find((t) => t.start <= today && t.end >= today);
  const period = chosen ?? holdingToday?.period ?? targets.data?.[0]?.period;
  const target = useTarget(period);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Revenue target</Title>
        {targets.data && targets.data.length > 0 && (
          <Select
            label="Period"
            size="xs"
            w={200}
            allowDeselect={false}
            value={period ?? null}
            onChange={(value) => value && setChosen(value)}
            data={targets.data.map((t) => ({
              value: t.period,
              label: `${periodLabel(t.period)}${t.status === 'draft' ? ' (draft)' : ''}`,
            }))}
          />
        )}
      </Group>
      {targets.isError && <Alert color="red">{targets.error.message}</Alert>}
      {targets.isPending && <Skeleton height={300} />}
      {targets.data?.length === 0 && (
        <Alert color="gray" title="No revenue target yet">
          An admin sets one per quarter or month; a marketing and a sales approver then confirm it, and
          Lockstep turns it into the leads, MQLs and SQLs each team must deliver.
        </Alert>
      )}
      {target.isError && <Alert color="red">{target.error.message}</Alert>}
      {target.data && <TargetPlan key={target.data.period.name} target={target.data} user={user} />}
      {user.role === 'admin' && (
        <Paper withBorder p="sm">
          <Text fw={600} mb="xs">
            Set the target of another quarter or month
          </Text>
          <NewTargetForm onCreated={setChosen} />
        </Paper>
      )}
    </Stack>
  );
}

function TargetPlan({ target, user }: { target: TargetView; user: User }) {
  const [overrides, setOverrides] = useState<ScenarioOverrides>({});
  // The same pure functions as the server: the plan recomputes as the sliders move.
  const plan = useMemo(
    () => reverseFunnel(applyScenario(target.input, overrides)),
    [target.input, overrides],
  );
  const pacing = useMemo(
    () => (target.status === 'confirmed' ? pace(plan, target.arrivals, new Date(target.asOf)) : null),
    [plan, target],
  );
  const money = (n: number) => formatMoney(n, target.currency);
  const scenario = overrides.dealSize !== undefined || Object.keys(overrides.rates ?? {}).length > 0;

  return (
    <Stack gap="md">
      <div>
        <Text fz="xl" fw={600} data-testid="target-sentence">
          {targetSentence(target)}
        </Text>
        <Text c="dimmed" size="sm">
          {money(target.amount)} means{' '}
          {plan.wonDealsNeeded === null ? 'an unknown number of' : plan.wonDealsNeeded} won deals at{' '}
          {plan.dealSize === null ? 'an unknown deal size' : `${money(plan.dealSize)} each`}. Conversion, deal
          size and stage times are measured over the {target.lookbackDays} days before the period
          {scenario ? ' — with your what-if changes' : ''}.
        </Text>
      </div>
      <Confirmations target={target} user={user} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md" h="100%">
            <Text fw={600} mb="xs">
              Reverse funnel: what must arrive, and by when
            </Text>
            <Suspense fallback={<Skeleton height={260} />}>
              <ReverseFunnelChart stages={plan.stages} arrivals={pacing ? target.arrivals : undefined} />
            </Suspense>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" h="100%">
            <ScenarioSliders
              input={target.input}
              steps={target.steps}
              currency={target.currency}
              overrides={overrides}
              onChange={setOverrides}
            />
          </Paper>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="xs">
        <PacingTable stages={plan.stages} pacing={pacing} />
      </Paper>
      <ForecastCard target={target} />
    </Stack>
  );
}
