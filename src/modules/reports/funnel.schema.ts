import { z } from 'zod';
import { filterShape, resolvedFiltersSchema } from './reports.filters.ts';
import { recountingSchema } from './reports.schema.ts';

export const funnelDimensions = [
  'none',
  'source',
  'campaign',
  'landing_page',
  'owner',
  'segment',
  'team',
  'month',
] as const;
export type FunnelDimension = (typeof funnelDimensions)[number];

export const funnelOptions = {
  by: z
    .enum(funnelDimensions, { error: `must be one of ${funnelDimensions.join(', ')}` })
    .default('none')
    .describe('Break the funnel down by this field'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('Most groups returned, largest first'),
};

const funnelAllowed = [...Object.keys(filterShape), ...Object.keys(funnelOptions)];

/** The report filters (period, segment, source, campaign, team, rep) plus the breakdown. */
export const funnelQuery = z.strictObject(
  { ...filterShape, ...funnelOptions },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${funnelAllowed.join(', ')}`
        : undefined,
  },
);
export type FunnelQuery = z.infer<typeof funnelQuery>;

const funnelRow = z.object({
  group: z.string().nullable().describe('null: the field is empty for these people'),
  counts: z.array(z.number()).describe('People that reached each stage, in the order of `stages`'),
  conversion: z.array(z.number().nullable()).describe('counts[i] / counts[i-1]; null for the first stage'),
});
export type FunnelRow = z.infer<typeof funnelRow>;

export const funnelReport = z.object({
  by: z.enum(funnelDimensions),
  filters: resolvedFiltersSchema,
  stages: z.array(z.object({ key: z.string(), label: z.string() })),
  total: funnelRow,
  rows: z.array(funnelRow),
  groupsOmitted: z.number().describe('Groups beyond `limit`, left out of `rows` (still in `total`)'),
  cells: z
    .object({ total: z.array(z.string()), rows: z.array(z.array(z.string())) })
    .describe(
      'Per count of `total` and of each row (same order): the `cell` to pass to /api/reports/funnel/records',
    ),
  biggestLeak: z
    .object({
      fromStage: z.string(),
      toStage: z.string(),
      fromLabel: z.string(),
      toLabel: z.string(),
      conversion: z.number(),
      lost: z
        .number()
        .describe("Reached the step's first stage but not the next: dropped out, or still there"),
    })
    .nullable(),
  recounting: recountingSchema,
});
export type FunnelReport = z.infer<typeof funnelReport>;
