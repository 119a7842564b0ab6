// A stage move rewrites the person's row beside the old one on its page (a heap-only tuple): none of
// the table's indexes gets a new entry. That is what keeps tens of thousands of MQL moves in one
// re-scoring run cheap (BENCHMARKS.md), and every hand-off light on the indexes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { upsertPerson } from '../people/people.service.ts';
import { moveByRule } from './lifecycle.store.ts';

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
      const moved = await moveByRule(tx, {
        reasons: [{ personId: person.id, reason: 'test' }],
        from: [person.stage!],
        fromNone: false,
        to: 'mql',
        rule: 'test',
        at: new Date(),
      });
      expect(moved).toEqual([person.id]);
      return [before, await counts(tx)];
    });
    expect(after.updated - before.updated).toBe(1);
    expect(after.inPlace - before.inPlace).toBe(1);
  });
});

describe('moves by a rule on postgres, beside a concurrent change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => t?.close());

  it('reads the stage again once the other change commits, and moves only if it still may', async () => {
    const { person: stays } = await upsertPerson(t.deps, { email: 'won-meanwhile@lifecycle.dev' }, null);
    const { person: moves } = await upsertPerson(t.deps, { email: 'moves@lifecycle.dev' }, null);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Another transaction closes the first lead as won, and holds its row until released.
    const other = t.deps.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE people SET stage = 'won' WHERE id = ${stays.id}`);
      locked();
      await held;
    });
    await isLocked;
    const moving = moveByRule(t.deps.db, {
      reasons: [
        { personId: stays.id, reason: 'test' },
        { personId: moves.id, reason: 'test' },
      ],
      from: ['new'],
      fromNone: false,
      to: 'mql',
      rule: 'test',
      at: new Date(),
    });
    // The move waits for the lock, then sees 'won', which may not become an MQL.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await other;
    expect(await moving).toEqual([moves.id]);
    const stages = await queryRows<{ id: string; stage: string; moves: number }>(
      t.deps.db,
      sql`SELECT p.id, p.stage, (SELECT count(*)::int FROM stage_transitions s WHERE s.person_id = p.id AND s.to_stage = 'mql') AS moves
          FROM people p WHERE p.id IN (${stays.id}, ${moves.id}) ORDER BY p.email`,
    );
    expect(stages).toEqual([
      { id: moves.id, stage: 'mql', moves: 1 },
      { id: stays.id, stage: 'won', moves: 0 },
    ]);
  });
});
