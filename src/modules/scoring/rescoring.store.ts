import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface RescoringRun {
  total: number;
  done: number;
  madeMql: number;
  cursor: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Starts the run for a version once; a retried job finds the run it started and resumes it. */
export async function startRun(db: Db, version: number, at: Date): Promise<RescoringRun> {
  await db.execute(sql`
    INSERT INTO rescoring_runs (version, total, started_at)
    SELECT ${version}, count(*)::int, ${at} FROM people
    ON CONFLICT (version) DO NOTHING`);
  const [run] = await queryRows<RescoringRun>(
    db,
    sql`SELECT total, done, made_mql AS "madeMql", cursor, started_at AS "startedAt", finished_at AS "finishedAt"
        FROM rescoring_runs WHERE version = ${version}`,
  );
  return run!;
}

export async function nextPeople(db: Db, after: string | null, limit: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM people WHERE ${after}::uuid IS NULL OR id > ${after}::uuid ORDER BY id LIMIT ${limit}`,
  );
  return rows.map((row) => row.id);
}

export async function advanceRun(
  db: Db,
  version: number,
  step: { cursor: string; done: number; madeMql: number },
) {
  await db.execute(sql`
    UPDATE rescoring_runs SET cursor = ${step.cursor}, done = least(total, done + ${step.done}),
                              made_mql = made_mql + ${step.madeMql}
    WHERE version = ${version}`);
}

export async function finishRun(db: Db, version: number, at: Date) {
  await db.execute(
    sql`UPDATE rescoring_runs SET done = total, finished_at = ${at} WHERE version = ${version}`,
  );
}
