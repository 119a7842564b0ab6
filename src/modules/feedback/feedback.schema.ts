import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';

/** Why sales sends an MQL back; "not_now" goes to nurture (marketing owns it again), the rest are disqualified. */
export const rejectionReasons = {
  bad_fit: 'Bad fit',
  wrong_contact: 'Wrong contact',
  no_budget: 'No budget',
  not_now: 'Not now',
  duplicate: 'Duplicate',
  competitor: 'Competitor',
  unreachable: 'Unreachable',
  student_or_job_seeker: 'Student / job seeker',
  other: 'Other',
} as const;
export type RejectionReason = keyof typeof rejectionReasons;
export const rejectionReasonKeys = Object.keys(rejectionReasons) as RejectionReason[];

export const insightKinds = {
  competitor_seen: 'Competitor seen',
  pricing_objection: 'Pricing objection',
  value_proposition: 'Value-proposition feedback',
  product_gap: 'Product gap',
  other: 'Other',
} as const;
export type InsightKind = keyof typeof insightKinds;

// Reasons are checked in the service, so an unknown one is answered with the allowed list.
export const dispositionBody = z.strictObject({
  decision: z.enum(['accept', 'reject']).describe('accept → SAL; reject needs a reason'),
  reason: z
    .string()
    .max(64)
    .optional()
    .describe(
      `Required to reject: one of ${rejectionReasonKeys.join(', ')}. not_now sends the lead to nurture`,
    ),
  note: z.string().trim().max(4000).optional().describe('Free text for marketing'),
});
export type DispositionBody = z.infer<typeof dispositionBody>;

export const dispositionSchema = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  assignmentId: z.uuid(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  decision: z.enum(['accepted', 'rejected']),
  reason: z.string().nullable(),
  reasonLabel: z.string().nullable(),
  note: z.string().nullable(),
  decidedAt: timestamp,
  stage: z.string().describe('The stage the lead moved to: sal, nurture or disqualified'),
});
export type Disposition = z.infer<typeof dispositionSchema>;

export const reasonsSchema = z.object({
  rejectionReasons: z.array(z.object({ key: z.string(), label: z.string(), nextStage: z.string() })),
  insightKinds: z.array(z.object({ key: z.string(), label: z.string() })),
});

export const insightInput = z
  .strictObject({
    personId: z.uuid().optional().describe('The lead the insight is about'),
    accountId: z.uuid().optional().describe('Or the account'),
    kind: z.enum(Object.keys(insightKinds) as [InsightKind, ...InsightKind[]]),
    competitor: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Which competitor, for competitor_seen'),
    text: z.string().trim().min(1).max(4000),
  })
  .refine((i) => i.personId || i.accountId, { message: 'give personId or accountId', path: ['personId'] });
export type InsightInput = z.infer<typeof insightInput>;

export const insightSchema = z.object({
  id: z.uuid(),
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  competitor: z.string().nullable(),
  text: z.string(),
  createdAt: timestamp,
});
export type Insight = z.infer<typeof insightSchema>;

export const insightListQuery = z.strictObject({
  personId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  kind: z.enum(Object.keys(insightKinds) as [InsightKind, ...InsightKind[]]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const feedbackReportQuery = z.strictObject({
  from: timestamp.optional().describe('Dispositions/insights on or after (default: 90 days ago)'),
  to: timestamp.optional().describe('Before (default: now)'),
  by: z
    .enum(['source', 'campaign', 'segment'])
    .default('source')
    .describe('Group rejection reasons by lead source, campaign, or segment (account industry)'),
  period: z.enum(['week', 'month']).default('month').describe('Bucket for the acceptance rate over time'),
});
export type FeedbackReportQuery = z.infer<typeof feedbackReportQuery>;

export const feedbackReportSchema = z.object({
  from: timestamp,
  to: timestamp,
  by: z.enum(['source', 'campaign', 'segment']),
  totals: z.object({
    decided: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    acceptanceRate: z.number().nullable().describe('accepted / decided, 0–1'),
  }),
  rejectionsByGroup: z.array(
    z.object({
      group: z.string().nullable().describe('Source, campaign name or segment; null = not set'),
      decided: z.number().int(),
      accepted: z.number().int(),
      rejected: z.number().int(),
      acceptanceRate: z.number().nullable(),
      reasons: z.record(z.string(), z.number().int()).describe('Rejections per reason key'),
    }),
  ),
  acceptanceOverTime: z.array(
    z.object({
      periodStart: z.string().describe('ISO date (UTC)'),
      decided: z.number().int(),
      accepted: z.number().int(),
      acceptanceRate: z.number().nullable(),
    }),
  ),
  insightsDigest: z.object({
    byKind: z.array(z.object({ kind: z.string(), label: z.string(), count: z.number().int() })),
    topCompetitors: z.array(z.object({ competitor: z.string(), count: z.number().int() })),
    latest: z.array(insightSchema),
  }),
});
export type FeedbackReport = z.infer<typeof feedbackReportSchema>;

export const queueQuery = z.strictObject({
  userId: z.uuid().optional().describe('Whose queue (admins only; default: yours)'),
});

export const queueItemSchema = z.object({
  personId: z.uuid(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  title: z.string().nullable(),
  accountName: z.string().nullable(),
  source: z.string().nullable(),
  grade: z.string().nullable().describe('Fit grade'),
  engagementPoints: z.number().nullable(),
  assignmentId: z.uuid(),
  rule: z.string(),
  assignedAt: timestamp,
  acceptDueAt: timestamp.nullable(),
  firstTouchDueAt: timestamp.nullable(),
  minutesLeft: z.number().nullable().describe('Minutes until accept/reject is due (negative = overdue)'),
  overdue: z.boolean(),
  touched: z.boolean().describe('A call/email/meeting was logged since assignment'),
});
export const queueSchema = z.object({
  userId: z.uuid(),
  items: z.array(queueItemSchema),
});
export type QueueItem = z.infer<typeof queueItemSchema>;
