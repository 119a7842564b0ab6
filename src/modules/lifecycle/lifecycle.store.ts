import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface TransitionRow {
  seq: number;
  personId: string;
  fromStage: string | null;
  toStage: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  /** The API token a script made the move with; actorName is then the token's creator, if any. */
  actorTokenName: string | null;
  rule: string | null;
  reason: string | null;
  recordedAt: Date;
}

const transitionColumns = sql`
  t.seq::float8 AS seq, t.person_id AS "personId", t.from_stage AS "fromStage", t.to_stage AS "toStage",
  t.occurred_at AS "occurredAt", t.actor_user_id AS "actorUserId", u.name AS "actorName",
  tk.name AS "actorTokenName", t.rule, t.reason, t.recorded_at AS "recordedAt"`;
/** Who made each move: a person, and the API token when a script made it. */
const actors = sql`LEFT JOIN users u ON u.id = t.actor_user_id LEFT JOIN api_tokens tk ON tk.id = t.actor_token_id`;

/** Locks the person's row for the rest of the transaction and returns the current stage. */
export async function lockPersonStage(
  db: Db,
  personId: string,
): Promise<{ stage: string | null; stageEnteredAt: Date | null } | undefined> {
  const [person] = await queryRows<{ stage: string | null; stageEnteredAt: Date | null }>(
    db,
    sql`SELECT stage, stage_entered_at AS "stageEnteredAt" FROM people WHERE id = ${personId} FOR UPDATE`,
  );
  return person;
}

export async function insertTransition(
  db: Db,
  input: {
    personId: string;
    fromStage: string | null;
    toStage: string;
    occurredAt: Date;
    actorUserId: string | null;
    actorTokenId: string | null;
    rule: string | null;
    reason: string | null;
  },
): Promise<TransitionRow> {
  const result = await queryRows(
    db,
    sql`
    WITH inserted AS (
      INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, actor_user_id, actor_token_id,
                                     rule, reason)
      VALUES (${input.personId}, ${input.fromStage}, ${input.toStage}, ${input.occurredAt}, ${input.actorUserId},
              ${input.actorTokenId}, ${input.rule}, ${input.reason})
      RETURNING *
    ), moved AS (
      UPDATE people SET stage = ${input.toStage}, stage_entered_at = ${input.occurredAt}
      WHERE id = ${input.personId}
    )
    SELECT ${transitionColumns} FROM inserted t ${actors}`,
  );
  return result[0] as unknown as TransitionRow;
}

export async function listTransitions(db: Db, personId: string): Promise<TransitionRow[]> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${transitionColumns} FROM stage_transitions t ${actors}
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

/** Where a move by rule goes: people in one of `from` (`fromNone`: also with no stage yet) to `to`. */
export interface RuleMove {
  from: string[];
  fromNone: boolean;
  to: string;
  rule: string;
  at: Date;
}

/**
 * The common table expressions of a move by rule, after a `moves` CTE of ("personId", reason):
 * `moved` holds the ids of the people moved. Their rows are locked in id order and their stages
 * read again under the lock, the transitions are recorded from those stages, and the stages set.
 */
export function ruleMoveCtes(move: RuleMove): SQL {
  return sql`current AS (
      SELECT p.id, p.stage, m.reason FROM people p JOIN moves m ON m."personId" = p.id
      WHERE p.stage IN (SELECT jsonb_array_elements_text(${JSON.stringify(move.from)}::jsonb))
         OR (p.stage IS NULL AND ${move.fromNone}::boolean)
      ORDER BY p.id
      FOR UPDATE OF p
    ), inserted AS (
      INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule, reason)
      SELECT c.id, c.stage, ${move.to}, ${move.at}, ${move.rule}, c.reason FROM current c ORDER BY c.id
      RETURNING person_id
    ), moved AS (
      UPDATE people SET stage = ${move.to}, stage_entered_at = ${move.at}
      WHERE id IN (SELECT person_id FROM inserted)
      RETURNING id
    )`;
}

/** Moves these people by a rule, each with its reason, in one statement. Returns the people moved. */
export async function moveByRule(
  db: Db,
  input: RuleMove & { reasons: { personId: string; reason: string }[] },
): Promise<string[]> {
  if (input.reasons.length === 0 || (input.from.length === 0 && !input.fromNone)) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    WITH moves AS (
      SELECT m."personId", m.reason FROM jsonb_to_recordset(${JSON.stringify(input.reasons)}::jsonb) AS m("personId" uuid, reason text)
    ), ${ruleMoveCtes(input)}
    SELECT id FROM moved`,
  );
  return rows.map((row) => row.id);
}
