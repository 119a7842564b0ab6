// What the plan and the bottlenecks measure over a look-back window. Conversion comes from the funnel
// report (one definition of conversion for every screen); stage times and deal money are measured here
// until the reports module offers them (velocity, pipeline), then these should call those instead.
import type { Db } from '../../db/client.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { funnelReport } from '../reports/funnel.service.ts';
import * as store from './measures.store.ts';

export interface MeasureDeps {
  db: Db;
  lifecycle: LifecycleConfig;
}

/** The deal stages that close a deal. */
export const closedDealStages = { won: 'won', lost: 'lost' } as const;

export interface FunnelMeasures {
  stages: { key: string; label: string; rank: number }[];
  /** People that reached each stage, of those who entered in the window (the funnel report). */
  counts: number[];
  /** counts[i] / counts[i-1]; null for the first stage or when nobody reached the previous one. */
  rates: (number | null)[];
  /** Share of people at each stage that were won: counts[last] / counts[i]. */
  toWon: (number | null)[];
  /** Median and p90 days from reaching each stage to reaching the next (null for the last). */
  medianDays: (number | null)[];
  p90Days: (number | null)[];
}

export async function measureFunnel(deps: MeasureDeps, window: store.Window): Promise<FunnelMeasures> {
  const stages = funnelStages(deps.lifecycle).map((s) => ({
    key: s.key,
    label: s.label,
    rank: s.funnelRank ?? 0,
  }));
  // The report first: it brings the per-lead stage table up to date, which the stage times read.
  const report = await funnelReport(deps, { by: 'none', from: window.from, to: window.to, limit: 1 });
  const days = await store.measureStageDays(deps.db, stages, window);
  const counts = report.total.counts;
  const won = counts.at(-1) ?? 0;
  const byRank = new Map(days.map((row) => [row.rank, row]));
  return {
    stages,
    counts,
    rates: report.total.conversion,
    toWon: counts.map((count) => (count > 0 ? won / count : null)),
    medianDays: stages.map((s, i) => (i === stages.length - 1 ? null : (byRank.get(s.rank)?.median ?? null))),
    p90Days: stages.map((s, i) => (i === stages.length - 1 ? null : (byRank.get(s.rank)?.p90 ?? null))),
  };
}

export interface DealMeasures extends store.DealMoney {
  /** Per open deal stage: share of closed deals that passed through it and were won, and its p90 days. */
  stages: { stage: string; closed: number; won: number; toWon: number | null; p90Days: number | null }[];
  openPipeline: store.OpenPipelineRow[];
}

export async function measureDeals(
  deps: MeasureDeps,
  input: { lookback: store.Window; period: store.Window },
): Promise<DealMeasures> {
  const [money, stages, pipeline] = await Promise.all([
    store.measureDealMoney(deps.db, closedDealStages.won, input),
    store.measureDealStages(deps.db, closedDealStages, input.lookback),
    store.openPipeline(deps.db, closedDealStages),
  ]);
  return {
    ...money,
    stages: stages.map((row) => ({ ...row, toWon: row.closed > 0 ? row.won / row.closed : null })),
    openPipeline: pipeline,
  };
}

/** Open deals × the share of deals at their stage that are won; a deal without an amount counts at the average size. */
export function weightedPipeline(deals: DealMeasures): number {
  const toWon = new Map(deals.stages.map((s) => [s.stage, s.toWon ?? 0]));
  return deals.openPipeline.reduce(
    (sum, row) =>
      sum + (row.amount + row.withoutAmount * (deals.dealSize ?? 0)) * (toWon.get(row.stage) ?? 0),
    0,
  );
}

export const countArrivals = store.countArrivals;
export const countDropsFrom = store.countDropsFrom;
