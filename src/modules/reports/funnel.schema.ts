import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';

export const funnelDimensions = ['none', 'source', 'campaign', 'landing_page', 'owner'] as const;
export type FunnelDimension = (typeof funnelDimensions)[number];

export const funnelQuery = z.strictObject({
  by: z
    .enum(funnelDimensions, { error: `must be one of ${funnelDimensions.join(', ')}` })
    .default('none')
    .describe('Break the funnel down by this field'),
  from: timestamp.optional().describe('Only people who entered on or after this time'),
  to: timestamp.optional().describe('Only people who entered before this time'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('Most groups returned, largest first'),
});
export type FunnelQuery = z.infer<typeof funnelQuery>;

const funnelRow = z.object({
  group: z.string().nullable().describe('null: the field is empty for these people'),
  counts: z.array(z.number()).describe('People that reached each stage, in the order of `stages`'),
  conversion: z.array(z.number().nullable()).describe('counts[i] / counts[i-1]; null for the first stage'),
});
export type FunnelRow = z.infer<typeof funnelRow>;

export const funnelReport = z.object({
  by: z.enum(funnelDimensions),
  stages: z.array(z.object({ key: z.string(), label: z.string() })),
  total: funnelRow,
  rows: z.array(funnelRow),
  groupsOmitted: z.number().describe('Groups beyond `limit`, left out of `rows` (still in `total`)'),
  biggestLeak: z
    .object({
      fromStage: z.string(),
      toStage: z.string(),
      fromLabel: z.string(),
      toLabel: z.string(),
      conversion: z.number(),
      lost: z.number(),
    })
    .nullable(),
});
export type FunnelReport = z.infer<typeof funnelReport>;
