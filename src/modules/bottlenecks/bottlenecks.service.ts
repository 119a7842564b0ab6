import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { inSentence, plural } from '../../shared/words.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { defaultPipeline } from '../opportunities/opportunities.pipeline.ts';
import {
  countArrivals,
  countDropsFrom,
  type DealMeasures,
  type FunnelMeasures,
  measureDeals,
  measureFunnel,
} from '../targets/measures.service.ts';
import {
  endOfPeriod,
  monthOf,
  periodWords,
  quarterOf,
  startOfDay,
  type TargetPeriod,
} from '../targets/periods.ts';
import { currentTarget } from '../targets/targets.service.ts';
import type {
  BottleneckPeriod,
  BottleneckQuery,
  BottleneckReport,
  StuckGroup,
  StuckItem,
  StuckQuery,
} from './bottlenecks.schema.ts';
import * as store from './bottlenecks.store.ts';
import { compareProportions } from './significance.ts';

export interface BottleneckDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
}

/** Fewer decided leads than this on either side, and a drop is not called: the numbers are too small. */
export const MIN_DECIDED = 10;
export const SIGNIFICANCE = 0.05;
const DAY_MS = 86_400_000;

const phrases: Record<BottleneckPeriod, string> = {
  'this-month': 'this month',
  'this-quarter': 'this quarter',
  'last-month': 'last month',
  'last-quarter': 'last quarter',
};

function periodWindow(period: BottleneckPeriod, now: Date): { from: Date; to: Date } {
  const of = (p: TargetPeriod) => ({ from: startOfDay(p.start), to: endOfPeriod(p) });
  const current = period.endsWith('month') ? monthOf(now) : quarterOf(now);
  if (period.startsWith('this')) {
    const { from } = of(current);
    return { from, to: now };
  }
  const dayBefore = new Date(startOfDay(current.start).getTime() - DAY_MS);
  return of(period.endsWith('month') ? monthOf(dayBefore) : quarterOf(dayBefore));
}

const dealLabel = (key: string) =>
  defaultPipeline.stages.find((s) => s.key === key)?.label ??
  key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');

interface Measured {
  window: { from: Date; to: Date };
  baseline: { from: Date; to: Date };
  funnel: FunnelMeasures;
  deals: DealMeasures;
  leadLimits: store.StageLimit[];
  dealLimits: store.StageLimit[];
}

async function measure(deps: BottleneckDeps, query: BottleneckQuery): Promise<Measured> {
  const window = periodWindow(query.period, deps.clock.now());
  const baseline = { from: new Date(window.from.getTime() - query.lookbackDays * DAY_MS), to: window.from };
  const [funnel, deals] = await Promise.all([
    measureFunnel(deps, baseline),
    measureDeals(deps, { lookback: baseline, period: window }),
  ]);
  // Leads sitting at the first stage are not stuck: most leads never become MQLs, by design. Nor is won.
  const leadLimits = funnel.stages.slice(1, -1).flatMap((stage, j) => {
    const days = funnel.p90Days[j + 1];
    return days === null || days === undefined ? [] : [{ stage: stage.key, days }];
  });
  const dealLimits = deals.stages.flatMap((s) =>
    s.p90Days === null ? [] : [{ stage: s.stage, days: s.p90Days }],
  );
  return { window, baseline, funnel, deals, leadLimits, dealLimits };
}

