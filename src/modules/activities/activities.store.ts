import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { Activity } from './activities.schema.ts';

const activityColumns = sql`
  id, external_id AS "externalId", person_id AS "personId", type, occurred_at AS "occurredAt",
  campaign_id AS "campaignId", properties, created_at AS "createdAt"`;

/** Inserts unless an activity with the same external id exists; returns the row and whether it is new. */
export async function insertActivity(
  db: Db,
  input: {
    externalId: string | null;
    personId: string;
    type: string;
    occurredAt: Date;
    campaignId: string | null;
    properties: Record<string, unknown>;
  },
): Promise<{ activity: Activity; created: boolean }> {
  const inserted = await queryRows(
    db,
    sql`
    INSERT INTO activities (external_id, person_id, type, occurred_at, campaign_id, properties)
    VALUES (${input.externalId}, ${input.personId}, ${input.type}, ${input.occurredAt}, ${input.campaignId},
            ${JSON.stringify(input.properties)}::jsonb)
    ON CONFLICT (external_id) DO NOTHING
    RETURNING ${activityColumns}`,
  );
  if (inserted[0]) return { activity: inserted[0] as Activity, created: true };
  const existing = await queryRows(
    db,
    sql`
    SELECT ${activityColumns} FROM activities WHERE external_id = ${input.externalId}`,
  );
  return { activity: existing[0] as Activity, created: false };
}

export async function listActivities(
  db: Db,
  query: {
    personId: string;
    limit: number;
    type?: string | undefined;
    after?: { occurredAt: string; id: string } | undefined;
  },
): Promise<(Activity & { cursorKey: string })[]> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${activityColumns}, occurred_at::text AS "cursorKey" FROM activities
    WHERE person_id = ${query.personId}
      AND (${query.type ?? null}::text IS NULL OR type = ${query.type ?? null})
      AND (${query.after?.occurredAt ?? null}::timestamptz IS NULL
           OR (occurred_at, id) < (${query.after?.occurredAt ?? null}::timestamptz, ${query.after?.id ?? null}::uuid))
    ORDER BY occurred_at DESC, id DESC LIMIT ${query.limit}`,
  );
  return result as (Activity & { cursorKey: string })[];
}

export async function findPersonId(
  db: Db,
  key: {
    personId?: string | undefined;
    personExternalId?: string | undefined;
    personEmail?: string | undefined;
  },
): Promise<string | undefined> {
  const result = await queryRows(
    db,
    sql`
    SELECT id FROM people
    WHERE id = ${key.personId ?? null}::uuid OR external_id = ${key.personExternalId ?? null}
       OR email = ${key.personEmail?.toLowerCase() ?? null}
    LIMIT 1`,
  );
  return (result[0] as { id: string } | undefined)?.id;
}
