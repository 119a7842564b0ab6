// One import run, whatever the file: stream records into a staging table with COPY, set aside
// duplicates, then merge batch by batch, each batch one transaction. JavaScript never holds more
// than one COPY chunk of rows, or one batch's stage changes, whatever the size of the file.
import { type Database, type DbSession, isUniqueViolation } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { startingStage } from '../lifecycle/lifecycle.rules.ts';
import { defaultPipeline, type PipelineConfig } from '../opportunities/opportunities.pipeline.ts';
import { mergeAccounts } from './import.accounts.store.ts';
import { deferIndexes, lockForBulkLoad, restoreIndexes, worthBulkLoading } from './import.bulk.ts';
import { mergeDealBatch } from './import.deals.ts';
import * as peopleStore from './import.people.store.ts';
import {
  createProblemLog,
  type ImportProblem,
  type ImportProgress,
  type ImportReport,
  PROBLEMS_KEPT,
  type ProblemLog,
  type ProgressListener,
} from './import.report.ts';
import { progressRecorder, recordRunEnd, recordRunFailure, recordRunStart } from './import.runs.ts';
import { pathForExistingPerson, pathForNewPerson } from './import.stages.ts';
import { orderedIds, type StagedRecord, type StagedStep, stagedCsvLine } from './import.staging.ts';
import * as store from './import.store.ts';
import type { VariantGroup } from './import.variants.ts';

/** Where records come from: a mapped CSV file, or the Olist pair of files. */
export interface ImportSource {
  kind: string;
  /** Shown in the report and in import_runs. */
  fileName: string;
  entity: 'people' | 'accounts' | 'opportunities';
  /** The CRM name in front of external ids (`hubspot`); deal owners are matched as `<crm>:<value>`. */
  crm?: string;
  /** Values of one thing spelled differently, found while reading (opportunities files). */
  variants?: () => VariantGroup[];
  /** The date pattern read from the file's first rows (a mapping's dateFormat "auto"). */
  guessedDateFormat?: string;
  /** How amounts are written, read from the file's first rows (a mapping's numberFormat "auto"). */
  guessedNumberFormat?: string;
  /** Files in the order their problems are listed. */
  files?: string[];
  /** stage_transitions.rule and .reason for the history this import writes. */
  rule: string;
  reason: string;
  /** Yields valid records; reports rejected rows and warnings to `log` and counts rows in `reading`. */
  records(log: ProblemLog, reading: ReadingState): AsyncIterable<StagedRecord[]>;
}

