// What the benchmarks share: the real `lockstep` as a child process, with its time and peak memory,
// a median, and a fresh migrated PostgreSQL database to run against.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { tieringFlag } from '../src/cli/v8-tiering.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import type { ImportReport } from '../src/modules/import/import.report.ts';
import { outputOf } from '../src/test/cli.ts';

const root = path.resolve(import.meta.dirname, '..');
const mappingFile = path.join(root, 'bench/import.mapping.json');

export interface CliRun {
  seconds: number;
  peakRssMb: number;
  report: ImportReport;
}

/** What a run of the real `lockstep` took: wall time with start-up, and the peak RSS of its processes. */
export interface MeasuredRun {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

/**
 * Runs `node …nodeArgs bin/lockstep.js …args` as a child process, as a person would, and throws unless
 * it succeeds. Peak RSS from /usr/bin/time when present (its wait counts a child of the command too),
 * else by polling /proc VmHWM of the command's own process.
 */
export async function runLockstepMeasured(
  args: string[],
  env: Record<string, string | undefined>,
  nodeArgs: string[] = [],
): Promise<MeasuredRun> {
  const rssFile = path.join(os.tmpdir(), `lockstep-bench-rss-${randomBytes(4).toString('hex')}`);
  const useTime = fs.existsSync('/usr/bin/time');
  const cli = [process.execPath, ...nodeArgs, path.join(root, 'bin/lockstep.js'), ...args];
  const [command, ...commandArgs] = useTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...cli] : cli;
  const start = performance.now();
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(command!, commandArgs, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = outputOf(child);
  let polledKb = 0;
  const poll = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      polledKb = Math.max(polledKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // The process has just ended.
    }
  }, 100);
  const { code, stdout, stderr } = await output;
  clearInterval(poll);
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`lockstep ${args.join(' ')} failed (exit ${code}):\n${stderr}\n${stdout}`);
  const peakKb = useTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : polledKb;
  fs.rmSync(rssFile, { force: true });
  return { seconds, peakRssMb: Math.round(peakKb / 1024), stdout };
}

/**
 * `lockstep import csv file` with the benchmarks' mapping and its report, with the flag the launcher
 * would add on the embedded database, so that the process measured is the command.
 */
export async function runCli(
  file: string,
  env: Record<string, string | undefined>,
  extraArgs: string[] = [],
): Promise<CliRun> {
  const { seconds, peakRssMb, stdout } = await runLockstepMeasured(
    ['import', 'csv', file, '--mapping', mappingFile, '--json', ...extraArgs],
    env,
    [tieringFlag('import')],
  );
  return { seconds, peakRssMb, report: JSON.parse(stdout) };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A fresh database on the PostgreSQL at `adminUrl`, migrated, dropped after `work`. */
export async function withPostgresDatabase<T>(
  adminUrl: string,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const name = `lockstep_bench_${randomBytes(4).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: adminUrl });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    const database = await openDatabase({ kind: 'postgres', url: url.toString() }, 'bench');
    await migrateDatabase(database);
    await database.close();
    return await work(url.toString());
  } finally {
    await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminClient.end();
  }
}
