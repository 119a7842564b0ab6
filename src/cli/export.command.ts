import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Db } from '../db/client.ts';
import { accountsCsv, countAccounts } from '../modules/accounts/accounts.export.ts';
import { accountExportQuery } from '../modules/accounts/accounts.schema.ts';
import { opportunitiesCsv } from '../modules/opportunities/opportunities.export.ts';
import { loadPipeline } from '../modules/opportunities/opportunities.pipeline.ts';
import { opportunityExportQuery } from '../modules/opportunities/opportunities.schema.ts';
import { dealFilterOf } from '../modules/opportunities/opportunities.service.ts';
import { dealTotals } from '../modules/opportunities/opportunities.store.ts';
import { countPeople, peopleCsv } from '../modules/people/people.export.ts';
import { personExportQuery } from '../modules/people/people.schema.ts';
import { CliError, serverHolding, withDatabase } from './database.ts';

interface Export<F> {
  what: 'people' | 'accounts' | 'opportunities';
  query: z.ZodType<F>;
  count: (db: Db, filters: F) => Promise<number>;
  lines: (db: Db, filters: F, onRows: (count: number) => void) => AsyncIterable<string>;
}

const people: Export<z.infer<typeof personExportQuery>> = {
  what: 'people',
  query: personExportQuery,
  count: countPeople,
  lines: peopleCsv,
};
const accounts: Export<z.infer<typeof accountExportQuery>> = {
  what: 'accounts',
  query: accountExportQuery,
  count: countAccounts,
  lines: accountsCsv,
};

const opportunities: Export<z.infer<typeof opportunityExportQuery>> = {
  what: 'opportunities',
  query: opportunityExportQuery,
  count: async (db, filters) =>
    (await dealTotals(db, dealFilterOf({ pipeline: loadPipeline() }, filters))).reduce(
      (n, t) => n + t.count,
      0,
    ),
  lines: (db, filters, onRows) =>
    opportunitiesCsv(db, dealFilterOf({ pipeline: loadPipeline() }, filters), onRows),
};

/**
 * Writes the CSV to `out` (through `<out>.partial`, renamed at the end, so an interrupted export
 * never leaves a file that looks whole) or to standard output; a bar on a terminal shows how far.
 */
async function runExport<F>(spec: Export<F>, options: Record<string, string | undefined>, out?: string) {
  const parsed = spec.query.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = String(issue?.path[0]) === 'q' ? 'search' : String(issue?.path[0]);
    throw new CliError(`--${option}: ${issue?.message}`);
  }
  await pointToServer(spec.what, () =>
    withDatabase(`cli: export ${spec.what}`, async (database) => {
      const total = await spec.count(database.db, parsed.data);
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              format: `${spec.what} [{bar}] {percentage}% | {value} of {total} | {eta_formatted} left`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      bar?.start(total, 0);
      const partial = out ? `${out}.partial` : undefined;
      const target: Writable = partial ? fs.createWriteStream(partial) : process.stdout;
      try {
        await pipeline(
          Readable.from(spec.lines(database.db, parsed.data, (count) => bar?.increment(count))),
          target,
          { end: Boolean(partial) },
        );
      } catch (error) {
        if (partial) fs.rmSync(partial, { force: true });
        throw error;
      } finally {
        bar?.stop();
      }
      if (out && partial) {
        fs.renameSync(partial, out);
        process.stderr.write(`${total.toLocaleString('en-US')} ${spec.what} written to ${out}\n`);
      }
    }),
  );
}

/** While the server holds the embedded database, the same file comes from the server. */
async function pointToServer(what: Export<unknown>['what'], work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const url = serverHolding(error);
    if (!url) throw error;
    throw new CliError(
      `${(error as Error).message}\nTo export while the server runs, use "Download all as CSV" on ${url}/${what}, ` +
        `or GET ${url}/api/${what}/export with an API token (the lists' filters apply).`,
    );
  }
}

export function registerExportCommands(program: Command): void {
  const exporting = program
    .command('export')
    .description('people, accounts or deals as CSV (as GET /api/people/export, /api/accounts/export, …)');
  exporting
    .command('people')
    .description('everyone the filters keep, oldest first, with their stage, score and custom fields')
    .option('--stage <key>', 'only people in this stage (a lifecycle key: new, mql, sal, …)')
    .option('--source <source>', 'only people from this source')
    .option('--grade <grade>', 'only people with this fit grade (A–D)')
    .option('--search <text>', 'only people whose name or email contains this')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(
      async (options: { stage?: string; source?: string; grade?: string; search?: string; out?: string }) => {
        const { search, out, ...filters } = options;
        await runExport(people, { ...filters, q: search }, out);
      },
    );
  exporting
    .command('accounts')
    .description('every account the search keeps, by name, with how many people each has')
    .option('--search <text>', 'only accounts whose name or domain contains this')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (options: { search?: string; out?: string }) => {
      await runExport(accounts, { q: options.search }, options.out);
    });
  exporting
    .command('opportunities')
    .description('every deal the filters keep, in the order they opened, with amount, stage and dates')
    .option('--status <status>', 'only open, won or lost deals')
    .option('--stage <key>', 'only deals in this pipeline stage')
    .option('--search <text>', 'only deals whose name or account name contains this')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (options: { status?: string; stage?: string; search?: string; out?: string }) => {
      const { search, out, ...filters } = options;
      await runExport(opportunities, { ...filters, q: search }, out);
    });
}
