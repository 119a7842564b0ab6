import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';

export const bottleneckPeriods = ['this-month', 'this-quarter', 'last-month', 'last-quarter'] as const;
export type BottleneckPeriod = (typeof bottleneckPeriods)[number];

export const bottleneckQuery = z.strictObject({
  period: z
    .enum(bottleneckPeriods, { error: `must be one of ${bottleneckPeriods.join(', ')}` })
    .default('this-month')
    .describe('The period compared with the look-back window before it'),
  lookbackDays: z.coerce
    .number()
    .int()
    .min(7)
    .max(730)
    .default(180)
    .describe('Days before the period that count as normal'),
});
export type BottleneckQuery = z.infer<typeof bottleneckQuery>;

export const stuckKinds = ['lead', 'deal'] as const;

export const stuckQuery = bottleneckQuery.extend({
  kind: z.enum(stuckKinds, { error: `must be one of ${stuckKinds.join(', ')}` }).optional(),
  stage: z.string().max(64).optional().describe('Only this stage (a lead stage or a deal stage)'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type StuckQuery = z.infer<typeof stuckQuery>;

const stepSchema = z.object({
  from: z.string(),
  to: z.string(),
  fromLabel: z.string(),
  toLabel: z.string(),
  /** Of the people that left `from` in the window (moved on, or dropped to lost/nurture/…), the share that moved on. */
  current: z.object({ moved: z.number(), decided: z.number(), rate: z.number().nullable() }),
  baseline: z.object({ moved: z.number(), decided: z.number(), rate: z.number().nullable() }),
  p: z.number().nullable(),
  method: z.enum(['z-test', 'fisher']).nullable(),
  flagged: z.boolean().describe('Lower than normal with p < 0.05, and enough people on both sides to tell'),
  /** What the confirmed target needs from this step (at most 1), against the measured conversion. */
  required: z.number().nullable(),
  measured: z.number().nullable(),
  reachable: z
    .boolean()
    .nullable()
    .describe(
      'False when, at the pace so far, too few reach this step for the target even if every one moved on; null without a confirmed target',
    ),
});

export const stuckGroupSchema = z.object({
  kind: z.enum(stuckKinds),
  stage: z.string(),
  label: z.string(),
  /** Past this many days in the stage an item is stuck (the stage's p90, measured). */
  normalDays: z.number().nullable(),
  stuck: z.number(),
  toWon: z.number().nullable().describe('Measured share of items at this stage that are won'),
  trapped: z.number().describe('stuck × toWon × average deal size (deals: their own amount where known)'),
});

export const bottleneckReportSchema = z.object({
  period: z.enum(bottleneckPeriods),
  window: z.object({ from: timestamp, to: timestamp }),
  baseline: z.object({ from: timestamp, to: timestamp }),
  currency: z.string(),
  dealSize: z.number().nullable(),
  headline: z.string(),
  /** Where the headline's list is in the web app. */
  link: z.string(),
  focus: z.object({ kind: z.enum(stuckKinds), stage: z.string() }).nullable(),
  steps: z.array(stepSchema),
  target: z.string().nullable().describe('The confirmed target the required rates come from'),
  stuck: z.array(stuckGroupSchema),
  trappedTotal: z.number(),
});
export type BottleneckReport = z.infer<typeof bottleneckReportSchema>;
export type StuckGroup = z.infer<typeof stuckGroupSchema>;

export const stuckItemSchema = z.object({
  kind: z.enum(stuckKinds),
  id: z.string(),
  name: z.string(),
  stage: z.string(),
  stageLabel: z.string(),
  owner: z.string().nullable(),
  enteredAt: timestamp,
  ageDays: z.number(),
  normalDays: z.number(),
  amount: z.number().nullable(),
  trapped: z.number(),
});
export const stuckListSchema = z.object({ items: z.array(stuckItemSchema), total: z.number() });
export type StuckItem = z.infer<typeof stuckItemSchema>;
