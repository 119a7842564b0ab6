import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { diagnose } from './doctor.command.ts';

describe('lockstep doctor on PostgreSQL', () => {
  let testDatabase: TestDatabase;
  const environment = { ...process.env };
  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
  });
  afterEach(() => {
    process.env = { ...environment };
  });
  afterAll(async () => testDatabase?.drop());

  const finding = (findings: Awaited<ReturnType<typeof diagnose>>, about: RegExp) =>
    findings.find((f) => about.test(f.what));

  it('says the database answers, and whether autovacuum keeps the statistics fresh', async () => {
    const url = (testDatabase.config as { url: string }).url;
    Object.assign(process.env, { DATABASE_URL: url, PORT: '0' });
    const findings = await diagnose();
    expect(finding(findings, /answers \(PostgreSQL \d+/)?.ok).toBe(true);
    // What this server runs with decides the finding, and its advice.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
    await client.end();
    const vacuum = finding(findings, /^autovacuum is/);
    expect(vacuum?.ok).toBe(rows[0]?.autovacuum === 'on');
    if (!vacuum?.ok) expect(vacuum?.fix).toContain('autovacuum = on');
  });

  it('says so, and what to check, when the database does not answer', async () => {
    Object.assign(process.env, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', PORT: '0' });
    const down = finding(await diagnose(), /does not answer/);
    expect(down?.ok).toBe(false);
    expect(down?.fix).toBe('Check DATABASE_URL and that PostgreSQL is running.');
  });
});
