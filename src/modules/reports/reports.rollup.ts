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
const grains = (...names: ('d' | 'm' | 'a')[]) =>
  sql.raw(`CROSS JOIN (VALUES ${names.map((g) => `('${g}')`).join(', ')}) g(grain)`);
const dims = sql`
  CROSS JOIN LATERAL (VALUES ('all', NULL::text), ('source', f.source), ('campaign_id', f.campaign_id),
    ('landing_page', f.landing_page), ('owner_id', f.owner_id), ('segment', f.segment), ('month', f.month)) d(dim, value)`;
/** Every pair of dimensions other than 'all', in alphabetical order within the pair. */
const pairDims = rollupDims.filter((dim) => dim !== 'all').sort();
const pairValues = sql.raw(
  pairDims.flatMap((a, i) => pairDims.slice(i + 1).map((b) => `('${a}', f.${a}, '${b}', f.${b})`)).join(', '),
);
const bucket = sql`CASE g.grain WHEN 'd' THEN f.day WHEN 'm' THEN f.day - (extract(day FROM f.day)::int - 1)
  ELSE '-infinity'::date END`;

/**
 * In a rebuild, a rollup's month (and all-time) rows summed from its day rows, in key order: the same
 * numbers as from the facts, from far fewer rows (a day row holds every lead of its day and key).
 */
function fromDayRows(table: string, columns: string[], grains: ('m' | 'a')[], order: string): SQL {
  const month = 'r.bucket - (extract(day FROM r.bucket)::int - 1)';
  return sql.raw(`
    INSERT INTO ${table} (grain, bucket, ${columns.join(', ')}, n)
    SELECT g.grain, CASE g.grain WHEN 'm' THEN ${month} ELSE '-infinity'::date END,
           ${columns.map((column) => `r.${column}`).join(', ')}, sum(r.n)::int
    FROM ${table} r CROSS JOIN (VALUES ${grains.map((grain) => `('${grain}')`).join(', ')}) g(grain)
    WHERE r.grain = 'd'
    GROUP BY 1, 2, ${columns.map((_, i) => i + 3).join(', ')}
    ORDER BY ${order}`);
}

/**
 * Adds facts rows (`rows`: facts columns plus `sign`, 1 to add, −1 to subtract) to the rollups,
 * netted per key. A rebuild (`empty`) counts the day rows from the facts and sums the month and
 * all-time rows from them (fromDayRows: a first count at a million leads took 185 s against 252 s
 * counting every grain from the facts, BENCHMARKS.md), and inserts in key order without conflict
 * handling: faster, and each dimension's rows end up together on disk, so that a report reads few pages.
 */
function applyFacts(rows: SQL, empty = false): SQL[] {
  const s = sql`f.sign`;
  // From the facts: every grain, or in a rebuild the days only.
  const counted = empty ? grains('d') : grains('d', 'm');
  const keep = empty ? sql`` : sql`HAVING sum(f.sign) <> 0`;
  const merge = (table: string) =>
    empty
      ? sql`ORDER BY 3, 1, 2, 4`
      : sql.raw(`ON CONFLICT ON CONSTRAINT ${table}_key DO UPDATE SET n = ${table}.n + excluded.n`);
  return [
    sql`INSERT INTO analytics_lead_rollup (grain, bucket, dim, value, reached, sql_win, won_win, n)
        SELECT g.grain, ${bucket}, d.dim, d.value, f.reached, f.sql_win, f.won_win, sum(${s})::int
        FROM ${rows} f ${counted} ${dims}
        GROUP BY 1, 2, 3, 4, 5, 6, 7 ${keep} ${merge('analytics_lead_rollup')}`,
    sql`INSERT INTO analytics_lead_durations (grain, bucket, dim, value, step, bin, seconds, n)
        SELECT g.grain, ${bucket}, d.dim, d.value, x.step - 1, analytics_duration_bin(x.seconds), x.seconds,
               sum(${s})::int
        FROM ${rows} f ${counted} ${dims}
        CROSS JOIN LATERAL unnest(f.seconds) WITH ORDINALITY x(seconds, step)
        WHERE x.seconds IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7 ${keep} ${empty ? sql`ORDER BY 3, 1, 5, 6, 4, 7, 2` : merge('analytics_lead_durations')}`,
    sql`INSERT INTO analytics_lead_duration_bins (grain, bucket, dim, value, step, bin, n)
        SELECT g.grain, ${bucket}, d.dim, d.value, x.step - 1, analytics_duration_bin(x.seconds), sum(${s})::int
        FROM ${rows} f ${empty ? grains('d') : grains('d', 'm', 'a')} ${dims}
        CROSS JOIN LATERAL unnest(f.seconds) WITH ORDINALITY x(seconds, step)
        WHERE x.seconds IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6 ${keep} ${merge('analytics_lead_duration_bins')}`,
    sql`INSERT INTO analytics_lead_pairs (grain, bucket, dim, value, dim2, value2, reached, sql_win, won_win, n)
        SELECT g.grain, ${bucket}, d.dim, d.value, d.dim2, d.value2, f.reached, f.sql_win, f.won_win, sum(${s})::int
        FROM ${rows} f ${counted}
        CROSS JOIN LATERAL (VALUES ${pairValues}) d(dim, value, dim2, value2)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ${keep} ${empty ? sql`ORDER BY 3, 5, 1, 2, 4, 6` : merge('analytics_lead_pairs')}`,
    ...(empty
      ? [
          fromDayRows(
            'analytics_lead_rollup',
            ['dim', 'value', 'reached', 'sql_win', 'won_win'],
            ['m'],
            '3, 1, 2, 4',
          ),
          fromDayRows(
            'analytics_lead_durations',
            ['dim', 'value', 'step', 'bin', 'seconds'],
            ['m'],
            '3, 1, 5, 6, 4, 7, 2',
          ),
          fromDayRows(
            'analytics_lead_duration_bins',
            ['dim', 'value', 'step', 'bin'],
            ['m', 'a'],
            '3, 1, 2, 4',
          ),
          fromDayRows(
            'analytics_lead_pairs',
            ['dim', 'value', 'dim2', 'value2', 'reached', 'sql_win', 'won_win'],
            ['m'],
            '3, 5, 1, 2, 4, 6',
          ),
        ]
      : []),
  ];
}

