import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../test/databases.ts';
import { type Database, openDatabase } from './client.ts';

describe.each(databaseKinds)('a session transaction on %s', (kind) => {
  let testDatabase: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config);
    await database.rows(sql`CREATE TABLE notes (text text NOT NULL)`);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const notes = async () =>
    (await database.rows<{ text: string }>(sql`SELECT text FROM notes ORDER BY text`)).map((r) => r.text);

  it("rolls back its own writes and never anyone else's written meanwhile", async () => {
    let written: Promise<unknown> = Promise.resolve();
    const failed = database.withSession((session) =>
      session.transaction(async (tx) => {
        await tx.query("INSERT INTO notes VALUES ('in the transaction')");
        // A request served while the transaction is open (on PGlite, the same connection).
        written = database.rows(sql`INSERT INTO notes VALUES ('from a request')`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('the import failed');
      }),
    );
    await expect(failed).rejects.toThrow('the import failed');
    await written;
    expect(await notes()).toEqual(['from a request']);
  });

  it('commits when the work returns, and answers with its result', async () => {
    const result = await database.withSession((session) =>
      session.transaction(async (tx) => {
        await tx.query("INSERT INTO notes VALUES ('committed')");
        return 42;
      }),
    );
    expect(result).toBe(42);
    expect(await notes()).toEqual(['committed', 'from a request']);
  });
});
