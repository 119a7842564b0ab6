// The data model. drizzle-kit turns this file into the SQL migrations in ./migrations
// (`npm run db:generate`); the migrations, not this file, are what runs against a database.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
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

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const attributes = () =>
  jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`);

export const users = pgTable(
  'users',
  {
    id: id(),
    externalId: text('external_id').unique(),
    email: text('email').unique(),
    name: text('name').notNull(),
    team: text('team').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash'),
    /** May sign a lead definition for their team (PRODUCT.md: a marketing and a sales approver). */
    approver: boolean('approver').notNull().default(false),
    /** Set when an admin turns the account off: no sign-in, no session; their history stays. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check('users_team_check', sql`${t.team} in ('marketing', 'sales')`),
    check('users_role_check', sql`${t.role} in ('admin', 'marketing', 'sales', 'viewer')`),
  ],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role').notNull(),
  team: text('team').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    externalId: text('external_id').unique(),
    name: text('name').notNull(),
    domain: text('domain').unique(),
    industry: text('industry'),
    employees: integer('employees'),
    country: text('country'),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    attributes: attributes(),
    createdAt: createdAt(),
  },
  (t) => [index('accounts_owner_idx').on(t.ownerId), index('accounts_name_idx').on(t.name, t.id)],
);

export const campaigns = pgTable('campaigns', {
  id: id(),
  externalId: text('external_id').unique(),
  name: text('name').notNull(),
  channel: text('channel').notNull(),
  cost: numeric('cost', { precision: 14, scale: 2 }),
  startsAt: timestamp('starts_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const people = pgTable(
  'people',
  {
    id: id(),
    externalId: text('external_id').unique(),
    email: text('email').unique(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    title: text('title'),
    phone: text('phone'),
    country: text('country'),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    source: text('source'),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    landingPage: text('landing_page'),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    attributes: attributes(),
    // Kept in the same transaction as every stage_transitions insert; rebuildable from it.
    stage: text('stage'),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  // Only indexes a query uses: each one costs every bulk import (measured in BENCHMARKS.md).
  (t) => [
    index('people_account_idx').on(t.accountId),
    index('people_owner_idx').on(t.ownerId),
    index('people_created_idx').on(t.createdAt, t.id),
    check('people_email_lower_check', sql`${t.email} = lower(${t.email})`),
  ],
);

export const activities = pgTable(
  'activities',
  {
    id: id(),
    externalId: text('external_id').unique(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('activities_person_time_idx').on(t.personId, t.occurredAt)],
);

export const stageTransitions = pgTable(
  'stage_transitions',
  {
    // A sequence, not a uuid: the order transitions were recorded is the order of the history.
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The API token a script moved the lead with (its creator, if any, is the actor user). */
    actorTokenId: uuid('actor_token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    rule: text('rule'),
    reason: text('reason'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stage_transitions_person_idx').on(t.personId, t.seq)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    key: text('key').notNull(),
    principal: text('principal').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] })],
);

/** Mappings people built on the Import page for exports no preset fits, offered again by name. */
export const importMappings = pgTable('import_mappings', {
  id: id(),
  name: text('name').notNull().unique(),
  mapping: jsonb('mapping').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const importRuns = pgTable(
  'import_runs',
  {
    id: id(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    rowsRead: integer('rows_read').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    problems: jsonb('problems').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    /** What the run is doing, written about once a second while it runs (ImportProgress). */
    progress: jsonb('progress'),
    /** The whole report (ImportReport) once it finished. */
    report: jsonb('report'),
    /** Why it stopped, when it failed. */
    error: text('error'),
    /** Who uploaded the file; null for the CLI. */
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last sign of life of the process running it: a run not finished and long silent was interrupted. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('import_runs_started').on(table.startedAt)],
);

/** Versions of the lead definition; a version's rules never change once written. */
export const leadDefinitions = pgTable(
  'lead_definitions',
  {
    version: integer('version').primaryKey(),
    rules: jsonb('rules').notNull(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }),
  },
  (t) => [index('lead_definitions_effective_idx').on(t.effectiveFrom)],
);

/** One marketing and one sales approver sign a version before it can be published. */
export const definitionSignatures = pgTable(
  'definition_signatures',
  {
    version: integer('version')
      .notNull()
      .references(() => leadDefinitions.version, { onDelete: 'cascade' }),
    team: text('team').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.version, t.team] })],
);

/** Each lead's latest score under the definition that was in force; rebuildable from activities. */
export const leadScores = pgTable('lead_scores', {
  // No foreign key to people: a deleted person's score goes with a trigger on people (migration
  // 0017). A re-scoring run swaps in a new lead_scores, and with a key, dropping the old table (or
  // keying the new one) would lock people under that swap: a deadlock with any request that writes
  // a person and then scores it.
  personId: uuid('person_id').primaryKey(),
  // No foreign key to lead_definitions: versions are never deleted, and a re-scoring run writes a
  // row for every lead, where a key check (and its row lock) per row would double the cost.
  version: integer('version').notNull(),
  fitPoints: integer('fit_points').notNull(),
  grade: text('grade').notNull(),
  engagementPoints: numeric('engagement_points', { precision: 10, scale: 1, mode: 'number' }).notNull(),
  isMql: boolean('is_mql').notNull(),
  scoredAt: timestamp('scored_at', { withTimezone: true }).notNull(),
});

// People deleted lately, written by people's delete trigger (migration 0026): a re-scoring run's
// swap drops the built scores of these people instead of comparing every built score with people
// under its lock. Kept a day.
export const peopleDeleted = pgTable(
  'people_deleted',
  {
    personId: uuid('person_id').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('people_deleted_at_idx').on(t.deletedAt)],
);

/**
 * A backtest of a version over a past period, run in the background: its progress, then its result
 * (the Backtest of backtest.service.ts) or why it failed.
 */
export const backtestRuns = pgTable(
  'backtest_runs',
  {
    id: id(),
    version: integer('version')
      .notNull()
      .references(() => leadDefinitions.version, { onDelete: 'cascade' }),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    // Leads who entered in the period, and how many of them have been scored so far.
    total: integer('total').notNull(),
    done: integer('done').notNull().default(0),
    result: jsonb('result'),
    error: text('error'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('backtest_runs_period').on(table.version, table.periodFrom, table.periodTo, table.startedAt),
  ],
);

/** Progress of re-scoring every lead after a version took effect (resumable: `cursor` is the last lead moved to MQL). */
export const rescoringRuns = pgTable('rescoring_runs', {
  version: integer('version')
    .primaryKey()
    .references(() => leadDefinitions.version, { onDelete: 'cascade' }),
  total: integer('total').notNull(),
  done: integer('done').notNull().default(0),
  madeMql: integer('made_mql').notNull().default(0),
  cursor: uuid('cursor'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  // The step the run is at (rescoring.progress.ts names them); null before the first.
  step: text('step'),
  // When every lead's new score was swapped in (the scores are as of then); null until then.
  scoredAt: timestamp('scored_at', { withTimezone: true }),
  // How many leads the new scores qualify as MQLs, and how many of those the moves have checked.
  qualified: integer('qualified'),
  checked: integer('checked').notNull().default(0),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