async function stepConversions(deps: BottleneckDeps, m: Measured) {
  const ranks = m.funnel.stages;
  const at = (w: { from: Date; to: Date }) =>
    Promise.all([
      countArrivals(
        deps.db,
        ranks,
        ranks.map(() => w),
      ),
      countDropsFrom(deps.db, ranks, w),
    ]);
  const [[movedNow, droppedNow], [movedBefore, droppedBefore]] = await Promise.all([
    at(m.window),
    at(m.baseline),
  ]);
  // From MQL on: whether a lead becomes an MQL is decided by the lead definition, not a hand-off.
  return ranks.slice(1, -1).map((from, j) => {
    const i = j + 1;
    const to = ranks[i + 1]!;
    const side = (moved: number[], dropped: Map<string, number>) => {
      const m1 = moved[i + 1] ?? 0;
      const decided = m1 + (dropped.get(from.key) ?? 0);
      return { moved: m1, decided, rate: decided > 0 ? m1 / decided : null };
    };
    const current = side(movedNow, droppedNow);
    const baseline = side(movedBefore, droppedBefore);
    const enough = current.decided >= MIN_DECIDED && baseline.decided >= MIN_DECIDED;
    const test = enough
      ? compareProportions(current.moved, current.decided, baseline.moved, baseline.decided)
      : null;
    const lower = current.rate !== null && baseline.rate !== null && current.rate < baseline.rate;
    return {
      from: from.key,
      to: to.key,
      fromLabel: from.label,
      toLabel: to.label,
      current,
      baseline,
      p: test?.p ?? null,
      method: test?.method ?? null,
      flagged: Boolean(test && lower && test.p < SIGNIFICANCE),
      required: null as number | null,
      measured: null as number | null,
      reachable: null as boolean | null,
    };
  });
}

async function stuckGroups(deps: BottleneckDeps, m: Measured): Promise<StuckGroup[]> {
  const now = deps.clock.now();
  const dealSize = m.deals.dealSize ?? 0;
  const [leads, deals] = await Promise.all([
    store.countStuck(deps.db, 'lead', m.leadLimits, now),
    store.countStuck(deps.db, 'deal', m.dealLimits, now),
  ]);
  const leadGroups = m.leadLimits.map((limit): StuckGroup => {
    const i = m.funnel.stages.findIndex((s) => s.key === limit.stage);
    const stuck = leads.find((row) => row.stage === limit.stage)?.stuck ?? 0;
    const toWon = m.funnel.toWon[i] ?? null;
    return {
      kind: 'lead',
      stage: limit.stage,
      label: m.funnel.stages[i]?.label ?? limit.stage,
      normalDays: limit.days,
      stuck,
      toWon,
      trapped: stuck * (toWon ?? 0) * dealSize,
    };
  });
  const dealGroups = m.dealLimits.map((limit): StuckGroup => {
    const row = deals.find((r) => r.stage === limit.stage);
    const toWon = m.deals.stages.find((s) => s.stage === limit.stage)?.toWon ?? null;
    const value = row ? row.amount + row.withoutAmount * dealSize : 0;
    return {
      kind: 'deal',
      stage: limit.stage,
      label: dealLabel(limit.stage),
      normalDays: limit.days,
      stuck: row?.stuck ?? 0,
      toWon,
      trapped: value * (toWon ?? 0),
    };
  });
  return [...leadGroups, ...dealGroups];
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
const count = (n: number) => n.toLocaleString('en-US');

function money(amount: number, currency: string): string {
  const rounded = amount >= 10_000 ? Math.round(amount / 1000) * 1000 : Math.round(amount);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    rounded,
  );
}

/** What `count` items in a stage are called: "SALs", "opportunity", "won deals". */
function stageNoun(count: number, label: string, stage: string): string {
  if (stage === 'won') return count === 1 ? 'won deal' : 'won deals';
  return count === 1 ? inSentence(label) : plural(label);
}

/**
 * What the target needs from a step that falls short of it: the rate it must convert at or, when
 * too few arrive for it even if every one moved on, the counts needed and arriving.
 */
export function targetGapPhrase(
  target: { name: string; lookbackDays: number },
  step: Pick<
    BottleneckReport['steps'][number],
    'from' | 'to' | 'fromLabel' | 'toLabel' | 'required' | 'measured' | 'reachable'
  >,
  { needed, projected }: { needed: number; projected: number },
): string {
  const before = `in the ${target.lookbackDays} days before it`;
  if (step.reachable) {
    return (
      `To reach the ${target.name} target, ${step.fromLabel} → ${step.toLabel} must convert ` +
      `${percent(step.required)} against ${percent(step.measured)} ${before}`
    );
  }
  // Rounded apart (needed up, arriving down): the words never show as many arriving as needed.
  const [wanted, arriving] = [Math.ceil(needed), Math.floor(projected)];
  const arrive =
    arriving === 0
      ? `next to no ${stageNoun(0, step.fromLabel, step.from)} arrive`
      : `only about ${count(arriving)} ${stageNoun(arriving, step.fromLabel, step.from)} ${arriving === 1 ? 'arrives' : 'arrive'}`;
  return (
    `To reach the ${target.name} target, ${count(wanted)} ${stageNoun(wanted, step.toLabel, step.to)} ` +
    `${wanted === 1 ? 'is' : 'are'} needed, but at this pace ${arrive} in time for them: too few even if every ` +
    `one moved on (${percent(step.measured)} did ${before})`
  );
}

