// The reverse funnel, pacing and scenario overrides as pure functions. The server computes the plan
// with them, and the web app imports this same file to recompute the plan live under its sliders,
// so the two can never disagree. No imports: this file runs in the browser as it is.

export interface PlanStageInput {
  key: string;
  label: string;
}

export interface ReverseFunnelInput {
  /** Revenue to win in the period. */
  amount: number;
  /** First day of the period (YYYY-MM-DD, UTC). */
  periodStart: string;
  /** Last day of the period, inclusive (YYYY-MM-DD, UTC). */
  periodEnd: string;
  /** The funnel's main path in order; the last stage is "won". */
  stages: PlanStageInput[];
  /** rates[i]: measured share of people at stages[i-1] that reach stages[i]; rates[0] is null. */
  rates: (number | null)[];
  /** Average won deal size; null when nothing was won in the look-back window. */
  dealSize: number | null;
  /** stageDays[i]: typical days from reaching stages[i] to reaching stages[i+1]; the last is 0. */
  stageDays: (number | null)[];
}

export interface PlanStage {
  key: string;
  label: string;
  /** The conversion from the previous stage into this one that the plan uses (null for the first). */
  rateIn: number | null;
  /** How many must reach this stage (rounded up); null when a rate on the way is unknown or 0. */
  needed: number | null;
  /** Typical days from reaching this stage to being won. */
  daysToWon: number;
  /** The window in which they must reach this stage to be won within the period (inclusive days). */
  arriveFrom: string;
  arriveBy: string;
}

export interface ReverseFunnel {
  amount: number;
  dealSize: number | null;
  wonDealsNeeded: number | null;
  stages: PlanStage[];
}

export interface ScenarioOverrides {
  dealSize?: number | undefined;
  /** By step key, e.g. { mqlToSal: 0.5 } (see stepKey). */
  rates?: Record<string, number> | undefined;
}

const DAY_MS = 86_400_000;

export const dayNumber = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The name of the step from one stage into the next, as scenario overrides spell it: mqlToSal. */
export function stepKey(from: string, to: string): string {
  return `${camel(from)}To${capital(camel(to))}`;
}

/** Every step key of a funnel, in order. */
export function stepKeys(stages: PlanStageInput[]): string[] {
  return stages.slice(1).map((stage, i) => stepKey(stages[i]!.key, stage.key));
}

/** The measured inputs with a scenario's overrides laid over them. */
export function applyScenario(input: ReverseFunnelInput, overrides: ScenarioOverrides): ReverseFunnelInput {
  const rates = input.rates.map((rate, i) => {
    if (i === 0) return null;
    const key = stepKey(input.stages[i - 1]!.key, input.stages[i]!.key);
    return overrides.rates?.[key] ?? rate;
  });
  return { ...input, rates, dealSize: overrides.dealSize ?? input.dealSize };
}

/**
 * Revenue → won deals (÷ deal size) → each earlier stage (÷ the conversion into the next one), and
 * the window in which each stage must be reached: the period shifted back by the typical time from
 * that stage to won. Counts are carried exactly and rounded up only when shown.
 */
export function reverseFunnel(input: ReverseFunnelInput): ReverseFunnel {
  const last = input.stages.length - 1;
  const exact: (number | null)[] = new Array(input.stages.length).fill(null);
  exact[last] = input.dealSize && input.dealSize > 0 ? input.amount / input.dealSize : null;
  for (let i = last - 1; i >= 0; i--) {
    const next = exact[i + 1];
    const rate = input.rates[i + 1];
    exact[i] = next !== null && next !== undefined && rate && rate > 0 ? next / rate : null;
  }
  const start = dayNumber(input.periodStart);
  const end = dayNumber(input.periodEnd);
  const stages = input.stages.map((stage, i): PlanStage => {
    let daysToWon = 0;
    for (let j = i; j < last; j++) daysToWon += input.stageDays[j] ?? 0;
    daysToWon = Math.round(daysToWon);
    const value = exact[i];
    return {
      key: stage.key,
      label: stage.label,
      rateIn: i === 0 ? null : (input.rates[i] ?? null),
      needed: value === null || value === undefined ? null : roundUp(value),
      daysToWon,
      arriveFrom: isoDay(start - daysToWon),
      arriveBy: isoDay(end - daysToWon),
    };
  });
  return {
    amount: input.amount,
    dealSize: input.dealSize,
    wonDealsNeeded: stages[last]?.needed ?? null,
    stages,
  };
}

