// Imports started from the web app or the API: the uploaded file is kept on this server's disk,
// checked before anything is accepted, then imported in the background, one at a time per server,
// with its progress in import_runs for the page to follow.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { AppDeps } from '../../http/types.ts';
import { AppError } from '../../shared/errors.ts';
import type { PipelineConfig } from '../opportunities/opportunities.pipeline.ts';
import { REFRESH_LEAD_SCORES } from '../scoring/refresh.job.ts';
import {
  decoderFor,
  type ReadOptions,
  readCsvHeader,
  readCsvSample,
  sourceLabel,
} from './import.csv-reader.ts';
import { type ImportMapping, parseMapping } from './import.mapping.ts';
import {
  namedMapping,
  SAVED_PREFIX,
  type SavedMapping,
  savedAsPresets,
  savedMappings,
  saveMapping,
} from './import.mappings.store.ts';
import { detectPreset, exportKind } from './import.presets.ts';
import { findRun, type ImportRun, latestRuns, recordRunFailure, recordRunStart } from './import.runs.ts';
import { changesScores, checkCsvImport, importCsvFile, recognisedTab } from './import.service.ts';
import { assertReadableWorkbook, MORE_THAN_ONE_TAB, workbookKind, workbookTabs } from './import.workbook.ts';

/** Each upload's directory is named after the server process that keeps it: `lockstep-upload-<pid>-…`. */
const UPLOAD_PREFIX = 'lockstep-upload-';
const PREVIEW_PREFIX = 'lockstep-preview-';
/** Younger than this, a directory is left alone even when its process is gone (another machine's, say). */
const ABANDONED_AFTER_MS = 60 * 60_000;

/**
 * Removes the uploads that servers killed mid-import left behind (a file of up to a gigabyte each):
 * directories of a process that no longer runs, an hour old or more. Run when a server starts.
 */