/**
 * The stuck list a headline links to: the group it names (the leads stuck at a step's first stage),
 * or (null) everything stuck when nothing is stuck there, rather than an empty list.
 */
export function stepFocus(group: StuckGroup | undefined): BottleneckReport['focus'] {
  return group && group.stuck > 0 ? { kind: group.kind, stage: group.stage } : null;
}

export function stuckPhrase(group: StuckGroup | undefined, currency: string): string {
  if (!group || group.stuck === 0) return '';
  const plural = group.stuck === 1 ? '' : 's';
  const noun = group.kind === 'deal' ? `${group.label} deal${plural}` : `${group.label}${plural}`;
  const verb = group.stuck === 1 ? 'is' : 'are';
  const trapped = group.trapped > 0 ? `, about ${money(group.trapped, currency)} trapped` : '';
  return `${group.stuck.toLocaleString('en-US')} ${noun} ${verb} stuck past ${Math.round(group.normalDays ?? 0)} days${trapped}`;
}

export async function bottleneckReport(
  deps: BottleneckDeps,
  query: BottleneckQuery,
): Promise<BottleneckReport> {
  const m = await measure(deps, query);
  const [steps, stuck, target] = await Promise.all([
    stepConversions(deps, m),
    stuckGroups(deps, m),
    currentTarget(deps),
  ]);
  const currency = target?.currency ?? 'USD';

  // Against the target: the conversion each step needs given how many actually reached its first stage.
  let targetName: string | null = null;
  // "the Q4 2026 target", and over how many days before it its conversions were measured.
  let targetWords = { name: '', lookbackDays: 0 };
  // Per step: how many of its next stage the target needs, and how many reach it at the pace so far.
  const counts = new Map<string, { needed: number; projected: number }>();
  if (target?.status === 'confirmed') {
    targetName = target.period.name;
    targetWords = { name: periodWords(target.period), lookbackDays: target.lookbackDays };
    for (const step of steps) {
      const i = target.plan.stages.findIndex((s) => s.key === step.from);
      const from = target.plan.stages[i];
      const to = target.plan.stages[i + 1];
      const pace = target.pacing?.stages[i];
      if (!from || !to || !pace || to.needed === null) continue;
      const projected = pace.elapsed > 0 ? pace.actual / pace.elapsed : from.needed;
      step.measured = to.rateIn;
      if (!projected || projected <= 0) continue;
      counts.set(step.from, { needed: to.needed, projected });
      step.required = Math.min(1, to.needed / projected);
      step.reachable = to.needed <= projected;
    }
  }
  // The step furthest short of what the target needs (beyond every one moving on, by how far).
  const shortBy = (s: (typeof steps)[number]) => {
    const c = counts.get(s.from);
    return c ? c.needed / c.projected / s.measured! : 0;
  };

  const phrase = phrases[query.period];
  const groupAt = (stage: string) => stuck.find((g) => g.kind === 'lead' && g.stage === stage);
  const drop = steps.filter((s) => s.flagged).sort((a, b) => lostTo(b) - lostTo(a))[0];
  const gap = steps
    .filter((s) => s.required !== null && s.measured !== null && s.measured > 0 && s.required > s.measured)
    .sort((a, b) => shortBy(b) - shortBy(a))[0];
  const worstStuck = [...stuck].sort((a, b) => b.trapped - a.trapped || b.stuck - a.stuck)[0];

  let headline: string;
  let focus: BottleneckReport['focus'] = null;
  if (drop) {
    const group = groupAt(drop.from);
    const tail = stuckPhrase(group, currency);
    headline =
      `${drop.fromLabel} → ${drop.toLabel} converts ${percent(drop.current.rate)} ${phrase} against ` +
      `${percent(drop.baseline.rate)} normally (${pPhrase(drop.p)})${tail ? `: ${tail}` : ''}.`;
    focus = stepFocus(group);
  } else if (gap) {
    const group = groupAt(gap.from);
    const tail = stuckPhrase(group, currency);
    headline = `${targetGapPhrase(targetWords, gap, counts.get(gap.from)!)}${tail ? `; ${tail}` : ''}.`;
    focus = stepFocus(group);
  } else if (worstStuck && worstStuck.stuck > 0) {
    headline = `No stage converts significantly worse than normal ${phrase}, but ${stuckPhrase(worstStuck, currency)}.`;
    focus = stepFocus(worstStuck);
  } else {
    headline = `No stage converts significantly worse than normal ${phrase}, and nothing is stuck past its usual time.`;
  }
  const link = focus
    ? `/bottlenecks?kind=${focus.kind}&stage=${encodeURIComponent(focus.stage)}`
    : '/bottlenecks';
  return {
    period: query.period,
    window: m.window,
    baseline: m.baseline,
    currency,
    dealSize: m.deals.dealSize,
    headline,
    link,
    focus,
    steps,
    target: targetName,
    stuck,
    trappedTotal: stuck.reduce((sum, g) => sum + g.trapped, 0),
  };
}

