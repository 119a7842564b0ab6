import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, textArray, uuidArray } from '../../db/client.ts';
import { skipReasons } from './outcome.ts';

/** A delivery its caller now owns (claimed): everything needed to make one attempt. */
export interface ClaimedDelivery {
  id: string;
  notificationId: string;
  channel: 'webhook' | 'email';
  endpointId: string | null;
  target: string;
  /** The number of the attempt about to be made (1 for the first). */
  attemptNo: number;
  secret: string | null;
  endpointActive: boolean | null;
  event: string;
  subject: string;
  text: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

const claimedColumns = sql`
  d.id, d.notification_id AS "notificationId", d.channel, d.endpoint_id AS "endpointId", d.target,
  d.attempts AS "attemptNo", e.secret, e.active AS "endpointActive", n.event, n.subject, n.text, n.data,
  n.created_at AS "createdAt"`;

export interface NewNotification {
  id: string;
  dedupeKey: string;
  event: string;
  recipientUserId: string | null;
  subject: string;
  text: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Writes the notification and one delivery per channel in one statement. Deliveries that can be
 * attempted come back already claimed for the first attempt (until `leaseUntil`); nothing comes back
 * when the dedupe key was used before. Email is skipped, with the reason in the log, when SMTP is not
 * set up or the recipient has no address.
 */
export async function insertNotification(
  db: Db,
  n: NewNotification,
  options: { leaseUntil: Date; emailReadiness: 'ready' | 'not_configured' | 'none'; onlyEndpointId?: string },
): Promise<ClaimedDelivery[]> {
  const onlyEndpoint = options.onlyEndpointId ?? null;
  const rows = await queryRows<ClaimedDelivery>(
    db,
    sql`
    WITH n AS (
      INSERT INTO notifications (id, dedupe_key, event, recipient_user_id, subject, text, data, created_at)
      VALUES (${n.id}, ${n.dedupeKey}, ${n.event}, ${n.recipientUserId}, ${n.subject}, ${n.text},
              ${JSON.stringify(n.data)}::jsonb, ${n.createdAt})
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, event, subject, text, data, created_at
    ), targets AS (
      SELECT 'webhook' AS channel, e.id AS endpoint_id, e.url AS target, 'pending' AS status, NULL::text AS last_error
      FROM webhook_endpoints e
      WHERE (${onlyEndpoint}::uuid IS NULL AND e.active
             AND (${n.event} = ANY (e.events) OR '*' = ANY (e.events))
             AND (e.recipient_user_id IS NULL OR e.recipient_user_id = ${n.recipientUserId}::uuid))
         OR e.id = ${onlyEndpoint}::uuid
      UNION ALL
      SELECT 'email', NULL, coalesce(u.email, u.name),
             CASE WHEN ${options.emailReadiness}::text = 'ready' AND u.email IS NOT NULL THEN 'pending' ELSE 'skipped' END,
             CASE WHEN ${options.emailReadiness}::text = 'not_configured' THEN ${skipReasons.emailNotSetUp}::text
                  WHEN u.email IS NULL THEN u.name || ${skipReasons.noEmailAddress}::text END
      FROM users u
      WHERE ${options.emailReadiness}::text <> 'none' AND u.id = ${n.recipientUserId}::uuid
    ), d AS (
      INSERT INTO notification_deliveries
        (notification_id, channel, endpoint_id, target, status, attempts, next_attempt_at, last_error, created_at)
      SELECT n.id, t.channel, t.endpoint_id, t.target, t.status,
             CASE WHEN t.status = 'pending' THEN 1 ELSE 0 END,
             CASE WHEN t.status = 'pending' THEN ${options.leaseUntil}::timestamptz END,
             t.last_error, ${n.createdAt}
      FROM n CROSS JOIN targets t
      RETURNING *
    )
    SELECT ${claimedColumns}
    FROM d JOIN n ON n.id = d.notification_id LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
    WHERE d.status = 'pending'`,
  );
  return rows;
}

/** Claims the notification's deliveries that are due; another worker can no longer claim them. */
export async function claimDueDeliveries(
  db: Db,
  notificationId: string,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedDelivery[]> {
  return await queryRows<ClaimedDelivery>(
    db,
    sql`
    WITH d AS (
      UPDATE notification_deliveries
      SET attempts = attempts + 1, next_attempt_at = ${leaseUntil}
      WHERE notification_id = ${notificationId} AND status = 'pending' AND next_attempt_at <= ${now}
      RETURNING *
    )
    SELECT ${claimedColumns}
    FROM d JOIN notifications n ON n.id = d.notification_id LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id`,
  );
}

export interface AttemptRecord {
  deliveryId: string;
  attemptNo: number;
  attemptedAt: Date;
  durationMs: number;
  ok: boolean;
  httpStatus: number | null;
  smtpResponse: string | null;
  error: string | null;
}

export type DeliveryOutcome =
  | { status: 'delivered'; at: Date }
  | { status: 'pending'; nextAttemptAt: Date }
  | { status: 'failed' | 'skipped' };

/**
 * Logs an attempt and moves the delivery on, in one statement. A failure only moves a delivery its
 * attempt still owns (nobody claimed it again since); a success always marks it delivered.
 */
export async function recordAttempt(db: Db, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<void> {
  const deliveredAt = outcome.status === 'delivered' ? outcome.at : null;
  const nextAttemptAt = outcome.status === 'pending' ? outcome.nextAttemptAt : null;
  const lastError = attempt.ok ? null : attempt.error;
  await db.execute(sql`
    WITH a AS (
      INSERT INTO notification_attempts
        (delivery_id, attempt_no, attempted_at, duration_ms, ok, http_status, smtp_response, error)
      VALUES (${attempt.deliveryId}, ${attempt.attemptNo}, ${attempt.attemptedAt}, ${attempt.durationMs},
              ${attempt.ok}, ${attempt.httpStatus}, ${attempt.smtpResponse}, ${attempt.error})
      ON CONFLICT (delivery_id, attempt_no) DO NOTHING
    )
    UPDATE notification_deliveries
    SET status = ${outcome.status}, delivered_at = ${deliveredAt}::timestamptz,
        next_attempt_at = ${nextAttemptAt}::timestamptz, last_error = ${lastError}
    WHERE id = ${attempt.deliveryId} AND status = 'pending'
      AND (${attempt.ok} OR attempts = ${attempt.attemptNo})`);
}

/** A delivery that cannot be attempted at all (its endpoint was deleted or paused). */
export async function closeDelivery(
  db: Db,
  deliveryId: string,
  status: 'failed' | 'skipped',
  reason: string,
): Promise<void> {
  await db.execute(sql`
    UPDATE notification_deliveries SET status = ${status}, next_attempt_at = NULL, last_error = ${reason}
    WHERE id = ${deliveryId} AND status = 'pending'`);
}

// ---- webhook endpoints ----

export interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  recipientUserId: string | null;
  recipientName: string | null;
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: string | null;
}

const endpointColumns = sql`
  e.id, e.url, e.description, e.events, e.recipient_user_id AS "recipientUserId", r.name AS "recipientName",
  e.active, e.created_by AS "createdBy", e.created_at AS "createdAt",
  last.created_at AS "lastDeliveryAt", last.status AS "lastDeliveryStatus"`;

const endpointJoins = sql`
  FROM webhook_endpoints e
  LEFT JOIN users r ON r.id = e.recipient_user_id
  LEFT JOIN LATERAL (
    SELECT d.created_at, d.status FROM notification_deliveries d
    WHERE d.endpoint_id = e.id ORDER BY d.created_at DESC, d.id DESC LIMIT 1
  ) last ON true`;

export async function insertEndpoint(
  db: Db,
  input: {
    url: string;
    description: string;
    secret: string;
    events: string[];
    recipientUserId: string | null;
    createdBy: string | null;
    createdAt: Date;
  },
): Promise<EndpointRow> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`
    INSERT INTO webhook_endpoints (url, description, secret, events, recipient_user_id, created_by, created_at)
    VALUES (${input.url}, ${input.description}, ${input.secret},
            ${textArray(input.events)}, ${input.recipientUserId},
            ${input.createdBy}, ${input.createdAt})
    RETURNING id`,
  );
  return (await findEndpoint(db, row!.id))!;
}

export async function findEndpoint(db: Db, id: string): Promise<EndpointRow | undefined> {
  const [row] = await queryRows<EndpointRow>(
    db,
    sql`SELECT ${endpointColumns} ${endpointJoins} WHERE e.id = ${id}`,
  );
  return row;
}

export async function listEndpoints(db: Db): Promise<EndpointRow[]> {
  return await queryRows<EndpointRow>(
    db,
    sql`SELECT ${endpointColumns} ${endpointJoins} ORDER BY e.created_at DESC, e.id DESC`,
  );
}

export async function setEndpointActive(db: Db, id: string, active: boolean): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`UPDATE webhook_endpoints SET active = ${active} WHERE id = ${id} RETURNING id`,
  );
  return rows.length > 0;
}

