import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';
import { engagementRuleSchema, fitRuleSchema, grades, leadDefinitionSchema } from './definition.schema.ts';
import { rescoringSteps } from './rescoring.progress.ts';

export const versionParams = z.strictObject({ version: z.coerce.number().int().min(1) });

export const proposeBody = z.strictObject({
  rules: leadDefinitionSchema,
  note: z.string().trim().max(2000).optional().describe('What changed and why'),
});

export const publishBody = z
  .strictObject({
    effectiveFrom: timestamp.optional().describe('When the version takes effect: now (the default) or later'),
  })
  .nullish();

export const definitionVersionSchema = z.object({
  version: z.number(),
  status: z.enum(['draft', 'signed', 'scheduled', 'in force', 'superseded']),
  rules: leadDefinitionSchema,
  note: z.string().nullable(),
  createdAt: timestamp,
  publishedAt: timestamp.nullable(),
  publishedBy: z.string().nullable().describe('The name of the person who published it'),
  effectiveFrom: timestamp.nullable(),
  signatures: z.array(
    z.object({ team: z.string(), userId: z.string(), name: z.string(), signedAt: z.string() }),
  ),
  missingSignatures: z.array(z.enum(['marketing', 'sales'])),
  rescoring: z
    .object({
      total: z.number(),
      done: z.number().describe('Leads whose new score is stored'),
      madeMql: z.number(),
      finishedAt: z.string().nullable(),
      step: z
        .enum(rescoringSteps)
        .nullable()
        .describe(
          'engagement: every activity counted; recent: the most recent activities of capped rules; scores: every score written and swapped in; mql: qualified leads moved to MQL',
        ),
      qualified: z.number().nullable().describe('Leads the new scores make MQLs (known from the mql step)'),
      checked: z.number().describe('Of those, how many the MQL moves have checked so far'),
      share: z.number().min(0).max(1).describe('How much of the run is done, from 0 to 1'),
    })
    .nullable()
    .describe('Progress of re-scoring every lead after this version took effect'),
});

const ruleHit = z.object({
  rule: z.string(),
  label: z.string(),
  points: z.number(),
  count: z.number().optional(),
});

export const leadScoreSchema = z.object({
  version: z.number().describe('The lead definition version in force'),
  fit: z.object({ points: z.number(), grade: z.enum(grades), hits: z.array(ruleHit) }),
  engagement: z.object({ points: z.number(), hits: z.array(ruleHit) }),
  isMql: z.boolean(),
  verdict: z.string(),
  mqlRule: z
    .object({ minGrade: z.enum(grades), minEngagement: z.number() })
    .describe(
      'What the MQL rule of the version in force asks: this fit grade or better, and this engagement',
    ),
});

const ruleChanges = <T extends z.ZodType>(rule: T) =>
  z.object({
    added: z.array(rule),
    removed: z.array(rule),
    changed: z.array(z.object({ id: z.string(), before: rule, after: rule })),
  });

export const diffQuery = z.strictObject({
  against: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version to compare with; default the one in force'),
});

export const definitionDiffSchema = z.object({
  against: z.number(),
  fit: ruleChanges(fitRuleSchema),
  engagement: ruleChanges(engagementRuleSchema),
  settings: z.array(z.string()),
});

export const backtestQuery = z.strictObject({
  from: timestamp.describe('Leads that entered on or after this time'),
  to: timestamp.describe('…and before this time; activities up to it count'),
});

const backtestSide = z.object({
  version: z.number(),
  mqls: z.number().describe('Leads of the period that met this version at some moment up to `to`'),
  accepted: z.number(),
  sql: z.number(),
  won: z.number(),
});
const movedLeads = z.object({
  count: z.number(),
  sample: z.array(z.object({ id: z.string(), email: z.string().nullable(), stage: z.string().nullable() })),
});

export const backtestSchema = z.object({
  from: timestamp,
  to: timestamp,
  leads: z.number(),
  candidate: backtestSide,
  inForce: backtestSide.nullable(),
  movedIn: movedLeads.describe('Leads this version would make MQLs that the version in force does not'),
  movedOut: movedLeads.describe('Leads the version in force makes MQLs that this version would not'),
});

export const backtestRunSchema = z.object({
  id: z.uuid(),
  version: z.number(),
  from: timestamp,
  to: timestamp,
  status: z.enum(['running', 'done', 'failed']),
  total: z.number().describe('Leads who entered in the period'),
  done: z.number().describe('How many of them both versions have scored so far'),
  result: backtestSchema.nullable().describe('Once done'),
  error: z.string().nullable().describe('Why it failed; start it again'),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
});
export const backtestRunParams = z.strictObject({ id: z.uuid() });

export const learnBody = z.strictObject({
  outcome: z.enum(['won', 'accepted']).describe('Learn what predicts a win, or what sales accepts'),
  openDays: z
    .number()
    .int()
    .min(7)
    .max(3650)
    .optional()
    .describe('A lead silent this long without a win counts as not won (default 180)'),
});

export const learnedSchema = z.object({
  definition: definitionVersionSchema,
  leads: z.number().describe('Leads with a known outcome the model learned from'),
  evaluation: z.object({
    auc: z.number(),
    logLoss: z.number(),
    brier: z.number(),
    holdoutRate: z.number(),
    deciles: z.array(
      z.object({
        decile: z.number(),
        rows: z.number(),
        positives: z.number(),
        meanPredicted: z.number(),
        observedRate: z.number(),
        lift: z.number(),
        cumulativeCapture: z.number(),
      }),
    ),
  }),
});
