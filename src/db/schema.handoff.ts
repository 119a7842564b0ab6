// The hand-off between the teams: routing, the two-way SLA, sales feedback and notifications.
// Part of the data model with schema.ts; drizzle-kit reads every schema file (drizzle.config.ts).
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, people, users } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A sales rep's calendar and routing settings (working hours are in the rep's own time zone). */
export const repSettings = pgTable('rep_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The sales team the rep belongs to for round-robin (e.g. "SMB", "Enterprise"). */
  salesTeam: text('sales_team').notNull().default('default'),
  timeZone: text('time_zone').notNull().default('UTC'),
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workingDays: integer('working_days').array().notNull().default(sql`'{1,2,3,4,5}'::integer[]`),
  /** Minutes after local midnight. */
  workStartMinute: integer('work_start_minute').notNull().default(540),
  workEndMinute: integer('work_end_minute').notNull().default(1020),
  outOfOfficeFrom: timestamp('out_of_office_from', { withTimezone: true }),
  outOfOfficeUntil: timestamp('out_of_office_until', { withTimezone: true }),
  /** Most open unworked MQLs the rep holds before round-robin skips them. */
  capacity: integer('capacity').notNull().default(25),
  weight: integer('weight').notNull().default(1),
  managerId: uuid('manager_id').references(() => users.id, { onDelete: 'set null' }),
  active: boolean('active').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Ordered segment/territory rules: the first whose conditions all hold picks a rep or a team. */
export const routingRules = pgTable('routing_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  conditions: jsonb('conditions').$type<unknown[]>().notNull(),
  assignToUserId: uuid('assign_to_user_id').references(() => users.id, { onDelete: 'cascade' }),
  assignToTeam: text('assign_to_team'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

/** Who owns an MQL, and the rule that chose them; ended when the lead is re-assigned. */
export const leadAssignments = pgTable(
  'lead_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    salesTeam: text('sales_team'),
    rule: text('rule').notNull(),
    ruleId: uuid('rule_id'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    policyId: uuid('policy_id'),
    acceptDueAt: timestamp('accept_due_at', { withTimezone: true }),
    firstTouchDueAt: timestamp('first_touch_due_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: text('ended_reason'),
    /** When sales gave its verdict (the lead_dispositions row's time, written with it). */
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('lead_assignments_open_idx').on(t.personId).where(sql`${t.endedAt} IS NULL`),
    // A rep's open MQLs still waiting for a verdict: routing counts them under its lock, the queue
    // lists them. Without it both read every open assignment ever made.
    index('lead_assignments_undecided_idx')
      .on(t.userId)
      .where(sql`${t.endedAt} IS NULL AND ${t.decidedAt} IS NULL`),
    index('lead_assignments_user_idx').on(t.userId, t.assignedAt),
    index('lead_assignments_assigned_idx').on(t.assignedAt),
  ],
);

/** Sales' promise: accept/reject and first touch within working minutes, optionally per fit grade. */
export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** Fit grade this policy applies to; null = every grade without its own policy. */
  grade: text('grade').unique(),
  acceptWithinMinutes: doublePrecision('accept_within_minutes').notNull(),
  firstTouchWithinMinutes: doublePrecision('first_touch_within_minutes').notNull(),
  /** Working minutes after a breach before the manager is alerted. */
  escalateAfterMinutes: doublePrecision('escalate_after_minutes').notNull(),
  reassignOnEscalation: boolean('reassign_on_escalation').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Marketing's promise: MQL volume per period and a minimum MQL→SQL rate. One row per period kind. */
export const marketingPromises = pgTable('marketing_promises', {
  period: text('period').primaryKey(),
  mqlVolume: integer('mql_volume').notNull(),
  minMqlToSqlRate: numeric('min_mql_to_sql_rate', { precision: 5, scale: 4, mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Durable SLA timers; each is also a pg-boss job. `fired_at` is the guard that makes firing happen once. */
export const slaTimers = pgTable(
  'sla_timers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => leadAssignments.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** accept | first_touch (breach → owner) or accept_escalation | first_touch_escalation (→ manager). */
    kind: text('kind').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true }),
    /** breached | met | cancelled, once fired. */
    outcome: text('outcome'),
    alertedUserId: uuid('alerted_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** When an instance last took the timer; a breach not notified a minute later may be taken again. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sla_timers_assignment_kind_idx').on(t.assignmentId, t.kind),
    index('sla_timers_due_idx').on(t.dueAt),
    // The sweep's: the few timers still waiting or whose alert is unsent, among millions that fired.
    index('sla_timers_waiting_idx')
      .on(t.dueAt)
      .where(sql`${t.firedAt} IS NULL OR (${t.outcome} = 'breached' AND ${t.notifiedAt} IS NULL)`),
  ],
);

/** Sales' verdict on an MQL: one per assignment. */
export const leadDispositions = pgTable(
  'lead_dispositions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .unique()
      .references(() => leadAssignments.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    decision: text('decision').notNull(),
    reason: text('reason'),
    note: text('note'),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('lead_dispositions_person_idx').on(t.personId),
    index('lead_dispositions_decided_idx').on(t.decidedAt),
    check('lead_dispositions_decision_check', sql`${t.decision} in ('accepted', 'rejected')`),
  ],
);

/** What reps hear in the field, for marketing to read. */
export const fieldInsights = pgTable(
  'field_insights',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    competitor: text('competitor'),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('field_insights_created_idx').on(t.createdAt)],
);