/**
 * The statements that bring the facts and rollups up to date, run after analytics_lead_stages in the
 * refresh transaction. `changed` names a table of the person ids to recount (read once, so that every
 * statement works on the same people); null rebuilds everything. The changed leads' new facts are
 * computed once into a temporary table; each rollup then gets one net delta — old facts rows −1, new
 * +1, grouped by key — so what did not change cancels out (a reassigned lead touches only the
 * owner's rows), and the rollups always equal the sum of analytics_lead_facts.
 */
export function rollupStatements(stages: StageConfig[], changed: SQL | null): SQL[] {
  if (changed === null) {
    return [
      sql`DELETE FROM analytics_lead_rollup`,
      sql`DELETE FROM analytics_lead_durations`,
      sql`DELETE FROM analytics_lead_duration_bins`,
      sql`DELETE FROM analytics_lead_pairs`,
      sql`DELETE FROM analytics_lead_facts`,
      sql`INSERT INTO analytics_lead_facts (${factColumns}) ${selectFacts(stages, () => sql`TRUE`)}`,
      ...applyFacts(sql`(SELECT 1 AS sign, * FROM analytics_lead_facts)`, true),
      // Fresh statistics: the reports' plans (index ranges per grain) depend on them.
      sql`ANALYZE analytics_lead_rollup, analytics_lead_durations, analytics_lead_duration_bins,
          analytics_lead_pairs, analytics_lead_facts`,
    ];
  }
  const scope: Scope = (id) => sql`${id} IN (SELECT person_id FROM ${changed})`;
  const delta = sql`(
    SELECT -1 AS sign, ${factColumns} FROM analytics_lead_facts WHERE ${scope(sql`person_id`)}
    UNION ALL
    SELECT 1 AS sign, ${factColumns} FROM analytics_new_facts
  )`;
  return [
    sql`CREATE TEMP TABLE analytics_new_facts ON COMMIT DROP AS ${selectFacts(stages, scope)}`,
    ...applyFacts(delta),
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
  const joins = sql.join(
    [
      ...(dims.has('owner_id') ? [sql`LEFT JOIN users u ON u.id::text = ${value('owner_id')}`] : []),
      ...(dims.has('campaign_id')
        ? [sql`LEFT JOIN campaigns c ON c.id::text = ${value('campaign_id')}`]
        : []),
    ],
    sql` `,
  );
  return {
    dims: sorted,
    table: second ? sql`analytics_lead_pairs r` : sql`analytics_lead_rollup r`,
    joins,
    where: sql.join([...conditions, period], sql` AND `),
    binsWhere: sql.join(
      [...conditions, filters.from === null && filters.to === null ? sql`r.grain = 'a'` : period],
      sql` AND `,
    ),
    expr: (column) => rollupColumns[column].via ?? value(rollupColumns[column].dim),
    isValue: (column) => rollupColumns[column].via === undefined && rollupColumns[column].dim === first,
  };
}
