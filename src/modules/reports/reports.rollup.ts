// Pre-aggregates of the lead reports: lead counts (analytics_lead_rollup; analytics_lead_pairs for two
// dimensions) and step durations (analytics_lead_durations) per creation day and month, per dimension
// and value. A report
// sums a few hundred rollup rows instead of reading every lead, so its cost follows the number of
// groups, not of leads. analytics_lead_facts holds each lead as the rollups last counted it: the
// refresh (reports.refresh.ts, same transaction and watermark as analytics_lead_stages) subtracts the
// old row of each changed lead and adds its new one, so every group changes by exactly its leads.
// Reports use the rollups when the question needs at most two dimensions (one for durations) and whole UTC days
// (`rollupScope`); anything else reads lead_facts as before — the same numbers either way.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { analyzeRebuilt, createRebuilt, indexRebuilt, rebuiltName, swapInRebuilt } from '../../db/rebuild.ts';
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

const factColumns = sql.raw(
  'person_id, day, month, source, campaign_id, landing_page, owner_id, segment, reached, sql_win, won_win, seconds',
);

/** Each lead's row of analytics_lead_facts (columns in `factColumns` order), from people + analytics_lead_stages. */
function selectFacts(stages: StageConfig[], scope: Scope): SQL {
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
    SELECT p.id AS person_id, (p.created_at AT TIME ZONE 'UTC')::date AS day,
           to_char(${entry} AT TIME ZONE 'UTC', 'YYYY-MM') AS month, p.source, p.campaign_id::text AS campaign_id,
           p.landing_page, p.owner_id::text AS owner_id,
           coalesce(a.industry, p.attributes->>'business_segment') AS segment,
           coalesce(s.reached, 0)::smallint AS reached, (${win(mql, sqlStage)})::smallint AS sql_win,
           (${win(mql, won)})::smallint AS won_win, ARRAY[${seconds}]::float8[] AS seconds
    FROM people p
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN analytics_lead_stages s ON s.person_id = p.id
    WHERE ${scope(sql`p.id`)}`;
}

/** Grains: 'd' day and 'm' month of creation; the duration bins also 'a', all time (bucket -infinity). */
type Grain = 'd' | 'm' | 'a';
const grains = (...names: Grain[]) =>
  sql.raw(`CROSS JOIN (VALUES ${names.map((g) => `('${g}')`).join(', ')}) g(grain)`);
/** One row d(dim, value) per dimension of `dims` for each facts row f. */
const dimRows = (dims: readonly RollupDim[]) =>
  sql.raw(
    `CROSS JOIN LATERAL (VALUES ${dims
      .map((dim) => (dim === 'all' ? `('all', NULL::text)` : `('${dim}', f.${dim})`))
      .join(', ')}) d(dim, value)`,
  );
type DimPair = readonly [RollupDim, RollupDim];
/** Every pair of dimensions other than 'all', in alphabetical order within the pair. */
const pairDims = rollupDims.filter((dim) => dim !== 'all').sort();
const dimPairs: DimPair[] = pairDims.flatMap((a, i) => pairDims.slice(i + 1).map((b) => [a, b] as const));
/** One row d(dim, value, dim2, value2) per pair of `pairs` for each facts row f. */
const pairRows = (pairs: readonly DimPair[]) =>
  sql.raw(
    `CROSS JOIN LATERAL (VALUES ${pairs
      .map(([a, b]) => `('${a}', f.${a}, '${b}', f.${b})`)
      .join(', ')}) d(dim, value, dim2, value2)`,
  );
const bucket = sql`CASE g.grain WHEN 'd' THEN f.day WHEN 'm' THEN f.day - (extract(day FROM f.day)::int - 1)
  ELSE '-infinity'::date END`;

/** How one rollup is counted from facts rows f (with `sign`, 1 to add, −1 to subtract). */
interface Rollup {
  table: string;
  /** Its key after grain and bucket. */
  columns: string[];
  /** The values of `columns`, per row of `from`. */
  values: SQL;
  /** The facts rows f joined to the dimensions (or pairs) `part` and whatever else `values` reads. */
  from: (part: readonly RollupDim[] | readonly DimPair[]) => SQL;
  /** The grains counted: days (a rebuild sums the rest from its day rows), months, all time. */
  grains: Grain[];
  /** Every dimension, or pair of dimensions, the rollup keeps. */
  parts: readonly RollupDim[] | readonly DimPair[];
  /** Key order for a rebuild's inserts (positions in the insert's columns). */
  order: string;
}

const withDurations = sql`CROSS JOIN LATERAL unnest(f.seconds) WITH ORDINALITY x(seconds, step)`;
const rollups: Rollup[] = [
  {
    table: 'analytics_lead_rollup',
    columns: ['dim', 'value', 'reached', 'sql_win', 'won_win'],
    values: sql`d.dim, d.value, f.reached, f.sql_win, f.won_win`,
    from: (part) => dimRows(part as RollupDim[]),
    grains: ['d', 'm'],
    parts: rollupDims,
    order: '3, 1, 2, 4',
  },
  {
    table: 'analytics_lead_durations',
    columns: ['dim', 'value', 'step', 'bin', 'seconds'],
    values: sql`d.dim, d.value, x.step - 1, analytics_duration_bin(x.seconds), x.seconds`,
    from: (part) => sql`${dimRows(part as RollupDim[])} ${withDurations} WHERE x.seconds IS NOT NULL`,
    grains: ['d', 'm'],
    parts: rollupDims,
    order: '3, 1, 5, 6, 4, 7, 2',
  },
  {
    table: 'analytics_lead_duration_bins',
    columns: ['dim', 'value', 'step', 'bin'],
    values: sql`d.dim, d.value, x.step - 1, analytics_duration_bin(x.seconds)`,
    from: (part) => sql`${dimRows(part as RollupDim[])} ${withDurations} WHERE x.seconds IS NOT NULL`,
    grains: ['d', 'm', 'a'],
    parts: rollupDims,
    order: '3, 1, 2, 4',
  },
  {
    table: 'analytics_lead_pairs',
    columns: ['dim', 'value', 'dim2', 'value2', 'reached', 'sql_win', 'won_win'],
    values: sql`d.dim, d.value, d.dim2, d.value2, f.reached, f.sql_win, f.won_win`,
    from: (part) => pairRows(part as DimPair[]),
    grains: ['d', 'm'],
    parts: dimPairs,
    order: '3, 5, 1, 2, 4, 6',
  },
];

/** The positions of a rollup's key columns in its insert's columns (grain and bucket come first). */
const keyPositions = (rollup: Rollup) => sql.raw(rollup.columns.map((_, i) => i + 3).join(', '));

/** `rows` counted into `table` for `part` and `grains`, grouped by key (`tail`: what follows the GROUP BY). */
function countRows(
  rollup: Rollup,
  table: string,
  rows: SQL,
  part: Rollup['parts'],
  grainList: Grain[],
  tail: SQL,
): SQL {
  return sql`INSERT INTO ${sql.identifier(table)} (grain, bucket, ${sql.raw(rollup.columns.join(', '))}, n)
    SELECT g.grain, ${bucket}, ${rollup.values}, sum(f.sign)::int
    FROM ${rows} f ${grains(...grainList)} ${rollup.from(part)}
    GROUP BY 1, 2, ${keyPositions(rollup)} ${tail}`;
}

/**
 * Adds facts rows (`rows`: facts columns plus `sign`) to the live rollups, netted per key: one
 * statement per rollup, every grain counted from the rows.
 */
function applyDelta(rows: SQL): SQL[] {
  return rollups.map((rollup) =>
    countRows(
      rollup,
      rollup.table,
      rows,
      rollup.parts,
      rollup.grains,
      sql.raw(`HAVING sum(f.sign) <> 0
        ON CONFLICT ON CONSTRAINT ${rollup.table}_key DO UPDATE SET n = ${rollup.table}.n + excluded.n`),
    ),
  );
}

/**
 * Counts every facts row of `rows` into the rebuilt rollups (rebuiltName), one dimension (or pair)
 * per statement: its day rows from the facts, then its month (and all-time) rows summed from those
 * day rows as they are written. Each statement's groups fit in memory where all dimensions at once
 * spilled to disk, and rows are written in key order, so that each dimension's rows end up together
 * on disk and a report reads few pages. The whole rebuild of a million imported leads took 65–67 s like
 * this, in new tables, against 148 s counting every dimension at once into the live tables (252 s
 * before the months were summed from the days; BENCHMARKS.md).
 */
function countAll(rows: SQL): SQL[] {
  return rollups.flatMap((rollup) => {
    const table = rebuiltName(rollup.table);
    const columns = rollup.columns.join(', ');
    const rest = rollup.grains.filter((grain) => grain !== 'd');
    const month = 'r.bucket - (extract(day FROM r.bucket)::int - 1)';
    return rollup.parts.map(
      (one) => sql`WITH day AS (
          ${countRows(rollup, table, rows, [one] as Rollup['parts'], ['d'], sql.raw(`ORDER BY ${rollup.order}`))}
          RETURNING grain, bucket, ${sql.raw(columns)}, n)
        INSERT INTO ${sql.identifier(table)} (grain, bucket, ${sql.raw(columns)}, n)
        SELECT g.grain, CASE g.grain WHEN 'm' THEN ${sql.raw(month)} ELSE '-infinity'::date END,
               ${sql.raw(rollup.columns.map((column) => `r.${column}`).join(', '))}, sum(r.n)::int
        FROM day r ${grains(...rest)}
        GROUP BY 1, 2, ${keyPositions(rollup)}
        ORDER BY ${sql.raw(rollup.order)}`,
    );
  });
}

/** What a rebuild writes anew and swaps in (src/db/rebuild.ts): the facts, then every rollup. */
const FACTS = 'analytics_lead_facts';
const rollupTables = rollups.map((rollup) => rollup.table);

/**
 * Counts every lead again, after analytics_lead_stages in the refresh transaction: the facts and
 * rollups are written anew beside the ones reports read, which they replace at the end (reports
 * meanwhile answer from the old ones, and wait only for the swap).
 */
export async function rebuildRollups(tx: Db, stages: StageConfig[]): Promise<void> {
  await createRebuilt(tx, [FACTS, ...rollupTables]);
  const facts = rebuiltName(FACTS);
  await tx.execute(
    sql`INSERT INTO ${sql.identifier(facts)} (${factColumns}) ${selectFacts(stages, () => sql`TRUE`)}`,
  );
  // Statistics of the new facts, for the plans of the counts below (71 s for the whole rebuild
  // without them, 65–67 s with).
  await analyzeRebuilt(tx, [FACTS]);
  for (const statement of countAll(sql.raw(`(SELECT 1 AS sign, * FROM ${facts})`))) {
    await tx.execute(statement);
  }
  const rebuilt = await indexRebuilt(tx, [FACTS, ...rollupTables]);
  // The reports' plans (index ranges per grain) depend on the rollups' statistics.
  await analyzeRebuilt(tx, rollupTables);
  await swapInRebuilt(tx, rebuilt);
}

/**
 * The statements that bring the facts and rollups up to date for the leads `changed` names (a table
 * of person ids, read once so that every statement works on the same people), run after
 * analytics_lead_stages in the refresh transaction. The changed leads' new facts are computed once
 * into a temporary table; each rollup then gets one net delta — old facts rows −1, new +1, grouped
 * by key — so what did not change cancels out (a reassigned lead touches only the owner's rows), and
 * the rollups always equal the sum of analytics_lead_facts.
 */
export function rollupStatements(stages: StageConfig[], changed: SQL): SQL[] {
  const scope: Scope = (id) => sql`${id} IN (SELECT person_id FROM ${changed})`;
  const delta = sql`(
    SELECT -1 AS sign, ${factColumns} FROM analytics_lead_facts WHERE ${scope(sql`person_id`)}
    UNION ALL
    SELECT 1 AS sign, ${factColumns} FROM analytics_new_facts
  )`;
  return [
    sql`CREATE TEMP TABLE analytics_new_facts ON COMMIT DROP AS ${selectFacts(stages, scope)}`,
    ...applyDelta(delta),
    sql`DELETE FROM analytics_lead_facts f WHERE ${scope(sql`f.person_id`)}`,
    sql`INSERT INTO analytics_lead_facts (${factColumns}) SELECT ${factColumns} FROM analytics_new_facts`,
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

/** Which rollup dimension a lead_facts column lives in; ids resolve to names through users u / campaigns c. */
const rollupColumns: Record<LeadColumn, { dim: RollupDim; via?: SQL }> = {
  source: { dim: 'source' },
  campaign_id: { dim: 'campaign_id' },
  campaign_name: { dim: 'campaign_id', via: sql`c.name` },
  landing_page: { dim: 'landing_page' },
  owner_id: { dim: 'owner_id' },
  owner_name: { dim: 'owner_id', via: sql`u.name` },
  team: { dim: 'owner_id', via: sql`u.team` },
  segment: { dim: 'segment' },
  month: { dim: 'month' },
};

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

/** The rollup rows (alias r) of the period: whole months from the month grain, the rest by day. */
export function periodOnRollup(from: Date | null, to: Date | null): SQL | null {
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
  /** The dimensions read (none: 'all'). */
  dims: RollupDim[];
  /** analytics_lead_rollup, or analytics_lead_pairs for two dimensions; aliased r. */
  table: SQL;
  /** Joins users u / campaigns c on the rollup rows r where a dimension holds their ids. */
  joins: SQL;
  /** Whether `joins` joins anything. */
  joined: boolean;
  /** Whether every row in scope has the same r.value (no dimension but 'all'). */
  oneValue: boolean;
  /** Dimensions, period and filters, over r (and u). */
  where: SQL;
  /** The same over the duration bins, which also keep all time (grain 'a'). */
  binsWhere: SQL;
  /** A lead_facts column as an expression over r (and u, c). */
  expr: (column: LeadColumn) => SQL;
  /** Whether `expr(column)` is the row's value itself (not a name or team looked up from it). */
  isValue: (column: LeadColumn) => boolean;
}

/**
 * How to answer from the rollups a lead report grouped by `group` (a lead_facts column, or none) under
 * `filters`; null when it needs lead_facts: more dimensions between the grouping and the filters than
 * the rollups keep (two for counts, one for `durations`), or a period that does not start and end on
 * UTC midnight.
 */
export function rollupScope(
  filters: ReportFilters,
  group: LeadColumn | null,
  options: { durations?: boolean } = {},
): RollupScope | null {
  const period = periodOnRollup(filters.from, filters.to);
  if (!period) return null;
  const dims = new Set<RollupDim>();
  if (group) dims.add(rollupColumns[group].dim);
  for (const [name, dim] of Object.entries(filterDims)) {
    if (filters[name as keyof typeof filterDims] !== null) dims.add(dim);
  }
  const sorted = [...dims].sort();
  if (sorted.length > (options.durations ? 1 : 2)) return null;
  const [first = 'all', second] = sorted;
  const value = (dim: RollupDim) => (dim === second ? sql`r.value2` : sql`r.value`);
  const conditions: SQL[] = [sql`r.dim = ${first}`, ...(second ? [sql`r.dim2 = ${second}`] : [])];
  if (filters.segment !== null) conditions.push(sql`${value('segment')} = ${filters.segment}`);
  if (filters.source !== null) conditions.push(sql`${value('source')} = ${filters.source}`);
  if (filters.campaign !== null) {
    conditions.push(sql`${value('campaign_id')} = (${filters.campaign}::uuid)::text`);
  }
  if (filters.rep !== null) conditions.push(sql`${value('owner_id')} = (${filters.rep}::uuid)::text`);
  if (filters.team !== null) conditions.push(sql`u.team = ${filters.team}`);
  const joined = [
    ...(dims.has('owner_id') ? [sql`LEFT JOIN users u ON u.id::text = ${value('owner_id')}`] : []),
    ...(dims.has('campaign_id') ? [sql`LEFT JOIN campaigns c ON c.id::text = ${value('campaign_id')}`] : []),
  ];
  return {
    dims: sorted,
    table: second ? sql`analytics_lead_pairs r` : sql`analytics_lead_rollup r`,
    joins: sql.join(joined, sql` `),
    joined: joined.length > 0,
    oneValue: first === 'all',
    where: sql.join([...conditions, period], sql` AND `),
    binsWhere: sql.join(
      [...conditions, filters.from === null && filters.to === null ? sql`r.grain = 'a'` : period],
      sql` AND `,
    ),
    expr: (column) => rollupColumns[column].via ?? value(rollupColumns[column].dim),
    isValue: (column) => rollupColumns[column].via === undefined && rollupColumns[column].dim === first,
  };
}