export async function removeAbandonedUploads(tmp = os.tmpdir(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.promises.readdir(tmp)) {
    const pid = name.match(/^lockstep-(?:upload|preview)-(\d+)-/)?.[1];
    if (!pid || isRunning(Number(pid))) continue;
    const dir = path.join(tmp, name);
    const stat = await fs.promises.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory() || now - stat.mtimeMs < ABANDONED_AFTER_MS) continue;
    await fs.promises.rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Upload {
  /** Where the file was saved, under its own name in a directory of its own. */
  file: string;
  fileName: string;
  /**
   * The form's other fields: `preset`, or `mapping` (a mapping as JSON, sent as a field or as a file
   * part, as `curl -F mapping=@my-mapping.json` sends it); `saveAs`; `sheet` (a workbook's tab).
   */
  fields: Record<string, string>;
}

/**
 * Saves the multipart request's one file part to disk and collects its fields, in whatever order
 * they come. Throws 413 past `maxBytes`; the partial file is removed.
 */
export async function receiveUpload(
  parts: AsyncIterableIterator<Multipart>,
  maxBytes: number,
): Promise<Upload> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${UPLOAD_PREFIX}${process.pid}-`));
  try {
    const { file, fields } = await readForm(parts, maxBytes, (part) => saveFile(part, dir, maxBytes));
    return { ...file, fields };
  } catch (error) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * What a preview reads of a file: the start of a CSV file's text, or a workbook's first rows with
 * what reading them left out (a report's title rows), its tabs and the one read.
 */
export type FileHead =
  | { text: string }
  | { rows: string[][]; notes: string[]; sheets: { tabs: string[]; read: string } };

/**
 * The start of a file (for a preview) and the form's fields: at most `textBytes` of a CSV file, the
 * first `rows` rows of an XLSX workbook (which is whole only as a whole file, up to `maxBytes`): of
 * the tab the "sheet" field names, else of its first, or of the first a preset fits when that one
 * fits none (`saved`: the mappings saved on the Import page, recognised as presets are).
 */
export async function receiveHead(
  parts: AsyncIterableIterator<Multipart>,
  {
    maxBytes,
    textBytes = 1_048_576,
    rows,
    saved,
  }: {
    maxBytes: number;
    textBytes?: number;
    rows: number;
    saved?: { name: string; mapping: ImportMapping }[];
  },
): Promise<{ head: FileHead; fields: Record<string, string> }> {
  // A workbook is kept on disk until the form's fields, which may come after it, are all read.
  let dir: string | undefined;
  try {
    const { file, fields } = await readForm(parts, maxBytes, async (part): Promise<HeadPart> => {
      const chunks = part.file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      // Enough of the start to tell a workbook by (an ODS names its first entry at byte 30).
      let start: Buffer = Buffer.alloc(0);
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        start = Buffer.concat([start, next.value]);
        if (start.length >= 64) break;
      }
      const workbook = workbookKind(start);
      if (workbook) {
        assertReadableWorkbook(workbook, part.filename);
        dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${PREVIEW_PREFIX}${process.pid}-`));
        return {
          workbook: await keepWorkbook(part, start, chunks, path.join(dir, safeFileName(part)), maxBytes),
        };
      }
      const kept = [start];
      let size = start.length;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        size += next.value.length;
        if (size > textBytes) throw tooLarge(textBytes);
        kept.push(next.value);
      }
      if (size > textBytes) throw tooLarge(textBytes);
      const bytes = Buffer.concat(kept);
      return { text: decoderFor(bytes).decode(bytes) };
    });
    if ('text' in file) return { head: file, fields };
    return { head: await workbookRows(file.workbook, rows, fields.sheet, saved), fields };
  } finally {
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

type HeadPart = { text: string } | { workbook: string };

/** A workbook sent whole, saved as `file`. */
async function keepWorkbook(
  part: MultipartFile,
  start: Buffer,
  rest: AsyncIterator<Buffer>,
  file: string,
  maxBytes: number,
): Promise<string> {
  async function* whole() {
    yield start;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  }
  await pipeline(whole(), fs.createWriteStream(file));
  if (part.file.truncated) throw tooLarge(maxBytes);
  return file;
}

/**
 * A workbook's first rows and its tabs: of the tab named, else of its first, or of the first tab a
 * preset fits when that one fits none (said in a note). That others were not read is not a note: the
 * tabs are listed to choose from.
 */
async function workbookRows(
  file: string,
  rows: number,
  sheet: string | undefined,
  saved: { name: string; mapping: ImportMapping }[] | undefined,
): Promise<FileHead> {
  const tabs = await workbookTabs(file);
  const sampleOf = async (tab: string | undefined) => {
    const notes: string[] = [];
    let read = '';
    const sample = await readCsvSample(
      file,
      rows,
      (problem) => {
        if (problem.cause !== MORE_THAN_ONE_TAB) notes.push(problem.reason);
      },
      {
        sheet: tab,
        onSheet: (name) => {
          read = name;
        },
      },
    );
    return { rows: sample, notes, sheets: { tabs, read } };
  };
  const first = await sampleOf(sheet);
  if (sheet !== undefined || !saved || detectPreset(first.rows[0] ?? [], saved)) return first;
  const other = await recognisedTab(file, first.sheets.read, saved);
  if (!other) return first;
  const shown = await sampleOf(other.tab);
  shown.notes.unshift(
    `The tab "${first.sheets.read}" fits no preset; the tab "${other.tab}" is shown, whose columns are those of ${exportKind(other.preset.name)}. If it is not the one to import, choose another in the list of tabs.`,
  );
  return shown;
}

/** The most a mapping sent as a file may weigh: a mapping is a short JSON file. */
export const MAPPING_MAX_BYTES = 1_048_576;

/**
 * A form of fields and one file part, the file taken by `take`; a file part named "mapping" is the
 * mapping, read as the "mapping" field would be. What goes wrong is said as a 4xx.
 */
async function readForm<T>(
  parts: AsyncIterableIterator<Multipart>,
  maxBytes: number,
  take: (part: MultipartFile) => Promise<T>,
): Promise<{ file: T; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  const setField = (name: string, value: string) => {
    if (name === 'mapping' && fields.mapping !== undefined) {
      throw new AppError(
        'validation_failed',
        'Send the mapping once: as a "mapping" field or as a "mapping" file, not both.',
      );
    }
    fields[name] = value;
  };
  let file: { value: T } | undefined;
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated) throw fieldTooLarge(part.fieldname);
        // A field sent as application/json comes parsed.
        setField(part.fieldname, typeof part.value === 'string' ? part.value : JSON.stringify(part.value));
        continue;
      }
      if (part.fieldname === 'mapping') {
        setField('mapping', await mappingText(part));
        continue;
      }
      if (file) {
        part.file.resume();
        throw new AppError(
          'validation_failed',
          'Send one file per import (and a mapping of your own, if any, as "mapping").',
        );
      }
      file = { value: await take(part) };
    }
  } catch (error) {
    throw asUploadError(error, maxBytes);
  }
  if (!file)
    throw new AppError('validation_failed', 'The form has no file: send the CSV file as the "file" part.');
  return { file: file.value, fields };
}

