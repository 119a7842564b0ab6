import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { countArrivals, measureDeals, measureFunnel, weightedPipeline } from './measures.service.ts';
import { endOfPeriod, parsePeriod, periodFromDates, startOfDay, type TargetPeriod } from './periods.ts';
import {
  applyScenario,
  elapsedShare,
  forecast,
  pace,
  type ReverseFunnelInput,
  reverseFunnel,
  type ScenarioOverrides,
  stepKey,
  stepKeys,
} from './reverse-funnel.ts';
import type { CreateTargetBody, ScenarioQuery, TargetView } from './targets.schema.ts';
import * as store from './targets.store.ts';

export interface TargetDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
}

const TEAMS = ['marketing', 'sales'] as const;
const DAY_MS = 86_400_000;

function missingConfirmations(row: store.TargetRow) {
  const confirmed = new Set(row.confirmations.map((c) => c.team));
  return TEAMS.filter((team) => !confirmed.has(team));
}

const statusOf = (row: store.TargetRow): 'confirmed' | 'draft' =>
  missingConfirmations(row).length === 0 ? 'confirmed' : 'draft';

async function findTarget(deps: TargetDeps, period: TargetPeriod): Promise<store.TargetRow> {
  const row = await store.findTargetByStart(deps.db, period.start);
  if (!row || row.periodEnd !== period.end) {
    throw new AppError('not_found', `There is no revenue target for ${period.name}.`, {
      period: period.name,
    });
  }
  return row;
}

/** Splits a scenario query into overrides; a 400 naming the allowed keys for anything else. */
function scenarioOverrides(deps: TargetDeps, query: ScenarioQuery): ScenarioOverrides {
  const { lookbackDays: _lookback, dealSize, ...rates } = query;
  const stages = deps.lifecycle.stages
    .filter((s) => s.funnelRank !== undefined)
    .sort((a, b) => (a.funnelRank ?? 0) - (b.funnelRank ?? 0));
  const allowed = stepKeys(stages);
  const unknown = Object.keys(rates).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `Unknown scenario key ${unknown.join(', ')}. Allowed: lookbackDays, dealSize, ${allowed.join(', ')}.`,
      { unknown, allowed: ['lookbackDays', 'dealSize', ...allowed] },
    );
  }
  return { ...(dealSize === undefined ? {} : { dealSize }), rates: rates as Record<string, number> };
}

/** The plan, pacing and forecast of one target, measured now. */
async function describeTarget(
  deps: TargetDeps,
  row: store.TargetRow,
  query: ScenarioQuery,
): Promise<TargetView> {
  const overrides = scenarioOverrides(deps, query);
  const period = periodFromDates(row.periodStart, row.periodEnd);
  const now = deps.clock.now();
  const start = startOfDay(period.start);
  const end = endOfPeriod(period);
  const lookbackDays = query.lookbackDays ?? row.lookbackDays;
  const lookback = { from: new Date(start.getTime() - lookbackDays * DAY_MS), to: start };
  const soFar = {
    from: start,
    to: new Date(Math.max(start.getTime(), Math.min(now.getTime(), end.getTime()))),
  };

  const [funnel, deals] = await Promise.all([
    measureFunnel(deps, lookback),
    measureDeals(deps, { lookback, period: soFar }),
  ]);
  const input: ReverseFunnelInput = {
    amount: row.amount,
    periodStart: period.start,
    periodEnd: period.end,
    stages: funnel.stages.map(({ key, label }) => ({ key, label })),
    rates: funnel.rates,
    dealSize: deals.dealSize,
    stageDays: funnel.medianDays,
  };
  const plan = reverseFunnel(applyScenario(input, overrides));
  // Each stage's arrivals count within its own window, up to now.
  const windows = plan.stages.map((stage) => {
    const from = startOfDay(stage.arriveFrom);
    const by = new Date(startOfDay(stage.arriveBy).getTime() + DAY_MS);
    return { from, to: new Date(Math.max(from.getTime(), Math.min(now.getTime(), by.getTime()))) };
  });
  const arrivals = await countArrivals(deps.db, funnel.stages, windows);
  const elapsed = elapsedShare(period.start, period.end, now);
  const status = statusOf(row);

  let pacing: TargetView['pacing'] = null;
  if (status === 'confirmed') {
    const expectedByNow = row.amount * elapsed;
    const shortfall = Math.max(0, expectedByNow - deals.wonToDate);
    pacing = {
      revenue: {
        won: deals.wonToDate,
        expectedByNow,
        status: elapsed === 0 ? 'not started' : shortfall > 0 ? 'behind' : 'on track',
        shortfall,
      },
      stages: pace(plan, arrivals, now),
    };
  }
  return {
    period,
    amount: row.amount,
    currency: row.currency,
    lookbackDays,
    status,
    confirmations: row.confirmations,
    missingConfirmations: missingConfirmations(row),
    measured: {
      ...lookback,
      counts: funnel.counts,
      toWon: funnel.toWon,
      p90Days: funnel.p90Days,
      wonDeals: deals.wonDealsInLookback,
    },
    input,
    steps: input.stages.slice(1).map((to, i) => {
      const from = input.stages[i]!;
      return { key: stepKey(from.key, to.key), from: from.label, to: to.label };
    }),
    scenario: { ...overrides, rates: overrides.rates ?? {} },
    plan,
    arrivals,
    asOf: now,
    pacing,
    forecast: {
      ...forecast({
        wonToDate: deals.wonToDate,
        wonFromNewDealsToDate: deals.wonFromNewDealsToDate,
        weightedPipeline: weightedPipeline(deals),
        elapsed,
      }),
      elapsed,
    },
  };
}

