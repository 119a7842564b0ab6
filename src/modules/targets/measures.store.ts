// SQL for the numbers the plan and the bottlenecks measure beyond the funnel counts: when people reach
// each stage, how long each stage takes, and what deals are worth. Like the reports, these queries read
// across tables (people, stage_transitions, opportunities): a measurement is the one place that may.
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
 * When each person first reached each funnel rank: the earliest move into that stage or any later one
 * on the main path (imports may skip stages); everyone is a lead from the moment they were created.
 */
function reachedCte(ranks: StageRank[]): SQL {
  const values = sql.join(
    ranks.map((r) => sql`(${r.key}::text, ${r.rank}::int)`),
    sql`, `,
  );
  const first = ranks[0]?.rank ?? 0;
  return sql`
    ranks(stage, rank) AS (VALUES ${values}),
    arrivals AS (
      SELECT t.person_id, r.rank, min(t.occurred_at) AS at
      FROM stage_transitions t JOIN ranks r ON r.stage = t.to_stage
      GROUP BY 1, 2
    ),
    reached AS (
      SELECT a.person_id, r.rank, min(a.at) AS at
      FROM arrivals a JOIN ranks r ON a.rank >= r.rank AND r.rank > ${first}
      GROUP BY 1, 2
      UNION ALL
      SELECT p.id, ${first}::int, p.created_at FROM people p
    )`;
}

export interface StageDaysRow {
  rank: number;
  median: number | null;
  p90: number | null;
  count: number;
}

/**
 * Days from reaching each rank to reaching the next one, for people who reached the next one within
 * the window: median (the plan's "time the stage takes") and p90 (past it, a lead is stuck).
 */
export async function measureStageDays(db: Db, ranks: StageRank[], window: Window): Promise<StageDaysRow[]> {
  return queryRows<StageDaysRow>(
    db,
    sql`
    WITH ${reachedCte(ranks)},
    steps AS (
      SELECT a.rank, greatest(0, extract(epoch FROM b.at - a.at) / 86400.0) AS days
      FROM reached a
      JOIN ranks nr ON nr.rank = (SELECT min(rank) FROM ranks WHERE rank > a.rank)
      JOIN reached b ON b.person_id = a.person_id AND b.rank = nr.rank
      WHERE b.at >= ${window.from} AND b.at < ${window.to}
    )
    SELECT rank,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::float8 AS median,
           (percentile_cont(0.9) WITHIN GROUP (ORDER BY days))::float8 AS p90,
           count(*)::int AS count
    FROM steps GROUP BY rank ORDER BY rank`,
  );
}

/** People that reached each rank within that rank's own window (one window per rank, in order). */
export async function countArrivals(db: Db, ranks: StageRank[], windows: Window[]): Promise<number[]> {
  const counts = sql.join(
    ranks.map((r, i) => {
      const w = windows[i]!;
      return sql`count(*) FILTER (WHERE rank = ${r.rank} AND at >= ${w.from} AND at < ${w.to})::int`;
    }),
    sql`, `,
  );
  const [row] = await queryRows<{ counts: number[] }>(
    db,
    sql`WITH ${reachedCte(ranks)} SELECT ARRAY[${counts}] AS counts FROM reached`,
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
