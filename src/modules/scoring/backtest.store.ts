import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export async function peopleEnteredBetween(
  db: Db,
  period: { from: Date; to: Date },
  after: string | null,
  limit: number,
): Promise<{ id: string; email: string | null; stage: string | null }[]> {
  return queryRows(
    db,
    sql`SELECT id, email, stage FROM people
        WHERE created_at >= ${period.from} AND created_at < ${period.to}
          AND (${after}::uuid IS NULL OR id > ${after}::uuid)
        ORDER BY id LIMIT ${limit}`,
  );
}

/** The stages each person's history ever moved into. */
export async function stagesReached(db: Db, personIds: string[]): Promise<Map<string, Set<string>>> {
  const rows = await queryRows<{ personId: string; stages: string[] }>(
    db,
    sql`SELECT person_id AS "personId", array_agg(DISTINCT to_stage) AS stages FROM stage_transitions
        WHERE person_id = ANY(string_to_array(${personIds.join(',')}, ',')::uuid[])
        GROUP BY person_id`,
  );
  return new Map(rows.map((row) => [row.personId, new Set(row.stages)]));
}

export async function countPeopleEnteredBetween(db: Db, period: { from: Date; to: Date }): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM people WHERE created_at >= ${period.from} AND created_at < ${period.to}`,
  );
  return row!.n;
}

export interface BacktestRunRow {
  id: string;
  version: number;
  from: Date;
  to: Date;
  total: number;
  done: number;
  result: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const runColumns = sql`id, version, period_from AS "from", period_to AS "to", total, done, result, error,
  started_at AS "startedAt", finished_at AS "finishedAt"`;

export async function insertRun(
  db: Db,
  run: { version: number; from: Date; to: Date; total: number; requestedBy: string | null; at: Date },
): Promise<BacktestRunRow> {
  const [row] = await queryRows<BacktestRunRow>(
    db,
    sql`INSERT INTO backtest_runs (version, period_from, period_to, total, requested_by, started_at)
        VALUES (${run.version}, ${run.from}, ${run.to}, ${run.total}, ${run.requestedBy}, ${run.at})
        RETURNING ${runColumns}`,
  );
  return row!;
}

/** The run of this version over this period still going, if one is. */
export async function findUnfinishedRun(
  db: Db,
  run: { version: number; from: Date; to: Date },
): Promise<BacktestRunRow | undefined> {
  const [row] = await queryRows<BacktestRunRow>(
    db,
    sql`SELECT ${runColumns} FROM backtest_runs
        WHERE version = ${run.version} AND period_from = ${run.from} AND period_to = ${run.to} AND finished_at IS NULL
        ORDER BY started_at DESC LIMIT 1`,
  );
  return row;
}

export async function getRun(db: Db, id: string): Promise<BacktestRunRow | undefined> {
  const [row] = await queryRows<BacktestRunRow>(
    db,
    sql`SELECT ${runColumns} FROM backtest_runs WHERE id = ${id}`,
  );
  return row;
}

export async function advanceRun(db: Db, id: string, done: number): Promise<void> {
  await db.execute(sql`UPDATE backtest_runs SET done = ${done} WHERE id = ${id}`);
}

/** The result, or why there is none; a run finishes once. */
export async function finishRun(
  db: Db,
  id: string,
  outcome: { result: unknown } | { error: string },
  at: Date,
): Promise<void> {
  const result = 'result' in outcome ? JSON.stringify(outcome.result) : null;
  const error = 'error' in outcome ? outcome.error : null;
  await db.execute(sql`
    UPDATE backtest_runs SET result = ${result}::jsonb, error = ${error}, finished_at = ${at},
      done = CASE WHEN ${result}::jsonb IS NULL THEN done ELSE total END
    WHERE id = ${id} AND finished_at IS NULL`);
}
