// Streams a CSV file record by record with the physical line each record starts on.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../../shared/errors.ts';

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
  return fs.createReadStream(file, { highWaterMark: 1 << 20 });
}

export function fileSize(file: string): number {
  return fs.statSync(file).size;
}

/**
 * Yields records in arrays (header included, as line 1), as many as the parser has ready:
 * one promise per array rather than per record keeps a million-row file fast.
 * `onBytes` follows the bytes parsed. Unreadable CSV (a stray quote) is reported and skipped.
 */
export async function* readCsvRecords(
  file: string,
  onProblem: (problem: CsvProblem) => void,
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<CsvRecord[]> {
  let lastLine = 0;
  let emptyLines = 0;
  // csv-parse counts a CRLF inside a quoted value as two lines; this undoes that.
  let overcount = 0;
  const parser = parse({
    bom: true,
    // Hand-edited exports mix Windows and Unix line ends.
    record_delimiter: ['\r\n', '\n'],
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = Number((error as { lines?: unknown } | undefined)?.lines ?? lastLine + 1);
      onProblem({
        line: lastLine + 1,
        reason: `the CSV cannot be read here (${error?.message ?? 'malformed record'}); lines ${lastLine + 1} to ${line} were skipped`,
      });
      lastLine = line;
      return undefined;
    },
  });
  const input = openFile(file);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for (;;) {
      const records: CsvRecord[] = [];
      for (
        let item = parser.read() as ParsedItem | null;
        item !== null;
        item = parser.read() as ParsedItem | null
      ) {
        const line = lastLine + 1 + (item.info.empty_lines - emptyLines);
        overcount += crlfInside(item.record);
        lastLine = item.info.lines - overcount;
        emptyLines = item.info.empty_lines;
        records.push({ values: item.record, line });
      }
      if (records.length > 0) {
        onBytes(parser.info.bytes);
        yield records;
      } else if (!(await moreToRead(parser))) {
        return;
      }
    }
  } finally {
    input.destroy();
  }
}

function crlfInside(values: string[]): number {
  let count = 0;
  for (const value of values) {
    for (let at = value.indexOf('\r\n'); at !== -1; at = value.indexOf('\r\n', at + 2)) count++;
  }
  return count;
}

interface ParsedItem {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/** Waits until the parser has records (true) or has ended (false); rejects on a read error. */
function moreToRead(parser: ReturnType<typeof parse>): Promise<boolean> {
  if (parser.readableEnded) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const done = (result: boolean, error?: Error) => {
      parser.off('readable', onReadable);
      parser.off('end', onEnd);
      parser.off('error', onError);
      if (error) reject(error);
      else resolve(result);
    };
    const onReadable = () => done(true);
    const onEnd = () => done(false);
    const onError = (error: Error) => done(false, error);
    parser.on('readable', onReadable);
    parser.on('end', onEnd);
    parser.on('error', onError);
  });
}

/** The header row, read without reading the rest of the file. */
export async function readCsvHeader(file: string): Promise<string[]> {
  for await (const records of readCsvRecords(file, () => {})) {
    if (records[0]) return records[0].values;
  }
  throw new AppError('validation_failed', `${file} is empty: a CSV file needs a header row.`, { file });
}
