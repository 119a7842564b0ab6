// What the benchmarks share: the real `lockstep import csv` as a child process, with its peak
// memory, and a fresh migrated PostgreSQL database to run against.
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

/**
 * Runs the real CLI as a child process; peak RSS from /usr/bin/time when present, else /proc VmHWM polling.
 * With the flag the launcher would add on the embedded database, so that the process measured is the command.
 */
export async function runCli(
  file: string,
  env: Record<string, string | undefined>,
  extraArgs: string[] = [],
): Promise<CliRun> {
  const rssFile = path.join(os.tmpdir(), `lockstep-bench-rss-${randomBytes(4).toString('hex')}`);
  const useTime = fs.existsSync('/usr/bin/time');
  const cli = [
    process.execPath,
    tieringFlag('import'),
    path.join(root, 'bin/lockstep.js'),
    'import',
    'csv',
    file,
    '--mapping',
    mappingFile,
    '--json',
    ...extraArgs,
  ];
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
  if (code !== 0) throw new Error(`lockstep import failed (exit ${code}):\n${stderr}\n${stdout}`);
  const peakKb = useTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : polledKb;
  fs.rmSync(rssFile, { force: true });
  return { seconds, peakRssMb: Math.round(peakKb / 1024), report: JSON.parse(stdout) };
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
