import { eq, isNotNull, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { accounts, activities, people, stageTransitions, users } from '../../db/schema.ts';
import { createTestDatabase } from '../../test/databases.ts';
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { assertTransitionAllowed } from '../lifecycle/lifecycle.rules.ts';
import { definitionInForce } from '../scoring/definitions.service.ts';
import { explainLeadScore } from '../scoring/lead-score.service.ts';
import { scoreLead } from '../scoring/score.ts';
import { DEMO_ADMIN_EMAIL } from './demo.constants.ts';
import {
  DEMO_DEFINITION_DAYS_AGO,
  DEMO_DEFINITION_RULE,
  demoDefinition,
  demoLeadFields,
} from './demo.definition.ts';
import { demoFunnelCounts, generateDemoWorkspace } from './demo.generator.ts';
import { countsOf, DEMO_SEED, seedDemoWorkspace } from './demo.seed.ts';
import type { DemoActivity, DemoTransition, DemoWorkspace } from './demo.types.ts';

const now = new Date('2026-11-26T12:00:00Z');
const yearAgo = now.getTime() - 365 * 86_400_000;
const workspace = generateDemoWorkspace({ seed: DEMO_SEED, now });

function groupByPerson<T extends { personId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.personId, [...(groups.get(row.personId) ?? []), row]);
  return groups;
}

/** Throws on the first history that breaks the lifecycle, goes back in time or disagrees with the person. */
function assertHistoriesValid(demo: DemoWorkspace): void {
  const histories = groupByPerson(demo.transitions);
  const campaignStart = new Map(demo.campaigns.map((campaign) => [campaign.id, campaign.startsAt.getTime()]));
  for (const person of demo.people) {
    const history = histories.get(person.id) ?? [];
    let previous: DemoTransition | undefined;
    for (const step of history) {
      expect(step.fromStage).toBe(previous?.toStage ?? null);
      assertTransitionAllowed(defaultLifecycle, step.fromStage, step.toStage);
      if (previous) expect(step.occurredAt.getTime()).toBeGreaterThanOrEqual(previous.occurredAt.getTime());
      previous = step;
    }
    expect(history[0]?.occurredAt).toEqual(person.createdAt);
    expect(previous?.toStage).toBe(person.stage);
    expect(previous?.occurredAt).toEqual(person.stageEnteredAt);
    expect(person.createdAt.getTime()).toBeGreaterThan(yearAgo);
    expect(person.createdAt.getTime()).toBeGreaterThanOrEqual(campaignStart.get(person.campaignId)!);
    expect(person.stageEnteredAt.getTime()).toBeLessThanOrEqual(now.getTime());
  }
}

const rate = (part: number, whole: number) => part / whole;

