// The import capability as the CLI, the HTTP API and jobs call it.
import path from 'node:path';
import type { Database } from '../../db/client.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { defaultLifecycle, type LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { defaultPipeline, type PipelineConfig } from '../opportunities/opportunities.pipeline.ts';
import {
  fileSize,
  type ReadOptions,
  readCsvHeader,
  readCsvRecords,
  readCsvSample,
  sourceLabel,
} from './import.csv-reader.ts';
import { AUTO_DATE_FORMAT } from './import.dates.ts';
import { dealVariantFields } from './import.deal-rows.ts';
import { type ResolvedColumns, resolveColumns } from './import.headers.ts';
import { AUTO_NUMBER_FORMAT, type ImportMapping } from './import.mapping.ts';
import { detectPreset, type PresetGuess } from './import.presets.ts';
import type { ImportReport, ProgressListener } from './import.report.ts';
import { rowMapper } from './import.rows.ts';
import { type ImportSource, runImport } from './import.run.ts';
import type { StagedRecord } from './import.staging.ts';
import { guessDateFormat } from './import.suggest.ts';
import { guessNumberFormat } from './import.values.ts';
import { variantTracker } from './import.variants.ts';
import { workbookTabs } from './import.workbook.ts';

export interface CsvImportOptions extends ReadOptions {
  file: string;
  mapping: ImportMapping;
  /** Names the mapping in import_runs.kind, e.g. the preset. */
  mappingName?: string;
  onProgress?: ProgressListener;
  clock?: Clock;
  lifecycle?: LifecycleConfig;
  /** The deal pipeline, for an opportunities mapping. */
  pipeline?: PipelineConfig;
  batchSize?: number;
  bulkMinRows?: number;
  /** The run already recorded for this import (an upload). */
  runId?: string;
  /** Stops the import at the next chunk or batch (RunOptions.signal). */
  signal?: AbortSignal;
}

export interface CheckedCsvImport {
  headers: string[];
  columns: ResolvedColumns;
}

/**
 * Everything that can be wrong with the input before a row is read: the file, its header row,
 * and mapping values the lifecycle does not know. Throws validation_failed saying what and where.
 */
export async function checkCsvImport(
  file: string,
  mapping: ImportMapping,
  lifecycle: LifecycleConfig = defaultLifecycle,
  pipeline: PipelineConfig = defaultPipeline,
  read: ReadOptions = {},
): Promise<CheckedCsvImport> {
  const stages = (mapping.entity === 'opportunities' ? pipeline : lifecycle).stages.map((stage) => stage.key);
  const unknownStage = (key: string) => !stages.includes(key);
  const problems = [
    ...Object.keys(mapping.stageDates)
      .filter(unknownStage)
      .map((key) => `stageDates.${key}: "${key}" is not a stage (stages: ${stages.join(', ')})`),
    ...(mapping.unknownStage !== undefined && unknownStage(mapping.unknownStage)
      ? [`unknownStage: "${mapping.unknownStage}" is not a stage (stages: ${stages.join(', ')})`]
      : []),
    ...Object.entries(mapping.valueMaps.stage ?? {})
      .filter(([, value]) => value !== null && unknownStage(value))
      .map(
        ([raw, value]) =>
          `valueMaps.stage."${raw}": "${value}" is not a stage (stages: ${stages.join(', ')})`,
      ),
  ];
  if (problems.length > 0) {
    throw new AppError('validation_failed', `The mapping is not valid:\n  ${problems.join('\n  ')}`, {
      problems,
    });
  }
  const headers = await readCsvHeader(file, read);
  return { headers, columns: resolveColumns(mapping, headers, path.basename(file)) };
}

/**
 * For a workbook whose tab `read` fits no preset: the first of its other tabs that one fits, and
 * the preset (a workbook may keep a cover note or a summary before its export). Undefined for a CSV
 * file, or when no tab fits.
 */
export async function recognisedTab(
  file: string,
  read: string,
  saved: { name: string; mapping: ImportMapping }[] = [],
): Promise<{ tab: string; preset: PresetGuess } | undefined> {
  const tabs = await workbookTabs(file).catch(() => []);
  for (const tab of tabs.filter((other) => other !== read)) {
    const headers = await readCsvHeader(file, { sheet: tab }).catch(() => undefined);
    const preset = headers && detectPreset(headers, saved);
    if (preset) return { tab, preset };
  }
  return undefined;
}

/** Rows read to tell how a file writes its dates and amounts (dateFormat and numberFormat "auto"). */
const SAMPLE_ROWS = 2000;

/**
 * The mapping with "auto" formats resolved from the values of the file's first rows: dates in
 * every column the mapping reads dates from, amounts in its amount column.
 */
