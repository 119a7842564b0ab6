// A process killed while its statement waits does not leave that statement waiting in PostgreSQL.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';

const LOCK = 4_242_001;

describe('a killed process on PostgreSQL', () => {
  let testDatabase: TestDatabase;
  let holder: pg.Client;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-connection-'));
  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
    if (testDatabase.config.kind !== 'postgres') throw new Error('a PostgreSQL database was asked for');
    holder = new pg.Client({ connectionString: testDatabase.config.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await testDatabase?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const waiting = async () =>
    (
      await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`,
        [LOCK],
      )
    ).rows[0]!.n;

  it('has its waiting statement ended by PostgreSQL within seconds', async () => {
    await holder.query('SELECT pg_advisory_lock($1)', [LOCK]);
    // A Lockstep process (the CLI's database client) that waits for the lock the holder keeps.
    const script = path.join(dir, 'wait.ts');
    fs.writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, 'client.ts'))};
       const database = await openDatabase({ kind: 'postgres', url: process.env.URL });
       await database.withSession((session) => session.query('SELECT pg_advisory_lock(${LOCK})'));`,
    );
    const resolution = path.resolve(import.meta.dirname, '../shared/module-resolution.ts');
    const child = spawn(process.execPath, ['--import', resolution, script], {
      env: { ...process.env, URL: testDatabase.config.kind === 'postgres' ? testDatabase.config.url : '' },
      stdio: 'ignore',
    });
    const until = async (condition: () => Promise<boolean>, seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      while (!(await condition())) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return true;
    };
    expect(await until(async () => (await waiting()) === 1, 20), 'the child waits for the lock').toBe(true);
    child.kill('SIGKILL');
    const started = Date.now();
    expect(await until(async () => (await waiting()) === 0, 10), 'the wait ended').toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    await holder.query('SELECT pg_advisory_unlock($1)', [LOCK]);
  }, 40_000);
});
