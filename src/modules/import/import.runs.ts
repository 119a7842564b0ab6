// The record of each import in import_runs: started, its progress while it runs (so a page can
// follow an import started anywhere, the CLI included), then its report or why it failed.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { ImportProgress, ImportReport } from './import.report.ts';

/** A run silent for this long, and not finished, was interrupted (its process stopped). */
export const SILENT_MS = 60_000;
const PROGRESS_EVERY_MS = 1_000;
const HEARTBEAT_EVERY_MS = 10_000;

export type ImportRunStatus = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface ImportRun {
  id: string;
  kind: string;
  fileName: string;
  status: ImportRunStatus;
  progress: ImportProgress | null;
  report: ImportReport | null;
  error: string | null;
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export async function recordRunStart(
  database: Database,
  run: { kind: string; fileName: string; startedAt: Date; requestedBy?: string | null },
): Promise<string> {
  const [row] = await database.rows<{ id: string }>(
    sql`INSERT INTO import_runs (kind, file_name, started_at, heartbeat_at, requested_by)
        VALUES (${run.kind}, ${run.fileName}, ${run.startedAt}, now(), ${run.requestedBy ?? null})
        RETURNING id`,
  );
  return row!.id;
}

export async function recordRunEnd(
  database: Database,
  report: ImportReport,
  finishedAt: Date,
): Promise<void> {
  await database.rows(
    sql`UPDATE import_runs SET rows_read = ${report.rowsRead}, created = ${report.created},
          updated = ${report.updated}, unchanged = ${report.unchanged}, warnings = ${report.warnings},
          rows_rejected = ${report.rejected}, problems = ${JSON.stringify(report.problems)}::jsonb,
          report = ${JSON.stringify(report)}::jsonb, finished_at = ${finishedAt}, heartbeat_at = now()
        WHERE id = ${report.runId}`,
  );
}

export async function recordRunFailure(
  database: Database,
  runId: string,
  error: string,
  finishedAt: Date,
): Promise<void> {
  await database.rows(
    sql`UPDATE import_runs SET error = ${error}, finished_at = ${finishedAt}, heartbeat_at = now()
        WHERE id = ${runId} AND finished_at IS NULL`,
  );
}

/**
 * Writes a run's progress at most once a second, and a heartbeat every ten seconds while a long
 * statement gives no progress. Never waited for and never fatal: on PGlite a write waits while
 * the import holds the database in a transaction, and a lost progress line loses nothing.
 */
export function progressRecorder(
  database: Database,
  runId: string,
): { update(progress: ImportProgress): void; stop(): Promise<void> } {
  let latest: ImportProgress | null = null;
  let writtenAt = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    const progress = latest;
    writtenAt = Date.now();
    writing = writing.then(async () => {
      try {
        await database.rows(
          sql`UPDATE import_runs SET heartbeat_at = now(),
                progress = coalesce(${progress === null ? null : JSON.stringify(progress)}::jsonb, progress)
              WHERE id = ${runId}`,
        );
      } catch {
        // The next write says it again.
      }
    });
  };
  const heartbeat = setInterval(write, HEARTBEAT_EVERY_MS);
  heartbeat.unref();
  return {
    update(progress) {
      const phaseChanged = latest?.phase !== progress.phase;
      latest = progress;
      if (phaseChanged || Date.now() - writtenAt >= PROGRESS_EVERY_MS) write();
    },
    async stop() {
      clearInterval(heartbeat);
      await writing;
    },
  };
}

interface RunRow {
  id: string;
  kind: string;
  file_name: string;
  progress: ImportProgress | null;
  report: ImportReport | null;
  error: string | null;
  requested_by: string | null;
  started_at: Date;
  finished_at: Date | null;
  /** A sign of life within SILENT_MS, by the database's clock (the one that wrote it). */
  alive: boolean;
}

const runColumns = sql`id, kind, file_name, progress, report, error, requested_by, started_at, finished_at,
  coalesce(heartbeat_at > now() - make_interval(secs => ${SILENT_MS / 1000}), false) AS alive`;

/**
 * `inProcess` says which unfinished runs this process is running or has queued: those are never
 * interrupted, whatever their heartbeat (on PGlite it cannot be written during a bulk merge).
 */
export async function findRun(
  database: Database,
  id: string,
  inProcess: (id: string) => 'queued' | 'running' | undefined,
): Promise<ImportRun | undefined> {
  const [row] = await database.rows<RunRow>(sql`SELECT ${runColumns} FROM import_runs WHERE id = ${id}`);
  return row && toRun(row, inProcess);
}

export async function latestRuns(
  database: Database,
  limit: number,
  inProcess: (id: string) => 'queued' | 'running' | undefined,
): Promise<ImportRun[]> {
  const rows = await database.rows<RunRow>(
    sql`SELECT ${runColumns} FROM import_runs ORDER BY started_at DESC LIMIT ${limit}`,
  );
  return rows.map((row) => toRun(row, inProcess));
}

function toRun(row: RunRow, inProcess: (id: string) => 'queued' | 'running' | undefined): ImportRun {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    status: statusOf(row, inProcess(row.id)),
    progress: row.progress,
    report: row.report,
    error: row.error,
    requestedBy: row.requested_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function statusOf(row: RunRow, here: 'queued' | 'running' | undefined): ImportRunStatus {
  if (row.finished_at) return row.error === null ? 'done' : 'failed';
  return here ?? (row.alive ? 'running' : 'interrupted');
}
