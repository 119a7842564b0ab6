import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { RescoringState } from './rescoring.progress.ts';

export interface DefinitionRow {
  version: number;
  rules: unknown;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  /** The name of the person who published it; null before publishing, or once that user is deleted. */
  publishedByName: string | null;
  publishedAt: Date | null;
  effectiveFrom: Date | null;
  signatures: { team: string; userId: string; name: string; signedAt: string }[];
  rescoring: (RescoringState & { total: number; done: number; madeMql: number }) | null;
}

const definitionColumns = sql`
  d.version, d.rules, d.note, d.created_by AS "createdBy", d.created_at AS "createdAt",
  d.published_by AS "publishedBy",
  (SELECT u.name FROM users u WHERE u.id = d.published_by) AS "publishedByName", d.published_at AS "publishedAt", d.effective_from AS "effectiveFrom",
  coalesce((SELECT json_agg(json_build_object('team', s.team, 'userId', s.user_id, 'name', u.name, 'signedAt', s.signed_at)
                            ORDER BY s.signed_at)
            FROM definition_signatures s JOIN users u ON u.id = s.user_id WHERE s.version = d.version), '[]'::json)
    AS signatures,
  (SELECT json_build_object('total', r.total, 'done', r.done, 'madeMql', r.made_mql, 'finishedAt', r.finished_at,
                            'step', r.step, 'qualified', r.qualified, 'checked', r.checked)
   FROM rescoring_runs r WHERE r.version = d.version) AS rescoring`;

export async function insertDraft(
  db: Db,
  input: { rules: unknown; note: string | null; createdBy: string | null },
) {
  const [row] = await queryRows<{ version: number }>(
    db,
    sql`INSERT INTO lead_definitions (version, rules, note, created_by)
        SELECT coalesce(max(version), 0) + 1, ${JSON.stringify(input.rules)}::jsonb, ${input.note}, ${input.createdBy}
        FROM lead_definitions
        RETURNING version`,
  );
  return row!.version;
}

export async function findDefinition(db: Db, version: number): Promise<DefinitionRow | undefined> {
  const [row] = await queryRows<DefinitionRow>(
    db,
    sql`SELECT ${definitionColumns} FROM lead_definitions d WHERE d.version = ${version}`,
  );
  return row;
}

export async function listDefinitions(db: Db): Promise<DefinitionRow[]> {
  return queryRows<DefinitionRow>(
    db,
    sql`SELECT ${definitionColumns} FROM lead_definitions d ORDER BY d.version DESC`,
  );
}

/** The published version with the latest effective time not after `at`. */
export async function findInForce(db: Db, at: Date): Promise<DefinitionRow | undefined> {
  const [row] = await queryRows<DefinitionRow>(
    db,
    sql`SELECT ${definitionColumns} FROM lead_definitions d
        WHERE d.published_at IS NOT NULL AND d.effective_from <= ${at}
        ORDER BY d.effective_from DESC, d.version DESC LIMIT 1`,
  );
  return row;
}

/** The lead_definitions row in force at `at` (a time, or SQL of one), with these columns. */
export const inForceSql = (columns: SQL, at: Date | SQL) =>
  sql`SELECT ${columns} FROM lead_definitions
      WHERE published_at IS NOT NULL AND effective_from <= ${at}
      ORDER BY effective_from DESC, version DESC LIMIT 1`;

/** Just the version and rules in force: what scoring needs on every activity. */
export async function findRulesInForce(
  db: Db,
  at: Date,
): Promise<{ version: number; rules: unknown } | undefined> {
  const [row] = await queryRows<{ version: number; rules: unknown }>(db, inForceSql(sql`version, rules`, at));
  return row;
}

/** Records the signature unless the team has signed already; returns whether it was recorded. */
export async function insertSignature(db: Db, input: { version: number; team: string; userId: string }) {
  const rows = await queryRows(
    db,
    sql`INSERT INTO definition_signatures (version, team, user_id) VALUES (${input.version}, ${input.team}, ${input.userId})
        ON CONFLICT (version, team) DO NOTHING RETURNING version`,
  );
  return rows.length > 0;
}

export async function markPublished(
  db: Db,
  input: { version: number; publishedBy: string | null; at: Date; effectiveFrom: Date },
) {
  await db.execute(sql`
    UPDATE lead_definitions SET published_by = ${input.publishedBy}, published_at = ${input.at},
                                effective_from = ${input.effectiveFrom}
    WHERE version = ${input.version}`);
}
