// Writing CSV (RFC 4180). Reading is csv-parse's job (src/modules/import/import.csv-parser.ts).

export type CsvValue = string | number | boolean | Date | null | undefined;

/** One field: quoted when it holds a comma, a quote or a line break, with quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One field of a file people open in a spreadsheet. Text starting with =, +, -, @, a tab or a
 * carriage return would run as a formula there (a lead could type `=HYPERLINK(…)` as their name in a
 * form), so it gets a leading apostrophe, which spreadsheets show as text. Numbers, and text made only
 * of digits, spaces and `+-().` (phone numbers, negative amounts), stay as they are.
 */
export function spreadsheetField(value: CsvValue): string {
  if (typeof value !== 'string' || !/^[=+\-@\t\r]/.test(value) || /^[+-]?[\d\s().+-]+$/.test(value))
    return csvField(value);
  return csvField(`'${value}`);
}

/** A line of spreadsheet fields, ended as RFC 4180 says (CRLF). */
export function spreadsheetLine(values: readonly CsvValue[]): string {
  return `${values.map(spreadsheetField).join(',')}\r\n`;
}

/** A download's file name: what it holds and the day it was made, e.g. `people-2026-11-27.csv`. */
export const csvFileName = (what: string, at: Date): string => `${what}-${at.toISOString().slice(0, 10)}.csv`;

/** A table streamed as CSV: fixed columns, then one column per custom field (attribute). */
export interface CsvTable<Row extends { attributes: Record<string, unknown> }> {
  columns: readonly (readonly [header: string, cell: (row: Row) => CsvValue])[];
  /** The custom fields the rows hold, in the order their columns come. */
  attributeKeys: readonly string[];
  /** The rows after this one (null: the first), in the table's key order; fewer than `batchSize` at the end. */
  batch: (after: Row | null) => Promise<Row[]>;
  batchSize: number;
  /** Told how many rows each batch wrote (for a progress bar). */
  onRows?: ((count: number) => void) | undefined;
}

const attributeCell = (value: unknown): CsvValue =>
  value === null || value === undefined || typeof value !== 'object'
    ? (value as CsvValue)
    : JSON.stringify(value);

/** The table's lines, the header first, a batch of rows at a time (for a file of any size). */
export async function* csvTableLines<Row extends { attributes: Record<string, unknown> }>(
  table: CsvTable<Row>,
): AsyncGenerator<string> {
  const taken = new Set(table.columns.map(([header]) => header.toLowerCase()));
  yield spreadsheetLine([
    ...table.columns.map(([header]) => header),
    // A custom field named like a column says so.
    ...table.attributeKeys.map((key) => (taken.has(key.toLowerCase()) ? `${key} (attribute)` : key)),
  ]);
  let after: Row | null = null;
  for (;;) {
    const rows = await table.batch(after);
    let chunk = '';
    for (const row of rows)
      chunk += spreadsheetLine([
        ...table.columns.map(([, cell]) => cell(row)),
        ...table.attributeKeys.map((key) => attributeCell(row.attributes[key])),
      ]);
    if (chunk) yield chunk;
    table.onRows?.(rows.length);
    after = rows.at(-1) ?? null;
    if (rows.length < table.batchSize || !after) return;
  }
}