export interface ReadingState {
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

export interface RunOptions {
  lifecycle: LifecycleConfig;
  /** The deal pipeline, for opportunities files. */
  pipeline?: PipelineConfig;
  clock: Clock;
  onProgress?: ProgressListener;
  /** Rows merged per transaction. */
  batchSize?: number;
  /** New people from which a large import may rebuild indexes instead of inserting into them. */
  bulkMinRows?: number;
  /** The run already recorded in import_runs (an upload); otherwise one is recorded here. */
  runId?: string;
  /**
   * Stops the import at the next chunk or batch (the server shutting down): the batch being merged
   * is rolled back, the ones before it stay, and importing the file again completes it.
   */
  signal?: AbortSignal;
}

const COPY_CHUNK_CHARS = 1 << 20;

export async function runImport(
  database: Database,
  source: ImportSource,
  options: RunOptions,
): Promise<ImportReport> {
  const runId =
    options.runId ??
    (await recordRunStart(database, {
      kind: source.kind,
      fileName: source.fileName,
      startedAt: options.clock.now(),
    }));
  const recorder = progressRecorder(database, runId);
  const onProgress = (progress: ImportProgress) => {
    recorder.update(progress);
    options.onProgress?.(progress);
  };
  try {
    const report = await importRecords(database, source, { ...options, onProgress }, runId);
    await recorder.stop();
    await recordRunEnd(database, report, options.clock.now());
    return report;
  } catch (error) {
    await recorder.stop();
    await recordRunFailure(database, runId, (error as Error).message, options.clock.now());
    throw error;
  }
}

async function importRecords(
  database: Database,
  source: ImportSource,
  options: RunOptions,
  runId: string,
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 100_000;
  const log = createProblemLog(source.files);
  // Problems found in SQL are about the main file.
  const mainFile = source.files?.[0];
  const inMainFile = (problems: ImportProblem[]) =>
    problems.map((p) => (mainFile ? { ...p, file: mainFile } : p));
  const reading: ReadingState = { rowsRead: 0, bytesRead: 0, totalBytes: 0 };
  const totals = { created: 0, updated: 0, unchanged: 0, superseded: 0, accountsCreated: 0, transitions: 0 };
  let rowsToMerge = 0;
  let bulkLoaded = false;
  const progress = (phase: ImportProgress['phase'], rowsMerged: number) =>
    options.onProgress?.({ phase, ...reading, rowsMerged, rowsToMerge });

  // Wall-clock time per phase, to tell a user (and the benchmark) where an import spends its time.
  const seconds = { reading: 0, preparing: 0, merging: 0 };
  let phaseStart = performance.now();
  const endPhase = (phase: keyof typeof seconds) => {
    const now = performance.now();
    seconds[phase] = Math.round(now - phaseStart) / 1000;
    phaseStart = now;
  };
  await database.withSession(async (session) => {
    await store.createStagingTables(session);
    try {
      let staged = 0;
      let withLockstepIds = 0;
      const newId = orderedIds();
      const lines = async function* (): AsyncGenerator<string> {
        let chunk = '';
        for await (const records of source.records(log, reading)) {
          for (const record of records) {
            // Someone new with a Lockstep ID (from another Lockstep's export) keeps it.
            if (record.lockstepId) withLockstepIds++;
            chunk += stagedCsvLine(record, Math.floor(staged / batchSize), record.lockstepId ?? newId());
            staged++;
          }
          progress('reading', 0);
          options.signal?.throwIfAborted();
          if (chunk.length >= COPY_CHUNK_CHARS) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      };
      await session.copyCsv(store.stagingCopyTarget, lines());
      rowsToMerge = staged;
      progress('reading', 0);
      endPhase('reading');
      progress('merging', 0);
      await store.indexStagedRows(session);

      const duplicates = await store.markSupersededRows(session, source.entity, PROBLEMS_KEPT);
      totals.superseded += duplicates.count;
      log.addCounted('warning', duplicates.count, inMainFile(duplicates.firstFew));
      if (source.entity === 'people') {
        const samePerson = await store.matchExistingPeople(session, PROBLEMS_KEPT);
        totals.superseded += samePerson.count;
        log.addCounted('warning', samePerson.count, inMainFile(samePerson.firstFew));
      }
      if (source.entity !== 'people') {
        const sameRecord = await (source.entity === 'accounts'
          ? store.setAsideSameAccount(session, PROBLEMS_KEPT)
          : store.setAsideSameDeal(session, PROBLEMS_KEPT));
        totals.superseded += sameRecord.count;
        log.addCounted('warning', sameRecord.count, inMainFile(sameRecord.firstFew));
      }
      if (withLockstepIds > 0) {
        const unknownIds = await store.unknownLockstepIds(session, source.entity, PROBLEMS_KEPT);
        log.addCounted('warning', unknownIds.count, inMainFile(unknownIds.firstFew));
      }

      endPhase('preparing');
      const batches = Math.ceil(staged / batchSize);
      const add = (outcome: BatchOutcome) => {
        totals.created += outcome.created;
        totals.updated += outcome.updated;
        totals.unchanged += outcome.unchanged;
        totals.accountsCreated += outcome.accountsCreated;
        totals.transitions += outcome.transitions;
      };
      const bulk = source.entity === 'people' && (await worthBulkLoading(session, options.bulkMinRows));
      const written = (batch: number) => progress('merging', Math.min(staged, (batch + 1) * batchSize));
      const indexing = () => progress('indexing', staged);
      const inBulk = bulk
        ? await mergePeopleInBulk(session, source, batches, { log, options, mainFile, written, indexing })
        : null;
      if (inBulk) {
        bulkLoaded = true;
        inBulk.forEach(add);
      } else {
        for (let batch = 0; batch < batches; batch++) {
          options.signal?.throwIfAborted();
          add(await mergeBatch(session, source, batch, log, options, mainFile));
          written(batch);
        }
      }
      await analyzeAfterLargeImport(session, source.entity, totals.created + totals.updated, bulkLoaded);
      endPhase('merging');
    } finally {
      await store.dropStagingTables(session);
    }
  });

  const { problems, truncated } = log.firstProblems();
  const report: ImportReport = {
    runId,
    kind: source.kind,
    file: source.fileName,
    rowsRead: reading.rowsRead,
    created: totals.created,
    updated: totals.updated,
    unchanged: totals.unchanged,
    rejected: log.rejected,
    superseded: totals.superseded,
    warnings: log.warnings,
    accountsCreated: totals.accountsCreated,
    transitionsCreated: totals.transitions,
    problems,
    problemsTruncated: truncated,
    variants: source.variants?.() ?? [],
    ...(source.guessedDateFormat ? { guessedDateFormat: source.guessedDateFormat } : {}),
    ...(source.guessedNumberFormat ? { guessedNumberFormat: source.guessedNumberFormat } : {}),
    seconds,
    bulkLoaded,
  };
  progress('done', rowsToMerge);
  return report;
}

interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  accountsCreated: number;
  transitions: number;
}

const ATTEMPTS = 3;

/** The tables an import of each kind writes. */
const writtenTables: Record<ImportSource['entity'], string[]> = {
  people: ['people', 'accounts', 'stage_transitions'],
  accounts: ['accounts'],
  opportunities: ['opportunities', 'accounts'],
};
/** From this many people, accounts or deals written, an import takes the tables' statistics again. */
const ANALYZE_FROM = 10_000;

/**
 * Fresh statistics after a large import (0.6 s at a million people): lists and reports plan from
 * them, and tables loaded in bulk have none until autovacuum, where it runs at all, gets to them.
 * Without them, listing a stage that nobody is in walked every person in creation order (1.5 s at a
 * million, against 0.15 s with them).
 */
async function analyzeAfterLargeImport(
  session: DbSession,
  entity: ImportSource['entity'],
  written: number,
  bulk: boolean,
): Promise<void> {
  if (bulk || written >= ANALYZE_FROM) await session.query(`ANALYZE ${writtenTables[entity].join(', ')}`);
}

/** One batch in one transaction: a row's account, person and history land together or not at all. */
async function mergeBatch(
  session: DbSession,
  source: ImportSource,
  batch: number,
  log: ProblemLog,
  options: RunOptions,
  mainFile: string | undefined,
): Promise<BatchOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await session.transaction((tx) => mergeBatchOnce(tx, source, batch, log, options, mainFile));
    } catch (error) {
      // Someone else added one of these people while the import ran: match them too and go again.
      if (!isUniqueViolation(error) || attempt === ATTEMPTS) throw error;
      await peopleStore.matchBatchAgain(session, batch);
    }
  }
}

