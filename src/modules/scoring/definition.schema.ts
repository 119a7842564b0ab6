// The lead definition: the one agreed answer to "what is a sales-ready lead" (PRODUCT.md §2).
import { z } from 'zod';

export const grades = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof grades)[number];

const ruleId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _ only');
const points = z.number().int().min(-1000).max(1000);

export const fitRuleSchema = z.discriminatedUnion('op', [
  z.strictObject({
    id: ruleId,
    label: z.string().max(200).optional(),
    field: z.string(),
    points,
    op: z.literal('equals'),
    value: z.union([z.string(), z.number(), z.boolean()]),
  }),
  z.strictObject({
    id: ruleId,
    label: z.string().max(200).optional(),
    field: z.string(),
    points,
    op: z.literal('in'),
    values: z.array(z.union([z.string(), z.number()])).min(1),
  }),
  z.strictObject({
    id: ruleId,
    label: z.string().max(200).optional(),
    field: z.string(),
    points,
    op: z.literal('range'),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({
    id: ruleId,
    label: z.string().max(200).optional(),
    field: z.string(),
    points,
    op: z.literal('contains'),
    value: z.string().min(1),
  }),
  z.strictObject({
    id: ruleId,
    label: z.string().max(200).optional(),
    field: z.string(),
    points,
    op: z.literal('exists'),
  }),
]);
export type FitRule = z.infer<typeof fitRuleSchema>;

export const engagementRuleSchema = z.strictObject({
  id: ruleId,
  label: z.string().max(200).optional(),
  activityType: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  /** Only activities whose property contains this text (e.g. path contains "/pricing"). */
  where: z
    .strictObject({ property: z.string().min(1).max(100), contains: z.string().min(1).max(200) })
    .optional(),
  /** Points per matching activity; negative for signals against (unsubscribed, careers page). */
  points,
  /** Count at most this many matching activities (default: all). */
  maxCount: z.number().int().min(1).max(1000).optional(),
  /** Only activities in the last N days (default: all time, with decay). */
  withinDays: z.number().int().min(1).max(3650).optional(),
});
export type EngagementRule = z.infer<typeof engagementRuleSchema>;

export const leadDefinitionSchema = z.strictObject({
  fit: z.strictObject({
    rules: z.array(fitRuleSchema).max(200),
    /** Fit points at or above each cut-off give that grade; below C is D. */
    gradeCutoffs: z.strictObject({ A: z.number(), B: z.number(), C: z.number() }),
  }),
  engagement: z.strictObject({
    rules: z.array(engagementRuleSchema).max(200),
    /** Points lose half their value after this many days; null: no decay. */
    halfLifeDays: z.number().min(1).max(3650).nullable(),
  }),
  mql: z.strictObject({ minGrade: z.enum(grades), minEngagement: z.number() }),
});
export type LeadDefinition = z.infer<typeof leadDefinitionSchema>;
