// Reading CRM exports for the scorecard, as an import reads them (import.csv-reader.ts: the
// encodings, separators and XLSX workbooks spreadsheets write): the whole table for fitting, record
// by record for scoring.
import { AppError } from '../../shared/errors.ts';
import { type CsvProblem, type ReadOptions, readCsvRecords } from '../import/import.csv-reader.ts';
import { MORE_THAN_ONE_TAB } from '../import/import.workbook.ts';

/**
 * Records of a file, the header first, empty rows left out. A line that is not readable CSV stops
 * the reading with its line: a scorecard fitted on a file with rows silently missing would mislead.
 * Warnings (the other tabs of a workbook, rows above its table) go to `onWarning`.
 */
export async function* csvRecords(
  file: string,
  read: ReadOptions = {},
  onWarning: (warning: string) => void = () => {},
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<string[]> {
  let problem: CsvProblem | undefined;
  for await (const batch of readCsvRecords(
    file,
    (found) => {
      if (found.severity !== 'warning') problem ??= found;
      else
        onWarning(found.cause === MORE_THAN_ONE_TAB ? found.reason : `line ${found.line}: ${found.reason}`);
    },
    onBytes,
    read,
  )) {
    if (problem) break;
    for (const { values } of batch) if (values.some((value) => value !== '')) yield values;
  }
  if (problem) {
    throw new AppError(
      'validation_failed',
      `Cannot read ${file} as CSV at line ${problem.line}: ${problem.cause}.`,
      { file, line: problem.line },
    );
  }
}

export interface CsvTable {
  headers: string[];
  rows: string[][];
  warnings: string[];
}

/**
 * A string of its own. The parser's values are slices of the text it read (import.csv-parser.ts),
 * and V8 keeps a slice's whole source alive: kept as they are, one long value a row would keep the
 * whole file in memory. Joining forces a flat copy, which the slice then points into (V8 copies
 * values shorter than 13 characters instead of slicing them).
 */
const copied = (value: string): string => (value.length < 13 ? value : ` ${value}`.slice(1));

/** A column's distinct values shared past this many are no longer shared: the column is not a category. */
const SHARED_VALUES = 10_000;

/**
 * The whole file. `onHeaders` sees the header row before any other is read (and may stop the reading
 * by throwing); when it returns the positions of the columns wanted, only those are kept, in that
 * order, headers included. `onRead` hears how many rows and bytes are read, every 10,000 rows.
 * Equal values of a column are kept as one string while it has few distinct ones (a source, a
 * country): a million rows then take a fraction of the memory of the file.
 */
export async function readCsvTable(
  file: string,
  read: ReadOptions = {},
  {
    onHeaders = () => {},
    onRead = () => {},
  }: {
    onHeaders?: (headers: string[]) => readonly number[] | undefined;
    onRead?: (rows: number, bytes: number) => void;
  } = {},
): Promise<CsvTable> {
  let headers: string[] | undefined;
  let kept: readonly number[] = [];
  let shared: Map<string, string>[] = [];
  const rows: string[][] = [];
  const warnings: string[] = [];
  let bytes = 0;
  const records = csvRecords(
    file,
    read,
    (warning) => warnings.push(warning),
    (bytesRead) => {
      bytes = bytesRead;
    },
  );
  // A row shorter than the header reads as empty cells.
  const share = (value = '', column: number): string => {
    const values = shared[column]!;
    if (values.size >= SHARED_VALUES) return copied(value);
    const seen = values.get(value);
    if (seen !== undefined) return seen;
    const kept = copied(value);
    values.set(kept, kept);
    return kept;
  };
  for await (const record of records) {
    if (headers === undefined) {
      kept = onHeaders(record) ?? record.map((_, i) => i);
      headers = kept.map((i) => record[i]!);
      shared = kept.map(() => new Map());
    } else if (rows.push(kept.map((at, column) => share(record[at], column))) % 10_000 === 0) {
      onRead(rows.length, bytes);
    }
  }
  onRead(rows.length, bytes);
  if (headers === undefined)
    throw new AppError('validation_failed', `${file} is empty: no header line.`, { file });
  return { headers, rows, warnings };
}

/** Where `name` is among the headers (exact, then ignoring case and spaces); an error naming the headers otherwise. */
export function columnIndex(headers: readonly string[], name: string, file: string, role: string): number {
  const exact = headers.indexOf(name);
  if (exact >= 0) return exact;
  const loose = headers.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
  if (loose >= 0) return loose;
  throw new AppError(
    'validation_failed',
    `${file} has no column "${name}" (${role}). Its columns are: ${headers.map((h) => JSON.stringify(h)).join(', ')}.`,
    { file, column: name, headers },
  );
}
