// Revenue: opportunities (deals) with their own stage history, and the shared revenue target.
// Part of the data model with schema.ts; drizzle-kit reads every schema file (drizzle.config.ts).
import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, apiTokens, people, users } from './schema.ts';

/** A deal. Its current stage is kept in the same statement as each opportunity_transitions insert. */
export const opportunities = pgTable(
  'opportunities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').unique(),
    name: text('name').notNull(),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** The primary person: whose lead journey the deal continues (attribution, lead-to-won time). */
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }),
    currency: text('currency').notNull().default('USD'),
    product: text('product'),
    stage: text('stage').notNull(),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull(),
    /** When the deal was opened in the CRM (business time, not when Lockstep learned of it). */
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    lostReason: text('lost_reason'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('opportunities_account_idx').on(t.accountId),
    index('opportunities_person_idx').on(t.personId),
    index('opportunities_owner_stage_idx').on(t.ownerId, t.stage),
    index('opportunities_closed_idx').on(t.closedAt),
    index('opportunities_opened_idx').on(t.openedAt),
  ],
);

/** Append-only history of deal stages, like stage_transitions for people. */
export const opportunityTransitions = pgTable(
  'opportunity_transitions',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The API token a script moved the deal with (its creator, if any, is the actor user). */
    actorTokenId: uuid('actor_token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    reason: text('reason'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('opportunity_transitions_opportunity_idx').on(t.opportunityId, t.seq)],
);

/** One revenue target per period, owned by both teams: used for pacing only once both confirmed. */
export const revenueTargets = pgTable('revenue_targets', {
  id: uuid('id').primaryKey().defaultRandom(),
  periodStart: date('period_start', { mode: 'string' }).notNull().unique(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }).notNull(),
  currency: text('currency').notNull().default('USD'),
  /** How many days before the period the conversion rates and deal size are measured over. */
  lookbackDays: integer('lookback_days').notNull().default(180),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const targetConfirmations = pgTable(
  'target_confirmations',
  {
    targetId: uuid('target_id')
      .notNull()
      .references(() => revenueTargets.id, { onDelete: 'cascade' }),
    team: text('team').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.targetId, t.team] })],
);
