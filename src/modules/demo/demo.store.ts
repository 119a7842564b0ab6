// Bulk inserts for the demo's three big tables. A batch travels as one JSON parameter unpacked by
// jsonb_to_recordset: on PGlite that takes about half the CPU of a multi-row VALUES with thousands
// of bound parameters, which keeps the first start quick on a small machine.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { DemoActivity, DemoPerson, DemoTransition } from './demo.types.ts';

export async function insertDemoPeople(db: Db, rows: readonly DemoPerson[]): Promise<void> {
  await db.execute(sql`
    INSERT INTO people (id, external_id, email, first_name, last_name, title, phone, country, account_id, source,
                        campaign_id, landing_page, owner_id, attributes, stage, stage_entered_at, created_at)
    SELECT id, "externalId", email, "firstName", "lastName", title, phone, country, "accountId", source,
           "campaignId", "landingPage", "ownerId", attributes, stage, "stageEnteredAt", "createdAt"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      id uuid, "externalId" text, email text, "firstName" text, "lastName" text, title text, phone text,
      country text, "accountId" uuid, source text, "campaignId" uuid, "landingPage" text, "ownerId" uuid,
      attributes jsonb, stage text, "stageEnteredAt" timestamptz, "createdAt" timestamptz)`);
}

/** Rows get their seq in the order given, so pass them in the order they happened. */
export async function insertDemoTransitions(db: Db, rows: readonly DemoTransition[]): Promise<void> {
  // recorded_at = occurred_at: the demo's history reads as if it had been recorded live.
  await db.execute(sql`
    INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, actor_user_id, rule, reason, recorded_at)
    SELECT "personId", "fromStage", "toStage", "occurredAt", "actorUserId", rule, reason, "occurredAt"
    FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS (
      "personId" uuid, "fromStage" text, "toStage" text, "occurredAt" timestamptz, "actorUserId" uuid,
      rule text, reason text)) WITH ORDINALITY AS r("personId", "fromStage", "toStage", "occurredAt",
      "actorUserId", rule, reason, position)
    ORDER BY position`);
}

export async function insertDemoActivities(db: Db, rows: readonly DemoActivity[]): Promise<void> {
  await db.execute(sql`
    INSERT INTO activities (id, external_id, person_id, type, occurred_at, campaign_id, properties, created_at)
    SELECT id, "externalId", "personId", type, "occurredAt", "campaignId", properties, "occurredAt"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      id uuid, "externalId" text, "personId" uuid, type text, "occurredAt" timestamptz, "campaignId" uuid,
      properties jsonb)`);
}
