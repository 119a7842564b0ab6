// `lockstep import csv <file>` and `lockstep import olist <dir>`.
import path from 'node:path';
import type { Command } from 'commander';
import type { Database } from '../db/client.ts';
import { type ReadOptions, readCsvHeader } from '../modules/import/import.csv-reader.ts';
import { type ImportMapping, loadMappingFile } from '../modules/import/import.mapping.ts';
import {
  namedMapping,
  SAVED_PREFIX,
  type SavedMapping,
  savedAsPresets,
  savedMappings,
} from '../modules/import/import.mappings.store.ts';
import { detectPreset, exportKind, presetNames } from '../modules/import/import.presets.ts';
import { formatProblem, type ImportProgress, type ImportReport } from '../modules/import/import.report.ts';
import {
  changesScores,
  checkCsvImport,
  importCsvFile,
  recognisedTab,
} from '../modules/import/import.service.ts';
import { formatVariantGroup, suggestedValueMaps } from '../modules/import/import.variants.ts';
import { workbookTabs } from '../modules/import/import.workbook.ts';
import { checkOlistDir, importOlist } from '../modules/import/olist.import.ts';
import type { LifecycleConfig } from '../modules/lifecycle/lifecycle.config.ts';
import { loadLifecycle } from '../modules/lifecycle/lifecycle.config.ts';
import { loadPipeline } from '../modules/opportunities/opportunities.pipeline.ts';
import { refreshLeadScores } from '../modules/scoring/refresh.job.ts';
import { systemClock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { CliError, serverHolding } from './database.ts';
import { type ProgressDisplay, progressDisplay } from './progress.ts';

type OpenDatabase = (purpose: string) => Promise<Database>;
const PROBLEMS_SHOWN = 20;
/** How many of a file's headers an error shows when no preset fits it. */
const HEADERS_SHOWN = 12;

export function registerImportCommands(program: Command, open: OpenDatabase): void {
  const command = program
    .command('import')
    .description(
      'bring people, accounts and opportunities in from CRM exports (CSV or XLSX) or the Olist data set; re-importing changes nothing',
    );

  command
    .command('csv <file>')
    .description(
      'import a CSV file (or a sheet of an XLSX workbook) of people, accounts or opportunities through a mapping (a preset is guessed from the header row when neither --mapping nor --preset is given); bad rows are reported with their line',
    )
    .option('--mapping <file>', 'a mapping file (JSON, see docs/import-mapping.md)')
    .option(
      '--preset <name>',
      `a shipped mapping: ${presetNames().join(', ')}, or one saved on the Import page as saved:<name> (default: the one the header row matches)`,
    )
    .option(
      '--sheet <name>',
      'for an XLSX workbook: the tab to read, by its name (default: the first tab that holds a row)',
    )
    .option('--json', 'print the report as JSON (all problems kept, up to 1,000)')
    .option(
      '--no-bulk',
      'never lock people and stage history to rebuild their indexes once, even for a file larger than the table (slower)',
    )
    .action(
      async (
        file: string,
        options: { mapping?: string; preset?: string; sheet?: string; json?: boolean; bulk: boolean },
      ) => {
        const read = { sheet: options.sheet };
        if (options.mapping && options.preset) {
          throw new CliError(
            `Give either --mapping <file.json> or --preset <name>, not both (presets: ${presetNames().join(', ')}).`,
          );
        }
        // Mappings saved on the Import page are in the database: read only when they may be wanted.
        const saved =
          options.mapping || (options.preset && !options.preset.startsWith(SAVED_PREFIX))
            ? []
            : await savedMappingsFor(file, read, openOrPointToServer(open));
        const preset = options.mapping
          ? undefined
          : (options.preset ?? (await guessPreset(file, read, saved)));
        const lifecycle = loadLifecycle();
        const pipeline = pipelineForCli();
        const mapping = asCliError(
          (): ImportMapping => (preset ? namedMapping(preset, saved) : loadMappingFile(options.mapping!)),
        );
        // Everything wrong with the input is said before the database is opened.
        await asCliErrorAsync(() => checkCsvImport(file, mapping, lifecycle, pipeline, read));
        const mappingName = preset ?? path.basename(options.mapping!, '.json');
        const report = await withProgress(
          options.json,
          openOrPointToServer(open),
          `cli: import csv ${path.basename(file)}`,
          async (database, onProgress) => {
            const report = await importCsvFile(database, {
              file,
              ...read,
              mapping,
              mappingName,
              lifecycle,
              pipeline,
              onProgress,
              bulkMinRows: options.bulk ? undefined : Number.POSITIVE_INFINITY,
            });
            return changesScores(mapping, report) ? scoreAfterImport(database, report, lifecycle) : report;
          },
        );
        printReport(report, options.json);
      },
    );

  command
    .command('olist <dir>')
    .description(
      'import the Olist marketing funnel (olist_marketing_qualified_leads_dataset.csv and olist_closed_deals_dataset.csv)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const lifecycle = loadLifecycle();
      const pipeline = pipelineForCli();
      asCliError(() => checkOlistDir(dir));
      const report = await withProgress(options.json, open, 'cli: import olist', (database, onProgress) =>
        asCliErrorAsync(async () => {
          const report = await importOlist(database, dir, { onProgress, lifecycle, pipeline });
          return changesScores({ entity: 'people' }, report)
            ? scoreAfterImport(database, report, lifecycle)
            : report;
        }),
      );
      printReport(report, options.json);
    });
}