describe('generateDemoWorkspace', () => {
  it('makes the same workspace from the same seed and now, and another from another seed', () => {
    expect(generateDemoWorkspace({ seed: DEMO_SEED, now })).toEqual(workspace);
    const other = generateDemoWorkspace({ seed: DEMO_SEED + 1, now });
    expect(other.people.map((p) => p.email)).not.toEqual(workspace.people.map((p) => p.email));
    expect(demoFunnelCounts(other)).not.toEqual(demoFunnelCounts(workspace));
  });

  it('makes the revenue team, 120 accounts owned by AEs, and nine campaigns over the eight channels', () => {
    const roles = workspace.users.map((user) => user.role).sort();
    expect(roles).toEqual(['admin', 'marketing', 'marketing', ...Array(7).fill('sales'), 'viewer']);
    expect(workspace.users.find((user) => user.role === 'admin')?.email).toBe(DEMO_ADMIN_EMAIL);
    expect(workspace.users.every((user) => user.email.endsWith('@demo.lockstep.dev'))).toBe(true);
    const aeIds = new Set(
      workspace.users.filter((user) => user.title === 'Account Executive').map((user) => user.id),
    );
    expect(aeIds.size).toBe(3);
    expect(workspace.accounts).toHaveLength(120);
    expect(workspace.accounts.every((account) => aeIds.has(account.ownerId))).toBe(true);
    expect(new Set(workspace.accounts.map((account) => account.domain)).size).toBe(120);
    expect(workspace.campaigns).toHaveLength(9);
    expect(new Set(workspace.campaigns.map((campaign) => campaign.channel)).size).toBe(8);
  });

  it('gives people unique emails at their account domain, or free-mail and no account', () => {
    expect(workspace.people).toHaveLength(3000);
    expect(new Set(workspace.people.map((person) => person.email)).size).toBe(3000);
    const domainOf = new Map(workspace.accounts.map((account) => [account.id, account.domain]));
    const freeMail = workspace.people.filter((person) => person.accountId === null);
    expect(freeMail.length).toBeGreaterThan(240);
    expect(freeMail.length).toBeLessThan(360);
    for (const person of workspace.people) {
      const domain = person.email.split('@')[1];
      if (person.accountId) expect(domain).toBe(domainOf.get(person.accountId));
      else expect(domain).toMatch(/^(gmail|outlook|yahoo|proton)\.example$/);
    }
  });

  it('gives every person a history the default lifecycle allows, in time order, ending in their stage', () => {
    assertHistoriesValid(workspace);
  });

  it('holds for any seed (property)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        assertHistoriesValid(generateDemoWorkspace({ seed, now, people: 150 }));
      }),
      { numRuns: 25 },
    );
  });

  it("keeps every activity within the person's lifetime, and sales calls and meetings after acceptance", () => {
    const people = new Map(workspace.people.map((person) => [person.id, person]));
    const acceptedAt = new Map<string, number>();
    for (const t of workspace.transitions) {
      if (t.toStage === 'sal' && !acceptedAt.has(t.personId)) {
        acceptedAt.set(t.personId, t.occurredAt.getTime());
      }
    }
    for (const [personId, list] of groupByPerson<DemoActivity>(workspace.activities)) {
      const person = people.get(personId)!;
      let previous = person.createdAt.getTime();
      for (const activity of list) {
        const at = activity.occurredAt.getTime();
        expect(at).toBeGreaterThanOrEqual(previous);
        expect(at).toBeLessThanOrEqual(now.getTime());
        if (activity.type === 'call' || activity.type === 'meeting') {
          expect(at).toBeGreaterThanOrEqual(acceptedAt.get(personId)!);
        }
        previous = at;
      }
    }
    expect(workspace.activities.length).toBeGreaterThan(20_000);
  });

  it('tells the story: MQL→SAL is where the funnel leaks, and it got worse through the year', () => {
    const funnel = demoFunnelCounts(workspace);
    expect(funnel).toEqual({ lead: 3000, mql: 1174, sal: 536, sql: 389, opportunity: 291, won: 81 });
    const mqlToSal = rate(funnel.sal, funnel.mql);
    expect(mqlToSal).toBeGreaterThan(0.4);
    expect(mqlToSal).toBeLessThan(0.5);
    expect(mqlToSal).toBeLessThan(rate(funnel.sql, funnel.sal) - 0.15);
    expect(mqlToSal).toBeLessThan(rate(funnel.opportunity, funnel.sql) - 0.15);
    expect(rate(funnel.won, funnel.opportunity)).toBeGreaterThan(0.2);
    expect(rate(funnel.won, funnel.opportunity)).toBeLessThan(0.35);

    const firstMqlAt = new Map<string, number>();
    const accepted = new Set<string>();
    for (const t of workspace.transitions) {
      if (t.toStage === 'mql' && !firstMqlAt.has(t.personId)) {
        firstMqlAt.set(t.personId, t.occurredAt.getTime());
      }
      if (t.toStage === 'sal') accepted.add(t.personId);
    }
    const acceptance = (from: number, to: number) => {
      const mqls = [...firstMqlAt].filter(([, at]) => at >= from && at < to).map(([id]) => id);
      return rate(mqls.filter((id) => accepted.has(id)).length, mqls.length);
    };
    const day = 86_400_000;
    expect(acceptance(yearAgo, yearAgo + 180 * day)).toBeGreaterThan(
      acceptance(now.getTime() - 120 * day, now.getTime()) + 0.1,
    );
  });

  it('converts referral and webinar leads better than search, and paid social worst', () => {
    const won = new Set(workspace.people.filter((p) => p.stage === 'won').map((p) => p.id));
    const mql = new Set(workspace.transitions.filter((t) => t.toStage === 'mql').map((t) => t.personId));
    const byChannel = (channel: string) => {
      const leads = workspace.people.filter((person) => person.source === channel);
      return {
        toMql: rate(leads.filter((p) => mql.has(p.id)).length, leads.length),
        toWon: rate(leads.filter((p) => won.has(p.id)).length, leads.length),
      };
    };
    const [referral, webinar, paidSearch, social] = ['referral', 'webinar', 'paid_search', 'social'].map(
      byChannel,
    );
    for (const better of [referral!, webinar!]) {
      expect(better.toMql).toBeGreaterThan(paidSearch!.toMql + 0.1);
      expect(better.toWon).toBeGreaterThan(paidSearch!.toWon * 2);
    }
    expect(social!.toMql).toBeLessThan(paidSearch!.toMql - 0.1);
    expect(social!.toWon).toBeLessThan(paidSearch!.toWon);
  });

  it('makes MQLs only by the lead definition once it is in force, of leads that meet it right then', () => {
    const from = now.getTime() - DEMO_DEFINITION_DAYS_AGO * 86_400_000;
    const accountOf = new Map(workspace.accounts.map((account) => [account.id, account]));
    const personOf = new Map(workspace.people.map((person) => [person.id, person]));
    const activitiesOf = groupByPerson(workspace.activities);
    const moves = workspace.transitions.filter((t) => t.toStage === 'mql');
    const since = moves.filter((t) => t.occurredAt.getTime() >= from);
    expect(since.length).toBeGreaterThan(100);
    expect(new Set(since.map((t) => t.rule))).toEqual(new Set([DEMO_DEFINITION_RULE]));
    expect(moves.filter((t) => t.occurredAt.getTime() < from && t.rule === DEMO_DEFINITION_RULE)).toEqual([]);
    // Scored as live scoring scored it: with the activities up to that moment, the move's included.
    const unmet = since.flatMap((t) => {
      const person = personOf.get(t.personId)!;
      const fields = demoLeadFields(person, person.accountId ? accountOf.get(person.accountId) : undefined);
      const activities = (activitiesOf.get(t.personId) ?? []).filter((a) => a.occurredAt <= t.occurredAt);
      const score = scoreLead(demoDefinition, { fields, activities }, t.occurredAt);
      return score.isMql ? [] : [`${person.email}: ${score.verdict}`];
    });
    expect(unmet).toEqual([]);
  });

  it('gives each SDR two MQLs that crossed the line in the last hours, for My queue to open on, whenever it is made', () => {
    // The demo is made at first start: today's workspace, and others made months before or after.
    const made = [
      { at: now, demo: workspace },
      ...['2026-03-02T08:00:00Z', '2027-07-15T23:30:00Z'].map((iso) => ({
        at: new Date(iso),
        demo: generateDemoWorkspace({ seed: DEMO_SEED, now: new Date(iso) }),
      })),
    ];
    for (const { at, demo } of made) {
      const sdrs = demo.users.filter((user) => user.title === 'Sales Development Representative');
      expect(sdrs.length).toBe(3);
      const hoursAgo = at.getTime() - 3 * 3_600_000;
      const personOf = new Map(demo.people.map((person) => [person.id, person]));
      const fresh = demo.transitions.filter((t) => t.toStage === 'mql' && t.occurredAt.getTime() > hoursAgo);
      const perSdr = sdrs.map(
        (sdr) => fresh.filter((t) => personOf.get(t.personId)!.ownerId === sdr.id).length,
      );
      expect(perSdr).toEqual([2, 2, 2]);
    }
  });
});