/** Up to the next whole item, ignoring floating-point dust (40.000000001 → 40). */
function roundUp(value: number): number {
  return Math.ceil(value - 1e-9);
}

export type PaceStatus = 'on track' | 'behind' | 'not started' | 'no plan';

export interface StagePace {
  key: string;
  label: string;
  needed: number | null;
  /** Reached this stage within its window so far. */
  actual: number;
  /** needed × the share of the stage's window that has passed. */
  expectedByNow: number | null;
  status: PaceStatus;
  /** How many short of expectedByNow (0 when on track). */
  shortfall: number;
  /** Share of the window passed, 0..1. */
  elapsed: number;
}

/** Share of the inclusive day window [from, by] that has passed at `now` (a whole day counts once over). */
export function elapsedShare(from: string, by: string, now: Date): number {
  const start = dayNumber(from) * DAY_MS;
  const endExclusive = (dayNumber(by) + 1) * DAY_MS;
  const share = (now.getTime() - start) / (endExclusive - start);
  return Math.min(1, Math.max(0, share));
}

/**
 * Pacing: each stage's arrivals so far against the needed count pro rata to the share of its
 * window that has passed. On track when at least the pro-rata count has arrived.
 */
export function pace(plan: ReverseFunnel, actual: number[], now: Date): StagePace[] {
  return plan.stages.map((stage, i) => {
    const arrived = actual[i] ?? 0;
    const elapsed = elapsedShare(stage.arriveFrom, stage.arriveBy, now);
    if (stage.needed === null) {
      return {
        key: stage.key,
        label: stage.label,
        needed: null,
        actual: arrived,
        expectedByNow: null,
        status: 'no plan',
        shortfall: 0,
        elapsed,
      };
    }
    const expectedByNow = Math.round(stage.needed * elapsed);
    const shortfall = Math.max(0, expectedByNow - arrived);
    const status: PaceStatus = elapsed === 0 ? 'not started' : shortfall > 0 ? 'behind' : 'on track';
    return {
      key: stage.key,
      label: stage.label,
      needed: stage.needed,
      actual: arrived,
      expectedByNow,
      status,
      shortfall,
      elapsed,
    };
  });
}

export interface ForecastInput {
  /** Revenue won in the period so far. */
  wonToDate: number;
  /** Of that, revenue from deals that were also opened within the period. */
  wonFromNewDealsToDate: number;
  /** Σ open deal amount × the measured share of deals at its stage that are won. */
  weightedPipeline: number;
  /** Share of the period passed, 0..1. */
  elapsed: number;
}

export interface Forecast {
  wonToDate: number;
  weightedPipeline: number;
  /** Deals not in the pipeline yet that will be opened and won before the period ends, at today's pace. */
  newBusinessRunRate: number;
  total: number;
}

/**
 * Won so far + today's open pipeline weighted by how often deals at each stage are won + the run-rate
 * of deals opened and won within the period, extrapolated over the rest of it. Only the
 * opened-and-won part is extrapolated: extrapolating all of won-to-date would count the pipeline twice.
 */
export function forecast(input: ForecastInput): Forecast {
  const remaining = input.elapsed > 0 ? (1 - input.elapsed) / input.elapsed : 0;
  const newBusinessRunRate = input.wonFromNewDealsToDate * remaining;
  return {
    wonToDate: input.wonToDate,
    weightedPipeline: input.weightedPipeline,
    newBusinessRunRate,
    total: input.wonToDate + input.weightedPipeline + newBusinessRunRate,
  };
}