/** Deletes the endpoint; its deliveries stay in the log (with the URL) and pending ones are failed. */
export async function deleteEndpoint(db: Db, id: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`
    WITH closed AS (
      UPDATE notification_deliveries
      SET status = 'failed', next_attempt_at = NULL, last_error = 'The webhook endpoint was deleted.'
      WHERE endpoint_id = ${id} AND status = 'pending'
    )
    DELETE FROM webhook_endpoints WHERE id = ${id} RETURNING id`,
  );
  return rows.length > 0;
}

export async function userExists(db: Db, id: string): Promise<boolean> {
  return (await queryRows(db, sql`SELECT 1 FROM users WHERE id = ${id}`)).length > 0;
}

// ---- the delivery log ----

/** One delivery of a notification, as `notificationByDedupeKey` lists them. */
export interface DeliveryFact {
  channel: 'webhook' | 'email';
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  error: string | null;
}

/**
 * For another module's list that must say how its notifications went (the SLA breaches): a subquery
 * to join `LEFT JOIN LATERAL (...) AS x ON true`, giving the notification with this dedupe key, if
 * any, as `notification_id` and its deliveries as `deliveries` (jsonb `DeliveryFact[]`, [] when
 * none). One unique-index lookup per row; read the outcome with `notificationOutcome`.
 */
