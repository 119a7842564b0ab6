// Pre-aggregates of the lead reports: lead counts (analytics_lead_rollup) and step durations
// (analytics_lead_durations) per creation day and month, per one dimension and its value. A report
// sums a few hundred rollup rows instead of reading every lead, so its cost follows the number of
// groups, not of leads. analytics_lead_facts holds each lead as the rollups last counted it: the
// refresh (reports.refresh.ts, same transaction and watermark as analytics_lead_stages) subtracts the
// old row of each changed lead and adds its new one, so every group changes by exactly its leads.
// Reports use the rollups when the question needs at most one dimension and whole UTC days
// (`rollupScope`); anything else reads lead_facts as before — the same numbers either way.
import { type SQL, sql } from 'drizzle-orm';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import { stageIndex } from './reports.dimensions.ts';
import type { LeadColumn } from './reports.facts.ts';
import type { ReportFilters } from './reports.filters.ts';
import { secondsBetween } from './reports.predicates.ts';

/** Cohort windows in days (cohorts report: "reached SQL / won within N days of MQL"). */
export const cohortWindows = [30, 60, 90] as const;

/** Velocity steps in report order: each stage to the next, then lead (0) to the last stage. */
export function velocitySteps(stages: StageConfig[]): { from: number; to: number }[] {
  const last = stages.length - 1;
  return [...stages.slice(0, -1).map((_, i) => ({ from: i, to: i + 1 })), { from: 0, to: last }];
}

export const rollupDims = [
  'all',
  'source',
  'campaign_id',
  'landing_page',
  'owner_id',
  'segment',
  'month',
] as const;
export type RollupDim = (typeof rollupDims)[number];

/** `scope` selects people by id (`p.id` / `f.person_id` is passed in). */
type Scope = (personId: SQL) => SQL;

/** Each lead's row of analytics_lead_facts, computed from people + analytics_lead_stages. */
function insertFacts(stages: StageConfig[], scope: Scope): SQL {
  const at = (i: number) => (i === 0 ? sql`p.created_at` : sql`s.entered[${sql.raw(String(i))}]`);
  const mql = stageIndex(stages, 'mql', 1);
  const sqlStage = stageIndex(stages, 'sql', 3);
  const won = stages.length - 1;
  // The same condition as leadWhere's `within`, turned into the smallest window that holds.
  const win = (from: number, to: number) =>
    sql`CASE ${sql.join(
      cohortWindows.map(
        (days, k) =>
          sql`WHEN ${at(to)} <= ${at(from)} + ${sql.raw(String(days))}::int * interval '1 day' THEN ${sql.raw(String(k))}`,
      ),
      sql` `,
    )} ELSE ${sql.raw(String(cohortWindows.length))} END`;
  const seconds = sql.join(
    velocitySteps(stages).map((step) => secondsBetween(at(step.from), at(step.to))),
    sql`, `,
  );
  const entry = stages.length > 1 ? sql`coalesce(s.entered[1], p.created_at)` : sql`p.created_at`;
  return sql`
    INSERT INTO analytics_lead_facts
      (person_id, day, month, source, campaign_id, landing_page, owner_id, segment, reached, sql_win, won_win, seconds)
    SELECT p.id, (p.created_at AT TIME ZONE 'UTC')::date, to_char(${entry} AT TIME ZONE 'UTC', 'YYYY-MM'),
           p.source, p.campaign_id::text, p.landing_page, p.owner_id::text,
           coalesce(a.industry, p.attributes->>'business_segment'), coalesce(s.reached, 0),
           ${win(mql, sqlStage)}, ${win(mql, won)}, ARRAY[${seconds}]::float8[]
    FROM people p
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN analytics_lead_stages s ON s.person_id = p.id
    WHERE ${scope(sql`p.id`)}`;
}

