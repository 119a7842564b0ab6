import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { RescoringStep } from './rescoring.progress.ts';

export interface RescoringRun {
  total: number;
  done: number;
  madeMql: number;
  cursor: string | null;
  startedAt: Date;
  /** When every lead's new score was stored (the scores are as of then); null before. */
  scoredAt: Date | null;
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
    sql`SELECT total, done, made_mql AS "madeMql", cursor, started_at AS "startedAt",
               scored_at AS "scoredAt", finished_at AS "finishedAt"
        FROM rescoring_runs WHERE version = ${version}`,
  );
  return run!;
}

/** Whether the version's run over every lead has started and not finished. */
export async function isRunUnderway(db: Db, version: number): Promise<boolean> {
  const [run] = await queryRows<{ finished: boolean }>(
    db,
    sql`SELECT finished_at IS NOT NULL AS finished FROM rescoring_runs WHERE version = ${version}`,
  );
  return run !== undefined && !run.finished;
}

export async function startStep(db: Db, version: number, step: RescoringStep): Promise<void> {
  await db.execute(sql`UPDATE rescoring_runs SET step = ${step} WHERE version = ${version}`);
}

/** Stored in the same transaction as the scores it describes; the MQL moves come next. */
export async function markScored(db: Db, version: number, at: Date, qualified: number): Promise<void> {
  await db.execute(sql`
    UPDATE rescoring_runs SET scored_at = ${at}, done = total, step = 'mql', qualified = ${qualified}, checked = 0
    WHERE version = ${version}`);
}

export interface QualifiedLead {
  personId: string;
  fitPoints: number;
  engagementPoints: number;
}

/** The next leads, in id order after `after`, that the run's scores (not since re-scored live) make MQLs. */
export async function nextQualifiedLeads(
  db: Db,
  input: { version: number; scoredAt: Date; after: string | null; limit: number },
): Promise<QualifiedLead[]> {
  return queryRows<QualifiedLead>(
    db,
    sql`SELECT person_id AS "personId", fit_points AS "fitPoints", engagement_points::float8 AS "engagementPoints"
        FROM lead_scores
        WHERE version = ${input.version} AND scored_at = ${input.scoredAt} AND is_mql
          AND (${input.after}::uuid IS NULL OR person_id > ${input.after}::uuid)
        ORDER BY person_id LIMIT ${input.limit}`,
  );
}

export async function advanceRun(
  db: Db,
  version: number,
  step: { cursor: string; checked: number; madeMql: number },
) {
  await db.execute(sql`
    UPDATE rescoring_runs
    SET cursor = ${step.cursor}, checked = checked + ${step.checked}, made_mql = made_mql + ${step.madeMql}
    WHERE version = ${version}`);
}

export async function finishRun(db: Db, version: number, at: Date) {
  await db.execute(
    sql`UPDATE rescoring_runs SET done = total, finished_at = ${at} WHERE version = ${version}`,
  );
}
