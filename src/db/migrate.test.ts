import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLockstep } from '../main.ts';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { openDatabase } from './client.ts';
import { migrateDatabase } from './migrate.ts';

const journal = new URL('./migrations/meta/_journal.json', import.meta.url);
const migrationCount = (JSON.parse(fs.readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries
  .length;

describe('on PostgreSQL', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
  });
  afterAll(async () => testDatabase?.drop());

  it('migrates once when several app servers start together', async () => {
    const servers = await Promise.all([1, 2, 3].map(() => openDatabase(testDatabase.config)));
    try {
      await Promise.all(servers.map((database) => migrateDatabase(database)));
      const [applied] = await servers[0]!.withSession((s) =>
        s.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations'),
      );
      // Each migration recorded once, however many servers raced to apply it.
      expect(applied?.n).toBe(migrationCount);
    } finally {
      await Promise.all(servers.map((database) => database.close()));
    }
  });

  it('serves the app with DATABASE_URL, migrating on start', async () => {
    if (testDatabase.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const running = await startLockstep({
      env: { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: testDatabase.config.url, LOG_LEVEL: 'silent' },
    });
    try {
      const health = await fetch(`${running.url.replace('localhost', '127.0.0.1')}/api/health`);
      expect(await health.json()).toEqual({ ok: true, database: 'postgres' });
      // No demo on PostgreSQL unless asked: the first visit sets up the first admin.
      const setup = await fetch(`${running.url.replace('localhost', '127.0.0.1')}/api/setup`);
      expect(await setup.json()).toEqual({ needsSetup: true, demoAdminEmail: null });
    } finally {
      await running.stop();
    }
  });
});
