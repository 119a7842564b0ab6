// Reads a sheet of an XLSX workbook (what HubSpot and Salesforce offer beside CSV; the first visible
// tab that holds a row, unless one is named) as the records a CSV file gives: every cell as text, each record's line the sheet's row number, so the
// rest of an import cannot tell the two apart.
import path from 'node:path';
// Types only: the libraries are loaded when a workbook is read, not by every import of a CSV file.
import type ExcelJS from 'exceljs';
import type yauzl from 'yauzl';
import { AppError } from '../../shared/errors.ts';
import type { CsvProblem, CsvRecord, ReadOptions } from './import.csv-reader.ts';

export type WorkbookKind = 'xlsx' | 'ods' | 'xls';

/**
 * What kind of workbook a file is, from its first bytes, or undefined for text. XLSX and ODS
 * files are zip archives (an ODS names its "mimetype" entry first, as its standard asks); old XLS
 * files are OLE documents, as are password-protected XLSX files.
 */
export function workbookKind(start: Uint8Array): WorkbookKind | undefined {
  if (start[0] === 0xd0 && start[1] === 0xcf && start[2] === 0x11 && start[3] === 0xe0) return 'xls';
  if (!(start[0] === 0x50 && start[1] === 0x4b && start[2] === 0x03 && start[3] === 0x04)) return undefined;
  const firstEntry = new TextDecoder().decode(start.subarray(30, 38));
  return firstEntry === 'mimetype' ? 'ods' : 'xlsx';
}

/** Refuses what cannot be read: an ODS or XLS workbook, with what to do instead. */
export function assertReadableWorkbook(kind: WorkbookKind, name: string): void {
  if (kind === 'xlsx') return;
  throw new AppError(
    'validation_failed',
    `${name} is ${kind === 'ods' ? 'an OpenDocument spreadsheet (ODS)' : 'an old Excel workbook (XLS), or one protected by a password'}, ` +
      'which Lockstep cannot read. Save it as "Excel Workbook (.xlsx)" or "CSV UTF-8", or export CSV from the CRM.',
    { file: name },
  );
}

/** Records per yielded array: one promise per array rather than per row. */
const BATCH = 1_000;

/**
 * A workbook's shared strings (every distinct text in it) are held in memory while its sheet is
 * read; past this size the file is refused rather than the process running out of memory.
 */
const MAX_SHARED_STRINGS_BYTES = 512 * 1_048_576;

/** Rows read before the header is chosen: a report's title and filters fit in far fewer. */
const HEADER_LOOKAHEAD = 30;

/**
 * Yields a sheet's rows (the header first) in arrays: the tab named `sheet`, else the first tab
 * that is not hidden and holds a row (told to `onSheet`). Cells become the text a CSV export
 * would hold: numbers to Excel's 15 significant digits (1200.5), dates as wall-clock ISO text
 * (2025-03-04 14:30:00, or 2025-03-04 at midnight), formulas as their result, TRUE and FALSE.
 * The header is the first row with at least half as many filled cells as the fullest of the first
 * rows: the title and filters a report puts above its table (Salesforce's "Formatted Report") are
 * left out, with a warning. Rows are as long as the header; a row the sheet leaves out (an empty
 * one) comes as one empty record, and once one has come a row with only its first cell filled keeps
 * its one value, so a report's footer reads as it does in a CSV file (import.service.ts).
 * When no tab is named, a workbook of several tabs is said in a warning. `onBytes` follows the
 * sheet's progress in bytes of the file.
 */
