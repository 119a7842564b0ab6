import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';

export const createTargetBody = z.strictObject({
  period: z.string().max(20).describe('A quarter (2026-Q4) or a month (2026-11)'),
  amount: z.number().positive().max(1e12).describe('Revenue to win in the period'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a three-letter currency code')
    .default('USD'),
  lookbackDays: z
    .number()
    .int()
    .min(7)
    .max(730)
    .default(180)
    .describe('Days before the period over which conversion, deal size and stage times are measured'),
});
export type CreateTargetBody = z.infer<typeof createTargetBody>;

export const periodParams = z.strictObject({
  period: z.string().max(20).describe('A quarter (2026-Q4) or a month (2026-11)'),
});

/** Scenario: any step's conversion (mqlToSal=0.5, …) and the deal size, laid over what was measured. */
export const scenarioQuery = z
  .object({
    lookbackDays: z.coerce
      .number()
      .int()
      .min(7)
      .max(730)
      .optional()
      .describe('Measure over this many days instead'),
    dealSize: z.coerce.number().positive().optional().describe('Plan with this average deal size'),
  })
  .catchall(z.coerce.number().gt(0).max(1))
  .describe('Other keys name a step of the funnel (e.g. mqlToSal=0.5) and set its conversion');
export type ScenarioQuery = z.infer<typeof scenarioQuery>;

const stage = z.object({ key: z.string(), label: z.string() });
const team = z.enum(['marketing', 'sales']);

const reverseFunnelInput = z.object({
  amount: z.number(),
  periodStart: z.string(),
  periodEnd: z.string(),
  stages: z.array(stage),
  rates: z.array(z.number().nullable()),
  dealSize: z.number().nullable(),
  stageDays: z.array(z.number().nullable()),
});

const planStage = stage.extend({
  rateIn: z.number().nullable(),
  needed: z.number().nullable(),
  daysToWon: z.number(),
  arriveFrom: z.string(),
  arriveBy: z.string(),
});

const stagePace = stage.extend({
  needed: z.number().nullable(),
  actual: z.number(),
  expectedByNow: z.number().nullable(),
  status: z.enum(['on track', 'behind', 'not started', 'no plan']),
  shortfall: z.number(),
  elapsed: z.number(),
});

export const targetViewSchema = z.object({
  period: z.object({
    name: z.string(),
    kind: z.enum(['quarter', 'month']),
    start: z.string(),
    end: z.string(),
  }),
  amount: z.number(),
  currency: z.string(),
  lookbackDays: z.number(),
  status: z
    .enum(['draft', 'confirmed'])
    .describe('A draft (not both teams confirmed) is never used for pacing'),
  confirmations: z.array(z.object({ team, userId: z.string(), name: z.string(), confirmedAt: z.string() })),
  missingConfirmations: z.array(team),
  measured: z.object({
    from: timestamp,
    to: timestamp,
    counts: z
      .array(z.number())
      .describe('People that reached each stage, of those who entered in the window'),
    toWon: z.array(z.number().nullable()).describe('Share of people at each stage that were won'),
    p90Days: z.array(z.number().nullable()),
    wonDeals: z.number().describe('Deals won in the window (the deal size is their average)'),
  }),
  /** The measured plan inputs: the web app lays its sliders over these and recomputes the plan. */
  input: reverseFunnelInput,
  steps: z.array(z.object({ key: z.string(), from: z.string(), to: z.string() })),
  scenario: z.object({ dealSize: z.number().optional(), rates: z.record(z.string(), z.number()) }),
  plan: z.object({
    amount: z.number(),
    dealSize: z.number().nullable(),
    wonDealsNeeded: z.number().nullable(),
    stages: z.array(planStage),
  }),
  /** People that reached each stage so far within the stage's window (pacing's "actual"). */
  arrivals: z.array(z.number()),
  asOf: timestamp,
  pacing: z
    .object({
      revenue: z.object({
        won: z.number(),
        expectedByNow: z.number(),
        status: z.enum(['on track', 'behind', 'not started']),
        shortfall: z.number(),
      }),
      stages: z.array(stagePace),
    })
    .nullable()
    .describe('null while the target is a draft'),
  forecast: z.object({
    wonToDate: z.number(),
    weightedPipeline: z.number(),
    newBusinessRunRate: z.number(),
    total: z.number(),
    elapsed: z.number().describe('Share of the period passed'),
  }),
});
export type TargetView = z.infer<typeof targetViewSchema>;

export const currentTargetSchema = z.object({
  current: targetViewSchema
    .nullable()
    .describe('The target whose period holds today (confirmed first), or null'),
});

export const targetSummarySchema = z.object({
  period: z.string(),
  start: z.string(),
  end: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(['draft', 'confirmed']),
  missingConfirmations: z.array(team),
});
export const targetListSchema = z.object({ items: z.array(targetSummarySchema) });