/** A mapping sent as a file (`-F mapping=@my-mapping.json`): its text, up to MAPPING_MAX_BYTES. */
async function mappingText(part: MultipartFile): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAPPING_MAX_BYTES) throw fieldTooLarge('mapping');
    chunks.push(chunk);
  }
  // TextDecoder drops a byte-order mark, which JSON.parse would not take.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function fieldTooLarge(name: string): AppError {
  const message =
    name === 'mapping'
      ? 'The mapping is larger than 1 MB, the most this server takes: a mapping is a short JSON file ' +
        '(docs/import-mapping.md). Send the CSV file as "file" and the mapping as "mapping".'
      : `The "${name}" field is larger than 1 MB, the most this server takes.`;
  return new AppError('body_too_large', message);
}

/** The part's file name, its last part only, and nothing a shell or a path would read specially. */
function safeFileName(part: MultipartFile): string {
  return path.basename(part.filename || 'upload.csv').replace(/[^\w.\- ()]/g, '_') || 'upload.csv';
}

async function saveFile(part: MultipartFile, dir: string, maxBytes: number) {
  const fileName = safeFileName(part);
  const file = path.join(dir, fileName);
  await pipeline(part.file, fs.createWriteStream(file));
  if (part.file.truncated) throw tooLarge(maxBytes);
  return { file, fileName };
}

function tooLarge(maxBytes: number): AppError {
  const mb = (maxBytes / 1_048_576).toLocaleString('en-US', { maximumFractionDigits: 1 });
  return new AppError(
    'body_too_large',
    `The file is larger than ${mb} MB, the most this server accepts (LOCKSTEP_IMPORT_MAX_MB). ` +
      'Split it, or import it with `npx lockstep import csv`, which has no limit.',
  );
}

function asUploadError(error: unknown, maxBytes: number): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError(
      'unsupported_media_type',
      'Send the CSV file as multipart/form-data, e.g. curl -F file=@contacts.csv -F preset=hubspot-contacts.',
    );
  }
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new AppError(
      'validation_failed',
      'Send one file, with a "preset" or a "mapping" (a field or a file) at most, "saveAs" and "sheet".',
    );
  }
  return error;
}

/**
 * The mapping an upload asks for: a shipped preset or a saved mapping (`saved:<name>`), a mapping of
 * its own, or the one its header row fits.
 */
export async function mappingFor(
  upload: Upload,
  saved: SavedMapping[],
): Promise<{ mapping: ImportMapping; mappingName: string }> {
  const { preset, mapping } = upload.fields;
  if (preset && mapping) {
    throw new AppError('validation_failed', 'Give either "preset" or "mapping", not both.');
  }
  if (preset) return { mapping: namedMapping(preset, saved), mappingName: preset };
  if (mapping) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(mapping);
    } catch (error) {
      throw new AppError('invalid_json', `The mapping is not valid JSON: ${(error as Error).message}`);
    }
    return { mapping: parseMapping(parsed, 'sent'), mappingName: 'mapping' };
  }
  const read = readOptions(upload);
  let tab: string | undefined;
  const headers = await readCsvHeader(upload.file, {
    ...read,
    onSheet: (name) => {
      tab = name;
    },
  });
  const guess = detectPreset(headers, savedAsPresets(saved));
  if (!guess) {
    // A workbook may keep its export on another tab than the one read.
    const other =
      read.sheet === undefined && tab !== undefined
        ? await recognisedTab(upload.file, tab, savedAsPresets(saved))
        : undefined;
    throw new AppError(
      'validation_failed',
      `No preset fits the columns of ${upload.fileName} (${headers.slice(0, 8).join(', ')}` +
        `${headers.length > 8 ? ', …' : ''}). ` +
        (other
          ? `Its tab "${other.tab}" looks like ${exportKind(other.preset.name)}: send "sheet": "${other.tab}". `
          : '') +
        'Choose a preset, or send a mapping (docs/import-mapping.md).',
      { headers },
    );
  }
  return { mapping: namedMapping(guess.name, saved), mappingName: guess.name };
}

/** How the upload asks its file to be read: the tab of a workbook named by its "sheet" field. */
function readOptions(upload: Upload): ReadOptions {
  return upload.fields.sheet === undefined ? {} : { sheet: upload.fields.sheet };
}

/** A name to save a mapping under: what a person would type, without what would confuse a list. */
function mappingName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > 80) {
    throw new AppError('validation_failed', 'saveAs: give the mapping a name of 1 to 80 characters.');
  }
  return name;
}

