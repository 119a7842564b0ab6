// The learned scorecard as a file: a versioned JSON document a person can read and a later step can
// turn into a draft lead definition (each rule is a condition on one field with points).
// The shape is documented in README.md next to this file; change `version` when it changes.
import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { dateFormats } from './scorecard.values.ts';

export const SCORECARD_FORMAT = 'lockstep.scorecard';
export const SCORECARD_VERSION = 1;

/** How one input column becomes one feature; date columns give two (month and weekday). */
export const featureSpecSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string(), column: z.string(), type: z.literal('categorical') }),
  z.object({ name: z.string(), column: z.string(), type: z.literal('numeric') }),
  z.object({
    name: z.string(),
    column: z.string(),
    type: z.literal('date'),
    part: z.enum(['month', 'weekday']),
    dateFormat: z.enum(dateFormats),
  }),
]);
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

const ruleStats = {
  feature: z.string(),
  /** Whole points: what the rule adds to a lead's score (20 points double the odds). */
  points: z.number().int(),
  /** The exact log-odds the rule adds (centred: 0 is the typical lead); scoring uses this. */
  coefficient: z.number(),
  /** Training rows that matched, and how many of them had the positive outcome. */
  rows: z.number().int().nonnegative(),
  positives: z.number().int().nonnegative(),
};

/**
 * One condition on one feature. Exactly one rule of each feature matches any lead:
 * `category` (the value equals `value`), `range` (min ≤ number < max; null = unbounded),
 * `missing` (empty or a placeholder such as "N/A"), `other` (any value not named by a `category` rule).
 */
export const scorecardRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('category'), value: z.string(), ...ruleStats }),
  z.object({
    kind: z.literal('range'),
    range: z.tuple([z.number().nullable(), z.number().nullable()]),
    ...ruleStats,
  }),
  z.object({ kind: z.literal('missing'), ...ruleStats }),
  z.object({ kind: z.literal('other'), ...ruleStats }),
]);
export type ScorecardRule = z.infer<typeof scorecardRuleSchema>;

export const droppedColumnSchema = z.object({ column: z.string(), reason: z.string() });
export type DroppedColumn = z.infer<typeof droppedColumnSchema>;

export const decileRowSchema = z.object({
  /** 1 = the tenth of leads with the highest predicted probability. */
  decile: z.number().int(),
  rows: z.number().int(),
  positives: z.number().int(),
  meanPredicted: z.number(),
  observedRate: z.number(),
  /** observedRate divided by the overall rate. */
  lift: z.number(),
  /** Share of all positives found in this decile and the ones above it. */
  cumulativeCapture: z.number(),
});
export type DecileRow = z.infer<typeof decileRowSchema>;

export const scorecardModelSchema = z.object({
  format: z.literal(SCORECARD_FORMAT),
  version: z.literal(SCORECARD_VERSION),
  createdAt: z.string(),
  data: z.object({
    file: z.string(),
    rowsRead: z.number().int(),
    rowsWithoutOutcome: z.number().int(),
    rowsUsed: z.number().int(),
    outcomeColumn: z.string(),
    /** The outcome value counted as positive, or null when the column holds booleans (true/won/yes/1). */
    positiveValue: z.string().nullable(),
    positiveRate: z.number(),
    idColumn: z.string().nullable(),
  }),
  training: z.object({
    seed: z.number().int(),
    holdoutShare: z.number(),
    trainRows: z.number().int(),
    holdoutRows: z.number().int(),
    folds: z.number().int(),
    /** L2 strength: the penalty is lambda/2 · Σ coefficient² on the summed log-likelihood. */
    lambda: z.number(),
    lambdaGrid: z.array(
      z.object({ lambda: z.number(), cvLogLoss: z.number(), cvAuc: z.number().nullable() }),
    ),
  }),
  evaluation: z.object({
    auc: z.number(),
    logLoss: z.number(),
    brier: z.number(),
    holdoutRate: z.number(),
    deciles: z.array(decileRowSchema),
  }),
  scale: z.object({
    pointsToDoubleOdds: z.number(),
    /** The score of a lead whose odds equal the training outcome rate's. */
    anchorScore: z.number(),
    anchorProbability: z.number(),
    /** Score = baseScore + the points of the matching rules. */
    baseScore: z.number().int(),
  }),
  /** Log-odds of a lead whose every rule has coefficient 0; probability = 1/(1+e^-(intercept+Σ coefficients)). */
  intercept: z.number(),
  features: z.array(featureSpecSchema),
  rules: z.array(scorecardRuleSchema),
  dropped: z.array(droppedColumnSchema),
  notes: z.array(z.string()),
});
export type ScorecardModel = z.infer<typeof scorecardModelSchema>;

export function loadScorecardModel(file: string): ScorecardModel {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('validation_failed', `Cannot read the model ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(
      'validation_failed',
      `${file} is not JSON; expected a model written by "scorecard fit".`,
    );
  }
  const parsed = scorecardModelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'validation_failed',
      `${file} is not a Lockstep scorecard (format ${SCORECARD_FORMAT}, version ${SCORECARD_VERSION}): ` +
        `${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
