import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { createTestDatabase } from '../../test/databases.ts';
import { assertDealMoveAllowed, defaultPipeline } from '../opportunities/opportunities.pipeline.ts';
import { countDealStageMismatches } from '../opportunities/opportunities.service.ts';
import { generateDemoWorkspace } from './demo.generator.ts';
import { generateDemoOpportunities } from './demo.opportunities.ts';
import { DEMO_SEED, seedDemoWorkspace } from './demo.seed.ts';

const now = new Date('2026-11-26T12:00:00Z');
const workspace = generateDemoWorkspace({ seed: DEMO_SEED, now });
const demo = generateDemoOpportunities(workspace, { seed: DEMO_SEED, now });

describe('the demo deals', () => {
  it('are the same for the same seed', () => {
    expect(generateDemoOpportunities(workspace, { seed: DEMO_SEED, now })).toEqual(demo);
  });

  it('match the lead journeys: one deal per move to opportunity, won and lost with the person', () => {
    const toOpportunity = workspace.transitions.filter((t) => t.toStage === 'opportunity');
    expect(demo.opportunities).toHaveLength(toOpportunity.length);
    const byPerson = new Map<string, typeof demo.opportunities>();
    for (const deal of demo.opportunities)
      byPerson.set(deal.personId, [...(byPerson.get(deal.personId) ?? []), deal]);
    for (const person of workspace.people) {
      const deals = byPerson.get(person.id) ?? [];
      const last = deals[deals.length - 1];
      if (person.stage === 'won') expect(last?.stage).toBe('won');
      if (person.stage === 'opportunity') expect(last?.closedAt).toBeNull();
      if (person.stage === 'won') expect(last?.amount).toBe(person.attributes.dealAmount);
    }
    const wonPeople = workspace.people.filter((p) => p.stage === 'won').length;
    expect(demo.opportunities.filter((d) => d.stage === 'won')).toHaveLength(wonPeople);
    const lostFromOpportunity = workspace.transitions.filter(
      (t) => t.fromStage === 'opportunity' && t.toStage === 'lost',
    );
    const lost = demo.opportunities.filter((d) => d.stage === 'lost');
    expect(lost).toHaveLength(lostFromOpportunity.length);
    expect(new Set(lost.map((d) => d.lostReason))).toEqual(new Set(lostFromOpportunity.map((t) => t.reason)));
  });

  it('have histories the pipeline allows, in time order, ending in the stored stage', () => {
    const histories = new Map<string, typeof demo.transitions>();
    for (const t of demo.transitions)
      histories.set(t.opportunityId, [...(histories.get(t.opportunityId) ?? []), t]);
    for (const deal of demo.opportunities) {
      const history = histories.get(deal.id)!;
      let previous: (typeof history)[number] | undefined;
      for (const step of history) {
        assertDealMoveAllowed(defaultPipeline, step.fromStage, step.toStage);
        if (previous) expect(step.occurredAt.getTime()).toBeGreaterThanOrEqual(previous.occurredAt.getTime());
        expect(step.occurredAt.getTime()).toBeLessThanOrEqual(now.getTime());
        previous = step;
      }
      expect([previous?.toStage, previous?.occurredAt]).toEqual([deal.stage, deal.stageEnteredAt]);
      expect(history[0]?.occurredAt).toEqual(deal.openedAt);
    }
  });

  it('leave an open pipeline at every stage, some of it stuck for weeks', () => {
    const open = demo.opportunities.filter((d) => d.closedAt === null);
    expect(new Set(open.map((d) => d.stage))).toEqual(
      new Set(['prospecting', 'qualified', 'proposal', 'negotiation']),
    );
    const stuck = open.filter((d) => now.getTime() - d.stageEnteredAt.getTime() > 30 * 86_400_000);
    expect(stuck.length).toBeGreaterThan(0);
    expect(new Set(demo.opportunities.map((d) => d.product)).size).toBe(3);
  });

  it('have a deal stuck for over 30 days whatever the hour the demo is made', () => {
    // The demo is made as of its first start: at 23:00 UTC on 27 November 2026, chance alone left none.
    for (let hour = 1; hour < 24; hour += 2) {
      const at = new Date(Date.UTC(2026, 10, 27, hour));
      const made = generateDemoOpportunities(generateDemoWorkspace({ seed: DEMO_SEED, now: at }), {
        seed: DEMO_SEED,
        now: at,
      });
      const stuck = made.opportunities.filter(
        (d) => d.closedAt === null && at.getTime() - d.stageEnteredAt.getTime() > 30 * 86_400_000,
      );
      expect(stuck.length, at.toISOString()).toBeGreaterThan(0);
    }
  });
});

describe('the seeded demo deals', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const target = await createTestDatabase('pglite');
    drop = target.drop;
    database = await openDatabase(target.config, 'test');
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('are written with their histories, and the stored stages agree with them', async () => {
    await seedDemoWorkspace(database, { now, passwordHash: 'hash' });
    const [row] = await database.rows<{ deals: number; moves: number; won: number }>(
      sql`SELECT (SELECT count(*) FROM opportunities)::int AS deals,
        (SELECT count(*) FROM opportunity_transitions)::int AS moves,
        (SELECT coalesce(sum(amount), 0)::float8 FROM opportunities WHERE stage = 'won') AS won`,
    );
    const won = demo.opportunities.filter((d) => d.stage === 'won').reduce((sum, d) => sum + d.amount, 0);
    expect(row).toEqual({ deals: demo.opportunities.length, moves: demo.transitions.length, won });
    expect(await countDealStageMismatches({ db: database.db })).toBe(0);
  });
});
