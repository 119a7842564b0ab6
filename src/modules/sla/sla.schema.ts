import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';
import { notificationOutcomeSchema } from '../notifications/notifications.schema.ts';

const workingMinutes = (what: string) =>
  z
    .number()
    .positive()
    .max(60 * 24 * 365)
    .describe(`${what}, in working minutes of the rep's calendar (e.g. 240 = 4 working hours)`);

export const slaPolicyInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  grade: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .nullable()
    .describe('Fit grade (lead_scores.grade, e.g. "A") this policy is for; null = every other grade'),
  acceptWithinMinutes: workingMinutes('Time to accept or reject an MQL'),
  firstTouchWithinMinutes: workingMinutes('Time to the first logged call, email or meeting'),
  escalateAfterMinutes: workingMinutes('Time after a breach before the rep’s manager is alerted'),
  reassignOnEscalation: z
    .boolean()
    .default(false)
    .describe('On escalation of an unanswered MQL, route it to another rep'),
});
export type SlaPolicyInput = z.infer<typeof slaPolicyInput>;

export const slaPolicySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  grade: z.string().nullable(),
  acceptWithinMinutes: z.number(),
  firstTouchWithinMinutes: z.number(),
  escalateAfterMinutes: z.number(),
  reassignOnEscalation: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const promisePeriods = ['week', 'month', 'quarter'] as const;

export const marketingPromiseInput = z.strictObject({
  period: z.enum(promisePeriods).describe('The period the promise is counted over'),
  mqlVolume: z.number().int().min(0).describe('MQLs marketing promises to deliver per period'),
  minMqlToSqlRate: z.number().min(0).max(1).describe('Share of those MQLs that should reach SQL (0–1)'),
});
export const marketingPromiseSchema = marketingPromiseInput.extend({ updatedAt: timestamp });
export type MarketingPromise = z.infer<typeof marketingPromiseSchema>;

export const policyIdParams = z.object({ id: z.uuid() });

export const slaReportQuery = z.strictObject({
  from: timestamp
    .optional()
    .describe('MQLs assigned on or after (default: the start of the period that was 90 days ago)'),
  to: timestamp.optional().describe('MQLs assigned before (default: now)'),
  by: z.enum(['rep', 'team', 'period']).default('rep').describe('Rows per rep, per sales team or per period'),
  period: z.enum(promisePeriods).default('month').describe('Period length for by=period and for marketing'),
});
export type SlaReportQuery = z.infer<typeof slaReportQuery>;

const complianceRow = z.object({
  key: z.string().nullable().describe('Rep id, team name or period start (ISO date), by `by`'),
  label: z.string().describe('Rep name, team name or period'),
  mqls: z.number().int().describe('MQLs assigned'),
  acceptMet: z.number().int().describe('Accepted or rejected by the due time'),
  acceptBreached: z.number().int().describe('Decided late, or still undecided past the due time'),
  acceptPending: z.number().int().describe('Undecided, not yet due'),
  acceptCompliance: z.number().nullable().describe('acceptMet / (acceptMet + acceptBreached), 0–1'),
  touchMet: z.number().int().describe('First call/email/meeting by the due time'),
  touchBreached: z.number().int(),
  touchPending: z.number().int(),
  touchCompliance: z.number().nullable().describe('touchMet / (touchMet + touchBreached), 0–1'),
  medianResponseMinutes: z.number().nullable().describe('Median minutes from assignment to accept/reject'),
  p90ResponseMinutes: z.number().nullable().describe('90th percentile of the same'),
  neverTouched: z.number().int().describe('MQLs with no call/email/meeting logged since assignment'),
});
export type ComplianceRow = z.infer<typeof complianceRow>;

const marketingRow = z.object({
  periodStart: z.string().describe('ISO date of the period start (UTC)'),
  complete: z.boolean().describe('The period is over; volumeMet/rateMet are only judged then'),
  mqls: z.number().int().describe('Leads that became MQLs in the period'),
  promisedMqls: z.number().int().nullable(),
  volumeMet: z.boolean().nullable(),
  reachedSql: z.number().int().describe('Of those MQLs, how many have reached SQL since'),
  mqlToSqlRate: z.number().nullable(),
  promisedRate: z.number().nullable(),
  rateMet: z.boolean().nullable(),
});

export const slaReportSchema = z.object({
  from: timestamp,
  to: timestamp,
  by: z.enum(['rep', 'team', 'period']),
  sales: z.object({ total: complianceRow, rows: z.array(complianceRow) }),
  marketing: z.object({
    period: z.enum(promisePeriods),
    promise: marketingPromiseSchema.nullable(),
    rows: z.array(marketingRow),
  }),
});
export type SlaReport = z.infer<typeof slaReportSchema>;

export const breachQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  userId: z.uuid().optional().describe('Only this rep’s breaches'),
});

export const breachSchema = z.object({
  timerId: z.uuid(),
  kind: z.string().describe('accept | first_touch (alerted the rep) or *_escalation (alerted the manager)'),
  personId: z.uuid(),
  personName: z.string().nullable(),
  userId: z.uuid().describe('The rep who owned the lead'),
  userName: z.string(),
  alertedUserId: z
    .string()
    .nullable()
    .describe('Whom the breach was for: the rep, or for an escalation the manager'),
  alertedUserName: z.string().nullable(),
  dueAt: timestamp,
  firedAt: timestamp,
  alert: notificationOutcomeSchema.describe(
    'Whether that person was actually told, from the delivery log: by which channels, or why not ' +
      '(reason "the rep has no manager" for an escalation with nobody to alert, "no message on record" ' +
      'when no notification was ever recorded)',
  ),
});
export type Breach = z.infer<typeof breachSchema>;

export const dueAtQuery = z.strictObject({
  userId: z.uuid(),
  at: timestamp.describe('When the clock starts'),
  minutes: z.coerce
    .number()
    .positive()
    .max(60 * 24 * 365)
    .describe('Working minutes'),
});
