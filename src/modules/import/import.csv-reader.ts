// Streams a CSV file record by record with the physical line each record starts on.
import fs from 'node:fs';
import { AppError } from '../../shared/errors.ts';
import { CsvParser } from './import.csv-parser.ts';

export interface CsvRecord {
  values: string[];
  /** The physical line the record starts on; the header is line 1. */
  line: number;
}

export interface CsvProblem {
  line: number;
  reason: string;
}

function openFile(file: string): fs.ReadStream {
  if (!fs.existsSync(file)) throw new AppError('validation_failed', `There is no file ${file}.`, { file });
  if (!fs.statSync(file).isFile())
    throw new AppError('validation_failed', `${file} is not a file.`, { file });
  return fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
}

export function fileSize(file: string): number {
  return fs.statSync(file).size;
}

/**
 * Yields records in arrays (header included, as line 1), one array per chunk of the file:
 * one promise per array rather than per record keeps a million-row file fast.
 * `onBytes` follows the bytes read. Unreadable CSV (a stray quote) is reported and skipped.
 */
export async function* readCsvRecords(
  file: string,
  onProblem: (problem: CsvProblem) => void,
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(({ line, lastLine, reason }) =>
    onProblem({
      line,
      reason: `the CSV cannot be read here (${reason}); ${lastLine > line ? `lines ${line} to ${lastLine} were` : `line ${line} was`} skipped`,
    }),
  );
  const input = openFile(file);
  try {
    for await (const chunk of input) {
      const records = parser.push(chunk as string);
      onBytes(input.bytesRead);
      if (records.length > 0) yield records;
    }
    const rest = parser.end();
    if (rest.length > 0) yield rest;
  } finally {
    input.destroy();
  }
}

/** The header row, read without reading the rest of the file. */
export async function readCsvHeader(file: string): Promise<string[]> {
  for await (const records of readCsvRecords(file, () => {})) {
    if (records[0]) return records[0].values;
  }
  throw new AppError('validation_failed', `${file} is empty: a CSV file needs a header row.`, { file });
}
