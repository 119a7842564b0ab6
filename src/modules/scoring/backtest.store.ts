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