export async function* readWorkbookRecords(
  file: string,
  fileBytes: number,
  onProblem: (problem: CsvProblem) => void,
  onBytes: (bytes: number) => void = () => {},
  { sheet: chosen, onSheet }: ReadOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const name = path.basename(file);
  const { sheet, rows, first: firstRow, empty } = await sheetWithRows(file, name, chosen);
  onSheet?.(sheet.name);
  const others = sheet.tabs.filter((tab) => tab !== sheet.name);
  const unread = others.filter((tab) => !empty.includes(tab));
  if (chosen === undefined && unread.length > 0) {
    onProblem({
      line: 1,
      reason: `the workbook has ${sheet.tabs.length} tabs and only "${sheet.name}" was read (the others: ${others
        .map((tab) => `"${tab}"${empty.includes(tab) ? ' (empty)' : ''}`)
        .join(
          ', ',
        )}); to read another, name it (--sheet "${unread[0]}" on the command line, "sheet" in the API)`,
      cause: MORE_THAN_ONE_TAB,
      severity: 'warning',
    });
  }
  let width = 0;
  let lastLine = 0;
  let emptyRowSeen = false;
  let batch: CsvRecord[] = [];
  const accept = ({ values, line }: CsvRecord) => {
    if (lastLine === 0) width = values.length;
    if (lastLine > 0 && line > lastLine + 1) {
      batch.push({ values: [''], line: lastLine + 1 });
      emptyRowSeen = true;
    }
    const footerShape = emptyRowSeen && values.length === 1;
    batch.push({ values: footerShape ? values : fitted(values, width), line });
    if (values.every((value) => value.trim() === '')) emptyRowSeen = true;
    lastLine = line;
  };
  // The first rows, until the header is chosen among them.
  let first: CsvRecord[] | null = [];
  const chooseHeader = (rows: CsvRecord[]) => {
    const header = headerIndex(rows);
    if (header > 0) {
      const [from, to] = [rows[0]!.line, rows[header - 1]!.line];
      onProblem({
        line: from,
        reason: `left out: ${from === to ? `row ${from} comes` : `rows ${from} to ${to} come`} above the table, whose header is row ${rows[header]!.line} (a report's title and filters)`,
        cause: 'above the table',
        severity: 'warning',
      });
    }
    for (const row of rows.slice(header)) accept(row);
  };
  try {
    for (let next = firstRow; !next.done; next = await rows.next()) {
      const row = next.value;
      const record = {
        values: Array.from((row.values as ExcelJS.CellValue[]).slice(1), cellText),
        line: row.number,
      };
      if (first) {
        first.push(record);
        if (first.length < HEADER_LOOKAHEAD) continue;
        chooseHeader(first);
        first = null;
      } else {
        accept(record);
      }
      if (batch.length >= BATCH) {
        onBytes(Math.min(fileBytes, Math.round((sheet.inflated() / sheet.size) * fileBytes)));
        yield batch;
        batch = [];
      }
    }
    if (first) chooseHeader(first);
  } catch (error) {
    throw unreadable(name, error);
  } finally {
    sheet.close();
  }
  onBytes(fileBytes);
  if (batch.length > 0) yield batch;
}

/**
 * Which of a sheet's first rows is its header: the first with at least half as many filled cells
 * as the fullest of them (and two, when any row has two); the first row when none is wider.
 */
function headerIndex(rows: CsvRecord[]): number {
  const filled = rows.map(({ values }) => values.filter((value) => value.trim() !== '').length);
  const needed = Math.max(2, Math.ceil(Math.max(0, ...filled) / 2));
  const header = filled.findIndex((count) => count >= needed);
  return header === -1 ? 0 : header;
}

/** A row as wide as the header: the sheet leaves out the empty cells at its end. */
function fitted(values: string[], width: number): string[] {
  if (values.length < width) return values.concat(Array<string>(width - values.length).fill(''));
  let end = values.length;
  while (end > width && values[end - 1] === '') end--;
  return end === values.length ? values : values.slice(0, end);
}

/** The text a CSV export would hold for a cell. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // Excel keeps 15 significant digits and writes no more into a CSV file: 0.1 + 0.2 is 0.3 there.
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return wallClock(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return '';
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}

/**
 * A workbook's date has no zone: ExcelJS gives its wall-clock time as UTC, and it is written
 * without a zone so the mapping's time zone applies, as to a CSV file's dates.
 */
