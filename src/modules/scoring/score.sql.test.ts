// The database's scoring must give the same points as score.ts for any lead and any definition.

import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { createTestApp } from '../../test/harness.ts';
import { upsertPerson } from '../people/people.service.ts';
import { leadsThatWouldHaveQualified } from './backtest.sql.ts';
import { type LeadDefinition, leadDefinitionSchema } from './definition.schema.ts';
import { loadActivities, loadLeads } from './lead-score.store.ts';
import { buildScoresOfEveryLead, swapInBuiltScores } from './rescoring.sql.ts';
import { compileLiveScoring, rescoreInDatabase, scoreLeadLive, scoreLeadsInDatabase } from './score.sql.ts';
import { judgeLead, scoreLead } from './score.ts';

const now = new Date('2026-06-30T12:00:00Z');
const industries = ['Software', ' saas ', 'Retail', '', null];
const tiers = ['gold', 'Gold ', 'silver', '12', ' 7.5 ', 'n/a'];
const paths = ['/pricing', '/Pricing/enterprise', '/careers', '/blog'];
const types = ['page_view', 'webinar', 'email_click', 'meeting'];

let database: Database;
let personIds: string[];

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, 'test');
  await migrateDatabase(database);
  const random = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { numRuns: 5000, seed: 7 });
  let r = 0;
  const pick = <T>(list: T[]) => list[random[r++ % random.length]! % list.length]!;
  for (let i = 0; i < 40; i++) {
    const employees = i % 7 === 0 ? null : pick([10, 150, 200, 999, 5000, 12000]);
    const tier = i % 3 === 0 ? pick([12, 7.5, true]) : pick(tiers);
    await database.db.execute(sql`
      INSERT INTO accounts (name, domain, industry, employees, attributes)
      VALUES (${`A${i}`}, ${`a${i}.example`}, ${pick(industries)}, ${employees}, ${JSON.stringify({ tier, size: pick(['12', 'big', 40]) })}::jsonb)`);
  }
  await database.db.execute(sql`
    INSERT INTO people (email, title, source, account_id, attributes, stage)
    SELECT 'p' || i || '@a' || (i % 40) || '.example', (ARRAY['VP Sales', 'vp marketing', 'Student', 'Head of Ops', ''])[1 + i % 5],
           (ARRAY['webinar', 'paid_search', NULL])[1 + i % 3], (SELECT id FROM accounts WHERE name = 'A' || (i % 40)),
           jsonb_build_object('segment', (ARRAY['enterprise', 'Enterprise ', 'smb'])[1 + i % 3], 'seats', i % 50), 'new'
    FROM generate_series(0, 119) i`);
  personIds = (await queryRows<{ id: string }>(database.db, sql`SELECT id FROM people ORDER BY id`)).map(
    (p) => p.id,
  );
  await database.db.execute(sql`INSERT INTO lead_definitions (version, rules) VALUES (1, '{}')`);
  for (const [i, personId] of personIds.entries()) {
    for (let k = 0; k < i % 9; k++) {
      const occurredAt = new Date(
        now.getTime() - pick([0, 1, 10, 29, 30, 45, 90, 400]) * 86_400_000 - k * 1000,
      );
      await database.db.execute(sql`
        INSERT INTO activities (person_id, type, occurred_at, properties)
        VALUES (${personId}, ${pick(types)}, ${occurredAt}, ${JSON.stringify(k % 4 === 3 ? { path: 42 } : { path: pick(paths) })}::jsonb)`);
    }
  }
});
afterAll(async () => database?.close());