async function mergeBatchOnce(
  session: DbSession,
  source: ImportSource,
  batch: number,
  log: ProblemLog,
  options: RunOptions,
  mainFile: string | undefined,
): Promise<BatchOutcome> {
  const kept = await peopleStore.keptRowCount(session, batch);
  const accounts = await mergeAccounts(session, batch, source.entity === 'accounts');
  if (source.entity === 'opportunities') {
    const deals = await mergeDealBatch(session, batch, {
      pipeline: options.pipeline ?? defaultPipeline,
      lifecycle: options.lifecycle,
      now: options.clock.now(),
      source: source.crm ?? source.rule.replace(/^import:/, ''),
      reason: source.reason,
    });
    log.addCounted('warning', deals.counted.count, inMain(deals.counted.firstFew, mainFile));
    for (const [line, reason] of deals.warnings) log.warn(line, reason, mainFile);
    return {
      created: deals.created,
      updated: deals.updated,
      unchanged: kept - deals.created - deals.updated,
      accountsCreated: accounts.created,
      transitions: deals.transitions,
    };
  }
  if (source.entity === 'accounts') {
    const { created, updated } = accounts;
    return {
      created,
      updated,
      unchanged: kept - created - updated,
      accountsCreated: created,
      transitions: 0,
    };
  }
  const warnings: [number, string][] = [];
  const existing = await mergeExistingPeople(session, source, batch, options, warnings);
  const fresh = await insertNewPeople(session, source, batch, options);
  await reportStagesNoOneStartsIn(session, batch, options, warnings);
  // Reported only once the batch cannot be retried any more.
  for (const [line, reason] of warnings) log.warn(line, reason, mainFile);
  return {
    created: fresh.created,
    updated: existing.updated,
    unchanged: kept - fresh.created - existing.updated,
    accountsCreated: accounts.created,
    transitions: fresh.transitions + existing.appended,
  };
}

