import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../test/databases.ts';
import { type Database, type Db, openDatabase } from './client.ts';
import { createRebuilt, indexRebuilt, swapInRebuilt } from './rebuild.ts';

describe.each(databaseKinds)('a table rebuilt beside the live one and swapped in, on %s', (kind) => {
  let testDatabase: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const tables = ['counts', 'totals'];
  const setUp = async () => {
    await database.rows(sql`DROP TABLE IF EXISTS counts, totals, counts_next, totals_next`);
    await database.rows(sql`CREATE TABLE counts (id int PRIMARY KEY, label text NOT NULL DEFAULT 'none',
      n int CHECK (n >= 0))`);
    await database.rows(sql`CREATE INDEX counts_label_idx ON counts (label)`);
    await database.rows(sql`CREATE TABLE totals (key text, n int NOT NULL,
      CONSTRAINT totals_key UNIQUE NULLS NOT DISTINCT (key))`);
    await database.rows(sql`INSERT INTO counts VALUES (1, 'old', 1), (2, 'old', 2)`);
    await database.rows(sql`INSERT INTO totals VALUES ('old', 3), (NULL, 4)`);
  };
  const indexes = () =>
    database.rows<{ name: string; definition: string }>(
      sql`SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE tablename IN ('counts', 'totals') ORDER BY 1`,
    );
  const constraints = () =>
    database.rows<{ name: string; definition: string }>(
      sql`SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
          WHERE conrelid IN ('counts'::regclass, 'totals'::regclass) ORDER BY 1`,
    );
  /** Rebuilds both tables with new rows; `meanwhile` runs once the new rows are written. */
  const rebuild = (meanwhile: () => Promise<void> = async () => {}) =>
    database.db.transaction(async (tx) => {
      await createRebuilt(tx as unknown as Db, tables);
      await tx.execute(sql`INSERT INTO counts_next (id, n) VALUES (1, 10), (3, 30)`);
      await tx.execute(sql`INSERT INTO totals_next VALUES ('new', 5), (NULL, 6)`);
      const rebuilt = await indexRebuilt(tx as unknown as Db, tables);
      await meanwhile();
      await swapInRebuilt(tx as unknown as Db, rebuilt);
    });

  it('keeps the live names and definitions of keys, indexes, defaults and checks', async () => {
    await setUp();
    const [indexesBefore, constraintsBefore] = [await indexes(), await constraints()];
    expect(indexesBefore.map((index) => index.name)).toEqual([
      'counts_label_idx',
      'counts_pkey',
      'totals_key',
    ]);
    await rebuild();
    expect(await indexes()).toEqual(indexesBefore);
    expect(await constraints()).toEqual(constraintsBefore);
    expect(await database.rows(sql`SELECT id, label, n FROM counts ORDER BY id`)).toEqual([
      { id: 1, label: 'none', n: 10 },
      { id: 3, label: 'none', n: 30 },
    ]);
    // The keys work under their names: an upsert by constraint, NULLs not distinct, the check.
    await database.rows(sql`INSERT INTO totals VALUES (NULL, 1)
      ON CONFLICT ON CONSTRAINT totals_key DO UPDATE SET n = totals.n + excluded.n`);
    expect(await database.rows(sql`SELECT key, n FROM totals ORDER BY key`)).toEqual([
      { key: 'new', n: 5 },
      { key: null, n: 7 },
    ]);
    await expect(database.rows(sql`INSERT INTO counts VALUES (3, 'x', 1)`)).rejects.toThrow();
    await expect(database.rows(sql`INSERT INTO counts VALUES (4, 'x', -1)`)).rejects.toThrow();
    const left = await database.rows(sql`SELECT tablename FROM pg_tables WHERE tablename LIKE '%_next'`);
    expect(left).toEqual([]);
  });

  it('leaves the live tables as they were when the rebuild fails', async () => {
    await setUp();
    await expect(
      rebuild(async () => {
        throw new Error('the rebuild failed');
      }),
    ).rejects.toThrow('the rebuild failed');
    expect(await database.rows(sql`SELECT id, label FROM counts ORDER BY id`)).toEqual([
      { id: 1, label: 'old' },
      { id: 2, label: 'old' },
    ]);
    expect(await database.rows(sql`SELECT tablename FROM pg_tables WHERE tablename LIKE '%_next'`)).toEqual(
      [],
    );
  });

  it.runIf(kind === 'postgres')(
    'waits for a reader without holding a lock it may ask for next (no deadlock)',
    async () => {
      await setUp();
      let readsDuringSwap: unknown[] = [];
      // A report's transaction: it reads totals, and later counts, while the swap wants both.
      const reader = database.withSession(async (session) => {
        await session.query('BEGIN');
        await session.query('SELECT * FROM totals');
        await new Promise((resolve) => setTimeout(resolve, 400));
        readsDuringSwap = await session.query<{ label: string }>('SELECT label FROM counts ORDER BY id');
        await session.query('COMMIT');
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await Promise.all([reader, rebuild()]);
      // The reader saw the live rows to the end of its transaction; the swap came after it.
      expect(readsDuringSwap).toEqual([{ label: 'old' }, { label: 'old' }]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(await database.rows(sql`SELECT count(*)::int AS n FROM counts`)).toEqual([{ n: 2 }]);
      expect(await database.rows(sql`SELECT key FROM totals ORDER BY key`)).toEqual([
        { key: 'new' },
        { key: null },
      ]);
    },
  );
});
