import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { type DeliveryFact, notificationByDedupeKey } from '../notifications/notifications.store.ts';
import type { Breach, MarketingPromise, SlaPolicy, SlaPolicyInput } from './sla.schema.ts';

const policyColumns = sql`id, name, grade, accept_within_minutes AS "acceptWithinMinutes",
  first_touch_within_minutes AS "firstTouchWithinMinutes", escalate_after_minutes AS "escalateAfterMinutes",
  reassign_on_escalation AS "reassignOnEscalation", created_at AS "createdAt", updated_at AS "updatedAt"`;

export const listPolicies = (db: Db) =>
  queryRows<SlaPolicy>(db, sql`SELECT ${policyColumns} FROM sla_policies ORDER BY grade NULLS LAST, name`);

export async function insertPolicy(db: Db, input: SlaPolicyInput, now: Date): Promise<SlaPolicy> {
  const [row] = await queryRows<SlaPolicy>(
    db,
    sql`INSERT INTO sla_policies (name, grade, accept_within_minutes, first_touch_within_minutes,
          escalate_after_minutes, reassign_on_escalation, created_at, updated_at)
        VALUES (${input.name}, ${input.grade}, ${input.acceptWithinMinutes}, ${input.firstTouchWithinMinutes},
          ${input.escalateAfterMinutes}, ${input.reassignOnEscalation}, ${now}, ${now})
        RETURNING ${policyColumns}`,
  );
  return row!;
}

export async function updatePolicy(
  db: Db,
  id: string,
  input: SlaPolicyInput,
  now: Date,
): Promise<SlaPolicy | undefined> {
  const [row] = await queryRows<SlaPolicy>(
    db,
    sql`UPDATE sla_policies SET name = ${input.name}, grade = ${input.grade},
          accept_within_minutes = ${input.acceptWithinMinutes},
          first_touch_within_minutes = ${input.firstTouchWithinMinutes},
          escalate_after_minutes = ${input.escalateAfterMinutes},
          reassign_on_escalation = ${input.reassignOnEscalation}, updated_at = ${now}
        WHERE id = ${id} RETURNING ${policyColumns}`,
  );
  return row;
}

export async function deletePolicy(db: Db, id: string): Promise<boolean> {
  return (await queryRows(db, sql`DELETE FROM sla_policies WHERE id = ${id} RETURNING id`)).length > 0;
}

export async function policyGradeTaken(db: Db, grade: string | null, exceptId?: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`SELECT 1 FROM sla_policies WHERE grade IS NOT DISTINCT FROM ${grade}
        ${exceptId ? sql`AND id <> ${exceptId}` : sql``}`,
  );
  return rows.length > 0;
}

export const listPromises = (db: Db) =>
  queryRows<MarketingPromise>(
    db,
    sql`SELECT period, mql_volume AS "mqlVolume", min_mql_to_sql_rate::float8 AS "minMqlToSqlRate",
          updated_at AS "updatedAt" FROM marketing_promises ORDER BY period`,
  );

export async function upsertPromise(
  db: Db,
  input: { period: string; mqlVolume: number; minMqlToSqlRate: number },
  now: Date,
): Promise<MarketingPromise> {
  const [row] = await queryRows<MarketingPromise>(
    db,
    sql`INSERT INTO marketing_promises (period, mql_volume, min_mql_to_sql_rate, updated_at)
        VALUES (${input.period}, ${input.mqlVolume}, ${input.minMqlToSqlRate}, ${now})
        ON CONFLICT (period) DO UPDATE SET mql_volume = EXCLUDED.mql_volume,
          min_mql_to_sql_rate = EXCLUDED.min_mql_to_sql_rate, updated_at = EXCLUDED.updated_at
        RETURNING period, mql_volume AS "mqlVolume", min_mql_to_sql_rate::float8 AS "minMqlToSqlRate",
          updated_at AS "updatedAt"`,
  );
  return row!;
}

export interface TimerRow {
  id: string;
  assignmentId: string;
  personId: string;
  kind: TimerKind;
  dueAt: Date;
}
export type TimerKind = 'accept' | 'first_touch' | 'accept_escalation' | 'first_touch_escalation';

/** Inserts timers (one per assignment and kind; a repeat is a no-op) and returns the new ones. */
export async function insertTimers(
  db: Db,
  timers: { assignmentId: string; personId: string; kind: TimerKind; dueAt: Date }[],
): Promise<TimerRow[]> {
  if (timers.length === 0) return [];
  const payload = timers.map((t) => ({ ...t, dueAt: t.dueAt.toISOString() }));
  return queryRows<TimerRow>(
    db,
    sql`INSERT INTO sla_timers (assignment_id, person_id, kind, due_at)
        SELECT t."assignmentId", t."personId", t.kind, t."dueAt"
        FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
          AS t("assignmentId" uuid, "personId" uuid, kind text, "dueAt" timestamptz)
        ON CONFLICT (assignment_id, kind) DO NOTHING
        RETURNING id, assignment_id AS "assignmentId", person_id AS "personId", kind, due_at AS "dueAt"`,
  );
}

export interface ClaimedTimer extends TimerRow {
  outcome: 'breached' | 'met' | 'cancelled';
  userId: string;
  managerId: string | null;
  personName: string | null;
  policyId: string | null;
  assignedAt: Date;
}

/**
 * Takes a due timer for this instance, deciding its outcome in the same statement. Only one caller
 * gets the row: the first sets `fired_at`, later ones find it set. A breach whose alert was never
 * recorded as sent (the instance died in between) can be taken again after a minute.
 */
