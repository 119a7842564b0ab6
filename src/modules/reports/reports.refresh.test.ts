// The per-lead stage table the reports read: rebuilt for another funnel, and never past a gap in
// stage_transitions that a transaction still writing could fill.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { analyticsRebuildJob } from './analytics-rebuild.job.ts';
import { refreshDealFacts } from './deals.refresh.ts';
import { refreshLeadStages } from './reports.refresh.ts';
import { dealOutcomes } from './reports.service.ts';
import { buildKnownWorkspace, type KnownWorkspace } from './reports.test-data.ts';

describe('refreshLeadStages', () => {
  let t: TestApp;
  let w: KnownWorkspace;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    w = await buildKnownWorkspace(t.database);
  });
  afterAll(async () => t?.close());

  const state = async () =>
    (
      await t.database.rows<{ seq: number; signature: string }>(
        sql`SELECT seq::int, signature FROM analytics_state`,
      )
    )[0];
  const top = async () =>
    (await t.database.rows<{ top: number }>(sql`SELECT max(seq)::int AS top FROM stage_transitions`))[0]?.top;
  const reached = async (personId: string) =>
    (
      await t.database.rows<{ reached: number }>(
        sql`SELECT reached FROM analytics_lead_stages WHERE person_id = ${personId}`,
      )
    )[0]?.reached;

  it('computes every lead, and rebuilds when the funnel has other stages', async () => {
    const stages = funnelStages(defaultLifecycle);
    await refreshLeadStages(t.database.db, stages);
    expect(await state()).toEqual({ seq: await top(), signature: 'new>mql>sal>sql>opportunity>won' });
    expect([await reached(w.people.p4), await reached(w.people.p3), await reached(w.people.p5)]).toEqual([
      5, 1, 0,
    ]);
    const short = stages.filter((s) => ['new', 'mql', 'won'].includes(s.key));
    await refreshLeadStages(t.database.db, short);
    expect((await state())?.signature).toBe('new>mql>won');
    expect([await reached(w.people.p4), await reached(w.people.p2)]).toEqual([2, 1]);
    await refreshLeadStages(t.database.db, stages);
  });

  it('stops before a fresh gap in the sequence, and passes it once it is old', async () => {
    const stages = funnelStages(defaultLifecycle);
    const before = await top();
    // A transaction that rolls back leaves a gap in seq, like one still in flight would.
    await t.database.withSession(async (s) => {
      await s.query('BEGIN');
      await s.query(
        `INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at) VALUES ($1, 'mql', 'sal', now())`,
        [w.people.p6],
      );
      await s.query('ROLLBACK');
    });
    await t.database.rows(
      sql`INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
          VALUES (${w.people.p3}, 'disqualified', 'recycled', now())`,
    );
    await refreshLeadStages(t.database.db, stages);
    expect((await state())?.seq).toBe(before);
    await t.database.rows(
      sql`UPDATE stage_transitions SET recorded_at = now() - interval '2 hours' WHERE seq = ${(await top()) ?? 0}`,
    );
    await refreshLeadStages(t.database.db, stages);
    expect((await state())?.seq).toBe(await top());
  });

  it('is started in the background: 503 before the first count, then the counts as they were; small changes are counted in the request', async () => {
    const stages = funnelStages(defaultLifecycle);
    // As before the first report: nothing counted yet.
    await t.database.rows(sql`DELETE FROM analytics_state`);
    let started = 0;
    const options = {
      background: async () => {
        started++;
      },
      backgroundFrom: 5,
    };
    const [people] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM people`);
    expect(people?.n).toBeGreaterThanOrEqual(5);
    const refused = await refreshLeadStages(t.database.db, stages, options).catch((error: AppError) => error);
    expect(refused).toBeInstanceOf(AppError);
    const { code, status, details, message } = refused as AppError;
    expect([code, status, details, started]).toEqual(['reports_rebuilding', 503, { pending: people?.n }, 1]);
    expect(message).toContain('try again shortly');

    await analyticsRebuildJob(t.deps).handle({});
    await refreshLeadStages(t.database.db, stages, options);
    await t.database.rows(
      sql`INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
          VALUES (${w.people.p3}, 'mql', 'sal', now() - interval '1 hour')`,
    );
    expect(await refreshLeadStages(t.database.db, stages, options)).toBeUndefined();
    expect(started).toBe(1);
    const counted = async () =>
      (
        await t.database.rows<{ seq: number; top: number; at: Date }>(
          sql`SELECT seq::int, (SELECT max(seq)::int FROM stage_transitions) AS top, refreshed_at AS at
              FROM analytics_state WHERE name = 'lead_facts'`,
        )
      )[0];
    const state = await counted();
    expect(state?.seq).toBe(state?.top);

    // A large change once counted: the job again, and the report answers from the counts as they were.
    await t.database.rows(
      sql`INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
          SELECT ${w.people.p3}, 'sal', 'sql', now() - interval '1 minute' * g FROM generate_series(1, 6) g`,
    );
    const recounting = await refreshLeadStages(t.database.db, stages, options);
    expect([recounting, started]).toEqual([{ countedAt: state?.at.toISOString(), pending: 6 }, 2]);
    expect((await counted())?.seq).toBe(state?.seq);
    await analyticsRebuildJob(t.deps).handle({});
    expect(await refreshLeadStages(t.database.db, stages, options)).toBeUndefined();
    const after = await counted();
    expect([after?.seq, started]).toEqual([after?.top, 2]);
  });

  it('without a job queue (the CLI), counts a large change itself, having said how large it is first', async () => {
    const stages = funnelStages(defaultLifecycle);
    await t.database.rows(sql`DELETE FROM analytics_state`);
    const told: number[] = [];
    const options = { onWait: (pending: number) => told.push(pending), backgroundFrom: 5 };
    const [people] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM people`);
    expect(await refreshLeadStages(t.database.db, stages, options)).toBeUndefined();
    expect(told).toEqual([people?.n]);
    expect((await state())?.seq).toBe(await top());
    // A small change is counted without a word.
    await t.database.rows(
      sql`INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
          VALUES (${w.people.p3}, 'sql', 'lost', now() - interval '1 minute')`,
    );
    await refreshLeadStages(t.database.db, stages, options);
    expect(told).toHaveLength(1);
    expect((await state())?.seq).toBe(await top());
  });

  it('does the same for the deal pre-aggregates', async () => {
    const stages = funnelStages(defaultLifecycle);
    let started = 0;
    const options = {
      background: async () => {
        started++;
      },
      backgroundFrom: 3,
    };
    const dealState = async () =>
      (
        await t.database.rows<{ seq: number; at: Date }>(
          sql`SELECT counted_seq::int AS seq, refreshed_at AS at FROM analytics_state WHERE name = 'deal_facts'`,
        )
      )[0];
    await t.database.rows(sql`DELETE FROM analytics_state WHERE name = 'deal_facts'`);
    const refused = await refreshDealFacts(t.database.db, stages, dealOutcomes(), options).catch(
      (error: AppError) => error,
    );
    expect([(refused as AppError).code, started]).toEqual(['reports_rebuilding', 1]);
    await analyticsRebuildJob(t.deps).handle({});
    const counted = await dealState();
    // Three deals re-priced: a backlog of three changes, answered from the counts as they were.
    await t.database.rows(sql`UPDATE opportunities SET amount = amount + 1 WHERE name IN ('D1', 'D2', 'D3')`);
    const recounting = await refreshDealFacts(t.database.db, stages, dealOutcomes(), options);
    expect([recounting?.countedAt, started]).toEqual([counted?.at.toISOString(), 2]);
    // Pending is read from the sequence: it also counts the number the rolled-back move above took.
    expect(recounting?.pending).toBeGreaterThanOrEqual(3);
    expect(recounting?.pending).toBeLessThanOrEqual(4);
    expect((await dealState())?.seq).toBe(counted?.seq);
    // One more change is counted in the request.
    await analyticsRebuildJob(t.deps).handle({});
    await t.database.rows(sql`UPDATE opportunities SET amount = amount + 1 WHERE name = 'D1'`);
    expect(await refreshDealFacts(t.database.db, stages, dealOutcomes(), options)).toBeUndefined();
    const [changes] = await t.database.rows<{ top: number }>(
      sql`SELECT max(seq)::int AS top FROM analytics_deal_changes`,
    );
    expect((await dealState())!.seq).toBe(changes?.top);
    expect(started).toBe(2);
  });
});