/** Leads lost to the drop: the ones that would have moved on at the normal rate. */
function lostTo(step: Awaited<ReturnType<typeof stepConversions>>[number]): number {
  return ((step.baseline.rate ?? 0) - (step.current.rate ?? 0)) * step.current.decided;
}

/** 0.0004 → "p < 0.001", 0.00113 → "p = 0.001", 0.2 → "p = 0.20": how the headline states significance. */
export function pPhrase(p: number | null): string {
  if (p === null) return 'p unknown';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(p < 0.01 ? 3 : 2)}`;
}

/** The stuck leads and deals themselves, longest-stuck first, with owner, age and what each traps. */
export async function listStuckItems(
  deps: BottleneckDeps,
  query: StuckQuery,
): Promise<{ items: StuckItem[]; total: number }> {
  const m = await measure(deps, query);
  const kinds = query.kind ? [query.kind] : (['lead', 'deal'] as const);
  const allowed = [...m.funnel.stages.slice(1, -1).map((s) => s.key), ...m.deals.stages.map((s) => s.stage)];
  if (query.stage !== undefined && !allowed.includes(query.stage)) {
    throw new AppError(
      'validation_failed',
      `"${query.stage}" is not a stage with a measured normal time. Allowed: ${allowed.join(', ')}.`,
      {
        stage: query.stage,
        allowed,
      },
    );
  }
  const only = (limits: store.StageLimit[]) =>
    limits.filter((l) => query.stage === undefined || l.stage === query.stage);
  const now = deps.clock.now();
  const dealSize = m.deals.dealSize ?? 0;
  const groups = await stuckGroups(deps, m);
  const items: StuckItem[] = [];
  let total = 0;
  for (const kind of kinds) {
    const limits = only(kind === 'lead' ? m.leadLimits : m.dealLimits);
    const rows = await store.listStuck(deps.db, kind, limits, now, query.limit);
    total += groups
      .filter((g) => g.kind === kind && limits.some((l) => l.stage === g.stage))
      .reduce((s, g) => s + g.stuck, 0);
    for (const row of rows) {
      const group = groups.find((g) => g.kind === kind && g.stage === row.stage);
      const normalDays = limits.find((l) => l.stage === row.stage)?.days ?? 0;
      const value = kind === 'deal' ? (row.amount ?? dealSize) : dealSize;
      items.push({
        kind,
        id: row.id,
        name: row.name,
        stage: row.stage,
        stageLabel: group?.label ?? row.stage,
        owner: row.owner,
        enteredAt: row.enteredAt,
        ageDays: row.ageDays,
        normalDays,
        amount: row.amount,
        trapped: value * (group?.toWon ?? 0),
      });
    }
  }
  items.sort((a, b) => b.ageDays - a.ageDays);
  return { items: items.slice(0, query.limit), total };
}
