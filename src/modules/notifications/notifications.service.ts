// Notifications: one call (`notify`) that other modules use to tell a user something happened.
// Each notification is written durably to the delivery log (one delivery per subscribed webhook
// endpoint, plus email), attempted right away in the background, and retried with backoff by a
// durable job when that fails. docs/webhooks.md describes what receivers get.
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../http/types.ts';
import { decodeCursor, timestampPage } from '../../shared/pagination.ts';
import { attemptDelivery, DELIVER_NOTIFICATION, leaseUntil } from './delivery.ts';
import type { Delivery, DeliveryListQuery, NotificationSettings } from './notifications.schema.ts';
import * as store from './notifications.store.ts';

export interface Notification {
  /** e.g. 'lead.assigned', 'sla.breached', 'sla.escalated' */
  event: string;
  /** A users.id; email goes to that user's address if any. */
  recipientUserId: string;
  /** One line, for the email subject and Slack. */
  subject: string;
  /** Plain text body, also the webhook's Slack-compatible "text". */
  text: string;
  /** JSON payload for webhooks (personId, dueAt, rule, ...). */
  data: Record<string, unknown>;
  /** The same key never notifies twice. */
  dedupeKey: string;
}

/**
 * Records the notification and its deliveries, then starts the first attempts without waiting for
 * them (a slow receiver must not slow the caller). Once this returns, every delivery happens or is
 * marked failed, even if the process dies. A dedupe key seen before does nothing.
 * Call it after your own transaction commits: the deliveries are attempted straight away.
 */
export async function notify(deps: AppDeps, notification: Notification): Promise<void> {
  const id = randomUUID();
  const lease = leaseUntil(deps.clock, deps.notifier.policy);
  // Scheduled before the row is written, so no moment exists where a delivery has no job behind it;
  // if the insert turns out to be a duplicate, the job finds nothing to do.
  await deps.jobs.send(DELIVER_NOTIFICATION, { notificationId: id }, { startAfter: lease });
  const claimed = await store.insertNotification(
    deps.db,
    {
      id,
      dedupeKey: notification.dedupeKey,
      event: notification.event,
      recipientUserId: notification.recipientUserId,
      subject: oneLine(notification.subject),
      text: notification.text,
      data: notification.data,
      createdAt: deps.clock.now(),
    },
    { leaseUntil: lease, emailReadiness: deps.notifier.mail ? 'ready' : 'not_configured' },
  );
  if (claimed.length > 0) {
    deps.notifier.track(Promise.all(claimed.map((d) => attemptDelivery(deps, d, 'notification'))));
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The delivery log, newest first, each delivery with every attempt made. */
export async function listDeliveries(
  deps: Pick<AppDeps, 'db'>,
  query: DeliveryListQuery & { notificationId?: string },
): Promise<{ items: Delivery[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, ['createdAt', 'id'] as const);
  const { items: rows, nextCursor } = timestampPage(
    await store.listDeliveries(deps.db, { ...query, after }),
    query.limit,
    'createdAt',
  );
  const attempts = await store.listAttempts(
    deps.db,
    rows.map((row) => row.id),
  );
  const byDelivery = new Map<string, Delivery['attempts']>();
  for (const { deliveryId, ...attempt } of attempts) {
    byDelivery.set(deliveryId, [...(byDelivery.get(deliveryId) ?? []), attempt]);
  }
  return { items: rows.map((row) => ({ ...row, attempts: byDelivery.get(row.id) ?? [] })), nextCursor };
}

/** How notifications go out here, for the Integrations page (never the SMTP URL: it holds a password). */
export function notificationSettings(deps: Pick<AppDeps, 'notifier'>): NotificationSettings {
  const { policy, mail } = deps.notifier;
  return {
    email: { configured: mail !== undefined, from: mail?.from ?? null },
    retries: {
      maxAttempts: policy.maxAttempts,
      firstRetrySeconds: policy.firstRetryMs / 1000,
      backoffFactor: policy.backoffFactor,
      timeoutSeconds: policy.timeoutMs / 1000,
    },
  };
}