const grainsAndDims = sql`
  CROSS JOIN (VALUES ('d'), ('m')) g(grain)
  CROSS JOIN LATERAL (VALUES ('all', NULL::text), ('source', f.source), ('campaign_id', f.campaign_id),
    ('landing_page', f.landing_page), ('owner_id', f.owner_id), ('segment', f.segment), ('month', f.month)) d(dim, value)`;
const bucket = sql`CASE WHEN g.grain = 'd' THEN f.day ELSE f.day - (extract(day FROM f.day)::int - 1) END`;

/** Adds (sign 1) or subtracts (-1) the facts rows in scope to/from both rollups. */
function applyFacts(scope: Scope, sign: 1 | -1): SQL[] {
  const s = sql.raw(String(sign));
  return [
    sql`INSERT INTO analytics_lead_rollup (grain, bucket, dim, value, reached, sql_win, won_win, n)
        SELECT g.grain, ${bucket}, d.dim, d.value, f.reached, f.sql_win, f.won_win, ${s} * count(*)::int
        FROM analytics_lead_facts f ${grainsAndDims}
        WHERE ${scope(sql`f.person_id`)}
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT ON CONSTRAINT analytics_lead_rollup_key DO UPDATE SET n = analytics_lead_rollup.n + excluded.n`,
    sql`INSERT INTO analytics_lead_durations (grain, bucket, dim, value, step, seconds, n)
        SELECT g.grain, ${bucket}, d.dim, d.value, x.step - 1, x.seconds, ${s} * count(*)::int
        FROM analytics_lead_facts f ${grainsAndDims}
        CROSS JOIN LATERAL unnest(f.seconds) WITH ORDINALITY x(seconds, step)
        WHERE ${scope(sql`f.person_id`)} AND x.seconds IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ON CONSTRAINT analytics_lead_durations_key DO UPDATE SET n = analytics_lead_durations.n + excluded.n`,
  ];
}

/**
 * The statements that bring the facts and rollups up to date, run after analytics_lead_stages in the
 * refresh transaction. `changed` selects the person ids to recount; null rebuilds everything.
 */
export function rollupStatements(stages: StageConfig[], changed: SQL | null): SQL[] {
  if (changed === null) {
    const all: Scope = () => sql`TRUE`;
    return [
      sql`DELETE FROM analytics_lead_rollup`,
      sql`DELETE FROM analytics_lead_durations`,
      sql`DELETE FROM analytics_lead_facts`,
      insertFacts(stages, all),
      ...applyFacts(all, 1),
    ];
  }
  const scope: Scope = (id) => sql`${id} IN (${changed})`;
  return [
    ...applyFacts(scope, -1),
    sql`DELETE FROM analytics_lead_facts f WHERE ${scope(sql`f.person_id`)}`,
    insertFacts(stages, scope),
    ...applyFacts(scope, 1),
  ];
}

// ---- Reading the rollups ----

const filterDims: Record<'segment' | 'source' | 'campaign' | 'team' | 'rep', RollupDim> = {
  segment: 'segment',
  source: 'source',
  campaign: 'campaign_id',
  team: 'owner_id',
  rep: 'owner_id',
};

/** Which rollup dimension a lead_facts column lives in, and its expression over `r` (+ joins u, c). */
export const rollupColumns: Record<LeadColumn, { dim: RollupDim; expr: SQL }> = {
  source: { dim: 'source', expr: sql`r.value` },
  campaign_id: { dim: 'campaign_id', expr: sql`r.value` },
  campaign_name: { dim: 'campaign_id', expr: sql`c.name` },
  landing_page: { dim: 'landing_page', expr: sql`r.value` },
  owner_id: { dim: 'owner_id', expr: sql`r.value` },
  owner_name: { dim: 'owner_id', expr: sql`u.name` },
  team: { dim: 'owner_id', expr: sql`u.team` },
  segment: { dim: 'segment', expr: sql`r.value` },
  month: { dim: 'month', expr: sql`r.value` },
};

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

