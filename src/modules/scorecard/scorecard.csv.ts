// Reading CSV exports for the scorecard: the whole table for fitting, record by record for scoring.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../../shared/errors.ts';

function openCsv(file: string) {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError('validation_failed', `There is no file ${file}.`, { file });
  }
  if (!stat.isFile()) throw new AppError('validation_failed', `${file} is not a file.`, { file });
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  input.on('error', (error) => parser.destroy(error));
  return input.pipe(parser);
}

/** Records of a CSV file, the header first; a file that is not readable CSV is a validation error. */
export async function* csvRecords(file: string): AsyncGenerator<string[]> {
  const records = openCsv(file);
  try {
    for await (const record of records) yield record as string[];
  } catch (error) {
    throw new AppError('validation_failed', `Cannot read ${file} as CSV: ${(error as Error).message}`, {
      file,
    });
  } finally {
    records.destroy();
  }
}

export interface CsvTable {
  headers: string[];
  rows: string[][];
}

export async function readCsvTable(file: string): Promise<CsvTable> {
  let headers: string[] | undefined;
  const rows: string[][] = [];
  for await (const record of csvRecords(file)) {
    if (headers === undefined) headers = record;
    else rows.push(record);
  }
  if (headers === undefined)
    throw new AppError('validation_failed', `${file} is empty: no header line.`, { file });
  return { headers, rows };
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
