import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';

const problem = z.object({
  line: z.number().describe('The physical line in the file; the header is line 1'),
  severity: z.enum(['error', 'warning']).describe('error: the row was not imported'),
  reason: z.string(),
  file: z.string().optional(),
});

export const importReportSchema = z.object({
  runId: z.uuid(),
  kind: z.string(),
  file: z.string(),
  rowsRead: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.number().describe('Rows not imported at all'),
  superseded: z.number().describe('Rows a later row with the same key replaced'),
  warnings: z.number(),
  accountsCreated: z.number(),
  transitionsCreated: z.number(),
  problems: z.array(problem).describe('The first 1,000 problems, in file order'),
  problemsTruncated: z.boolean(),
  opportunities: z
    .object({ created: z.number(), updated: z.number(), unchanged: z.number(), warnings: z.number() })
    .optional(),
  variants: z.array(
    z.object({
      field: z.string(),
      values: z.array(z.object({ value: z.string(), count: z.number(), lines: z.array(z.number()) })),
    }),
  ),
  seconds: z.object({ reading: z.number(), preparing: z.number(), merging: z.number() }),
  bulkLoaded: z.boolean().optional(),
  guessedDateFormat: z
    .string()
    .optional()
    .describe('The date pattern read from the file’s first rows, when the mapping’s dateFormat is "auto"'),
  guessedNumberFormat: z
    .string()
    .optional()
    .describe(
      'How amounts are written, read from the file’s first rows, when the mapping’s numberFormat is "auto"',
    ),
});

export const importRunSchema = z.object({
  id: z.uuid(),
  kind: z.string().describe('csv:<preset or mapping>, or olist'),
  fileName: z.string(),
  status: z
    .enum(['queued', 'running', 'done', 'failed', 'interrupted'])
    .describe('interrupted: the process running it stopped; upload the file again (nothing is duplicated)'),
  progress: z
    .object({
      phase: z.enum(['reading', 'merging', 'indexing', 'done']),
      rowsRead: z.number(),
      bytesRead: z.number(),
      totalBytes: z.number(),
      rowsMerged: z.number(),
      rowsToMerge: z.number(),
    })
    .nullable(),
  report: importReportSchema.nullable().describe('Once done'),
  error: z.string().nullable().describe('Why it failed'),
  requestedBy: z.uuid().nullable().describe('Who uploaded it; null for the command line'),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
});

export const importRunsSchema = z.object({
  runs: z.array(importRunSchema),
  presets: z
    .array(z.object({ name: z.string(), label: z.string().describe('e.g. "HubSpot contacts"') }))
    .describe('The shipped presets and the saved mappings (saved:<name>) a file can be imported with'),
  maxUploadBytes: z
    .number()
    .describe('The largest file this server takes (LOCKSTEP_IMPORT_MAX_MB); the command line has no limit'),
});

const suggestion = z.object({
  entity: z.enum(['people', 'accounts', 'opportunities']),
  columns: z.record(z.string(), z.string()).describe('Lockstep field → header'),
  attributes: z.array(z.string()).describe('Headers kept as attributes'),
  dateFormat: z.string(),
});
const option = z.object({ key: z.string(), label: z.string() });

export const importPreviewSchema = z.object({
  headers: z.array(z.string()),
  rows: z.array(z.array(z.string())).describe('The first rows (up to 200)'),
  preset: z
    .object({ name: z.string(), label: z.string(), matched: z.array(z.string()) })
    .nullable()
    .describe('The preset the columns fit, if any'),
  suggestions: z
    .object({ people: suggestion, accounts: suggestion, opportunities: suggestion })
    .describe('A mapping to start from, for each kind of record'),
  fields: z.object({ people: z.array(option), accounts: z.array(option), opportunities: z.array(option) }),
  stages: z.object({ people: z.array(option), opportunities: z.array(option) }),
  stageWords: z
    .record(z.string(), z.string())
    .describe(
      'Words CRMs use for the lead stages (spelled loosely: lower case, letters and digits) → stage key',
    ),
  notes: z
    .array(z.string())
    .describe(
      "What reading the file's start left out, to know before importing (a report's title rows above its table)",
    ),
  sheets: z
    .object({
      tabs: z.array(z.string()).describe("The workbook's tabs in its order, hidden ones left out"),
      read: z.string().describe('The tab these columns and rows are of: the "sheet" sent, else the first'),
    })
    .nullable()
    .describe(
      'For an XLSX workbook, its tabs: send "sheet" with the preview and the import to read another; null for CSV',
    ),
});

export const importRunParams = z.strictObject({ id: z.uuid() });
export const savedMappingParams = z.strictObject({
  name: z.string().min(1).max(80).describe('The name it was saved under, without "saved:"'),
});
export const importRunsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
