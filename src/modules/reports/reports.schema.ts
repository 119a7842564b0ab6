import { z } from 'zod';
import { dealColumns, leadColumns } from './reports.facts.ts';
import { resolvedFiltersSchema } from './reports.filters.ts';

export const reportNames = [
  'funnel',
  'velocity',
  'cohorts',
  'breakdown',
  'pipeline',
  'attribution',
  'cost',
] as const;
export type ReportName = (typeof reportNames)[number];

export const attributionModels = ['first_touch', 'last_touch', 'linear', 'w_shaped'] as const;
export type AttributionModel = (typeof attributionModels)[number];

const group = <T extends readonly [string, ...string[]]>(columns: T) =>
  z.object({ col: z.enum(columns), value: z.string().nullable() });

/**
 * What a cell (one number of one report) stands for: enough to list the records behind it again.
 * Sent to clients as an opaque string (base64url JSON) and validated when it comes back.
 */
export const cellSpec = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('leads'),
    f: resolvedFiltersSchema,
    /** Reached at least this funnel stage (index in the funnel's stages). */
    reached: z.number().int().min(0).optional(),
    group: group(leadColumns).optional(),
    /** Both stage entries known: the leads a time between stages was measured on. */
    measured: z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }).optional(),
    /** Entered stage `to` no later than `days` after entering stage `from`. */
    within: z
      .object({ from: z.number().int().min(0), to: z.number().int().min(0), days: z.number().int().min(0) })
      .optional(),
    /** Only leads a campaign with a known cost brought in. */
    costed: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('deals'),
    f: resolvedFiltersSchema,
    periodOn: z.enum(['opened', 'closed']),
    outcome: z.enum(['open', 'won', 'lost', 'closed']).optional(),
    group: group(dealColumns).optional(),
    /** Won deals that credit this campaign / source under this model. */
    credit: z
      .object({
        model: z.enum(attributionModels),
        by: z.enum(['campaign_id', 'source']),
        value: z.string().nullable(),
      })
      .optional(),
  }),
]);
export type CellSpec = z.infer<typeof cellSpec>;
export type LeadCellSpec = Extract<CellSpec, { kind: 'leads' }>;
export type DealCellSpec = Extract<CellSpec, { kind: 'deals' }>;

export const units = ['count', 'money', 'days', 'rate', 'text'] as const;

export const reportColumn = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.enum(units),
});
export type ReportColumn = z.infer<typeof reportColumn>;

export const reportRow = z.object({
  key: z.string().nullable().describe('The group value (null: not set); for step rows the step key'),
  label: z.string(),
  values: z.record(z.string(), z.number().nullable()),
  cells: z
    .record(z.string(), z.string())
    .describe('Per column: the `cell` to pass to /api/reports/:name/records for the records behind it'),
});
export type ReportRow = z.infer<typeof reportRow>;

/** Present while a large change is counted in the background: the numbers are those of `countedAt`. */
export const recountingSchema = z
  .object({
    countedAt: z.string().describe('When the numbers shown were counted (ISO 8601)'),
    pending: z.number().describe('Stage moves and changes (or leads) being counted in the background'),
  })
  .optional();

/** Every report but `funnel` (which keeps its own shape) answers with one table. */
export const tableReport = z.object({
  report: z.enum(reportNames),
  title: z.string(),
  description: z.string(),
  filters: resolvedFiltersSchema,
  options: z.record(z.string(), z.string()).describe('Report-specific options in force (e.g. by)'),
  columns: z.array(reportColumn),
  rows: z.array(reportRow),
  total: reportRow.nullable(),
  groupsOmitted: z.number(),
  notes: z.array(z.string()).describe('How the numbers are defined'),
  recounting: recountingSchema,
});
export type TableReport = z.infer<typeof tableReport>;

export const reportNameParams = z.object({
  name: z.string().describe(`One of ${reportNames.join(', ')}`),
});

/** Report options arrive as a flat query string; each report validates its own (names the allowed). */
export const reportQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const recordsQuery = z.object({
  cell: z.string().min(1).max(4000).describe('A cell reference from a report'),
  format: z.enum(['json', 'csv'], { error: 'must be one of json, csv' }).default('json'),
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
});

export const recordSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export const recordsResponse = z.object({
  kind: z.enum(['leads', 'deals']),
  total: z.number().describe('Records behind the number (all of them, even past `limit`)'),
  columns: z.array(z.string()),
  records: z.array(recordSchema),
});
export type RecordsResponse = z.infer<typeof recordsResponse>;