/**
 * Every lead scored under the definition in force once an import changed people or accounts, as the
 * nightly refresh does (the server does it in the background): imported leads have a score and a
 * grade at once, and those that meet the definition become MQLs.
 */
async function scoreAfterImport(
  database: Database,
  report: ImportReport,
  lifecycle: LifecycleConfig,
): Promise<ImportReport> {
  const scoring = await refreshLeadScores({ db: database.db, clock: systemClock, lifecycle });
  return scoring.scored > 0 ? { ...report, scoring } : report;
}

/** The mappings saved on the Import page, once the file is known to be there. */
async function savedMappingsFor(
  file: string,
  read: ReadOptions,
  open: OpenDatabase,
): Promise<SavedMapping[]> {
  await asCliErrorAsync(() => readCsvHeader(file, read));
  const database = await open(`cli: import csv ${path.basename(file)}`);
  try {
    return await savedMappings(database);
  } finally {
    await database.close();
  }
}

/** The preset the file's header row matches, said on stderr; without one, what the user can do instead. */
async function guessPreset(file: string, read: ReadOptions, saved: SavedMapping[]): Promise<string> {
  let tab: string | undefined;
  const headers = await asCliErrorAsync(() =>
    readCsvHeader(file, {
      ...read,
      onSheet: (name) => {
        tab = name;
      },
    }),
  );
  const guess = detectPreset(headers, savedAsPresets(saved));
  if (!guess) {
    const shown = headers.slice(0, HEADERS_SHOWN).map((header) => `"${header}"`);
    if (headers.length > HEADERS_SHOWN) shown.push(`… (${headers.length} columns)`);
    throw new CliError(
      `${path.basename(file)} does not look like an export any preset knows; its headers are ${shown.join(', ')}.\n` +
        (read.sheet === undefined && tab !== undefined ? await otherTabs(file, tab, saved) : '') +
        `Give --preset <name> (presets: ${presetNames().join(', ')}) or write a mapping for --mapping <file.json> ` +
        '(see docs/import-mapping.md).',
    );
  }
  process.stderr.write(
    `No --preset or --mapping given: this looks like ${exportKind(guess.name)}; ` +
      `using --preset ${guess.name} (matched ${guess.matched.length} columns).\n`,
  );
  return guess.name;
}

/**
 * For a workbook read from a tab no preset fits: the tab a preset fits, else its tabs, with how to
 * read another. (A workbook may keep a cover note or a summary before its export.)
 */
async function otherTabs(file: string, tab: string, saved: SavedMapping[]): Promise<string> {
  const other = await recognisedTab(file, tab, savedAsPresets(saved));
  if (other) {
    return `These are the columns of its tab "${tab}"; its tab "${other.tab}" looks like ${exportKind(other.preset.name)}: give --sheet "${other.tab}".\n`;
  }
  const tabs = await workbookTabs(file);
  if (tabs.length < 2) return '';
  return `These are the columns of its tab "${tab}"; to read another, give --sheet <name> (its tabs: ${tabs
    .map((name) => `"${name}"`)
    .join(', ')}).\n`;
}

/** While the server holds the embedded database, the file can still go in through the server. */
function openOrPointToServer(open: OpenDatabase): OpenDatabase {
  return async (purpose) => {
    try {
      return await open(purpose);
    } catch (error) {
      const url = serverHolding(error);
      if (!url) throw error;
      throw new CliError(
        `${(error as Error).message}\nTo import this file while the server runs, use its Import page: ` +
          `${url}/import (or send it to ${url}/api/imports, see docs/import-mapping.md).`,
      );
    }
  };
}

/** LOCKSTEP_OPPORTUNITY_STAGES, or the default pipeline; a bad file is told as it is. */
function pipelineForCli() {
  try {
    return loadPipeline();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

function asCliError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.message);
    throw error;
  }
}

async function asCliErrorAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') throw new CliError(error.message);
    throw error;
  }
}

