// A stage move rewrites the person's row beside the old one on its page (a heap-only tuple): none of
// the table's indexes gets a new entry. That is what keeps tens of thousands of MQL moves in one
// re-scoring run cheap (BENCHMARKS.md), and every hand-off light on the indexes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { upsertPerson } from '../people/people.service.ts';
import { insertRuleTransitions } from './lifecycle.store.ts';

describe.each(databaseKinds)('a stage move on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('updates the person in place, adding no index entry', async () => {
    const { person } = await upsertPerson(t.deps, { email: 'moved@lifecycle.dev' }, null);
    // This backend's counts, read twice in one transaction (no flush in between): the difference is
    // the move alone, whatever else runs on the database.
    const counts = (tx: Db) =>
      queryRows<{ updated: number; inPlace: number }>(
        tx,
        sql`SELECT coalesce(sum(n_tup_upd), 0)::int AS updated, coalesce(sum(n_tup_hot_upd), 0)::int AS "inPlace"
            FROM pg_stat_xact_user_tables WHERE relname = 'people'`,
      ).then(([row]) => row!);
    const [before, after] = await t.deps.db.transaction(async (tx) => {
      const before = await counts(tx);
      await insertRuleTransitions(tx, {
        moves: [{ personId: person.id, fromStage: person.stage, reason: 'test' }],
        to: 'mql',
        rule: 'test',
        at: new Date(),
      });
      return [before, await counts(tx)];
    });
    expect(after.updated - before.updated).toBe(1);
    expect(after.inPlace - before.inPlace).toBe(1);
  });
});
