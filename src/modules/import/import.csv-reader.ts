// Streams a CSV file record by record with the physical line each record starts on, whatever the
// encoding a CRM or a spreadsheet wrote it in (decoderFor); a sheet of an XLSX workbook is read as
// the same records (import.workbook.ts).
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { CsvParser } from './import.csv-parser.ts';
import { assertReadableWorkbook, readWorkbookRecords, workbookKind } from './import.workbook.ts';

export interface CsvRecord {
  values: string[];
  /** The physical line the record starts on; the header is line 1 (2 after an Excel "sep=" line). */
  line: number;
}

/** How a file is read: `sheet` names the tab of an XLSX workbook to read (by default its first). */
export interface ReadOptions {
  sheet?: string;
  /** Told the tab of a workbook that is read: the one named, or the first that holds a row. */
  onSheet?: (name: string) => void;
}

export interface CsvProblem {
  line: number;
  /** What an import report says: what could not be read, and which lines were skipped. */
  reason: string;
  /** What the CSV parser found wrong, alone ("a quote is not closed"). */
  cause: string;
  /** A warning: nothing the file meant as a record was lost (a report's title above its table). */
  severity?: 'warning';
}

function openFile(file: string): fs.ReadStream {
  if (!fs.existsSync(file)) throw new AppError('validation_failed', `There is no file ${file}.`, { file });
  if (!fs.statSync(file).isFile())
    throw new AppError('validation_failed', `${file} is not a file.`, { file });
  return fs.createReadStream(file, { highWaterMark: 1 << 20 });
}

/**
 * How a file's bytes become text, from its first bytes: UTF-16 when a byte-order mark says so,
 * UTF-8 when they are valid UTF-8, else Windows-1252 (what spreadsheets on Windows save a CSV in:
 * "Heiß" as the byte DF). The decoder is used in stream mode, so characters split between chunks
 * come out whole.
 */
export function decoderFor(start: Uint8Array): TextDecoder {
  if (start[0] === 0xff && start[1] === 0xfe) return new TextDecoder('utf-16le');
  if (start[0] === 0xfe && start[1] === 0xff) return new TextDecoder('utf-16be');
  try {
    // A character cut at the end of `start` is no error: stream mode keeps it for later.
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
    return new TextDecoder('utf-8');
  } catch {
    return new TextDecoder('windows-1252');
  }
}

/** How an import's report and history name what was read: the file, and the tab when one was named. */
export function sourceLabel(fileName: string, { sheet }: ReadOptions): string {
  return sheet === undefined ? fileName : `${fileName}, tab "${sheet}"`;
}

export function fileSize(file: string): number {
  return fs.statSync(file).size;
}

/**
 * Yields records in arrays (header included, as line 1), one array per chunk of the file:
 * one promise per array rather than per record keeps a million-row file fast.
 * `onBytes` follows the bytes read. Unreadable CSV (a stray quote) is reported and skipped.
 * A sheet of an XLSX workbook comes the same way; an ODS or XLS workbook is refused.
 */
export async function* readCsvRecords(
  file: string,
  onProblem: (problem: CsvProblem) => void,
  onBytes: (bytes: number) => void = () => {},
  read: ReadOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const { sheet } = read;
  const parser = new CsvParser(({ line, lastLine, reason }) =>
    onProblem({
      line,
      reason: `the CSV cannot be read here (${reason}); ${lastLine > line ? `lines ${line} to ${lastLine} were` : `line ${line} was`} skipped`,
      cause: reason,
    }),
  );
  const input = openFile(file);
  let decoder: TextDecoder | undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (!decoder) {
        const workbook = workbookKind(chunk);
        if (workbook) {
          input.destroy();
          assertReadableWorkbook(workbook, path.basename(file));
          yield* readWorkbookRecords(file, fileSize(file), onProblem, onBytes, read);
          return;
        }
        if (sheet !== undefined) {
          throw new AppError(
            'validation_failed',
            `${path.basename(file)} is a CSV file, which has no tabs: the sheet "${sheet}" names a tab of an Excel workbook. Leave it out.`,
            { file: path.basename(file), sheet },
          );
        }
        decoder = decoderFor(chunk);
      }
      const records = parser.push(decoder.decode(chunk, { stream: true }));
      onBytes(input.bytesRead);
      if (records.length > 0) yield records;
    }
    const tail = decoder?.decode() ?? '';
    const rest = [...(tail ? parser.push(tail) : []), ...parser.end()];
    if (rest.length > 0) yield rest;
  } finally {
    input.destroy();
  }
}

/** The header row, read without reading the rest of the file. */
export async function readCsvHeader(file: string, read: ReadOptions = {}): Promise<string[]> {
  const [header] = await readCsvSample(file, 1, () => {}, read);
  if (header) return header;
  throw new AppError(
    'validation_failed',
    read.sheet === undefined
      ? `${file} is empty: a CSV file needs a header row.`
      : `The tab "${read.sheet}" of ${file} is empty: name the tab that holds the export, its header row first.`,
    { file },
  );
}

/**
 * The file's first records (the header first), read without reading the rest of the file; what
 * the reading passed over goes to `onProblem`.
 */
export async function readCsvSample(
  file: string,
  records: number,
  onProblem: (problem: CsvProblem) => void = () => {},
  read: ReadOptions = {},
): Promise<string[][]> {
  const key = records <= WORKBOOK_SAMPLE ? workbookKey(file, read) : undefined;
  if (!key) return firstRecords(file, records, onProblem, read);
  if (workbookSample?.key !== key) {
    const problems: CsvProblem[] = [];
    let sheet = '';
    const sample = await firstRecords(file, WORKBOOK_SAMPLE, (problem) => problems.push(problem), {
      sheet: read.sheet,
      onSheet: (name) => {
        sheet = name;
      },
    });
    workbookSample = { key, records: sample, problems, sheet };
  }
  for (const problem of workbookSample.problems) onProblem(problem);
  read.onSheet?.(workbookSample.sheet);
  return workbookSample.records.slice(0, records);
}

async function firstRecords(
  file: string,
  records: number,
  onProblem: (problem: CsvProblem) => void,
  read: ReadOptions,
): Promise<string[][]> {
  const sample: string[][] = [];
  for await (const batch of readCsvRecords(file, onProblem, () => {}, read)) {
    for (const record of batch) {
      sample.push(record.values);
      if (sample.length === records) return sample;
    }
  }
  return sample;
}

/**
 * The first records of the last workbook sampled, kept: an import reads a file's header and first
 * rows several times before it starts (preset, mapping check, date and number formats), and each
 * read of a workbook parses every text in it again (half a second at 100,000 rows).
 * As many records as the largest sample asked for (import.service.ts: 2,000 rows and the header).
 */
const WORKBOOK_SAMPLE = 2001;
let workbookSample: { key: string; records: string[][]; problems: CsvProblem[]; sheet: string } | undefined;

/** For a sheet of an XLSX workbook, what tells this version of the file from another; undefined for text. */
function workbookKey(file: string, { sheet }: Pick<ReadOptions, 'sheet'>): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const start = Buffer.alloc(64);
    const read = fs.readSync(fd, start, 0, start.length, 0);
    if (workbookKind(start.subarray(0, read)) !== 'xlsx') return undefined;
    const stat = fs.fstatSync(fd);
    return `${path.resolve(file)}:${stat.size}:${stat.mtimeMs}:${sheet ?? ''}`;
  } catch {
    // No such file: the reading says so, with the message a person can act on.
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