export async function claimTimer(
  db: Db,
  timerId: string,
  now: Date,
  dueBy: Date,
): Promise<ClaimedTimer | undefined> {
  const lease = new Date(now.getTime() - 60_000);
  const [row] = await queryRows<ClaimedTimer>(
    db,
    sql`
    WITH state AS (
      SELECT t.id, la.user_id, la.assigned_at, la.policy_id, s.manager_id,
        nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') AS person_name,
        CASE
          WHEN la.ended_at IS NOT NULL THEN 'cancelled'
          WHEN t.kind IN ('accept', 'accept_escalation') THEN
            CASE WHEN EXISTS (SELECT 1 FROM lead_dispositions d WHERE d.assignment_id = la.id) THEN 'met'
                 WHEN p.stage IS DISTINCT FROM 'mql' THEN 'cancelled' ELSE 'breached' END
          ELSE
            CASE WHEN EXISTS (SELECT 1 FROM activities a WHERE a.person_id = la.person_id
                               AND a.type IN ('call', 'email', 'meeting') AND a.occurred_at >= la.assigned_at)
                   THEN 'met'
                 WHEN EXISTS (SELECT 1 FROM lead_dispositions d WHERE d.assignment_id = la.id
                               AND d.decision = 'rejected') THEN 'cancelled'
                 ELSE 'breached' END
        END AS outcome
      FROM sla_timers t
      JOIN lead_assignments la ON la.id = t.assignment_id
      JOIN people p ON p.id = la.person_id
      LEFT JOIN rep_settings s ON s.user_id = la.user_id
      WHERE t.id = ${timerId} AND t.due_at <= ${dueBy}
    )
    UPDATE sla_timers t
    SET fired_at = coalesce(t.fired_at, ${now}), claimed_at = ${now}, outcome = coalesce(t.outcome, state.outcome)
    FROM state
    WHERE t.id = state.id
      AND (t.fired_at IS NULL OR (t.outcome = 'breached' AND t.notified_at IS NULL AND t.claimed_at < ${lease}))
    RETURNING t.id, t.assignment_id AS "assignmentId", t.person_id AS "personId", t.kind, t.due_at AS "dueAt",
      t.outcome, state.user_id AS "userId", state.manager_id AS "managerId", state.person_name AS "personName",
      state.policy_id AS "policyId", state.assigned_at AS "assignedAt"`,
  );
  return row;
}

/**
 * Timers that should have fired a while ago but did not (their job was lost), and breaches whose
 * alert was claimed by a server that died before sending it (claim older than the lease).
 */
export async function overlookedTimers(db: Db, now: Date, limit: number): Promise<TimerRow[]> {
  const overdue = new Date(now.getTime() - 2 * 60_000);
  const lease = new Date(now.getTime() - 60_000);
  return queryRows<TimerRow>(
    db,
    sql`SELECT id, assignment_id AS "assignmentId", person_id AS "personId", kind, due_at AS "dueAt"
        FROM sla_timers
        WHERE (fired_at IS NULL AND due_at < ${overdue})
           OR (outcome = 'breached' AND notified_at IS NULL AND claimed_at < ${lease})
        ORDER BY due_at LIMIT ${limit}`,
  );
}

/** True when the timer exists and has not fired (it was not due yet for this server's clock). */
export async function isWaiting(db: Db, timerId: string): Promise<boolean> {
  return (
    (await queryRows(db, sql`SELECT 1 FROM sla_timers WHERE id = ${timerId} AND fired_at IS NULL`)).length > 0
  );
}

export async function markNotified(db: Db, timerId: string, alertedUserId: string | null, now: Date) {
  await db.execute(
    sql`UPDATE sla_timers SET notified_at = ${now}, alerted_user_id = ${alertedUserId} WHERE id = ${timerId}`,
  );
}

export interface BreachRow extends Omit<Breach, 'alert'> {
  notifiedAt: Date | null;
  /** The alert's notification, when one was recorded, and its deliveries. */
  notificationId: string | null;
  deliveries: DeliveryFact[];
}

/** The latest breaches, each with what became of its alert (its notification's deliveries). */
export const listBreaches = (db: Db, input: { limit: number; userId?: string | undefined }) =>
  queryRows<BreachRow>(
    db,
    sql`WITH latest AS (
          SELECT t.id AS "timerId", t.kind, t.person_id AS "personId",
            nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') AS "personName",
            la.user_id AS "userId", u.name AS "userName", t.alerted_user_id AS "alertedUserId",
            au.name AS "alertedUserName", t.due_at AS "dueAt", t.fired_at AS "firedAt",
            t.notified_at AS "notifiedAt"
          FROM sla_timers t
          JOIN lead_assignments la ON la.id = t.assignment_id
          JOIN users u ON u.id = la.user_id
          JOIN people p ON p.id = t.person_id
          LEFT JOIN users au ON au.id = t.alerted_user_id
          WHERE t.outcome = 'breached' ${input.userId ? sql`AND la.user_id = ${input.userId}` : sql``}
          ORDER BY t.fired_at DESC, t.id LIMIT ${input.limit}
        )
        SELECT latest.*, alert.notification_id AS "notificationId",
          coalesce(alert.deliveries, '[]'::jsonb) AS deliveries
        FROM latest
        -- The dedupe key fireSlaTimer gives the alert (alertKey in sla.service.ts).
        LEFT JOIN LATERAL (${notificationByDedupeKey(
          sql`CASE WHEN latest.kind LIKE '%escalation' THEN 'escalation:' ELSE 'breach:' END
              || latest."timerId"::text`,
        )}) alert ON true
        ORDER BY latest."firedAt" DESC, latest."timerId"`,
  );
