// SQL for the numbers the plan and the bottlenecks measure beyond the funnel counts: when people reach
// each stage, how long each stage takes, and what deals are worth. Like the reports, these queries read
// across tables (people, stage_transitions, opportunities, and the reports' per-lead stage table,
// analytics_lead_stages): a measurement is the one place that may.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface StageRank {
  key: string;
  rank: number;
}

export interface Window {
  from: Date;
  to: Date;
}

/**
 * The funnel's ranks in order, each with its place in analytics_lead_stages.entered: position k ≥ 1
 * is when the person entered the k-th stage after the first, or a later one when the history skips it
 * (imports may); position 0 is the first stage, which everyone enters when they are created.
 */
function ranksCte(ranks: StageRank[]): SQL {
  const values = sql.join(
    ranks.map((r, position) => sql`(${r.rank}::int, ${position}::int)`),
    sql`, `,
  );
  return sql`ranks(rank, position) AS (VALUES ${values})`;
}

export interface StageDaysRow {
  rank: number;
  median: number | null;
  p90: number | null;
  count: number;
}

/**
 * Days from reaching each rank to reaching the next one, for people who reached the next one within
 * the window: median (the plan's "time the stage takes") and p90 (past it, a lead is stuck). Reads
 * the reports' per-lead table, one row a lead: run a report first (measureFunnel does), so that it
 * is up to date.
 */
export async function measureStageDays(db: Db, ranks: StageRank[], window: Window): Promise<StageDaysRow[]> {
  const steps = sql`r.position < ${ranks.length - 1}`;
  const entered = (position: SQL) =>
    sql`s.entered[${position}] >= ${window.from} AND s.entered[${position}] < ${window.to}`;
  // The first stage's time starts when the person was created (people), the others' when the person
  // entered the stage before: only the first reads people (2.4 s against 0.85 s at a million leads
  // when every step joined people).
  return queryRows<StageDaysRow>(
    db,
    sql`
    WITH ${ranksCte(ranks)},
    steps AS (
      SELECT r.rank, greatest(0, extract(epoch FROM s.entered[1] - p.created_at) / 86400.0) AS days
      FROM analytics_lead_stages s JOIN people p ON p.id = s.person_id
      JOIN ranks r ON r.position = 0 AND ${steps}
      WHERE ${entered(sql`1`)}
      UNION ALL
      SELECT r.rank, greatest(0, extract(epoch FROM s.entered[r.position + 1] - s.entered[r.position]) / 86400.0)
      FROM analytics_lead_stages s
      JOIN ranks r ON r.position > 0 AND ${steps}
      WHERE ${entered(sql`r.position + 1`)} AND s.entered[r.position] IS NOT NULL
    )
    SELECT rank,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::float8 AS median,
           (percentile_cont(0.9) WITHIN GROUP (ORDER BY days))::float8 AS p90,
           count(*)::int AS count
    FROM steps GROUP BY rank ORDER BY rank`,
  );
}

/**
 * People that reached each rank within that rank's own window (one window per rank, in order): the
 * first by when they were created, the others from the reports' per-lead table (see measureStageDays).
 */
export async function countArrivals(db: Db, ranks: StageRank[], windows: Window[]): Promise<number[]> {
  const within = (at: SQL, w: Window) => sql`${at} >= ${w.from} AND ${at} < ${w.to}`;
  const first = windows[0];
  const later = ranks.slice(1).map((_, k) => {
    const w = windows[k + 1]!;
    return sql`count(*) FILTER (WHERE ${within(sql`s.entered[${k + 1}::int]`, w)})::int`;
  });
  const [row] = await queryRows<{ counts: number[] }>(
    db,
    sql`SELECT ARRAY[
          ${first ? sql`(SELECT count(*)::int FROM people p WHERE ${within(sql`p.created_at`, first)})` : sql`0`}
          ${later.length > 0 ? sql`, ${sql.join(later, sql`, `)}` : sql``}
        ] AS counts
        FROM analytics_lead_stages s`,
  );
  return row?.counts ?? ranks.map(() => 0);
}

/** Moves out of each funnel stage into a side state (lost, nurture, disqualified, …) within the window. */
export async function countDropsFrom(
  db: Db,
  ranks: StageRank[],
  window: Window,
): Promise<Map<string, number>> {
  const keys = ranks.map((r) => r.key);
  const rows = await queryRows<{ stage: string; dropped: number }>(
    db,
    sql`
    SELECT t.from_stage AS stage, count(DISTINCT t.person_id)::int AS dropped
    FROM stage_transitions t
    WHERE t.from_stage = ANY(string_to_array(${keys.join(',')}, ','))
      AND NOT (t.to_stage = ANY(string_to_array(${keys.join(',')}, ',')))
      AND t.occurred_at >= ${window.from} AND t.occurred_at < ${window.to}
    GROUP BY 1`,
  );
  return new Map(rows.map((row) => [row.stage, row.dropped]));
}