export const notificationByDedupeKey = (dedupeKey: SQL) => sql`
  SELECT n.id AS notification_id,
         coalesce(jsonb_agg(jsonb_build_object('channel', d.channel, 'status', d.status, 'error', d.last_error)
                            ORDER BY d.created_at, d.id) FILTER (WHERE d.id IS NOT NULL), '[]'::jsonb) AS deliveries
  FROM notifications n
  LEFT JOIN notification_deliveries d ON d.notification_id = n.id
  WHERE n.dedupe_key = ${dedupeKey}
  GROUP BY n.id`;

export interface DeliveryRow {
  id: string;
  notificationId: string;
  event: string;
  subject: string;
  recipientUserId: string | null;
  recipientName: string | null;
  channel: 'webhook' | 'email';
  endpointId: string | null;
  target: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attemptCount: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

export interface AttemptRow {
  deliveryId: string;
  attemptNo: number;
  attemptedAt: Date;
  durationMs: number;
  ok: boolean;
  httpStatus: number | null;
  smtpResponse: string | null;
  error: string | null;
}

export async function listDeliveries(
  db: Db,
  query: {
    status?: string | undefined;
    channel?: string | undefined;
    event?: string | undefined;
    endpointId?: string | undefined;
    notificationId?: string | undefined;
    limit: number;
    after?: { createdAt: string; id: string } | undefined;
  },
): Promise<(DeliveryRow & { cursorKey: string })[]> {
  return await queryRows<DeliveryRow & { cursorKey: string }>(
    db,
    sql`
    SELECT d.id, d.notification_id AS "notificationId", n.event, n.subject,
           n.recipient_user_id AS "recipientUserId", u.name AS "recipientName", d.channel,
           d.endpoint_id AS "endpointId", d.target, d.status, d.attempts AS "attemptCount",
           d.next_attempt_at AS "nextAttemptAt", d.delivered_at AS "deliveredAt", d.last_error AS "lastError",
           d.created_at AS "createdAt", d.created_at::text AS "cursorKey"
    FROM notification_deliveries d
    JOIN notifications n ON n.id = d.notification_id
    LEFT JOIN users u ON u.id = n.recipient_user_id
    WHERE (${query.status ?? null}::text IS NULL OR d.status = ${query.status ?? null})
      AND (${query.channel ?? null}::text IS NULL OR d.channel = ${query.channel ?? null})
      AND (${query.event ?? null}::text IS NULL OR n.event = ${query.event ?? null})
      AND (${query.endpointId ?? null}::uuid IS NULL OR d.endpoint_id = ${query.endpointId ?? null})
      AND (${query.notificationId ?? null}::uuid IS NULL OR d.notification_id = ${query.notificationId ?? null})
      AND (${query.after?.createdAt ?? null}::timestamptz IS NULL
           OR (d.created_at, d.id) < (${query.after?.createdAt ?? null}::timestamptz, ${query.after?.id ?? null}::uuid))
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT ${query.limit}`,
  );
}

export async function listAttempts(db: Db, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return await queryRows<AttemptRow>(
    db,
    sql`
    SELECT delivery_id AS "deliveryId", attempt_no AS "attemptNo", attempted_at AS "attemptedAt",
           duration_ms AS "durationMs", ok, http_status AS "httpStatus", smtp_response AS "smtpResponse", error
    FROM notification_attempts
    WHERE delivery_id = ANY (${uuidArray(deliveryIds)})
    ORDER BY delivery_id, attempt_no`,
  );
}