/** The batch's new people and their whole history; one without a stage starts where the lifecycle starts. */
function insertNewPeople(session: DbSession, source: ImportSource, batch: number, options: RunOptions) {
  const history = { rule: source.rule, reason: source.reason, start: startingStage(options.lifecycle) };
  return peopleStore.insertNewPeople(session, batch, history, options.clock.now());
}

/**
 * The new people of a batch whose stage no one starts in ("recycled"): they start at the lifecycle's
 * starting stage like a person without a stage, and the row says so.
 */
async function reportStagesNoOneStartsIn(
  session: DbSession,
  batch: number,
  options: RunOptions,
  warnings: [number, string][],
): Promise<void> {
  const start = startingStage(options.lifecycle);
  for (const { line, stage } of await peopleStore.newPeopleWithLaterStage(session, batch)) {
    const outcome = pathForNewPerson(
      options.lifecycle,
      stage,
      {},
      { createdAt: null, now: options.clock.now() },
    );
    if ('refused' in outcome) {
      warnings.push([
        line,
        `stage "${stage}" not recorded: ${outcome.refused} The person starts at "${start}".`,
      ]);
    }
  }
}

/** The people of a batch that Lockstep already has: their changed fields and their new stage steps. */
async function mergeExistingPeople(
  session: DbSession,
  source: ImportSource,
  batch: number,
  options: RunOptions,
  warnings: [number, string][],
): Promise<{ updated: number; appended: number }> {
  await stageStepsForExistingPeople(session, batch, options, (line, reason) => warnings.push([line, reason]));
  const updated = await peopleStore.updateExistingPeople(session, batch);
  const appended = await peopleStore.appendSteps(session, source.rule, source.reason);
  await peopleStore.clearSteps(session);
  return { updated, appended };
}

/**
 * A people file at least as large as the table, in one transaction: accounts and existing people
 * batch by batch with every index in place, then the new people and their history with the
 * secondary indexes and foreign keys set aside, rebuilt at the end (import.bulk.ts). Returns null,
 * having changed nothing, when someone else added one of these people meanwhile: the batched
 * merge then matches them.
 */
