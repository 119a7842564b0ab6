// A re-scoring run (everyone at once: staged sums, caps fixed apart, a new table swapped in) must
// store exactly what scoring each lead on its own stores, and move the same leads to MQL.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { fixedClock } from '../../shared/clock.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/databases.ts';
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { leadDefinitionSchema } from './definition.schema.ts';
import { rescoreLead, type ScoringDeps } from './lead-score.service.ts';
import { loadActivities, loadLeads } from './lead-score.store.ts';
import { rescoreAllLeads } from './rescoring.job.ts';
import { buildScoresOfEveryLead, swapInBuiltScores } from './rescoring.sql.ts';
import { scoreLead } from './score.ts';

const now = new Date('2026-06-30T12:00:00Z');
const DAY = 86_400_000;
const definition = leadDefinitionSchema.parse({
  fit: {
    rules: [
      { id: 'saas', field: 'account.industry', op: 'equals', value: 'SaaS', points: 20 },
      { id: 'vp', field: 'person.title', op: 'contains', value: 'vp', points: 10 },
    ],
    gradeCutoffs: { A: 30, B: 20, C: 10 },
  },
  engagement: {
    rules: [
      { id: 'webinar', activityType: 'webinar', points: 30, maxCount: 2 },
      {
        id: 'pricing',
        activityType: 'page_view',
        where: { property: 'path', contains: '/pricing' },
        points: 7,
        maxCount: 3,
        withinDays: 60,
      },
      // Every page view, so that a pricing view counts for two rules, one of them capped.
      { id: 'views', activityType: 'page_view', points: 1, maxCount: 4 },
      {
        id: 'careers',
        activityType: 'page_view',
        where: { property: 'path', contains: '/careers' },
        points: -15,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 45 },
});
const stored = sql`SELECT person_id AS "personId", version, fit_points AS "fitPoints", grade,
                          engagement_points::float8 AS "engagementPoints", is_mql AS "isMql", scored_at AS "scoredAt"
                   FROM lead_scores ORDER BY person_id`;
const movedToMql = sql`SELECT person_id AS "personId", from_stage AS "fromStage", rule, reason
                       FROM stage_transitions WHERE to_stage = 'mql' ORDER BY person_id`;

describe.each(databaseKinds)('re-scoring every lead on %s', (kind) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let deps: ScoringDeps;
  let personIds: string[];

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    if (kind === 'postgres') {
      // Parallel plans even for these few rows, as for a million leads: the run's parallel paths
      // (workers joining, sorting and aggregating their shares) are what this test checks.
      const setup = await openDatabase(testDatabase.config, 'test');
      await setup.db.execute(sql`
        DO $$ BEGIN
          EXECUTE format('ALTER DATABASE %I SET min_parallel_table_scan_size = 0', current_database());
          EXECUTE format('ALTER DATABASE %I SET min_parallel_index_scan_size = 0', current_database());
        END $$`);
      await setup.close();
    }
    database = await openDatabase(testDatabase.config, 'test');
    await migrateDatabase(database);
    deps = { db: database.db, clock: fixedClock(now), lifecycle: defaultLifecycle };
    await database.db.execute(sql`
    INSERT INTO accounts (name, domain, industry)
    VALUES ('Acme', 'acme.example', 'SaaS'), ('Shop', 'shop.example', 'Retail')`);
    await database.db.execute(sql`
    INSERT INTO people (email, title, account_id, stage, attributes)
    SELECT 'p' || i || '@x.example', (ARRAY['VP Sales', 'Engineer', 'vp marketing'])[1 + i % 3],
           (SELECT id FROM accounts WHERE name = (ARRAY['Acme', 'Shop'])[1 + i % 2]), 'new',
           jsonb_build_object('i', i)
    FROM generate_series(0, 35) i`);
    await database.db.execute(sql`
    INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule)
    SELECT id, NULL, 'new', ${now}::timestamptz - interval '100 days', 'test' FROM people`);
    // In the order they were made (ids are random), so that the data is the same every run.
    personIds = (
      await queryRows<{ id: string }>(
        database.db,
        sql`SELECT id FROM people ORDER BY (attributes ->> 'i')::int`,
      )
    ).map((p) => p.id);
    // Lead i has i % 5 webinars (cap 2), i % 7 pricing views (cap 3, some older than 60 days), i % 4
    // careers views, and one view a day ahead of the clock every third lead.
    for (const [i, personId] of personIds.entries()) {
      const rows: [string, number, string][] = [];
      for (let k = 0; k < i % 5; k++) rows.push(['webinar', (k * 13 + i) % 50, '/']);
      for (let k = 0; k < i % 7; k++) rows.push(['page_view', (k * 23 + i * 3) % 90, '/pricing']);
      for (let k = 0; k < i % 4; k++) rows.push(['page_view', k * 5 + 1, '/careers']);
      if (i % 3 === 0) rows.push(['page_view', -1, '/pricing/enterprise']);
      for (const [k, [type, daysAgo, path]] of rows.entries()) {
        await database.db.execute(sql`
        INSERT INTO activities (person_id, type, occurred_at, properties)
        VALUES (${personId}, ${type}, ${new Date(now.getTime() - daysAgo * DAY - k * 1000)}, ${JSON.stringify({ path })}::jsonb)`);
      }
    }
    await database.db.execute(sql`
    INSERT INTO lead_definitions (version, rules, published_at, effective_from)
    VALUES (1, ${JSON.stringify(definition)}::jsonb, ${now}, ${now})`);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('stores exactly the scores of scoring each lead on its own, and moves the same leads to MQL', async () => {
    // The data has leads over each cap and leads under it, or the test would prove nothing.
    const counts = await queryRows<{ overWebinar: number; underWebinar: number; overViews: number }>(
      database.db,
      sql`SELECT count(*) FILTER (WHERE w > 2)::int AS "overWebinar", count(*) FILTER (WHERE w BETWEEN 1 AND 2)::int AS "underWebinar",
                 count(*) FILTER (WHERE v > 4)::int AS "overViews"
          FROM (SELECT person_id, count(*) FILTER (WHERE type = 'webinar') AS w, count(*) FILTER (WHERE type = 'page_view') AS v
                FROM activities GROUP BY person_id) c`,
    );
    expect(counts[0]!.overWebinar).toBeGreaterThan(5);
    expect(counts[0]!.underWebinar).toBeGreaterThan(5);
    expect(counts[0]!.overViews).toBeGreaterThan(5);

    // Live scoring, one lead at a time: its statement scores, stores and moves in SQL, words the
    // verdict in SQL too, and must agree with the run, which words it in score.ts.
    for (const personId of personIds) await rescoreLead(deps, personId);
    const oneByOne = await queryRows<{ personId: string; engagementPoints: number; isMql: boolean }>(
      database.db,
      stored,
    );
    const movedOneByOne = await queryRows(database.db, movedToMql);
    expect(oneByOne).toHaveLength(personIds.length);
    expect(movedOneByOne.length).toBeGreaterThan(2);
    expect(movedOneByOne.length).toBeLessThan(personIds.length - 2);

    // Independently of SQL: score.ts gives the same engagement (to the rounding of a .x5 boundary).
    const [leads, activities] = await Promise.all([
      loadLeads(database.db, personIds),
      loadActivities(database.db, personIds, ['webinar', 'page_view']),
    ]);
    for (const lead of oneByOne) {
      const js = scoreLead(
        definition,
        { fields: leads.get(lead.personId)!.fields, activities: activities.get(lead.personId) ?? [] },
        now,
      );
      expect(Math.abs(lead.engagementPoints - js.engagement.points)).toBeLessThanOrEqual(0.1 + 1e-9);
    }

    // Back to before any scoring, then one run over everyone.
    await database.db.execute(sql`DELETE FROM lead_scores`);
    await database.db.execute(sql`DELETE FROM stage_transitions WHERE to_stage = 'mql'`);
    await database.db.execute(sql`UPDATE people SET stage = 'new'`);
    await rescoreAllLeads(deps, 1);

    expect(await queryRows(database.db, stored)).toEqual(oneByOne);
    expect(await queryRows(database.db, movedToMql)).toEqual(movedOneByOne);
    const [run] = await queryRows(
      database.db,
      sql`SELECT total, done, made_mql AS "madeMql", step, qualified, checked, finished_at IS NOT NULL AS finished
          FROM rescoring_runs`,
    );
    const qualified = oneByOne.filter((lead) => lead.isMql).length;
    expect(qualified).toBeGreaterThan(movedOneByOne.length - 1);
    expect(run).toEqual({
      total: personIds.length,
      done: personIds.length,
      madeMql: movedOneByOne.length,
      step: 'mql',
      qualified,
      checked: qualified,
      finished: true,
    });
  });

  it('drops a deleted person’s score, keeps the primary key on the swapped-in scores, and runs once', async () => {
    const [person] = personIds;
    await database.db.execute(sql`DELETE FROM people WHERE id = ${person}`);
    const [gone] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM lead_scores WHERE person_id = ${person}`,
    );
    expect(gone?.n).toBe(0);
    await expect(
      database.db.execute(sql`INSERT INTO lead_scores SELECT * FROM lead_scores LIMIT 1`),
    ).rejects.toThrow();
    const before = await queryRows(database.db, stored);
    await rescoreAllLeads(deps, 1);
    expect(await queryRows(database.db, stored)).toEqual(before);
  });

  it('builds again from the start when a run stopped before its scores were swapped in', async () => {
    await database.db.execute(sql`
      INSERT INTO lead_definitions (version, rules, published_at, effective_from)
      VALUES (2, ${JSON.stringify(definition)}::jsonb, ${now}, ${now})`);
    const later = fixedClock(new Date(now.getTime() + DAY));
    const laterDeps = { ...deps, clock: later };
    // The first attempt built the table and died before the swap, telling each step as it began.
    const steps: string[] = [];
    const { scored, qualified } = await buildScoresOfEveryLead(
      database.db,
      { version: 2, rules: definition },
      later.now(),
      {
        onStep: async (step) => {
          steps.push(step);
        },
      },
    );
    expect(steps).toEqual(['engagement', 'recent', 'scores']);
    const [built] = await queryRows<{ n: number; all: number }>(
      database.db,
      sql`SELECT (count(*) FILTER (WHERE is_mql))::int AS n, count(*)::int AS all FROM rescoring_scores_v2`,
    );
    expect({ scored, qualified }).toEqual({ scored: built!.all, qualified: built!.n });
    await database.db.execute(sql`UPDATE rescoring_scores_v2 SET fit_points = -99`);
    await rescoreAllLeads(laterDeps, 2);
    const rows = await queryRows<{ version: number; fitPoints: number }>(database.db, stored);
    expect(rows).toHaveLength(personIds.length - 1);
    expect(rows.every((row) => row.version === 2 && row.fitPoints >= 0)).toBe(true);
  });

  it('drops the scores of people deleted while the run built them', async () => {
    await database.db.execute(sql`
      INSERT INTO lead_definitions (version, rules, published_at, effective_from)
      VALUES (3, ${JSON.stringify(definition)}::jsonb, ${now}, ${now})`);
    const later = new Date(now.getTime() + 2 * DAY);
    await buildScoresOfEveryLead(database.db, { version: 3, rules: definition }, later);
    const gone = personIds.at(-1)!;
    // A deletion of two days ago: the trigger lets it go as it lists the new one.
    await database.db.execute(
      sql`INSERT INTO people_deleted (person_id, deleted_at) VALUES (gen_random_uuid(), now() - interval '2 days')`,
    );
    await database.db.execute(sql`DELETE FROM people WHERE id = ${gone}`);
    expect(
      await queryRows(
        database.db,
        sql`SELECT person_id AS "personId" FROM people_deleted WHERE person_id = ${gone}`,
      ),
    ).toEqual([{ personId: gone }]);
    const [kept] = await queryRows<{ old: number }>(
      database.db,
      sql`SELECT count(*)::int AS old FROM people_deleted WHERE deleted_at < now() - interval '1 day'`,
    );
    expect(kept!.old).toBe(0);
    await swapInBuiltScores(database.db, 3, later, async () => {});
    const rows = await queryRows<{ personId: string; version: number }>(database.db, stored);
    expect(rows.map((row) => row.personId)).not.toContain(gone);
    // The first lead was deleted by an earlier test.
    expect(rows).toHaveLength(personIds.length - 2);
    expect(rows.every((row) => row.version === 3)).toBe(true);
  });

  it('scores live with a newer version as soon as it is in force', async () => {
    const lead = personIds[1]!;
    const versionOf = async () =>
      (
        await queryRows<{ version: number }>(
          database.db,
          sql`SELECT version FROM lead_scores WHERE person_id = ${lead}`,
        )
      )[0]?.version;
    await rescoreLead(deps, lead);
    expect(await versionOf()).toBe(3);
    // This process scored with version 3 just now and keeps its statement; version 4 takes over.
    await database.db.execute(sql`
      INSERT INTO lead_definitions (version, rules, published_at, effective_from)
      VALUES (4, ${JSON.stringify(definition)}::jsonb, ${now}, ${now})`);
    await rescoreLead(deps, lead);
    expect(await versionOf()).toBe(4);
  });

  it('drops what a run built once a newer version has taken over, and nothing of another version', async () => {
    const built = () =>
      queryRows<{ name: string }>(
        database.db,
        sql`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'rescoring_scores_v%' ORDER BY 1`,
      );
    // Version 3's run built its scores and stopped; version 4 took effect before it ran again.
    await buildScoresOfEveryLead(
      database.db,
      { version: 3, rules: definition },
      new Date(now.getTime() + DAY),
    );
    await database.db.execute(sql`CREATE TABLE rescoring_scores_v4 (person_id uuid)`);
    expect(await built()).toEqual([{ name: 'rescoring_scores_v3' }, { name: 'rescoring_scores_v4' }]);
    await rescoreAllLeads(deps, 3);
    expect(await built()).toEqual([{ name: 'rescoring_scores_v4' }]);
    await database.db.execute(sql`DROP TABLE rescoring_scores_v4`);
  });

  it.runIf(kind === 'postgres')(
    'swaps while a request that wrote a person waits to score it, and neither waits for the other',
    async () => {
      await database.db.execute(sql`
        INSERT INTO lead_definitions (version, rules, published_at, effective_from)
        VALUES (5, ${JSON.stringify(definition)}::jsonb, ${now}, ${now})`);
      const later = new Date(now.getTime() + 3 * DAY);
      await buildScoresOfEveryLead(database.db, { version: 5, rules: definition }, later);
      // A request's transaction has written a person (it holds people) and is about to score them.
      const request = new pg.Client({ connectionString: (testDatabase.config as { url: string }).url });
      await request.connect();
      try {
        await request.query('BEGIN');
        const created = await request.query<{ id: string }>(
          `INSERT INTO people (email) VALUES ('late@swap.test') RETURNING id`,
        );
        let swapped = false;
        const swap = swapInBuiltScores(database.db, 5, later, async () => {}).then(() => {
          swapped = true;
        });
        // Until the swap holds lead_scores (or is done): the request's score must then wait for it.
        for (let i = 0; i < 200 && !swapped; i++) {
          const [held] = await queryRows<{ n: number }>(
            database.db,
            sql`SELECT count(*)::int AS n FROM pg_locks
                WHERE relation = 'lead_scores'::regclass AND mode = 'AccessExclusiveLock' AND granted`,
          );
          if (held!.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // With a key from lead_scores to people, the swap's DROP TABLE waited for this transaction
        // (it holds people) while this insert waited for the swap: PostgreSQL broke the deadlock by
        // failing one of them after a second.
        const scored = request.query(
          `INSERT INTO lead_scores (person_id, version, fit_points, grade, engagement_points, is_mql, scored_at)
           VALUES ($1, 5, 0, 'D', 0, false, now())`,
          [created.rows[0]!.id],
        );
        await Promise.all([swap, scored]);
        await request.query('COMMIT');
        const rows = await queryRows<{ personId: string; version: number }>(database.db, stored);
        expect(rows.map((row) => row.personId)).toContain(created.rows[0]!.id);
        expect(rows.every((row) => row.version === 5)).toBe(true);
      } finally {
        await request.end();
      }
    },
  );
});