const tables = ['users', 'accounts', 'campaigns', 'people', 'activities', 'stage_transitions'] as const;

/** What a seeded database holds, table by table: the generator's rows, and the MQL moves of demo.handoff.ts. */
const seededCounts = [11, 120, 9, 3000, 22_584, 8_171 + 19];

async function tableCounts(database: Database): Promise<number[]> {
  const [row] = await database.rows<Record<string, number>>(
    sql.raw(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`),
  );
  return tables.map((table) => row![table]!);
}

/** People whose stored stage disagrees with their last transition, and histories whose seq order breaks the chain. */
async function historyProblems(database: Database): Promise<{ mismatches: number; brokenChains: number }> {
  const [row] = await database.rows<{ mismatches: number; brokenChains: number }>(sql`
    WITH last AS (
      SELECT DISTINCT ON (person_id) person_id, to_stage, occurred_at
      FROM stage_transitions ORDER BY person_id, seq DESC
    ), chain AS (
      SELECT from_stage, occurred_at,
             lag(to_stage) OVER w AS previous_stage, lag(occurred_at) OVER w AS previous_at
      FROM stage_transitions WINDOW w AS (PARTITION BY person_id ORDER BY seq)
    )
    SELECT
      (SELECT count(*)::int FROM people p LEFT JOIN last l ON l.person_id = p.id
       WHERE l.person_id IS NULL OR p.stage IS DISTINCT FROM l.to_stage
          OR p.stage_entered_at IS DISTINCT FROM l.occurred_at) AS mismatches,
      (SELECT count(*)::int FROM chain
       WHERE from_stage IS DISTINCT FROM previous_stage OR occurred_at < previous_at) AS "brokenChains"`);
  return row!;
}

const expectedCounts = countsOf(workspace);

describe('seedDemoWorkspace on PGlite', () => {
  let database: Database;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('writes nothing when it fails halfway', async () => {
    // An account already holding a demo domain makes the accounts insert fail after users and campaigns.
    const [blocker] = await database.db
      .insert(accounts)
      .values({ name: 'Blocker', domain: workspace.accounts[0]!.domain })
      .returning({ id: accounts.id });
    try {
      await expect(seedDemoWorkspace(database, { now, passwordHash: 'hash' })).rejects.toThrow();
      expect(await tableCounts(database)).toEqual([0, 1, 0, 0, 0, 0]);
    } finally {
      await database.db.delete(accounts).where(eq(accounts.id, blocker!.id));
    }
  });

  it('writes exactly what the generator makes, well within 15 seconds', async () => {
    const started = performance.now();
    const result = await seedDemoWorkspace(database, { now, passwordHash: 'scrypt$hash' });
    const seconds = (performance.now() - started) / 1000;
    console.info(`demo seed: ${seconds.toFixed(2)} s for ${workspace.people.length} people`);
    expect(seconds).toBeLessThan(15);
    expect(result).toEqual({ seeded: true, counts: expectedCounts });
    expect(expectedCounts).toEqual({
      users: 11,
      accounts: 120,
      campaigns: 9,
      people: 3000,
      activities: 22_584,
      stageTransitions: 8_171,
    });
    // The generator's 8,171 transitions, and 19 leads the lead definition moved to MQL (demo.handoff.ts)
    // besides the journeys it made MQLs since it took effect.
    expect(await tableCounts(database)).toEqual(seededCounts);
    const [moved] = await database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM stage_transitions WHERE rule = 'lead definition v1' AND to_stage = 'mql'`,
    );
    const generated = workspace.transitions.filter(
      (t) => t.rule === 'lead definition v1' && t.toStage === 'mql',
    ).length;
    expect(generated).toBeGreaterThan(100);
    expect(moved?.n).toBe(generated + 19);

    const withPassword = await database.db
      .select({ email: users.email, hash: users.passwordHash })
      .from(users)
      .where(isNotNull(users.passwordHash));
    expect(withPassword).toHaveLength(11);
    expect(withPassword).toContainEqual({ email: DEMO_ADMIN_EMAIL, hash: 'scrypt$hash' });
    expect(new Set(withPassword.map((user) => user.hash))).toEqual(new Set(['scrypt$hash']));
    // The stored funnel is the generator's, but for the moves the hand-off added.
    const stored = await database.rows<{
      personId: string;
      stage: string;
      at: Date;
      rule: string | null;
    }>(sql`
      SELECT person_id AS "personId", to_stage AS stage, occurred_at AS at, rule FROM stage_transitions
      WHERE to_stage IN ('mql', 'sal', 'sql', 'opportunity', 'won')`);
    const key = (personId: string, stage: string, at: Date) => `${personId} ${stage} ${at.toISOString()}`;
    const made = new Set(workspace.transitions.map((t) => key(t.personId, t.toStage, t.occurredAt)));
    const [generatedRows, added] = [true, false].map((fromGenerator) =>
      stored.filter((row) => made.has(key(row.personId, row.stage, row.at)) === fromGenerator),
    );
    expect(added!.map((row) => `${row.stage} by ${row.rule}`)).toEqual(
      Array(19).fill('mql by lead definition v1'),
    );
    const reached = new Map<string, Set<string>>();
    for (const row of generatedRows!)
      reached.set(row.stage, (reached.get(row.stage) ?? new Set()).add(row.personId));
    const { lead: _lead, ...funnel } = demoFunnelCounts(workspace);
    expect(Object.fromEntries([...reached].map(([stage, ids]) => [stage, ids.size]))).toEqual(funnel);
  });

  it('stores records as generated: a deal, its history and its activities', async () => {
    const histories = groupByPerson(workspace.transitions);
    const person = workspace.people
      .filter((candidate) => candidate.stage === 'won')
      .sort((a, b) => histories.get(b.id)!.length - histories.get(a.id)!.length)[0]!;
    expect(person.attributes.dealAmount).toBeGreaterThan(0);
    expect(await database.db.select().from(people).where(eq(people.id, person.id))).toEqual([person]);

    const history = await database.db
      .select()
      .from(stageTransitions)
      .where(eq(stageTransitions.personId, person.id))
      .orderBy(stageTransitions.seq);
    // The demo's moves are people's and rules', none a script's.
    expect(
      history.map(({ seq: _seq, recordedAt: _recorded, actorTokenId, ...step }) => ({
        ...step,
        actorTokenId,
      })),
    ).toEqual(histories.get(person.id)!.map((step) => ({ ...step, actorTokenId: null })));
    expect(history.every((step) => step.recordedAt.getTime() === step.occurredAt.getTime())).toBe(true);

    const stored = await database.db
      .select()
      .from(activities)
      .where(eq(activities.personId, person.id))
      .orderBy(activities.externalId);
    const generated = workspace.activities.filter((activity) => activity.personId === person.id);
    expect(stored.map(({ createdAt: _created, ...activity }) => activity)).toEqual(generated);
  });

  it("stores each person's stage as the last transition of their history, in seq order", async () => {
    expect(await historyProblems(database)).toEqual({ mismatches: 0, brokenChains: 0 });
  });

  it('puts a lead definition in force, signed by both teams, with every lead scored under it', async () => {
    const clock = { now: () => now };
    const inForce = await definitionInForce({ db: database.db, clock });
    expect(inForce?.version).toBe(1);
    const signers = await database.rows<{ team: string; email: string }>(sql`
      SELECT s.team, u.email FROM definition_signatures s JOIN users u ON u.id = s.user_id ORDER BY s.team`);
    expect(signers).toEqual([
      { team: 'marketing', email: 'maya.lindqvist@demo.lockstep.dev' },
      { team: 'sales', email: 'rachel.kim@demo.lockstep.dev' },
    ]);
    // They are the teams' approvers, and nobody else is.
    const approvers = await database.rows<{ team: string; email: string }>(sql`
      SELECT team, email FROM users WHERE approver ORDER BY team`);
    expect(approvers).toEqual(signers);
    const grades = await database.rows<{ grade: string; n: number }>(sql`
      SELECT grade, count(*)::int AS n FROM lead_scores WHERE version = 1 GROUP BY grade ORDER BY grade`);
    expect(grades.reduce((sum, row) => sum + row.n, 0)).toBe(3000);
    expect(grades.map((row) => row.grade)).toEqual(['A', 'B', 'C', 'D']);
    // The stored score of a lead is the one its explanation (score.ts) gives.
    const [sample] = await database.rows<{ personId: string; fit: number; engagement: number }>(sql`
      SELECT person_id AS "personId", fit_points AS fit, engagement_points::float8 AS engagement
      FROM lead_scores WHERE engagement_points > 0 ORDER BY person_id LIMIT 1`);
    const explained = await explainLeadScore(
      { db: database.db, clock, lifecycle: defaultLifecycle },
      sample!.personId,
    );
    expect(explained.fit.points).toBe(sample!.fit);
    expect(Math.abs(explained.engagement.points - sample!.engagement)).toBeLessThanOrEqual(0.1);
  });

  it('seeds once: a second call leaves the database as it was', async () => {
    expect(await seedDemoWorkspace(database, { now, passwordHash: 'other' })).toEqual({ seeded: false });
    expect(await tableCounts(database)).toEqual(seededCounts);
  });
});

describe('seedDemoWorkspace on PostgreSQL', () => {
  it('seeds once when two app servers start at the same moment', async () => {
    const testDatabase = await createTestDatabase('postgres');
    const first = await openDatabase(testDatabase.config);
    const second = await openDatabase(testDatabase.config);
    try {
      await migrateDatabase(first);
      const results = await Promise.all([
        seedDemoWorkspace(first, { now, passwordHash: 'hash' }),
        seedDemoWorkspace(second, { now, passwordHash: 'hash' }),
      ]);
      expect(results).toContainEqual({ seeded: true, counts: expectedCounts });
      expect(results).toContainEqual({ seeded: false });
      expect(await tableCounts(first)).toEqual(seededCounts);
      expect(await historyProblems(first)).toEqual({ mismatches: 0, brokenChains: 0 });
    } finally {
      await first.close();
      await second.close();
      await testDatabase.drop();
    }
  });
});