async function withFileFormats(
  file: string,
  mapping: ImportMapping,
  columns: ResolvedColumns,
  read: ReadOptions,
): Promise<{ mapping: ImportMapping; guessedDateFormat?: string; guessedNumberFormat?: string }> {
  const autoDates = mapping.dateFormat === AUTO_DATE_FORMAT;
  const autoNumbers = mapping.numberFormat === AUTO_NUMBER_FORMAT;
  if (!autoDates && !autoNumbers) return { mapping };
  const [, ...rows] = await readCsvSample(file, SAMPLE_ROWS + 1, () => {}, read);
  const valuesOf = (indexes: number[]) =>
    rows.flatMap((row) => indexes.map((index) => row[index]?.trim() ?? '')).filter((value) => value !== '');
  const dateColumns = [
    ...(['createdAt', 'openedAt', 'closedAt'] as const).map((field) => columns.fields[field]),
    ...columns.stageDates.map(({ column }) => column),
  ].flatMap((column) => (column ? [column.index] : []));
  const amount = columns.fields.amount;
  const guessedDateFormat = autoDates ? guessDateFormat(valuesOf(dateColumns)) : undefined;
  const guessedNumberFormat = autoNumbers
    ? guessNumberFormat(valuesOf(amount ? [amount.index] : []))
    : undefined;
  return {
    mapping: {
      ...mapping,
      ...(guessedDateFormat ? { dateFormat: guessedDateFormat } : {}),
      ...(guessedNumberFormat ? { numberFormat: guessedNumberFormat as ImportMapping['numberFormat'] } : {}),
    },
    ...(guessedDateFormat ? { guessedDateFormat } : {}),
    ...(guessedNumberFormat ? { guessedNumberFormat } : {}),
  };
}

export async function importCsvFile(database: Database, options: CsvImportOptions): Promise<ImportReport> {
  const { file } = options;
  const read = { sheet: options.sheet };
  const clock = options.clock ?? systemClock;
  const lifecycle = options.lifecycle ?? defaultLifecycle;
  const pipeline = options.pipeline ?? defaultPipeline;
  const { columns } = await checkCsvImport(file, options.mapping, lifecycle, pipeline, read);
  const { mapping, guessedDateFormat, guessedNumberFormat } = await withFileFormats(
    file,
    options.mapping,
    columns,
    read,
  );
  const fileName = sourceLabel(path.basename(file), read);
  const variants = variantTracker(
    mapping.checkVariants ?? (mapping.entity === 'opportunities' ? dealVariantFields : []),
  );
  const toRecord = rowMapper(mapping, columns, lifecycle, () => clock.now(), { pipeline, variants });
  const source: ImportSource = {
    kind: `csv:${options.mappingName ?? mapping.source}`,
    fileName,
    entity: mapping.entity,
    crm: mapping.source,
    variants: () => variants.groups(),
    ...(guessedDateFormat ? { guessedDateFormat } : {}),
    ...(guessedNumberFormat ? { guessedNumberFormat } : {}),
    rule: `import:${mapping.source}`,
    reason: `imported from ${fileName}`,
    async *records(log, reading) {
      reading.totalBytes = fileSize(file);
      const records = readCsvRecords(
        file,
        (problem) => {
          if (problem.severity === 'warning') return log.warn(problem.line, problem.reason);
          reading.rowsRead++;
          log.reject(problem.line, problem.reason);
        },
        (bytes) => {
          reading.bytesRead = bytes;
        },
        read,
      );
      let header = true;
      let blankRowSeen = false;
      for await (const batch of records) {
        const staged: StagedRecord[] = [];
        for (const { values, line } of batch) {
          if (header) {
            header = false;
            continue;
          }
          // A row of empty cells holds nothing (spreadsheets leave them); after one, a line of one
          // value in a file of several columns is a report's footer, as Salesforce writes
          // "Confidential Information - Do Not Distribute" under every report it exports.
          if (values.every((value) => value.trim() === '')) {
            blankRowSeen = true;
            continue;
          }
          if (blankRowSeen && values.length === 1 && columns.headerCount > 1) {
            log.warn(line, `left out: "${values[0]}" comes after an empty row, as a report's footer does`);
            continue;
          }
          reading.rowsRead++;
          const outcome = toRecord(values, line);
          if (outcome.record === undefined) {
            log.reject(line, outcome.rejected);
            continue;
          }
          for (const warning of outcome.warnings) log.warn(line, warning);
          staged.push(outcome.record);
        }
        yield staged;
      }
    },
  };
  return runImport(database, source, {
    lifecycle,
    pipeline,
    clock,
    onProgress: options.onProgress,
    batchSize: options.batchSize,
    bulkMinRows: options.bulkMinRows,
    runId: options.runId,
    signal: options.signal,
  });
}

/** Whether an import's writes can change lead scores: fit rules read people's and accounts' fields. */
export const changesScores = (mapping: Pick<ImportMapping, 'entity'>, report: ImportReport): boolean =>
  mapping.entity !== 'opportunities' && report.created + report.updated > 0;