async function mergePeopleInBulk(
  session: DbSession,
  source: ImportSource,
  batches: number,
  context: {
    log: ProblemLog;
    options: RunOptions;
    mainFile: string | undefined;
    written: (batch: number) => void;
    indexing: () => void;
  },
): Promise<BatchOutcome[] | null> {
  const { log, options, mainFile } = context;
  const outcomes: BatchOutcome[] = [];
  const warnings: [number, string][] = [];
  try {
    await session.transaction(async (tx) => {
      await lockForBulkLoad(tx);
      for (let batch = 0; batch < batches; batch++) {
        options.signal?.throwIfAborted();
        const kept = await peopleStore.keptRowCount(tx, batch);
        const accounts = await mergeAccounts(tx, batch, false);
        const existing = await mergeExistingPeople(tx, source, batch, options, warnings);
        outcomes.push({
          created: 0,
          updated: existing.updated,
          unchanged: kept - existing.updated,
          accountsCreated: accounts.created,
          transitions: existing.appended,
        });
      }
      const deferred = await deferIndexes(tx);
      for (const [batch, outcome] of outcomes.entries()) {
        options.signal?.throwIfAborted();
        const fresh = await insertNewPeople(tx, source, batch, options);
        await reportStagesNoOneStartsIn(tx, batch, options, warnings);
        outcome.created = fresh.created;
        outcome.unchanged -= fresh.created;
        outcome.transitions += fresh.transitions;
        context.written(batch);
      }
      context.indexing();
      await restoreIndexes(tx, deferred);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  for (const [line, reason] of warnings) log.warn(line, reason, mainFile);
  return outcomes;
}

/** For people Lockstep already has: compute, in JavaScript where the lifecycle rules live, the moves to append. */
async function stageStepsForExistingPeople(
  session: DbSession,
  batch: number,
  options: RunOptions,
  warn: (line: number, reason: string) => void,
): Promise<void> {
  const candidates = await peopleStore.stageChangeCandidates(session, batch);
  if (candidates.length === 0) return;
  let csv = '';
  for (const row of candidates) {
    // A stage no one starts in comes without a history: for a person with a stage, the move itself,
    // at the import's time; one without a stage cannot start there any more than a new person.
    if (row.step_to === null && row.current === null) {
      const outcome = pathForNewPerson(
        options.lifecycle,
        row.stage,
        {},
        { createdAt: null, now: options.clock.now() },
      );
      if ('refused' in outcome) warn(row.line, `stage "${row.stage}" not recorded: ${outcome.refused}`);
      continue;
    }
    const staged =
      row.step_to === null
        ? [{ to: row.stage, at: options.clock.now(), actorId: null }]
        : stagedSteps(row.step_to, row.step_at, row.step_actor);
    const since = row.current_since === null ? null : new Date(row.current_since);
    const outcome = pathForExistingPerson(options.lifecycle, row.current, since, staged);
    if ('refused' in outcome) {
      warn(row.line, `stage not changed: ${outcome.refused} (the rest of the row was imported)`);
      continue;
    }
    if (outcome.raised && since && row.step_to !== null) {
      const day = (at: Date) => at.toISOString().slice(0, 10);
      const label = options.lifecycle.stages.find((stage) => stage.key === outcome.raised?.to)?.label;
      warn(
        row.line,
        `the file dates the move to ${label ?? outcome.raised.to} ${day(outcome.raised.at)}, before the person's ` +
          `last move in Lockstep (${day(since)}): dated ${day(since)} instead, so the history does not go back in time`,
      );
    }
    outcome.steps.forEach((step, index) => {
      csv += `${row.line},${row.person_id},${index + 1},${step.from ?? ''},${step.to},${step.at.toISOString()},${step.actorId ?? ''}\n`;
    });
  }
  if (csv) await session.copyCsv(store.stepsCopyTarget, once(csv));
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

function stagedSteps(toJson: string, atJson: string, actorJson: string | null): StagedStep[] {
  const to = JSON.parse(toJson) as string[];
  const at = JSON.parse(atJson) as string[];
  const actors = actorJson ? (JSON.parse(actorJson) as (string | null)[]) : [];
  return to.map((stage, i) => ({ to: stage, at: new Date(at[i]!), actorId: actors[i] ?? null }));
}

function inMain(problems: ImportProblem[], mainFile: string | undefined): ImportProblem[] {
  return mainFile ? problems.map((p) => ({ ...p, file: mainFile })) : problems;
}
