import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import pg from 'pg';
import { type Config, describeDatabase, loadConfig } from '../config.ts';
import { isAlive, type LockHolder, lockPathFor } from '../db/lock.ts';
import { portIsFree } from '../shared/port.ts';

interface Finding {
  ok: boolean;
  what: string;
  fix?: string;
}

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function checkDatabase(config: Config): Promise<Finding[]> {
  const where = describeDatabase(config.database);
  if (config.database.kind === 'postgres') {
    const client = new pg.Client({ connectionString: config.database.url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      const { rows: vacuum } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
      return [
        { ok: true, what: `${where} answers (PostgreSQL ${rows[0]?.server_version})` },
        vacuum[0]?.autovacuum === 'on'
          ? { ok: true, what: "autovacuum is on: PostgreSQL keeps the tables' statistics fresh" }
          : {
              ok: false,
              what: 'autovacuum is off: the statistics that lists and reports are planned from go stale as data changes, and dead rows pile up',
              fix: 'Set `autovacuum = on` in postgresql.conf and reload PostgreSQL (Lockstep analyses the tables after its own large imports, not after everyday writes).',
            },
      ];
    } catch (error) {
      return [
        {
          ok: false,
          what: `${where} does not answer: ${(error as Error).message}`,
          fix: 'Check DATABASE_URL and that PostgreSQL is running.',
        },
      ];
    } finally {
      await client.end().catch(() => {});
    }
  }
  const { dataDir } = config.database;
  if (!fs.existsSync(dataDir)) {
    return [
      {
        ok: true,
        what: `${where} does not exist yet; the first \`npm start\` creates it (takes a few seconds)`,
      },
    ];
  }
  const findings: Finding[] = [{ ok: true, what: `${where} exists` }];
  const lockPath = lockPathFor(dataDir);
  if (fs.existsSync(lockPath)) {
    const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
    findings.push(
      isAlive(holder.pid)
        ? {
            ok: true,
            what: `in use by pid ${holder.pid} (${holder.purpose}${holder.url ? `, ${holder.url}` : ''}); CLI commands that need the database wait for it to stop`,
          }
        : { ok: true, what: `a stale lock from pid ${holder.pid} is left over; the next start removes it` },
    );
  }
  return findings;
}

async function checkPort(config: Config): Promise<Finding> {
  return (await portIsFree(config.port, config.host))
    ? { ok: true, what: `port ${config.port} is free` }
    : {
        ok: false,
        what: `port ${config.port} is in use`,
        fix: `Stop what uses it, or start with PORT=<another port>.`,
      };
}

export async function diagnose(): Promise<Finding[]> {
  const findings: Finding[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  findings.push(
    major >= 24
      ? { ok: true, what: `Node.js ${process.version}` }
      : {
          ok: false,
          what: `Node.js ${process.version} is too old`,
          fix: 'Run through npm (npx lockstep, npm start): the project brings Node 24.',
        },
  );
  let config: Config;
  try {
    config = loadConfig();
    findings.push({ ok: true, what: 'settings (environment variables) are valid' });
  } catch (error) {
    findings.push({ ok: false, what: (error as Error).message });
    return findings;
  }
  findings.push(...(await checkDatabase(config)));
  findings.push(await checkPort(config));
  findings.push(
    fs.existsSync(path.join(root, 'web', 'dist', 'index.html'))
      ? { ok: true, what: 'the web app is built' }
      : { ok: false, what: 'the web app is not built', fix: 'Run `npm run build:web` (npm start does it).' },
  );
  return findings;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check this set-up and say in plain words what is wrong')
    .action(async () => {
      const findings = await diagnose();
      for (const finding of findings) {
        process.stdout.write(
          `${finding.ok ? '✓' : '✗'} ${finding.what}\n${finding.fix ? `  → ${finding.fix}\n` : ''}`,
        );
      }
      if (findings.some((f) => !f.ok)) process.exitCode = 1;
    });
}
