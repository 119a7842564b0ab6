// `lockstep scorecard fit` and `lockstep scorecard score`: learn a lead scorecard from outcomes in a
// CSV export, and score leads with it. Neither touches the database.
import fs from 'node:fs';
import type { Command } from 'commander';
import { type FitProgress, fitScorecard } from '../modules/scorecard/scorecard.fit.ts';
import { loadScorecardModel } from '../modules/scorecard/scorecard.model.ts';
import { scoreCsvFile } from '../modules/scorecard/scorecard.score.ts';
import { formatFitSummary } from '../modules/scorecard/scorecard.summary.ts';
import { AppError } from '../shared/errors.ts';
import { CliError } from './database.ts';
import { type ProgressDisplay, progressDisplay } from './progress.ts';

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

function number(name: string, value: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new CliError(`${name} must be ${expected} (got "${value}").`);
  return n;
}

async function asCliError<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.message);
    throw error;
  }
}

/** Where a fit is, on stderr (stdout has the summary). */
function fitProgress(): ProgressDisplay<FitProgress> {
  const n = (count: number) => count.toLocaleString('en-US');
  const words = (p: FitProgress): { value: number; total: number; detail: string } => {
    switch (p.step) {
      case 'reading':
        return { value: p.bytes, total: p.totalBytes, detail: `${n(p.rows)} rows` };
      case 'features':
        return { value: 0, total: 1, detail: `learning the columns from ${n(p.rows)} training leads` };
      case 'cross-validating':
        return {
          value: p.fits,
          total: p.of,
          detail: `fit ${n(p.fits)} of ${n(p.of)} to choose the L2 strength`,
        };
      case 'fitting':
        return { value: 0, total: 1, detail: 'the final fit on every training lead' };
    }
  };
  return progressDisplay<FitProgress>(
    process.stderr,
    { bar: Boolean(process.stderr.isTTY), format: '{step} [{bar}] {percentage}% | {detail}' },
    {
      step: (p) => p.step,
      value: words,
      payload: (p) => ({ detail: words(p).detail }),
      line: (p) => `${p.step}: ${words(p).detail}`,
    },
  );
}

interface FitCommandOptions {
  csv: string;
  outcome: string;
  positive?: string;
  id?: string;
  exclude?: string;
  columns?: string;
  holdout: string;
  seed: string;
  out: string;
  sheet?: string;
}

export function registerScorecardCommands(program: Command): void {
  const command = program
    .command('scorecard')
    .description(
      'learn a lead scorecard (rules with points) from won/lost or accepted/rejected leads in a CSV, and score leads with it',
    );

  command
    .command('fit')
    .description(
      'fit an L2-regularised logistic regression on leads with known outcomes, check it on a holdout, and write it as a scorecard (JSON). ' +
        'Exclude every field filled in after the hand-off: it would leak the outcome.',
    )
    .requiredOption(
      '--csv <file>',
      'the leads, one row each, with an outcome column (CSV, or an XLSX workbook)',
    )
    .requiredOption(
      '--outcome <column>',
      'the outcome column: true/false, won/lost, yes/no, 1/0 ... or use --positive',
    )
    .option(
      '--positive <value>',
      'the outcome value that counts as positive; every other filled-in value is negative',
    )
    .option('--id <column>', 'the lead id column (never used as a feature)')
    .option(
      '--sheet <name>',
      'for an XLSX workbook: the tab to read, by its name (default: the first tab that holds a row)',
    )
    .option(
      '--exclude <columns>',
      'comma-separated columns not to use (fields known only after the hand-off)',
    )
    .option('--columns <columns>', 'comma-separated columns to use (all others are ignored)')
    .option('--holdout <share>', 'share of leads kept aside to measure the scorecard', '0.3')
    .option('--seed <n>', 'seed of the random split (same seed, same scorecard)', '1')
    .requiredOption('--out <model.json>', 'where to write the model')
    .action(async (options: FitCommandOptions) => {
      const holdoutShare = number(
        '--holdout',
        options.holdout,
        (n) => n > 0 && n < 1,
        'a share between 0 and 1, e.g. 0.3',
      );
      const seed = number('--seed', options.seed, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
      const display = fitProgress();
      const result = await asCliError(() =>
        fitScorecard({
          file: options.csv,
          outcomeColumn: options.outcome,
          ...(options.positive === undefined ? {} : { positive: options.positive }),
          ...(options.id === undefined ? {} : { idColumn: options.id }),
          ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
          exclude: options.exclude ? list(options.exclude) : [],
          ...(options.columns === undefined ? {} : { columns: list(options.columns) }),
          holdoutShare,
          seed,
          now: new Date(),
          onProgress: display.update,
        }),
      ).finally(display.stop);
      try {
        fs.writeFileSync(options.out, `${JSON.stringify(result.model, null, 2)}\n`);
      } catch (error) {
        throw new CliError(`Cannot write the model to ${options.out}: ${(error as Error).message}`);
      }
      const seconds = ((result.timings.readMs + result.timings.fitMs) / 1000).toFixed(1);
      process.stdout.write(
        `${formatFitSummary(result.model)}\nModel written to ${options.out} (${seconds} s).\n`,
      );
    });

  command
    .command('score')
    .description(
      'score the leads of a CSV with a scorecard: prints id,probability,points,reasons (CSV) to stdout',
    )
    .requiredOption('--model <model.json>', 'a model written by "scorecard fit"')
    .requiredOption(
      '--csv <file>',
      'the leads to score (the columns the model uses, and the id; CSV, or an XLSX workbook)',
    )
    .requiredOption('--id <column>', 'the lead id column, copied to the output')
    .option(
      '--sheet <name>',
      'for an XLSX workbook: the tab to read, by its name (default: the first tab that holds a row)',
    )
    .action(async (options: { model: string; csv: string; id: string; sheet?: string }) => {
      const model = await asCliError(() => loadScorecardModel(options.model));
      // A reader that stops early (`| head`) is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      await asCliError(() =>
        scoreCsvFile({
          model,
          file: options.csv,
          idColumn: options.id,
          output: process.stdout,
          onWarning: (warning) => process.stderr.write(`warning: ${options.csv}: ${warning}\n`),
          ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
        }),
      );
    });
}
