import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLockstep } from '../main.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../test/databases.ts';
import { type Database, openDatabase } from './client.ts';
import { migrateDatabase } from './migrate.ts';

const migrationsFolder = path.join(import.meta.dirname, 'migrations');
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

/** Applies the migrations before `tag`, as a database installed before it has them. */
async function migrateUpTo(database: Database, tag: string): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-migrations-'));
  try {
    fs.cpSync(migrationsFolder, folder, { recursive: true });
    const meta = JSON.parse(fs.readFileSync(journal, 'utf8')) as { entries: { tag: string }[] };
    const entries = meta.entries.slice(
      0,
      meta.entries.findIndex((entry) => entry.tag === tag),
    );
    fs.writeFileSync(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...meta, entries }));
    if (database.kind === 'pglite') {
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    } else {
      await migrateNodePg(database.db as unknown as NodePgDatabase, { migrationsFolder: folder });
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

describe.each(databaseKinds)('people an import left without a stage, on %s', (kind) => {
  const withDatabase = async (check: (database: Database) => Promise<void>) => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.config, 'test');
    try {
      await migrateUpTo(database, '0027_people_start_at_new');
      await check(database);
    } finally {
      await database.close();
      await testDatabase.drop();
    }
  };
  const rows = (database: Database, text: string) => database.withSession((s) => s.query(text));

  it('start at "new" when they were created, with their import as the rule; the others keep their history', async () => {
    await withDatabase(async (database) => {
      await rows(
        database,
        `INSERT INTO people (external_id, email, created_at, stage, stage_entered_at) VALUES
           ('hubspot:107', 'eve@example.org', '2025-03-03T03:03:00Z', NULL, NULL),
           (NULL, 'noid@example.org', '2025-04-01T10:00:00Z', NULL, NULL),
           ('hubspot:102', 'grace@navy.example', '2025-03-01T08:00:00Z', 'mql', '2025-03-02T10:30:00Z')`,
      );
      await rows(
        database,
        `INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule)
         SELECT id, NULL, 'mql', '2025-03-02T10:30:00Z', 'import:hubspot' FROM people WHERE external_id = 'hubspot:102'`,
      );
      await migrateDatabase(database);
      expect(
        await rows(
          database,
          `SELECT p.email, p.stage, p.stage_entered_at = p.created_at AS "enteredWhenCreated",
                  string_agg(coalesce(t.from_stage, '·') || '→' || t.to_stage || ' ' || t.rule, ', ' ORDER BY t.seq) AS history
           FROM people p JOIN stage_transitions t ON t.person_id = p.id
           GROUP BY p.id ORDER BY p.email`,
        ),
      ).toEqual([
        { email: 'eve@example.org', stage: 'new', enteredWhenCreated: true, history: '·→new import:hubspot' },
        {
          email: 'grace@navy.example',
          stage: 'mql',
          enteredWhenCreated: false,
          history: '·→mql import:hubspot',
        },
        { email: 'noid@example.org', stage: 'new', enteredWhenCreated: true, history: '·→new import' },
      ]);
    });
  });

  it('are left alone where the history shows a lifecycle of its own without "new"', async () => {
    await withDatabase(async (database) => {
      await rows(
        database,
        `INSERT INTO people (external_id, email, stage, stage_entered_at) VALUES
           ('crm:1', 'lead@example.org', 'lead', now()), ('crm:2', 'none@example.org', NULL, NULL)`,
      );
      await rows(
        database,
        `INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
         SELECT id, NULL, 'lead', now() FROM people WHERE external_id = 'crm:1'`,
      );
      await migrateDatabase(database);
      expect(await rows(database, 'SELECT email, stage FROM people ORDER BY email')).toEqual([
        { email: 'lead@example.org', stage: 'lead' },
        { email: 'none@example.org', stage: null },
      ]);
      expect(await rows(database, 'SELECT count(*)::int AS n FROM stage_transitions')).toEqual([{ n: 1 }]);
    });
  });
});