export async function createTarget(
  deps: TargetDeps,
  body: CreateTargetBody,
  actor: Principal,
): Promise<TargetView> {
  const period = parsePeriod(body.period);
  const overlapping = await store.findOverlapping(deps.db, period.start, period.end);
  const inserted =
    overlapping.length === 0 &&
    (await store.insertTarget(deps.db, {
      periodStart: period.start,
      periodEnd: period.end,
      amount: body.amount,
      currency: body.currency,
      lookbackDays: body.lookbackDays,
      createdBy: actor.userId,
    }));
  if (!inserted) {
    const [other] =
      overlapping.length > 0 ? overlapping : [await store.findTargetByStart(deps.db, period.start)];
    const otherName = other ? periodFromDates(other.periodStart, other.periodEnd).name : period.name;
    throw new AppError(
      'duplicate',
      `${period.name} already has a revenue target (${otherName}); one target per period.`,
      {
        period: otherName,
      },
    );
  }
  return getTarget(deps, period.name, {});
}

export async function getTarget(
  deps: TargetDeps,
  periodName: string,
  query: ScenarioQuery,
): Promise<TargetView> {
  return describeTarget(deps, await findTarget(deps, parsePeriod(periodName)), query);
}

/** The target whose period holds today: a confirmed one when there is one, otherwise the draft. */
export async function currentTarget(deps: TargetDeps): Promise<TargetView | null> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  const rows = await store.findOverlapping(deps.db, today, today);
  const row = rows.find((r) => statusOf(r) === 'confirmed') ?? rows[0];
  return row ? describeTarget(deps, row, {}) : null;
}

export async function listTargets(deps: TargetDeps) {
  const rows = await store.listTargets(deps.db);
  return {
    items: rows.map((row) => ({
      period: periodFromDates(row.periodStart, row.periodEnd).name,
      start: row.periodStart,
      end: row.periodEnd,
      amount: row.amount,
      currency: row.currency,
      status: statusOf(row),
      missingConfirmations: missingConfirmations(row),
    })),
  };
}

/** The actor confirms the target for their team; each team confirms once. */
export async function confirmTarget(
  deps: TargetDeps,
  periodName: string,
  actor: Principal,
): Promise<TargetView> {
  if (!actor.userId || actor.kind !== 'user') {
    throw new AppError(
      'forbidden',
      'Only a person signed in to Lockstep can confirm a target, not an API token.',
    );
  }
  const period = parsePeriod(periodName);
  const row = await findTarget(deps, period);
  const recorded = await store.insertConfirmation(deps.db, {
    targetId: row.id,
    team: actor.team,
    userId: actor.userId,
    at: deps.clock.now(),
  });
  if (!recorded) {
    throw new AppError(
      'duplicate',
      `The ${actor.team} team has already confirmed the ${period.name} target.`,
      {
        confirmation: row.confirmations.find((c) => c.team === actor.team),
      },
    );
  }
  return getTarget(deps, period.name, {});
}