/** Runs uploads one after the other on this server and says which of them it holds. */
export function createImportQueue(
  deps: Pick<AppDeps, 'database' | 'clock' | 'lifecycle' | 'jobs'> & {
    pipeline: PipelineConfig;
    log: Logger;
  },
) {
  const here = new Map<string, 'queued' | 'running'>();
  let last: Promise<void> = Promise.resolve();
  removeAbandonedUploads().then(
    (removed) => {
      if (removed.length > 0) deps.log.info({ removed }, 'removed uploads left by stopped servers');
    },
    (error) => deps.log.error({ err: error }, 'could not look for abandoned uploads'),
  );
  const stopping = new AbortController();
  const inProcess = (id: string) => here.get(id);

  async function run(runId: string, upload: Upload, mapping: ImportMapping, mappingName: string) {
    here.set(runId, 'running');
    try {
      stopping.signal.throwIfAborted();
      const report = await importCsvFile(deps.database, {
        file: upload.file,
        ...readOptions(upload),
        mapping,
        mappingName,
        lifecycle: deps.lifecycle,
        pipeline: deps.pipeline,
        clock: deps.clock,
        runId,
        signal: stopping.signal,
        // PGlite has one connection, and a batch holds it: small batches, never one bulk transaction,
        // so that the people using Lockstep meanwhile wait a moment at most.
        ...(deps.database.kind === 'pglite'
          ? { batchSize: 5_000, bulkMinRows: Number.POSITIVE_INFINITY }
          : {}),
      });
      // The people it wrote are scored, and those who now qualify become MQLs, in the background:
      // the nightly refresh, now (one at a time however many imports ask for it).
      if (changesScores(mapping, report))
        await deps.jobs.send(REFRESH_LEAD_SCORES, {}, { singletonKey: REFRESH_LEAD_SCORES });
    } catch (error) {
      // runImport records why a run failed; this covers a failure before it started.
      await recordRunFailure(deps.database, runId, (error as Error).message, deps.clock.now()).catch(
        () => {},
      );
      // A bug is also worth a line in the server's log.
      if (!(error instanceof AppError)) deps.log.error({ err: error, runId }, 'import failed');
    } finally {
      here.delete(runId);
      await fs.promises.rm(path.dirname(upload.file), { recursive: true, force: true });
    }
  }

  return {
    /** Checks the file against its mapping, records the run and queues it; the file is the queue's now. */
    async start(upload: Upload, requestedBy: string | null): Promise<ImportRun> {
      try {
        const saved = await savedMappings(deps.database);
        const { mapping, mappingName: usedName } = await mappingFor(upload, saved);
        await checkCsvImport(upload.file, mapping, deps.lifecycle, deps.pipeline, readOptions(upload));
        // A mapping of one's own may be kept under a name, for the next export from the same place.
        let kind = usedName;
        if (upload.fields.saveAs !== undefined && upload.fields.mapping) {
          const name = mappingName(upload.fields.saveAs);
          await saveMapping(deps.database, name, mapping, requestedBy);
          kind = `${SAVED_PREFIX}${name}`;
        }
        const runId = await recordRunStart(deps.database, {
          kind: `csv:${kind}`,
          fileName: sourceLabel(upload.fileName, readOptions(upload)),
          startedAt: deps.clock.now(),
          requestedBy,
        });
        here.set(runId, 'queued');
        last = last.then(() => run(runId, upload, mapping, kind));
        return (await findRun(deps.database, runId, inProcess))!;
      } catch (error) {
        await fs.promises.rm(path.dirname(upload.file), { recursive: true, force: true });
        throw withoutTempPath(error, upload);
      }
    },
    async get(id: string): Promise<ImportRun> {
      const run = await findRun(deps.database, id, inProcess);
      if (!run) throw new AppError('not_found', `There is no import ${id}.`);
      return run;
    },
    latest: (limit: number) => latestRuns(deps.database, limit, inProcess),
    /**
     * The server is shutting down: the running import stops at its next chunk or batch, and the
     * queued ones do not start; each is recorded as stopped, to be imported again.
     */
    async stop(): Promise<void> {
      stopping.abort(new AppError('validation_failed', STOPPED));
      await last;
    },
  };
}

const STOPPED =
  'The server was stopped during this import. The batches written before stay; import the file again to complete it (nothing is duplicated).';

interface Logger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

/** Messages name the file as the user knows it, not where this server kept it. */
function withoutTempPath(error: unknown, upload: Upload): unknown {
  if (!(error instanceof AppError)) return error;
  const rename = (text: string) => text.replaceAll(upload.file, upload.fileName);
  const details = error.details && JSON.parse(rename(JSON.stringify(error.details)));
  return new AppError(error.code, rename(error.message), details);
}