function wallClock(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

/** The `cause` of the warning that a workbook's other tabs were not read. */
export const MORE_THAN_ONE_TAB = 'more than one tab';

/** A workbook's tabs that are not hidden, in its order, without reading a sheet. */
export async function workbookTabs(file: string): Promise<string[]> {
  const zip = await openZip(file, path.basename(file));
  try {
    const { reader } = await readWorkbookParts(zip, false);
    return visibleTabs(reader).map((tab) => tab.name);
  } catch (error) {
    throw unreadable(path.basename(file), error);
  } finally {
    zip.close();
  }
}

/**
 * The sheet to read, with its first row: the tab named, else the first tab not hidden that holds
 * a row (a workbook may keep a blank first tab, its export on the next); the empty tabs passed over.
 * The workbook's texts are read once, whichever tab holds the rows.
 */
async function sheetWithRows(
  file: string,
  name: string,
  chosen: string | undefined,
): Promise<{
  sheet: OpenSheet;
  rows: AsyncIterator<ExcelJS.Row>;
  first: IteratorResult<ExcelJS.Row>;
  empty: string[];
}> {
  const zip = await openZip(file, name);
  try {
    const { reader, entries } = await readWorkbookParts(zip, true);
    const candidates = candidateTabs(reader, name, chosen);
    const empty: string[] = [];
    for (const [i, tab] of candidates.entries()) {
      const sheet = await openTab(zip, reader, entries, tab);
      const rows = sheet.rows[Symbol.asyncIterator]();
      const first = await rows.next().catch((error: unknown) => {
        sheet.stop();
        throw error;
      });
      if (!first.done || i === candidates.length - 1) return { sheet, rows, first, empty };
      empty.push(tab.name);
      sheet.stop();
    }
    throw new Error('it has no worksheet');
  } catch (error) {
    zip.close();
    throw unreadable(name, error);
  }
}

interface OpenSheet {
  /** The tab read. */
  name: string;
  rows: AsyncIterable<ExcelJS.Row>;
  /** The workbook's tabs that are not hidden, in its order. */
  tabs: string[];
  /** Bytes of the sheet's XML inflated so far, of `size`: the progress. */
  inflated: () => number;
  size: number;
  /** Stops reading this sheet; the file stays open for another. */
  stop: () => void;
  /** Ends the reading and closes the file, whether the sheet was read to its end or not. */
  close: () => void;
}

/**
 * ExcelJS's streaming reader takes a zip's entries in file order, and files Excel writes put the
 * sheets before the shared strings they need: it then copies each sheet to a temporary file that
 * it removes only once the sheet is read to its end, which a header or a preview never does.
 * Reading the entries through the zip's directory (yauzl), in the order they are needed, avoids
 * both. The reader's own steps (`_parse…`) are used for that; its version is pinned in package.json.
 */
async function openTab(
  zip: yauzl.ZipFile,
  reader: ReaderSteps,
  entries: Map<string, yauzl.Entry>,
  tab: Tab,
): Promise<OpenSheet> {
  const target = reader.workbookRels?.find((rel) => rel.Id === tab.rId)?.Target;
  const sheetPath = target && (target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  const sheet = sheetPath ? entries.get(sheetPath) : undefined;
  const sheetNo = sheetPath?.match(/sheet(\d+)\.xml$/)?.[1];
  if (!sheet || !sheetNo) throw new Error(`its tab "${tab.name}" is not a worksheet`);
  const content = await zip.openReadStreamPromise(sheet);
  let inflated = 0;
  content.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
  });
  content.pause();
  const [event] = [...reader._parseWorksheet(content, sheetNo)];
  return {
    name: tab.name,
    rows: event!.value,
    tabs: visibleTabs(reader).map((visible) => visible.name),
    inflated: () => inflated,
    size: Math.max(1, sheet.uncompressedSize),
    stop: () => content.destroy(),
    close: () => {
      content.destroy();
      zip.close();
    },
  };
}

