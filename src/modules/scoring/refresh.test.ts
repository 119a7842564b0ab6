// The daily refresh: every stored score as of today, and the leads that time alone made MQLs moved.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { fixedClock } from '../../shared/clock.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/databases.ts';
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import { leadDefinitionSchema } from './definition.schema.ts';
import { definitionInForce } from './definitions.service.ts';
import { explainLeadScore, moveQualifiedLeads, rescoreLead } from './lead-score.service.ts';
import { refreshLeadScores } from './refresh.job.ts';
import { buildScoresOfEveryLead, newlyQualifiedInBuild, swapInBuiltScores } from './rescoring.sql.ts';

const t0 = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const later = new Date(t0.getTime() + 15 * DAY);
const definition = leadDefinitionSchema.parse({
  fit: {
    rules: [{ id: 'saas', field: 'account.industry', op: 'equals', value: 'SaaS', points: 30 }],
    gradeCutoffs: { A: 30, B: 20, C: 10 },
  },
  engagement: {
    rules: [
      { id: 'webinar', activityType: 'webinar', points: 30 },
      // A fresh look at the careers page says "job seeker", for two weeks.
      {
        id: 'careers',
        activityType: 'page_view',
        where: { property: 'path', contains: '/careers' },
        points: -40,
        withinDays: 14,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 25 },
});

describe.each(databaseKinds)('the daily refresh of every score on %s', (kind) => {
  let testDatabase: TestDatabase;
  let database: Database;
  const lead: Record<'fading' | 'recovering' | 'recycled', string> = {
    fading: '',
    recovering: '',
    recycled: '',
  };

  const stored = async (personId: string) => {
    const [row] = await queryRows<{ engagement: number; isMql: boolean; stage: string; scoredAt: Date }>(
      database.db,
      sql`SELECT s.engagement_points::float8 AS engagement, s.is_mql AS "isMql", p.stage, s.scored_at AS "scoredAt"
          FROM lead_scores s JOIN people p ON p.id = s.person_id WHERE s.person_id = ${personId}`,
    );
    return row!;
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config, 'test');
    await migrateDatabase(database);
    await database.db.execute(sql`INSERT INTO accounts (name, industry) VALUES ('Acme', 'SaaS')`);
    await database.db.execute(sql`
      INSERT INTO lead_definitions (version, rules, published_at, effective_from)
      VALUES (1, ${JSON.stringify(definition)}::jsonb, ${t0}, ${t0})`);
    const activities: Record<keyof typeof lead, [string, string][]> = {
      fading: [['webinar', '/']], // 30 today, 21.2 in 15 days: below 25
      recovering: [
        ['webinar', '/'],
        ['webinar', '/'],
        ['page_view', '/careers'],
      ], // 60 − 40 = 20 today; in 15 days 42.4, the careers view out of its window
      recycled: [
        ['webinar', '/'],
        ['webinar', '/'],
      ], // 60 today, an MQL sent back to nurture and recycled by marketing; 42.4 in 15 days
    };
    for (const [name, rows] of Object.entries(activities) as [keyof typeof lead, [string, string][]][]) {
      const [person] = await queryRows<{ id: string }>(
        database.db,
        sql`INSERT INTO people (email, account_id, stage) SELECT ${`${name}@acme.example`}, id, 'new' FROM accounts
            RETURNING id`,
      );
      lead[name] = person!.id;
      for (const [type, path] of rows) {
        await database.db.execute(sql`
          INSERT INTO activities (person_id, type, occurred_at, properties)
          VALUES (${person!.id}, ${type}, ${t0}, ${JSON.stringify({ path })}::jsonb)`);
      }
      // Scored live as each activity arrived.
      await rescoreLead({ db: database.db, clock: fixedClock(t0), lifecycle: defaultLifecycle }, person!.id);
    }
    const asOfT0 = { db: database.db, clock: fixedClock(t0), lifecycle: defaultLifecycle };
    for (const to of ['nurture', 'recycled'])
      await moveLead(asOfT0, { personId: lead.recycled, to, actor: null, rule: 'test' });
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('stores every score as of today and moves the leads that time alone made MQLs', async () => {
    expect(await stored(lead.fading)).toMatchObject({ engagement: 30, isMql: true, stage: 'mql' });
    expect(await stored(lead.recovering)).toMatchObject({ engagement: 20, isMql: false, stage: 'new' });
    expect(await stored(lead.recycled)).toMatchObject({ engagement: 60, isMql: true, stage: 'recycled' });

    const deps = { db: database.db, clock: fixedClock(later), lifecycle: defaultLifecycle };
    expect(await refreshLeadScores(deps)).toEqual({ scored: 3, madeMql: 1 });

    // What each lead's page explains today is what is stored.
    for (const personId of Object.values(lead)) {
      const explained = await explainLeadScore(deps, personId);
      expect(await stored(personId)).toMatchObject({
        engagement: explained!.engagement.points,
        isMql: explained!.isMql,
        scoredAt: later,
      });
    }
    // The fading MQL stays with sales: only sales moves a lead on from MQL.
    expect(await stored(lead.fading)).toMatchObject({ engagement: 21.2, isMql: false, stage: 'mql' });
    expect(await stored(lead.recovering)).toMatchObject({ engagement: 42.4, isMql: true, stage: 'mql' });
    // Already an MQL by its score when marketing recycled it: time changed nothing, so it waits
    // for a new activity rather than going back to sales overnight.
    expect(await stored(lead.recycled)).toMatchObject({ engagement: 42.4, isMql: true, stage: 'recycled' });
    const moves = await queryRows<{ rule: string; occurredAt: Date }>(
      database.db,
      sql`SELECT rule, occurred_at AS "occurredAt" FROM stage_transitions
          WHERE person_id = ${lead.recovering} AND to_stage = 'mql'`,
    );
    expect(moves).toEqual([{ rule: 'lead definition v1', occurredAt: later }]);

    // The next night, nothing moves again.
    expect(await refreshLeadScores(deps)).toEqual({ scored: 3, madeMql: 0 });
  });

  it('leaves a lead scored live during the refresh to what its request decided', async () => {
    // Below the bar at t0 (the careers view); above it by the refresh, the view out of its window.
    const [person] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO people (email, account_id, stage) SELECT 'late@acme.example', id, 'new' FROM accounts
          RETURNING id`,
    );
    const activity = (type: string, path: string, at: Date) =>
      database.db.execute(sql`
        INSERT INTO activities (person_id, type, occurred_at, properties)
        VALUES (${person!.id}, ${type}, ${at}, ${JSON.stringify({ path })}::jsonb)`);
    for (const [type, path] of [
      ['webinar', '/'],
      ['webinar', '/'],
      ['page_view', '/careers'],
    ])
      await activity(type!, path!, t0);
    await rescoreLead({ db: database.db, clock: fixedClock(t0), lifecycle: defaultLifecycle }, person!.id);
    const refreshAt = new Date(later.getTime() + 3_600_000);
    await buildScoresOfEveryLead(database.db, { version: 1, rules: definition }, refreshAt, {
      by: 'refresh',
    });
    // While the refresh builds, the lead looks at the careers page again: scored live, below the bar.
    const liveAt = new Date(refreshAt.getTime() + 60_000);
    await activity('page_view', '/careers', liveAt);
    await rescoreLead(
      { db: database.db, clock: fixedClock(liveAt), lifecycle: defaultLifecycle },
      person!.id,
    );
    expect(await stored(person!.id)).toMatchObject({ isMql: false, stage: 'new', scoredAt: liveAt });

    expect(await newlyQualifiedInBuild(database.db, 1, refreshAt, 'refresh')).toEqual([]);
    await swapInBuiltScores(database.db, 1, refreshAt, async () => {}, 'refresh');
    expect(await stored(person!.id)).toMatchObject({ isMql: false, stage: 'new', scoredAt: liveAt });
    // The others' scores are the refresh's.
    expect(await stored(lead.recovering)).toMatchObject({ isMql: true, scoredAt: refreshAt });
  });

  it('moves nobody twice when a refresh stopped before its swap runs again', async () => {
    const [person] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO people (email, account_id, stage) SELECT 'stopped@acme.example', id, 'new' FROM accounts
          RETURNING id`,
    );
    for (const [type, path] of [
      ['webinar', '/'],
      ['webinar', '/'],
      ['page_view', '/careers'],
    ]) {
      await database.db.execute(sql`
        INSERT INTO activities (person_id, type, occurred_at, properties)
        VALUES (${person!.id}, ${type!}, ${t0}, ${JSON.stringify({ path })}::jsonb)`);
    }
    await rescoreLead({ db: database.db, clock: fixedClock(t0), lifecycle: defaultLifecycle }, person!.id);
    const stoppedAt = new Date(later.getTime() + 2 * 3_600_000);
    const deps = { db: database.db, clock: fixedClock(stoppedAt), lifecycle: defaultLifecycle };
    // The first attempt built, found the lead and moved it, and stopped before its swap.
    await buildScoresOfEveryLead(database.db, { version: 1, rules: definition }, stoppedAt, {
      by: 'refresh',
    });
    const newly = await newlyQualifiedInBuild(database.db, 1, stoppedAt, 'refresh');
    expect(newly.map((lead) => lead.personId)).toContain(person!.id);
    await moveQualifiedLeads(deps, newly, (await definitionInForce(deps))!);
    expect(await stored(person!.id)).toMatchObject({ isMql: false, stage: 'mql', scoredAt: t0 });

    // Run again, it finishes: the score is stored, and the lead was moved once.
    const again = { ...deps, clock: fixedClock(new Date(stoppedAt.getTime() + 60_000)) };
    await refreshLeadScores(again);
    expect(await stored(person!.id)).toMatchObject({ isMql: true, stage: 'mql' });
    const moves = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM stage_transitions WHERE person_id = ${person!.id} AND to_stage = 'mql'`,
    );
    expect(moves).toEqual([{ n: 1 }]);
  });

  it('leaves the work to a run that is re-scoring everyone under the version in force', async () => {
    await database.db.execute(
      sql`INSERT INTO rescoring_runs (version, total, started_at) VALUES (1, 3, ${later})`,
    );
    const deps = {
      db: database.db,
      clock: fixedClock(new Date(later.getTime() + DAY)),
      lifecycle: defaultLifecycle,
    };
    expect(await refreshLeadScores(deps)).toEqual({ scored: 0, madeMql: 0 });
  });

  it('leaves no table behind: another version’s, or its own when a newer version took effect meanwhile', async () => {
    await database.db.execute(sql`UPDATE rescoring_runs SET finished_at = ${later} WHERE version = 1`);
    const leftBehind = () =>
      queryRows<{ name: string }>(
        database.db,
        sql`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'refresh%'`,
      );
    // Left by a refresh of version 7 that stopped, and never ran again.
    await database.db.execute(sql`CREATE TABLE refresh_scores_v7 (person_id uuid)`);
    await refreshLeadScores({ db: database.db, clock: fixedClock(later), lifecycle: defaultLifecycle });
    expect(await leftBehind()).toEqual([]);
    const [start, published, end] = [1, 2, 3].map((day) => new Date(later.getTime() + day * DAY)) as [
      Date,
      Date,
      Date,
    ];
    await database.db.execute(sql`
      INSERT INTO lead_definitions (version, rules, published_at, effective_from)
      VALUES (2, ${JSON.stringify(definition)}::jsonb, ${published}, ${published})`);
    // The refresh starts under version 1; version 2 is in force by the time its build is done.
    let calls = 0;
    const clock = { now: () => (++calls <= 2 ? start : end) };
    const deps = { db: database.db, clock, lifecycle: defaultLifecycle };
    expect(await refreshLeadScores(deps)).toEqual({ scored: 0, madeMql: 0 });
    expect(await leftBehind()).toEqual([]);
  });
});
