// The import benchmark: the real `lockstep import csv` command against a raw COPY of the same
// rows, on PostgreSQL and on PGlite, in the same run on the same machine. Writes BENCHMARKS.md.
//
//   npm exec -- node bench/import.bench.ts [--rows 1000000] [--small-rows 100000] [--pglite-rows N] [--skip-pglite]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { type CliRun, runCli, withPostgresDatabase } from './bench-support.ts';
import { benchHeaders, writeLeadsCsv } from './import.data.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'small-rows': { type: 'string', default: '100000' },
    'pglite-rows': { type: 'string' },
    'skip-pglite': { type: 'boolean', default: false },
    'admin-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const rows = Number(args.rows);
const smallRows = Number(args['small-rows']);
const pgliteRows = Number(args['pglite-rows'] ?? rows);
const adminUrl = args['admin-url'];

const log = (line: string) => process.stdout.write(`${line}\n`);
const rate = (count: number, seconds: number) => Math.round(count / seconds);
const fmt = (n: number) => n.toLocaleString('en-US');

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { seconds: (performance.now() - start) / 1000, value };
}

const bareTable = `bench_raw (${benchHeaders.map((_, i) => `c${i} text`).join(', ')})`;

async function postgresCopy(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE ${bareTable}`);
    const { seconds } = await timed(() =>
      pipeline(
        fs.createReadStream(file, { highWaterMark: 1 << 20 }),
        client.query(copyFrom('COPY bench_raw FROM STDIN (FORMAT csv, HEADER true)')),
      ),
    );
    await client.query('DROP TABLE bench_raw');
    return seconds;
  } finally {
    await client.end();
  }
}

/** PGlite's bulk path: COPY from a blob, a few MB at a time (the blob must be in memory). */
async function pgliteCopy(file: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-pglite-copy-'));
  const db = await PGlite.create(dir);
  try {
    await db.query(`CREATE TABLE ${bareTable}`);
    const { seconds } = await timed(async () => {
      let pending = '';
      let header = true;
      for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 8 << 20 })) {
        pending += chunk;
        const cut = pending.lastIndexOf('\n') + 1;
        let text = pending.slice(0, cut);
        pending = pending.slice(cut);
        if (header) {
          text = text.slice(text.indexOf('\n') + 1);
          header = false;
        }
        await db.query("COPY bench_raw FROM '/dev/blob' (FORMAT csv)", [], { blob: new Blob([text]) });
      }
    });
    return seconds;
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function freshPgliteDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-pglite-'));
  fs.rmSync(dir, { recursive: true });
  const database = await openDatabase({ kind: 'pglite', dataDir: dir }, 'bench');
  await migrateDatabase(database);
  await database.close();
  return dir;
}

interface Measured {
  engine: string;
  /** How the new people were written: rebuilt indexes (bulk) or live indexes (--no-bulk). */
  bulkLoaded: boolean;
  rows: number;
  copySeconds: number;
  importSeconds: number;
  phases: CliRun['report']['seconds'];
  peakRssMb: number;
  smallRows: number;
  smallPeakRssMb: number;
  reimportSeconds?: number;
}

function check(run: CliRun, expectedRows: number, label: string): void {
  if (run.report.rowsRead !== expectedRows || run.report.rejected !== 0) {
    throw new Error(`${label}: expected ${expectedRows} rows imported, got ${JSON.stringify(run.report)}`);
  }
}

async function benchPostgres(bigFile: string, smallFile: string): Promise<Measured[]> {
  const copySeconds = await withPostgresDatabase(adminUrl, (url) => postgresCopy(url, bigFile));
  log(`postgres: raw COPY ${fmt(rows)} rows in ${copySeconds.toFixed(1)} s`);
  const bulk = await withPostgresDatabase(adminUrl, (url) => runCli(bigFile, { DATABASE_URL: url }));
  check(bulk, rows, 'postgres import');
  log(
    `postgres: lockstep import ${fmt(rows)} rows in ${bulk.seconds.toFixed(1)} s, peak RSS ${bulk.peakRssMb} MB`,
  );
  const batched = await withPostgresDatabase(adminUrl, (url) =>
    runCli(bigFile, { DATABASE_URL: url }, ['--no-bulk']),
  );
  check(batched, rows, 'postgres import --no-bulk');
  log(`postgres: lockstep import --no-bulk ${fmt(rows)} rows in ${batched.seconds.toFixed(1)} s`);
  const small = await withPostgresDatabase(adminUrl, async (url) => {
    const first = await runCli(smallFile, { DATABASE_URL: url });
    const again = await runCli(smallFile, { DATABASE_URL: url });
    if (again.report.created !== 0 || again.report.unchanged !== smallRows)
      throw new Error('re-import changed rows');
    return { first, again };
  });
  check(small.first, smallRows, 'postgres small import');
  log(
    `postgres: ${fmt(smallRows)} rows peak RSS ${small.first.peakRssMb} MB; re-import ${small.again.seconds.toFixed(1)} s`,
  );
  const measured = (run: CliRun): Measured => ({
    engine: 'PostgreSQL',
    bulkLoaded: run.report.bulkLoaded === true,
    rows,
    copySeconds,
    importSeconds: run.seconds,
    phases: run.report.seconds,
    peakRssMb: run.peakRssMb,
    smallRows,
    smallPeakRssMb: small.first.peakRssMb,
    reimportSeconds: small.again.seconds,
  });
  return [measured(bulk), measured(batched)];
}

async function benchPglite(bigFile: string, smallFile: string): Promise<Measured> {
  const copySeconds = await pgliteCopy(bigFile);
  log(`pglite: raw COPY ${fmt(pgliteRows)} rows in ${copySeconds.toFixed(1)} s`);
  const runOn = async (file: string) => {
    const dir = await freshPgliteDir();
    try {
      return await runCli(file, { LOCKSTEP_DATA_DIR: dir, DATABASE_URL: undefined });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.lock`, { force: true });
    }
  };
  const big = await runOn(bigFile);
  check(big, pgliteRows, 'pglite import');
  log(
    `pglite: lockstep import ${fmt(pgliteRows)} rows in ${big.seconds.toFixed(1)} s, peak RSS ${big.peakRssMb} MB`,
  );
  const small = await runOn(smallFile);
  check(small, smallRows, 'pglite small import');
  log(`pglite: ${fmt(smallRows)} rows peak RSS ${small.peakRssMb} MB`);
  return {
    engine: 'PGlite',
    bulkLoaded: big.report.bulkLoaded === true,
    rows: pgliteRows,
    copySeconds,
    importSeconds: big.seconds,
    phases: big.report.seconds,
    peakRssMb: big.peakRssMb,
    smallRows,
    smallPeakRssMb: small.peakRssMb,
  };
}