const fitRule = fc.oneof(
  fc.record({
    field: fc.constantFrom(
      'account.industry',
      'person.title',
      'account.attributes.tier',
      'person.attributes.segment',
    ),
    op: fc.constant('equals' as const),
    value: fc.constantFrom('saas', 'Software', 'vp sales', 'gold', 'enterprise', 12, 7.5, true),
  }),
  fc.record({
    field: fc.constantFrom('account.industry', 'account.attributes.tier', 'person.source'),
    op: fc.constant('in' as const),
    values: fc.constantFrom(['software', 'retail'], ['gold', 12], ['webinar', 'paid_search']),
  }),
  fc.record({
    field: fc.constantFrom(
      'account.employees',
      'account.attributes.size',
      'account.attributes.tier',
      'person.attributes.seats',
    ),
    op: fc.constant('range' as const),
    min: fc.constantFrom(undefined, 0, 10, 200),
    max: fc.constantFrom(undefined, 40, 5000),
  }),
  fc.record({
    field: fc.constantFrom('person.title', 'person.emailDomain', 'account.attributes.tier'),
    op: fc.constant('contains' as const),
    value: fc.constantFrom('vp', 'a1', 'OL'),
  }),
  fc.record({
    field: fc.constantFrom(
      'account.industry',
      'account.employees',
      'person.attributes.segment',
      'person.source',
    ),
    op: fc.constant('exists' as const),
  }),
);
const engagementRule = fc.record({
  activityType: fc.constantFrom(...types),
  where: fc.constantFrom(
    undefined,
    { property: 'path', contains: '/PRICING' },
    { property: 'path', contains: 'careers' },
  ),
  points: fc.integer({ min: -20, max: 40 }),
  maxCount: fc.constantFrom(undefined, 1, 3),
  withinDays: fc.constantFrom(undefined, 30, 90),
});
const definitionArb = fc
  .record({
    fit: fc.array(fc.tuple(fitRule, fc.integer({ min: -30, max: 30 })), { maxLength: 6 }),
    engagement: fc.array(engagementRule, { maxLength: 5 }),
    halfLifeDays: fc.constantFrom(null, 7, 30),
  })
  .map(({ fit, engagement, halfLifeDays }) =>
    leadDefinitionSchema.parse({
      fit: {
        rules: fit.map(([rule, points], i) => ({
          id: `f${i}`,
          points,
          ...Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)),
        })),
        gradeCutoffs: { A: 30, B: 10, C: 0 },
      },
      engagement: {
        rules: engagement.map((rule, i) => ({
          id: `e${i}`,
          ...Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)),
        })),
        halfLifeDays,
      },
      mql: { minGrade: 'C', minEngagement: 5 },
    }),
  );

async function scoreInJs(definition: LeadDefinition) {
  const kinds = [...new Set(definition.engagement.rules.map((rule) => rule.activityType))];
  const [leads, activities] = await Promise.all([
    loadLeads(database.db, personIds),
    loadActivities(database.db, personIds, kinds),
  ]);
  return new Map(
    [...leads].map(([id, lead]) => {
      const score = scoreLead(definition, { fields: lead.fields, activities: activities.get(id) ?? [] }, now);
      return [id, { fit: score.fit.points, engagement: score.engagement.points }];
    }),
  );
}

