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