export interface DealStageRow {
  stage: string;
  /** Closed deals in the window that passed through this stage. */
  closed: number;
  won: number;
  /** Days deals spent in this stage before moving on, p90, for moves within the window. */
  p90Days: number | null;
}

/** For each open deal stage: of the deals closed in the window that passed through it, how many were won. */
export async function measureDealStages(
  db: Db,
  closed: { won: string; lost: string },
  window: Window,
): Promise<DealStageRow[]> {
  return queryRows<DealStageRow>(
    db,
    sql`
    WITH passed AS (
      SELECT t.to_stage AS stage,
             count(DISTINCT o.id)::int AS closed,
             count(DISTINCT o.id) FILTER (WHERE o.stage = ${closed.won})::int AS won
      FROM opportunities o JOIN opportunity_transitions t ON t.opportunity_id = o.id
      WHERE o.stage IN (${closed.won}, ${closed.lost})
        AND o.closed_at >= ${window.from} AND o.closed_at < ${window.to}
        AND t.to_stage NOT IN (${closed.won}, ${closed.lost})
      GROUP BY 1
    ),
    stays AS (
      SELECT to_stage AS stage, occurred_at,
             lead(occurred_at) OVER (PARTITION BY opportunity_id ORDER BY occurred_at, seq) AS left_at
      FROM opportunity_transitions
    ),
    durations AS (
      SELECT stage,
             (percentile_cont(0.9) WITHIN GROUP (
               ORDER BY greatest(0, extract(epoch FROM left_at - occurred_at) / 86400.0)))::float8 AS p90
      FROM stays
      WHERE left_at >= ${window.from} AND left_at < ${window.to}
        AND stage NOT IN (${closed.won}, ${closed.lost})
      GROUP BY 1
    )
    SELECT coalesce(p.stage, d.stage) AS stage, coalesce(p.closed, 0) AS closed, coalesce(p.won, 0) AS won,
           d.p90 AS "p90Days"
    FROM passed p FULL JOIN durations d ON d.stage = p.stage
    ORDER BY 1`,
  );
}

export interface DealMoney {
  /** Average amount of deals won in the look-back window (null: none won). */
  dealSize: number | null;
  wonDealsInLookback: number;
  wonToDate: number;
  wonFromNewDealsToDate: number;
}

export async function measureDealMoney(
  db: Db,
  won: string,
  input: { lookback: Window; period: Window },
): Promise<DealMoney> {
  const [row] = await queryRows<DealMoney>(
    db,
    sql`
    SELECT
      (avg(amount) FILTER (WHERE closed_at >= ${input.lookback.from} AND closed_at < ${input.lookback.to}))::float8
        AS "dealSize",
      (count(*) FILTER (WHERE closed_at >= ${input.lookback.from} AND closed_at < ${input.lookback.to}))::int
        AS "wonDealsInLookback",
      coalesce(sum(amount) FILTER (WHERE closed_at >= ${input.period.from} AND closed_at < ${input.period.to}), 0)::float8
        AS "wonToDate",
      coalesce(sum(amount) FILTER (WHERE closed_at >= ${input.period.from} AND closed_at < ${input.period.to}
                                     AND opened_at >= ${input.period.from}), 0)::float8 AS "wonFromNewDealsToDate"
    FROM opportunities
    WHERE stage = ${won} AND amount IS NOT NULL`,
  );
  return row ?? { dealSize: null, wonDealsInLookback: 0, wonToDate: 0, wonFromNewDealsToDate: 0 };
}

export interface OpenPipelineRow {
  stage: string;
  deals: number;
  /** Sum of the amounts known. */
  amount: number;
  /** Deals without an amount. */
  withoutAmount: number;
}

export async function openPipeline(
  db: Db,
  closed: { won: string; lost: string },
): Promise<OpenPipelineRow[]> {
  return queryRows<OpenPipelineRow>(
    db,
    sql`
    SELECT stage, count(*)::int AS deals, coalesce(sum(amount), 0)::float8 AS amount,
           (count(*) FILTER (WHERE amount IS NULL))::int AS "withoutAmount"
    FROM opportunities
    WHERE closed_at IS NULL AND stage NOT IN (${closed.won}, ${closed.lost})
    GROUP BY stage ORDER BY stage`,
  );
}