const label = (r: Measured) => `${r.engine}, ${r.bulkLoaded ? 'bulk (default)' : '`--no-bulk`'}`;

function markdown(results: Measured[], machine: string, command: string, generated: string): string {
  const table = results.map((r) => {
    const copyRate = rate(r.rows, r.copySeconds);
    const importRate = rate(r.rows, r.importSeconds);
    return `| ${label(r)} | ${fmt(r.rows)} | ${r.copySeconds.toFixed(1)} s (${fmt(copyRate)} rows/s) | ${r.importSeconds.toFixed(1)} s (${fmt(importRate)} rows/s) | **${(importRate / copyRate).toFixed(3)}** | ${r.smallPeakRssMb} MB (${fmt(r.smallRows)}) / ${r.peakRssMb} MB (${fmt(r.rows)}) |`;
  });
  const phases = results.map(
    (r) =>
      `| ${label(r)} | ${r.phases.reading.toFixed(1)} s | ${r.phases.preparing.toFixed(1)} s | ${r.phases.merging.toFixed(1)} s | ${(r.importSeconds - r.phases.reading - r.phases.preparing - r.phases.merging).toFixed(1)} s |`,
  );
  const reimport = results.find((r) => r.reimportSeconds !== undefined);
  return [
    '<!-- import-bench:start -->',
    '## Import: `lockstep import csv` against a raw COPY',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    `Command: \`${command}\``,
    '',
    `Both columns load the same generated file (${generated}). **Raw COPY** streams it into a bare table`,
    'of 19 text columns (no index, no constraint): the ceiling. **Import** is the real CLI as a child process',
    '(`node --liftoff-only bin/lockstep.js import csv … --mapping bench/import.mapping.json`, startup included; the',
    'flag is the one the command gives itself on the embedded database, and does nothing on PostgreSQL): it parses and',
    'validates every row, stages it with COPY, sets duplicates aside, and merges batches of 100,000 rows into',
    '`accounts`, `people` (6 indexes, 3 foreign keys, 1 check) and `stage_transitions` (one row per stage step: about',
    '1.74 per person) with set-based SQL. Into an empty workspace it runs in **bulk**, the default whenever a file',
    'brings at least as many new people as the table holds: one transaction that locks the two tables, writes the',
    'new rows with their secondary indexes and foreign keys set aside, and rebuilds those at the end',
    '(src/modules/import/import.bulk.ts). `--no-bulk` merges one transaction per batch into the live indexes instead,',
    'as every import into a larger table does. Ratio = import rows/s ÷ COPY rows/s (target ≥ 0.3).',
    '',
    '| database | rows | raw COPY | lockstep import | ratio | peak RSS of the import process |',
    '|---|---|---|---|---|---|',
    ...table,
    '',
    'Where the import spends its time (from the report the CLI prints with `--json`): **reading** = parsing the CSV,',
    'checking and mapping each row in JavaScript while PostgreSQL takes the staging COPY; **preparing** = setting',
    'duplicates aside and matching existing people; **merging** = the INSERT … SELECT batches, and in bulk the',
    'index and foreign-key rebuild.',
    '',
    '| database | reading | preparing | merging | start-up, migration check, run record |',
    '|---|---|---|---|---|',
    ...phases,
    '',
    reimport
      ? `Re-importing the ${fmt(reimport.smallRows)}-row file on PostgreSQL changed nothing (0 created, ${fmt(reimport.smallRows)} unchanged) in ${reimport.reimportSeconds!.toFixed(1)} s.`
      : '',
    "Peak RSS is the whole CLI process (`/usr/bin/time -f %M`): Node and the CLI's modules (`lockstep --help` alone",
    'peaked at 155 MB on 28 November) and, on PGlite, the embedded database itself.',
    '<!-- import-bench:end -->',
  ].join('\n');
}