describe('scoring in the database', () => {
  it('gives every lead the same points as score.ts, for any definition', async () => {
    await fc.assert(
      fc.asyncProperty(definitionArb, async (definition) => {
        const expected = await scoreInJs(definition);
        const actual = await scoreLeadsInDatabase(database.db, personIds, definition, { now });
        expect(actual).toHaveLength(personIds.length);
        for (const lead of actual) {
          const js = expected.get(lead.personId)!;
          expect([lead.personId, lead.fitPoints]).toEqual([lead.personId, js.fit]);
          // Sums of decayed points may round differently in the last decimal on a .x5 boundary.
          expect(Math.abs(lead.engagementPoints - js.engagement)).toBeLessThanOrEqual(0.1 + 1e-9);
        }
        // Stored scores and the MQL verdict agree with judgeLead too.
        const qualifying = await rescoreInDatabase(
          database.db,
          personIds,
          { version: 1, rules: definition },
          now,
        );
        const expectedMqls = actual.filter(
          (lead) => judgeLead(definition, lead.fitPoints, lead.engagementPoints).isMql,
        );
        expect(qualifying.map((lead) => lead.personId).sort()).toEqual(
          expectedMqls.map((lead) => lead.personId).sort(),
        );
        // A re-scoring run builds every lead's score in one statement and swaps it in: the same rows
        // as the batch stored (those are overwritten first, so that only the run can restore them).
        const stored = () =>
          queryRows(
            database.db,
            sql`SELECT person_id, version, fit_points, grade, engagement_points, is_mql, scored_at
                FROM lead_scores ORDER BY person_id`,
          );
        const batch = await stored();
        await database.db.execute(sql`UPDATE lead_scores SET fit_points = -1, is_mql = NOT is_mql`);
        await buildScoresOfEveryLead(database.db, { version: 1, rules: definition }, now);
        await swapInBuiltScores(database.db, 1, now, async () => {});
        expect(await stored()).toEqual(batch);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('backtests: finds the leads a definition would have made MQLs at any moment, as score.ts judged them then', async () => {
    const day = 86_400_000;
    const kinds = [...new Set(types)];
    const [leads, activities] = await Promise.all([
      loadLeads(database.db, personIds),
      loadActivities(database.db, personIds, kinds),
    ]);
    // What score.ts says at every moment an MQL could start (right after each activity, right after a
    // negative rule's activity leaves its window) and on every fifth day besides: if the database missed
    // a peak between moments, a day in between would show it.
    const qualifiedAtSomeMoment = (definition: LeadDefinition, id: string) => {
      const lead = leads.get(id)!;
      const own = activities.get(id) ?? [];
      const times = own.flatMap((activity) => [
        activity.occurredAt.getTime(),
        ...definition.engagement.rules
          .filter((rule) => rule.points < 0 && rule.withinDays && rule.activityType === activity.type)
          .map((rule) => activity.occurredAt.getTime() + rule.withinDays! * day + 1),
      ]);
      for (let time = now.getTime(); time > now.getTime() - 420 * day; time -= 5 * day) times.push(time);
      return [...times, now.getTime()]
        .filter((time) => time <= now.getTime())
        .some((time) => {
          const at = new Date(time);
          const known = own.filter((activity) => activity.occurredAt <= at);
          return scoreLead(definition, { fields: lead.fields, activities: known }, at).isMql;
        });
    };
    let qualifiedOnlyEarlier = 0;
    await fc.assert(
      fc.asyncProperty(definitionArb, async (definition) => {
        const actual = await leadsThatWouldHaveQualified(database.db, personIds, definition, now);
        const expected = personIds.filter((id) => qualifiedAtSomeMoment(definition, id));
        expect([...actual].sort()).toEqual(expected.sort());
        const today = await scoreLeadsInDatabase(database.db, personIds, definition, { now });
        qualifiedOnlyEarlier += today.filter(
          (lead) =>
            actual.has(lead.personId) && !judgeLead(definition, lead.fitPoints, lead.engagementPoints).isMql,
        ).length;
      }),
      { numRuns: 40, seed: 5 },
    );
    // Many leads met a definition once and no longer do today: a backtest that judged them by their
    // score at the end of the period would have missed them.
    expect(qualifiedOnlyEarlier).toBeGreaterThan(100);
  });

  /** Every lead with a webinar is an MQL under it. */
  const generous: LeadDefinition = leadDefinitionSchema.parse({
    fit: { rules: [], gradeCutoffs: { A: 0, B: 0, C: 0 } },
    engagement: { rules: [{ id: 'any', activityType: 'webinar', points: 1 }], halfLifeDays: null },
    mql: { minGrade: 'D', minEngagement: 0 },
  });
  const scoredAt = async (personId: string) =>
    (
      await queryRows<{ scoredAt: Date }>(
        database.db,
        sql`SELECT scored_at AS "scoredAt" FROM lead_scores WHERE person_id = ${personId}`,
      )
    )[0]?.scoredAt;

  it('never replaces a newer live score with the one a re-scoring run computed earlier', async () => {
    const version = { version: 1, rules: generous };
    await buildScoresOfEveryLead(database.db, version, now);
    const later = new Date(now.getTime() + 60_000);
    const [live] = personIds;
    await rescoreInDatabase(database.db, [live!], version, later);

    await swapInBuiltScores(database.db, 1, now, async () => {});
    const run = await queryRows<{ personId: string }>(
      database.db,
      sql`SELECT person_id AS "personId" FROM lead_scores WHERE scored_at = ${now}`,
    );
    expect(run.map((lead) => lead.personId)).not.toContain(live);
    expect(run).toHaveLength(personIds.length - 1);
    expect(await scoredAt(live!)).toEqual(later);
  });

  it('lets a lead scored live qualify by the newer score a run stored meanwhile', async () => {
    const version = { version: 2, rules: generous };
    // A run as of a minute later stored every lead's score (each an MQL under this definition)...
    const later = new Date(now.getTime() + 60_000);
    await buildScoresOfEveryLead(database.db, version, later);
    await swapInBuiltScores(database.db, 2, later, async () => {});
    // ...then the request that began before it writes: its older score is not stored, and the lead
    // still qualifies, with the points the run stored.
    const [live] = personIds;
    const [stored] = await queryRows<{ fit: number; engagement: number }>(
      database.db,
      sql`SELECT fit_points AS fit, engagement_points::float8 AS engagement FROM lead_scores WHERE person_id = ${live}`,
    );
    const qualifying = await rescoreInDatabase(database.db, [live!], version, now);
    expect(qualifying.map((lead) => [lead.personId, lead.fitPoints, lead.engagementPoints])).toEqual([
      [live, stored?.fit, stored?.engagement],
    ]);
    expect(await scoredAt(live!)).toEqual(later);
  });
});

describe('scoring one lead live on PostgreSQL', () => {
  it('keeps one plan for every request, checks its version is in force, and moves a lead that qualifies', async () => {
    const t = await createTestApp('postgres');
    try {
      const { person } = await upsertPerson(t.deps, { email: 'plan@a1.example' }, null);
      // Enough people and activities for PostgreSQL's estimates of a range of ids to matter, as they
      // do on a real workspace: a plan written for a range of leads was planned again every time.
      await t.deps.db.execute(sql`
        INSERT INTO people (email, stage) SELECT 'plan' || i || '@a1.example', 'new' FROM generate_series(1, 50000) i`);
      await t.deps.db.execute(sql`
        INSERT INTO activities (person_id, type, occurred_at, properties)
        SELECT id, 'page_view', ${now}::timestamptz - interval '1 day', '{"path": "/pricing"}' FROM people`);
      await t.deps.db.execute(sql`ANALYZE people, activities, lead_scores`);
      const rules = leadDefinitionSchema.parse({
        fit: {
          rules: [{ id: 'vp', field: 'person.title', op: 'contains', value: 'vp', points: 10 }],
          gradeCutoffs: { A: 20, B: 10, C: 5 },
        },
        engagement: {
          rules: [
            {
              id: 'pricing',
              activityType: 'page_view',
              where: { property: 'path', contains: '/pricing' },
              points: 5,
              maxCount: 3,
            },
          ],
          halfLifeDays: 30,
        },
        mql: { minGrade: 'B', minEngagement: 10 },
      });
      const version = { version: 1, rules };
      const toMql = { from: ['new'], fromNone: true, to: 'mql', rule: 'lead definition v1' };
      const live = compileLiveScoring(version, toMql);
      // Made before any definition is in force, so that creating them scores nothing.
      const { person: lead } = await upsertPerson(t.deps, { email: 'guard@a1.example' }, null);
      const { person: vp } = await upsertPerson(t.deps, { email: 'vp@a1.example', title: 'VP Sales' }, null);
      await t.deps.db.execute(sql`
        INSERT INTO lead_definitions (version, rules, published_at, effective_from)
        VALUES (1, ${JSON.stringify(rules)}::jsonb, ${now}, ${now})`);
      // One after another, so that the pool hands out the same connection, whose statements we read.
      for (let i = 0; i < 8; i++)
        await scoreLeadLive(t.deps.db, live, person.id, new Date(now.getTime() + i * 1000));
      const [plans] = await queryRows<{ generic: number; custom: number }>(
        t.deps.db,
        sql`SELECT coalesce(sum(generic_plans), 0)::int AS generic, coalesce(sum(custom_plans), 0)::int AS custom
            FROM pg_prepared_statements WHERE name LIKE 'lockstep_%'`,
      );
      // PostgreSQL plans the first five with the values, then keeps the plan made without them
      // when that one is as good: it is, for one lead, so no later request is planned again.
      expect(plans).toEqual({ generic: 3, custom: 5 });

      // The statement checks that its version is still in force: while another version (or none) is
      // in force it stores nothing and says so.
      const storedScores = () =>
        queryRows<{ version: number }>(
          t.deps.db,
          sql`SELECT version FROM lead_scores WHERE person_id = ${lead.id}`,
        );
      const before = new Date(now.getTime() - 1000);
      expect(await scoreLeadLive(t.deps.db, live, lead.id, before)).toEqual({ inForce: false, moved: [] });
      expect(await storedScores()).toEqual([]);
      const v2 = compileLiveScoring({ version: 2, rules }, { ...toMql, rule: 'lead definition v2' });
      expect(await scoreLeadLive(t.deps.db, v2, lead.id, now)).toEqual({ inForce: false, moved: [] });
      expect(await storedScores()).toEqual([]);
      expect(await scoreLeadLive(t.deps.db, live, lead.id, now)).toEqual({ inForce: true, moved: [] });
      expect(await storedScores()).toEqual([{ version: 1 }]);

      // A VP with three pricing views qualifies: the same statement moves the lead to MQL, with
      // judgeLead's verdict as the reason; the next activity finds it an MQL and moves nothing.
      await t.deps.db.execute(sql`
        INSERT INTO activities (person_id, type, occurred_at, properties)
        SELECT ${vp.id}, 'page_view', ${now}::timestamptz - i * interval '1 day', '{"path": "/pricing"}'
        FROM generate_series(1, 3) i`);
      expect(await scoreLeadLive(t.deps.db, live, vp.id, now)).toEqual({ inForce: true, moved: [vp.id] });
      const [scored] = await queryRows<{ fit: number; engagement: number }>(
        t.deps.db,
        sql`SELECT fit_points AS fit, engagement_points::float8 AS engagement FROM lead_scores WHERE person_id = ${vp.id}`,
      );
      const moves = await queryRows<{ from: string; to: string; rule: string; reason: string }>(
        t.deps.db,
        sql`SELECT from_stage AS from, to_stage AS to, rule, reason FROM stage_transitions
            WHERE person_id = ${vp.id} ORDER BY seq`,
      );
      expect(scored!.engagement).toBeGreaterThan(10);
      expect(scored!.engagement % 1).not.toBe(0); // a decimal, worded as score.ts words it
      expect(moves.at(-1)).toEqual({
        from: 'new',
        to: 'mql',
        rule: 'lead definition v1',
        reason: judgeLead(rules, scored!.fit, scored!.engagement).verdict,
      });
      expect(await scoreLeadLive(t.deps.db, live, vp.id, now)).toEqual({ inForce: true, moved: [] });
      expect(
        await queryRows(t.deps.db, sql`SELECT 1 FROM stage_transitions WHERE person_id = ${vp.id}`),
      ).toHaveLength(moves.length);
    } finally {
      await t.close();
    }
  });
});