/** Opens the database, shows progress (a bar on a terminal, a line every few seconds elsewhere), always closes. */
async function withProgress(
  json: boolean | undefined,
  open: OpenDatabase,
  purpose: string,
  work: (database: Database, onProgress: (progress: ImportProgress) => void) => Promise<ImportReport>,
): Promise<ImportReport> {
  const display = importProgress(Boolean(json));
  const database = await open(purpose);
  try {
    return await work(database, display.update);
  } finally {
    display.stop();
    await database.close();
  }
}

/** An import's progress: reading the file (by bytes), matching, merging batch by batch, indexing. */
function importProgress(json: boolean): ProgressDisplay<ImportProgress> {
  const n = (count: number) => count.toLocaleString('en-US');
  // Matching (merging, none written yet) is a step of its own in a log.
  const step = (p: ImportProgress) => (p.phase === 'merging' && p.rowsMerged === 0 ? 'matching' : p.phase);
  return progressDisplay<ImportProgress>(
    json ? process.stderr : process.stdout,
    {
      bar: Boolean(process.stdout.isTTY) && !json,
      format: '{step} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left',
    },
    {
      step,
      value: (p) =>
        p.phase === 'reading'
          ? { value: p.bytesRead, total: p.totalBytes }
          : { value: p.rowsMerged, total: p.rowsToMerge },
      payload: (p) => ({ rows: n(p.rowsRead) }),
      line: (p) => {
        switch (step(p)) {
          case 'reading':
            return `reading: ${n(p.rowsRead)} rows, ${fileSizeOf(p.bytesRead, p.totalBytes)}`;
          case 'matching':
            return `matching: ${n(p.rowsToMerge)} rows with the records already here`;
          case 'indexing':
            return `indexing: building the indexes over ${n(p.rowsToMerge)} rows`;
          case 'merging':
            return `merging: ${n(p.rowsMerged)} of ${n(p.rowsToMerge)} rows`;
          default:
            return null;
        }
      },
    },
  );
}

/** "12.5 of 246.0 MB", or in KB for a file under a megabyte ("3 of 7 KB"). */
function fileSizeOf(read: number, total: number): string {
  if (total >= 1_048_576) return `${(read / 1_048_576).toFixed(1)} of ${(total / 1_048_576).toFixed(1)} MB`;
  return `${Math.ceil(read / 1024)} of ${Math.ceil(total / 1024)} KB`;
}

function printReport(report: ImportReport, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const n = (value: number) => value.toLocaleString('en-US').padStart(10);
  const lines = [
    `Imported ${report.file} (${report.kind})`,
    `  rows read           ${n(report.rowsRead)}`,
    `  created             ${n(report.created)}`,
    `  updated             ${n(report.updated)}`,
    `  unchanged           ${n(report.unchanged)}`,
    `  rejected            ${n(report.rejected)}`,
    `  skipped duplicates  ${n(report.superseded)}`,
    `  warnings            ${n(report.warnings)}`,
    `  accounts created    ${n(report.accountsCreated)}`,
    `  stage moves written ${n(report.transitionsCreated)}`,
  ];
  if (report.guessedDateFormat && report.guessedDateFormat !== 'ISO') {
    lines.push(
      `  dates read as       ${report.guessedDateFormat} (as the file's first rows write them; set "dateFormat" in a mapping to say otherwise)`,
    );
  }
  if (report.guessedNumberFormat && report.guessedNumberFormat !== '1,234.56') {
    lines.push(`  amounts read as     ${report.guessedNumberFormat} (as the file's first rows write them)`);
  }
  if (report.scoring) {
    lines.push(
      `  leads scored        ${n(report.scoring.scored)} (under the lead definition in force; ${report.scoring.madeMql.toLocaleString('en-US')} became MQLs)`,
    );
  }
  if (report.bulkLoaded) {
    lines.push('  (written in bulk: the indexes of people and their stage history were rebuilt once)');
  }
  if (report.opportunities) {
    lines.push(
      `  won opportunities   ${n(report.opportunities.created)} created, ${report.opportunities.unchanged.toLocaleString('en-US')} unchanged`,
    );
  }
  if (report.variants.length > 0) {
    lines.push(
      '',
      'Values that look like one thing spelled differently (merge them with "valueMaps" in the mapping):',
      ...report.variants.map((group) => `  ${formatVariantGroup(group)}`),
      `  e.g. "valueMaps": ${JSON.stringify(suggestedValueMaps(report.variants))}`,
    );
  }
  const total = report.rejected + report.warnings;
  if (total > 0) {
    const shown = report.problems.slice(0, PROBLEMS_SHOWN);
    lines.push(
      '',
      total > shown.length
        ? `Problems (first ${shown.length} of ${total.toLocaleString('en-US')}; --json lists up to 1,000):`
        : 'Problems:',
      ...shown.map((problem) => `  ${formatProblem(problem)}`),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