function writeBenchmarks(section: string): void {
  const file = path.join(root, 'BENCHMARKS.md');
  const existing = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEach benchmark in bench/ rewrites its own section below.\n';
  const pattern = /<!-- import-bench:start -->[\s\S]*<!-- import-bench:end -->/;
  const next = pattern.test(existing)
    ? existing.replace(pattern, section)
    : `${existing.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
  // The repository's formatter pads markdown tables; let it, so that `npm run lint` stays clean.
  const biome = path.join(root, 'node_modules/.bin/biome');
  if (fs.existsSync(biome)) spawnSync(biome, ['format', '--write', file], { stdio: 'ignore' });
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-import-'));
try {
  const bigFile = path.join(workDir, `leads-${rows}.csv`);
  const smallFile = path.join(workDir, `leads-${smallRows}.csv`);
  const pgliteFile = pgliteRows === rows ? bigFile : path.join(workDir, `leads-${pgliteRows}.csv`);
  const bytes = await writeLeadsCsv(bigFile, rows);
  await writeLeadsCsv(smallFile, smallRows);
  if (pgliteFile !== bigFile) await writeLeadsCsv(pgliteFile, pgliteRows);
  log(`generated ${fmt(rows)} rows (${(bytes / 1_048_576).toFixed(0)} MB) in ${workDir}`);

  const results = await benchPostgres(bigFile, smallFile);
  if (!args['skip-pglite']) results.push(await benchPglite(pgliteFile, smallFile));

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pgVersion = await (async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const { rows: version } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    return version[0]?.server_version ?? '?';
  })();
  const machine = `${os.availableParallelism()} CPUs (${cpu}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB memory, Node ${process.version}, PostgreSQL ${pgVersion} (default settings), PGlite ${JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version}`;
  const command = `npm exec -- node bench/import.bench.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  const generated = `${fmt(rows)} people, ${(bytes / 1_048_576).toFixed(0)} MB, 19 columns, deterministic PRNG: bench/import.data.ts`;
  writeBenchmarks(markdown(results, machine, command, generated));
  log('BENCHMARKS.md updated');
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
