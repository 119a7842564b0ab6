// Analytics: what the shared reports keep pre-computed so that they stay fast on millions of leads.
// Part of the data model with schema.ts; drizzle-kit reads every schema file (drizzle.config.ts).
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { people } from './schema.ts';

/**
 * Each lead's way through the funnel, derived from stage_transitions (src/modules/reports/
 * reports.refresh.ts keeps it up to date before every report; rebuildable at any time).
 * `reached`: index of the furthest funnel stage; `entered[i]` (1-based): when the lead entered funnel
 * stage i (the first move into it, or into a later stage where the history skipped it).
 */
export const analyticsLeadStages = pgTable('analytics_lead_stages', {
  personId: uuid('person_id')
    .primaryKey()
    .references(() => people.id, { onDelete: 'cascade' }),
  reached: smallint('reached').notNull(),
  entered: timestamp('entered', { withTimezone: true }).array().notNull(),
});

/** How far analytics_lead_stages is complete: every stage_transitions row up to `seq` is in it. */
export const analyticsState = pgTable('analytics_state', {
  name: text('name').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  /** The funnel (stage keys in order) it was computed for; another lifecycle rebuilds it. */
  signature: text('signature').notNull(),
  /** Every analytics_lead_changes row up to this seq is in the rollups. */
  changesSeq: bigint('changes_seq', { mode: 'number' }).notNull().default(0),
  /**
   * The last seq of each log the last refresh counted (past `seq` when it waited at a gap): what is
   * left to count is what came after these.
   */
  countedSeq: bigint('counted_seq', { mode: 'number' }).notNull().default(0),
  countedChangesSeq: bigint('counted_changes_seq', { mode: 'number' }).notNull().default(0),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Each lead as the rollups last counted it (src/modules/reports/reports.rollup.ts): its report
 * dimensions, furthest stage, cohort windows and step durations. The refresh subtracts this row from
 * the rollups and adds the lead's new row, so the rollups change by exactly what changed.
 */
export const analyticsLeadFacts = pgTable('analytics_lead_facts', {
  // No foreign key: when a person is deleted, the refresh still needs the row to subtract it.
  personId: uuid('person_id').primaryKey(),
  /** UTC day the lead was created (the period filter of lead reports). */
  day: date('day', { mode: 'string' }).notNull(),
  /** Entry month (YYYY-MM, UTC): MQL month, else created month (lead_facts.month). */
  month: text('month').notNull(),
  source: text('source'),
  campaignId: text('campaign_id'),
  landingPage: text('landing_page'),
  ownerId: text('owner_id'),
  segment: text('segment'),
  reached: smallint('reached').notNull(),
  /** Smallest cohort window (index into cohortWindows) within which it entered SQL / won after MQL; else 3. */
  sqlWin: smallint('sql_win').notNull(),
  wonWin: smallint('won_win').notNull(),
  /** Seconds of each velocity step (null: not measured). */
  seconds: doublePrecision('seconds').array().notNull(),
});

/**
 * Lead counts per (grain 'd' day | 'm' month of creation, one dimension and its value, furthest
 * stage, cohort windows). Size grows with the number of groups, not of leads.
 */
export const analyticsLeadRollup = pgTable(
  'analytics_lead_rollup',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    reached: smallint('reached').notNull(),
    sqlWin: smallint('sql_win').notNull(),
    wonWin: smallint('won_win').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_lead_rollup_key')
      .on(t.dim, t.grain, t.bucket, t.value, t.reached, t.sqlWin, t.wonWin)
      .nullsNotDistinct(),
  ],
);

/**
 * How many leads took exactly `seconds` for velocity step `step`, per the same groups as the rollup.
 * `bin` is analytics_duration_bin(seconds) (migration 0015): a report reads only the rows of the bins
 * that hold the ranks it needs (src/modules/reports/reports.quantiles.ts), so the key starts with it.
 */
export const analyticsLeadDurations = pgTable(
  'analytics_lead_durations',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    step: smallint('step').notNull(),
    bin: integer('bin').notNull(),
    seconds: doublePrecision('seconds').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_lead_durations_key')
      .on(t.dim, t.grain, t.step, t.bin, t.value, t.seconds, t.bucket)
      .nullsNotDistinct(),
  ],
);

/**
 * The same leads counted per duration bin (about 1% of the time wide) instead of per second, and also
 * for all time (grain 'a', bucket -infinity): the first of the two reads of an exact median.
 */
export const analyticsLeadDurationBins = pgTable(
  'analytics_lead_duration_bins',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    step: smallint('step').notNull(),
    bin: integer('bin').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_lead_duration_bins_key')
      .on(t.dim, t.grain, t.bucket, t.value, t.step, t.bin)
      .nullsNotDistinct(),
  ],
);

/**
 * The same counts per pair of dimensions (`dim` < `dim2` alphabetically), for a report grouped by one
 * field and filtered by another (e.g. breakdown by rep for one segment).
 */
export const analyticsLeadPairs = pgTable(
  'analytics_lead_pairs',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    dim2: text('dim2').notNull(),
    value2: text('value2'),
    reached: smallint('reached').notNull(),
    sqlWin: smallint('sql_win').notNull(),
    wonWin: smallint('won_win').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_lead_pairs_key')
      .on(t.dim, t.dim2, t.grain, t.bucket, t.value, t.value2, t.reached, t.sqlWin, t.wonWin)
      .nullsNotDistinct(),
  ],
);

