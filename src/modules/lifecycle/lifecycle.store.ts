import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface TransitionRow {
  seq: number;
  personId: string;
  fromStage: string | null;
  toStage: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  rule: string | null;
  reason: string | null;
  recordedAt: Date;
}

const transitionColumns = sql`
  t.seq::float8 AS seq, t.person_id AS "personId", t.from_stage AS "fromStage", t.to_stage AS "toStage",
  t.occurred_at AS "occurredAt", t.actor_user_id AS "actorUserId", u.name AS "actorName", t.rule, t.reason,
  t.recorded_at AS "recordedAt"`;

/** Locks the person's row for the rest of the transaction and returns the current stage. */
export async function lockPersonStage(
  db: Db,
  personId: string,
): Promise<{ stage: string | null } | undefined> {
  const result = await queryRows(db, sql`SELECT stage FROM people WHERE id = ${personId} FOR UPDATE`);
  return result[0] as { stage: string | null } | undefined;
}

export async function insertTransition(
  db: Db,
  input: {
    personId: string;
    fromStage: string | null;
    toStage: string;
    occurredAt: Date;
    actorUserId: string | null;
    rule: string | null;
    reason: string | null;
  },
): Promise<TransitionRow> {
  const result = await queryRows(
    db,
    sql`
    WITH inserted AS (
      INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, actor_user_id, rule, reason)
      VALUES (${input.personId}, ${input.fromStage}, ${input.toStage}, ${input.occurredAt}, ${input.actorUserId},
              ${input.rule}, ${input.reason})
      RETURNING *
    ), moved AS (
      UPDATE people SET stage = ${input.toStage}, stage_entered_at = ${input.occurredAt}
      WHERE id = ${input.personId}
    )
    SELECT ${transitionColumns} FROM inserted t LEFT JOIN users u ON u.id = t.actor_user_id`,
  );
  return result[0] as unknown as TransitionRow;
}

export async function listTransitions(db: Db, personId: string): Promise<TransitionRow[]> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${transitionColumns} FROM stage_transitions t LEFT JOIN users u ON u.id = t.actor_user_id
    WHERE t.person_id = ${personId} ORDER BY t.seq`,
  );
  return result as unknown as TransitionRow[];
}

/** Sets every person's stage from the last transition in their history; returns how many changed. */
export async function rebuildStagesFromHistory(db: Db): Promise<number> {
  const result = await queryRows(
    db,
    sql`
    WITH last AS (
      SELECT DISTINCT ON (person_id) person_id, to_stage, occurred_at
      FROM stage_transitions ORDER BY person_id, seq DESC
    )
    UPDATE people p SET stage = last.to_stage, stage_entered_at = last.occurred_at
    FROM last WHERE last.person_id = p.id
      AND (p.stage IS DISTINCT FROM last.to_stage OR p.stage_entered_at IS DISTINCT FROM last.occurred_at)
    RETURNING p.id`,
  );
  return result.length;
}

/** People whose stored stage disagrees with their history (should always be zero). */
export async function countStageMismatches(db: Db): Promise<number> {
  const result = await queryRows(
    db,
    sql`
    WITH last AS (
      SELECT DISTINCT ON (person_id) person_id, to_stage FROM stage_transitions ORDER BY person_id, seq DESC
    )
    SELECT count(*)::int AS n FROM people p LEFT JOIN last ON last.person_id = p.id
    WHERE p.stage IS DISTINCT FROM last.to_stage`,
  );
  return (result[0] as { n: number }).n;
}

/** Locks these people's rows for the transaction and returns their current stages. */
export async function lockStages(
  db: Db,
  personIds: string[],
): Promise<{ id: string; stage: string | null }[]> {
  return queryRows(
    db,
    sql`SELECT id, stage FROM people WHERE id = ANY(string_to_array(${personIds.join(',')}, ',')::uuid[])
        ORDER BY id FOR UPDATE`,
  );
}

/** Records many moves by one rule in one statement, and sets each person's stage in the same one. */
export async function insertRuleTransitions(
  db: Db,
  input: {
    moves: { personId: string; fromStage: string | null; reason: string }[];
    to: string;
    rule: string;
    at: Date;
  },
): Promise<void> {
  if (input.moves.length === 0) return;
  await db.execute(sql`
    WITH inserted AS (
      INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule, reason)
      SELECT m."personId", m."fromStage", ${input.to}, ${input.at}, ${input.rule}, m.reason
      FROM jsonb_to_recordset(${JSON.stringify(input.moves)}::jsonb) AS m("personId" uuid, "fromStage" text, reason text)
      RETURNING person_id
    )
    UPDATE people SET stage = ${input.to}, stage_entered_at = ${input.at}
    WHERE id IN (SELECT person_id FROM inserted)`);
}
