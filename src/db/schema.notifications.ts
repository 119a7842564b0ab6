// Notifications: outgoing webhooks and email, with a durable delivery log (the outbox).
// Part of the data model with schema.ts; drizzle-kit reads every schema file (drizzle.config.ts).
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Where webhooks go. The secret signs every request; the API shows it only once, on creation. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  secret: text('secret').notNull(),
  /** Event names this endpoint receives; '*' receives every event. */
  events: text('events').array().notNull(),
  /** Only notifications for this user (a rep's own Slack channel); null receives everyone's. */
  recipientUserId: uuid('recipient_user_id').references(() => users.id, { onDelete: 'cascade' }),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/** One row per call of `notify`; the unique dedupe key is what makes `notify` idempotent. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    event: text('event').notNull(),
    recipientUserId: uuid('recipient_user_id').references(() => users.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('notifications_created_idx').on(t.createdAt)],
);

/**
 * One row per notification and channel (a webhook endpoint, or email). `next_attempt_at` is both
 * the retry schedule and the lease of whoever is attempting: claiming moves it past the attempt's
 * timeout, so a crashed sender's delivery becomes due again on its own.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    endpointId: uuid('endpoint_id').references(() => webhookEndpoints.id, { onDelete: 'set null' }),
    /** The URL or email address, kept for the log after an endpoint is deleted. */
    target: text('target').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Why it failed or was skipped, in words. */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('notification_deliveries_channel_check', sql`${t.channel} in ('webhook', 'email')`),
    check(
      'notification_deliveries_status_check',
      sql`${t.status} in ('pending', 'delivered', 'failed', 'skipped')`,
    ),
    uniqueIndex('notification_deliveries_endpoint_uq').on(t.notificationId, t.endpointId),
    index('notification_deliveries_list_idx').on(t.createdAt, t.id),
    index('notification_deliveries_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Each attempt to deliver: when, how long, and what the other side answered. */
export const notificationAttempts = pgTable(
  'notification_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => notificationDeliveries.id, { onDelete: 'cascade' }),
    attemptNo: integer('attempt_no').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    ok: boolean('ok').notNull(),
    httpStatus: integer('http_status'),
    smtpResponse: text('smtp_response'),
    error: text('error'),
  },
  (t) => [uniqueIndex('notification_attempts_delivery_uq').on(t.deliveryId, t.attemptNo)],
);