/**
 * People whose report dimensions changed without a stage transition (owner, source, campaign, landing
 * page, account, segment, creation time; deleted people), written by statement triggers on people and
 * accounts (migration analytics_change_triggers). The refresh recounts them like people with new
 * transitions, with the same watermark and gap rule; rows it has passed are deleted.
 */
export const analyticsLeadChanges = pgTable('analytics_lead_changes', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  personId: uuid('person_id').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Each deal as the deal pre-aggregates last counted it (src/modules/reports/deals.rollup.ts): the
 * columns of deal_facts the pipeline report groups and filters by, its outcome under the deal pipeline
 * of the last refresh, and its sales cycle. Like analytics_lead_facts, reports never read it: the
 * refresh subtracts this row from the rollups and adds the deal's new one.
 */
export const analyticsDealFacts = pgTable('analytics_deal_facts', {
  // No foreign key: when a deal is deleted, the refresh still needs the row to subtract it.
  dealId: uuid('deal_id').primaryKey(),
  /** 'won' | 'lost' | 'open'. */
  outcome: text('outcome').notNull(),
  /** UTC days opened and closed (the periods of pipeline and attribution). */
  openedDay: date('opened_day', { mode: 'string' }).notNull(),
  closedDay: date('closed_day', { mode: 'string' }),
  amount: numeric('amount'),
  ownerId: text('owner_id'),
  product: text('product'),
  segment: text('segment'),
  /** The deal's person's source and campaign (the source / campaign filters). */
  source: text('source'),
  campaignId: text('campaign_id'),
  /** Seconds from opened to closed (null while open). */
  cycleSeconds: doublePrecision('cycle_seconds'),
});

/**
 * The attribution credits of each won deal with an amount, one row per touch (in time order, `pos`):
 * the amount times the touch's weight under each model. Computed when the deal is recounted.
 */
export const analyticsDealCredits = pgTable(
  'analytics_deal_credits',
  {
    dealId: uuid('deal_id').notNull(),
    pos: integer('pos').notNull(),
    campaignId: text('campaign_id'),
    source: text('source'),
    firstTouch: numeric('first_touch').notNull(),
    lastTouch: numeric('last_touch').notNull(),
    linear: numeric('linear').notNull(),
    wShaped: numeric('w_shaped').notNull(),
  },
  (t) => [index('analytics_deal_credits_deal_idx').on(t.dealId)],
);

/**
 * Deal counts and amounts per (grain 'd' day | 'm' month the deal was opened, one dimension and its
 * value, outcome): the pipeline report sums these rows.
 */
export const analyticsDealRollup = pgTable(
  'analytics_deal_rollup',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    outcome: text('outcome').notNull(),
    n: integer('n').notNull(),
    amount: numeric('amount').notNull(),
  },
  (t) => [
    unique('analytics_deal_rollup_key').on(t.dim, t.grain, t.bucket, t.value, t.outcome).nullsNotDistinct(),
  ],
);

/**
 * How many won deals took exactly `seconds` from opened to closed, per the groups of
 * analytics_deal_rollup; `bin` as for analytics_lead_durations.
 */
export const analyticsDealDurations = pgTable(
  'analytics_deal_durations',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    bin: integer('bin').notNull(),
    seconds: doublePrecision('seconds').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_deal_durations_key')
      .on(t.dim, t.grain, t.bin, t.value, t.seconds, t.bucket)
      .nullsNotDistinct(),
  ],
);

/** The same won deals counted per duration bin (see analyticsLeadDurationBins). */
export const analyticsDealDurationBins = pgTable(
  'analytics_deal_duration_bins',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    bin: integer('bin').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_deal_duration_bins_key')
      .on(t.dim, t.grain, t.bucket, t.value, t.bin)
      .nullsNotDistinct(),
  ],
);

/**
 * Attribution credits summed per (grain, day or month the deal was won — null when it has no close
 * date —, one deal dimension and its value, the touch's campaign or source): what the attribution
 * report sums. `firsts` counts the deals whose first touch this is (so their sum counts the deals),
 * `n` the touches.
 */
export const analyticsCreditRollup = pgTable(
  'analytics_credit_rollup',
  {
    grain: text('grain').notNull(),
    bucket: date('bucket', { mode: 'string' }),
    dim: text('dim').notNull(),
    value: text('value'),
    /** 'campaign_id' or 'source': what the touch credits. */
    touchDim: text('touch_dim').notNull(),
    touchValue: text('touch_value'),
    firstTouch: numeric('first_touch').notNull(),
    lastTouch: numeric('last_touch').notNull(),
    linear: numeric('linear').notNull(),
    wShaped: numeric('w_shaped').notNull(),
    firsts: integer('firsts').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('analytics_credit_rollup_key')
      .on(t.touchDim, t.dim, t.grain, t.bucket, t.value, t.touchValue)
      .nullsNotDistinct(),
  ],
);

/**
 * Deals to recount: written by statement triggers on opportunities, and on people, accounts,
 * activities, campaigns and stage_transitions where a change moves a deal's dimensions or its touches
 * (migration analytics_deal_triggers). Same watermark and gap rule as analytics_lead_changes.
 */
export const analyticsDealChanges = pgTable('analytics_deal_changes', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  opportunityId: uuid('opportunity_id').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});