async function openZip(file: string, name: string): Promise<yauzl.ZipFile> {
  const { default: yauzlLibrary } = await import('yauzl');
  try {
    return await yauzlLibrary.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw unreadable(name, error);
  }
}

/** The workbook's list of tabs, and with `cells` what its sheets' cells need: texts and styles. */
async function readWorkbookParts(
  zip: yauzl.ZipFile,
  cells: boolean,
): Promise<{ reader: ReaderSteps; entries: Map<string, yauzl.Entry> }> {
  const { default: ExcelJSLibrary } = await import('exceljs');
  const entries = new Map<string, yauzl.Entry>();
  for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
  const open = (entry: yauzl.Entry) => zip.openReadStreamPromise(entry);
  const workbook = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new Error('it is a zip file with no xl/workbook.xml in it');
  // Its input is never read: each step below is given its entry.
  const reader = new ExcelJSLibrary.stream.xlsx.WorkbookReader('', {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  }) as unknown as ReaderSteps;
  await reader._parseRels(await open(rels));
  await reader._parseWorkbook(await open(workbook));
  if (!cells) return { reader, entries };
  const strings = entries.get('xl/sharedStrings.xml');
  reader.sharedStrings = [];
  if (strings) {
    if (strings.uncompressedSize > MAX_SHARED_STRINGS_BYTES) {
      throw new Error('its texts are too many to read from a workbook; export CSV instead');
    }
    for await (const _ of reader._parseSharedStrings(await open(strings))) {
      // Kept by the reader; nothing is emitted.
    }
  }
  const styles = entries.get('xl/styles.xml');
  if (styles) await reader._parseStyles(await open(styles));
  return { reader, entries };
}

type Tab = NonNullable<ReaderSteps['model']['sheets']>[number];

/** The tabs a person sees in Excel, in the workbook's order (not the order of the sheet files). */
function visibleTabs(reader: ReaderSteps): Tab[] {
  return (reader.model.sheets ?? []).filter((tab) => tab.state !== 'hidden' && tab.state !== 'veryHidden');
}

/** Of a workbook's tabs, the one `chosen` names: exactly, else whatever its case and outer spaces. */
function tabNamed(tabs: string[], chosen: string): string | undefined {
  const loose = (text: string) => text.trim().toLowerCase();
  return tabs.find((tab) => tab === chosen) ?? tabs.find((tab) => loose(tab) === loose(chosen));
}

/** The tabs to read from, in turn: the tab named, else those not hidden (the first tab when all are). */
function candidateTabs(reader: ReaderSteps, name: string, chosen: string | undefined): Tab[] {
  const tabs = reader.model.sheets ?? [];
  if (chosen === undefined) {
    const visible = visibleTabs(reader);
    return visible.length > 0 ? visible : tabs.slice(0, 1);
  }
  const named = tabNamed(
    tabs.map((tab) => tab.name),
    chosen,
  );
  const tab = tabs.find((candidate) => candidate.name === named);
  if (tab) return [tab];
  throw new AppError(
    'validation_failed',
    `${name} has no tab "${chosen}"; its tabs are ${visibleTabs(reader)
      .map((visible) => `"${visible.name}"`)
      .join(', ')}.`,
    { file: name, sheet: chosen },
  );
}

/** The steps of ExcelJS's WorkbookReader (lib/stream/xlsx/workbook-reader.js) used above. */
interface ReaderSteps {
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(
    content: NodeJS.ReadableStream,
    sheetNo: string,
  ): Generator<{ eventType: 'worksheet'; value: AsyncIterable<ExcelJS.Row> }>;
  sharedStrings?: unknown[];
  workbookRels?: { Id: string; Target: string }[];
  model: { sheets?: { id: number; name: string; rId: string; state?: string }[] };
}

function unreadable(name: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'validation_failed',
    `${name} cannot be read as an Excel workbook (${(error as Error).message}). ` +
      'Open it and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8", or export CSV from the CRM.',
    { file: name },
  );
}