/** The rollup rows (alias r) of the period: whole months from the month grain, the rest by day. */
function periodOnRollup(from: Date | null, to: Date | null): SQL | null {
  if ((from && from.getTime() % DAY !== 0) || (to && to.getTime() % DAY !== 0)) return null;
  const fm = from
    ? from.getUTCDate() === 1
      ? from
      : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1))
    : null;
  const tm = to ? monthStart(to) : null;
  const day = (d: Date) => sql`${isoDay(d)}::date`;
  if (from && to && fm && tm && fm >= tm) {
    return sql`(r.grain = 'd' AND r.bucket >= ${day(from)} AND r.bucket < ${day(to)})`;
  }
  const months = sql.join(
    [
      sql`r.grain = 'm'`,
      ...(fm ? [sql`r.bucket >= ${day(fm)}`] : []),
      ...(tm ? [sql`r.bucket < ${day(tm)}`] : []),
    ],
    sql` AND `,
  );
  const edges: SQL[] = [];
  if (from && fm && from < fm) edges.push(sql`(r.bucket >= ${day(from)} AND r.bucket < ${day(fm)})`);
  if (to && tm && tm < to) edges.push(sql`(r.bucket >= ${day(tm)} AND r.bucket < ${day(to)})`);
  return edges.length === 0
    ? sql`(${months})`
    : sql`((${months}) OR (r.grain = 'd' AND (${sql.join(edges, sql` OR `)})))`;
}

export interface RollupScope {
  dim: RollupDim;
  /** Joins users u / campaigns c on the rollup rows r where the dimension holds their ids. */
  joins: SQL;
  /** Dimension, period and filters, over r (and u). */
  where: SQL;
}

/**
 * How to answer from the rollups a lead report grouped by `group` (a lead_facts column, or none) under
 * `filters`; null when it needs lead_facts: more than one dimension between the grouping and the
 * filters, or a period that does not start and end on UTC midnight.
 */
export function rollupScope(filters: ReportFilters, group: LeadColumn | null): RollupScope | null {
  const period = periodOnRollup(filters.from, filters.to);
  if (!period) return null;
  const dims = new Set<RollupDim>();
  if (group) dims.add(rollupColumns[group].dim);
  for (const [name, dim] of Object.entries(filterDims)) {
    if (filters[name as keyof typeof filterDims] !== null) dims.add(dim);
  }
  if (dims.size > 1) return null;
  const dim = [...dims][0] ?? 'all';
  const conditions: SQL[] = [sql`r.dim = ${dim}`, period];
  if (filters.segment !== null) conditions.push(sql`r.value = ${filters.segment}`);
  if (filters.source !== null) conditions.push(sql`r.value = ${filters.source}`);
  if (filters.campaign !== null) conditions.push(sql`r.value = (${filters.campaign}::uuid)::text`);
  if (filters.rep !== null) conditions.push(sql`r.value = (${filters.rep}::uuid)::text`);
  if (filters.team !== null) conditions.push(sql`u.team = ${filters.team}`);
  const joins =
    dim === 'owner_id'
      ? sql`LEFT JOIN users u ON u.id::text = r.value`
      : dim === 'campaign_id'
        ? sql`LEFT JOIN campaigns c ON c.id::text = r.value`
        : sql``;
  return { dim, joins, where: sql.join(conditions, sql` AND `) };
}

/**
 * percentile_cont over a sorted list of (value, count): PostgreSQL's definition (row
 * p × (N − 1), interpolated as lo + (hi − lo) × fraction in float8), so the answer is identical.
 */
export function weightedPercentile(sorted: { value: number; n: number }[], p: number): number | null {
  const total = sorted.reduce((sum, x) => sum + x.n, 0);
  if (total === 0) return null;
  const pos = p * (total - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const at = (rank: number) => {
    let seen = 0;
    for (const x of sorted) {
      seen += x.n;
      if (rank < seen) return x.value;
    }
    return sorted.at(-1)!.value;
  };
  const a = at(lo);
  if (hi === lo) return a;
  return a + (at(hi) - a) * (pos - lo);
}
