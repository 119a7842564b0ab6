import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import type { TargetView } from './targets.schema.ts';
import { addDeal, addPeople } from './targets.test-support.ts';

const now = new Date('2026-11-15T00:00:00Z');

/**
 * The look-back window for a Q4 2026 target with lookbackDays 92 is Jul 1 … Oct 1. In it, 100 leads
 * (created Jul 10): 40 became MQLs (Jul 13), 20 SALs (Jul 18), 16 SQLs (Jul 20), 8 opportunities (Jul 30)
 * and 4 were won (Aug 29): conversion 40%, 50%, 80%, 50%, 50%; stage times 3, 5, 2, 10 and 30 days.
 * Four deals were won at $20k, $20k, $30k, $30k: $25,000 on average.
 */
async function buildHistory(t: TestApp) {
  const db = t.deps.db;
  const upTo = (n: number): [string, string][] =>
    (
      [
        ['mql', '2026-07-13'],
        ['sal', '2026-07-18'],
        ['sql', '2026-07-20'],
        ['opportunity', '2026-07-30'],
        ['won', '2026-08-29'],
      ] as [string, string][]
    ).slice(0, n);
  for (const [count, steps] of [
    [60, 0],
    [20, 1],
    [4, 2],
    [8, 3],
    [4, 4],
    [4, 5],
  ] as const) {
    await addPeople(db, count, { created: '2026-07-10', path: upTo(steps) });
  }
  // This period so far: 60 leads (Oct 5), 30 MQLs (Oct 8), 10 SALs (Oct 13).
  await addPeople(db, 30, { created: '2026-10-05', path: [] });
  await addPeople(db, 20, { created: '2026-10-05', path: [['mql', '2026-10-08']] });
  await addPeople(db, 10, {
    created: '2026-10-05',
    path: [
      ['mql', '2026-10-08'],
      ['sal', '2026-10-13'],
    ],
  });

  const won: [string, string][] = [
    ['prospecting', '2026-07-30'],
    ['proposal', '2026-08-10'],
    ['won', '2026-08-29'],
  ];
  for (const amount of [20_000, 20_000, 30_000, 30_000])
    await addDeal(db, { name: 'Won', amount, path: won });
  for (let i = 0; i < 4; i++)
    await addDeal(db, {
      name: 'Lost early',
      amount: 10_000,
      path: [
        ['prospecting', '2026-07-30'],
        ['lost', '2026-08-15'],
      ],
    });
  for (let i = 0; i < 2; i++)
    await addDeal(db, {
      name: 'Lost at proposal',
      amount: 10_000,
      path: [
        ['prospecting', '2026-07-30'],
        ['proposal', '2026-08-10'],
        ['lost', '2026-08-20'],
      ],
    });
  // In the period: one deal opened Oct 2 and won Nov 1 ($40k); one open at proposal since Sep 10 ($100k).
  await addDeal(db, {
    name: 'New and won',
    amount: 40_000,
    path: [
      ['prospecting', '2026-10-02'],
      ['won', '2026-11-01'],
    ],
  });
  await addDeal(db, {
    name: 'Open',
    amount: 100_000,
    path: [
      ['prospecting', '2026-09-01'],
      ['proposal', '2026-09-10'],
    ],
  });
}

describe.each(databaseKinds)('revenue targets on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: fixedClock(now) });
    admin = await t.as('admin');
    await buildHistory(t);
  });
  afterAll(async () => t?.close());

  const get = async (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });

  it('turns a draft target into a reverse funnel, but does not pace against it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      headers: admin,
      payload: { period: '2026-Q4', amount: 500_000, lookbackDays: 92 },
    });
    expect(created.statusCode).toBe(201);
    const target = created.json() as TargetView;
    expect(target.status).toBe('draft');
    expect(target.missingConfirmations).toEqual(['marketing', 'sales']);
    // $500,000 / $25,000 = 20 won; 20 / 0.5 = 40 opportunities; 40 / 0.5 = 80 SQLs; 80 / 0.8 = 100 SALs;
    // 100 / 0.5 = 200 MQLs; 200 / 0.4 = 500 leads.
    expect(target.plan.dealSize).toBe(25_000);
    expect(target.plan.stages.map((s) => s.needed)).toEqual([500, 200, 100, 80, 40, 20]);
    expect(target.input.rates).toEqual([null, 0.4, 0.5, 0.8, 0.5, 0.5]);
    expect(target.input.stageDays).toEqual([3, 5, 2, 10, 30, null]);
    // MQLs 47 days before won: Aug 15 … Nov 14.
    expect(target.plan.stages[1]).toMatchObject({
      daysToWon: 47,
      arriveFrom: '2026-08-15',
      arriveBy: '2026-11-14',
    });
    expect(target.pacing).toBeNull();

    const current = (await get('/api/targets/current', await t.as('viewer'))).json();
    expect(current.current.status).toBe('draft');
    expect(current.current.pacing).toBeNull();
    // A draft is not what the bottlenecks measure the funnel against either.
    expect((await get('/api/bottlenecks')).json().target).toBeNull();
  });

  it('needs one confirmation from each team, from a person', async () => {
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/targets/2026-Q4/confirmations',
      headers: await t.as('sales'),
    });
    expect(token.statusCode).toBe(403);

    const maya = await t.signedIn('marketing', 'marketing', 'Maya Marketing');
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/targets/2026-Q4/confirmations',
      headers: maya,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'draft', missingConfirmations: ['sales'], pacing: null });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/targets/2026-Q4/confirmations',
      headers: maya,
    });
    expect(again.statusCode).toBe(409);

    const dana = await t.signedIn('admin', 'sales', 'Dana Sales');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/targets/2026-Q4/confirmations',
      headers: dana,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().status).toBe('confirmed');
    expect(second.json().confirmations.map((c: { team: string; name: string }) => [c.team, c.name])).toEqual([
      ['marketing', 'Maya Marketing'],
      ['sales', 'Dana Sales'],
    ]);
  });

  it('paces each stage against its own window once confirmed, and forecasts the period', async () => {
    const target = (await get('/api/targets/current')).json().current as TargetView;
    expect(target.status).toBe('confirmed');
    // Nov 15: 45 of Q4's 92 days are gone.
    const pacing = target.pacing!;
    expect(pacing.stages.map((s) => [s.key, s.actual, s.expectedByNow, s.status, s.shortfall])).toEqual([
      ['new', 60, 500, 'behind', 440], // Aug 12 … Nov 11: all due
      ['mql', 30, 200, 'behind', 170], // Aug 15 … Nov 14: all due
      ['sal', 10, 95, 'behind', 85], // 100 × 87/92 = 94.6
      ['sql', 0, 74, 'behind', 74], // 80 × 85/92 = 73.9
      ['opportunity', 0, 33, 'behind', 33], // 40 × 75/92 = 32.6
      ['won', 0, 10, 'behind', 10], // 20 × 45/92 = 9.8
    ]);
    expect(pacing.revenue.won).toBe(40_000);
    expect(pacing.revenue.expectedByNow).toBeCloseTo((500_000 * 45) / 92, 6);
    expect(pacing.revenue.status).toBe('behind');
    // $40k won + $100k at proposal × 4/6 (of 6 closed deals that reached proposal, 4 were won) + the
    // $40k opened and won in the period, at the same pace over the other 47 of 92 days: 40k × 47/45.
    expect(target.forecast.weightedPipeline).toBeCloseTo(66_666.6667, 3);
    expect(target.forecast.newBusinessRunRate).toBeCloseTo((40_000 * 47) / 45, 3);
    expect(target.forecast.total).toBeCloseTo(40_000 + 66_666.6667 + (40_000 * 47) / 45, 3);
  });

  it('recomputes the plan under a scenario', async () => {
    const response = await get('/api/targets/2026-Q4?mqlToSal=1&dealSize=50000');
    expect(response.statusCode).toBe(200);
    // 500,000 / 50,000 = 10 won; 20 opportunities; 40 SQLs; 50 SALs; 50 / 1 = 50 MQLs; 50 / 0.4 = 125 leads.
    expect(response.json().plan.stages.map((s: { needed: number }) => s.needed)).toEqual([
      125, 50, 50, 40, 20, 10,
    ]);
    expect(response.json().scenario).toEqual({ dealSize: 50_000, rates: { mqlToSal: 1 } });
  });

  it('says what the target needs from the funnel where it is short', async () => {
    const report = (await get('/api/bottlenecks')).json();
    expect(report.target).toBe('2026-Q4');
    const step = (from: string) => report.steps.find((s: { from: string }) => s.from === from);
    // 100 SALs needed from the 30 MQLs that arrived (their window is over): more than all of them.
    expect([step('mql').required, step('mql').measured, step('mql').reachable]).toEqual([1, 0.5, false]);
    // 80 SQLs needed from about 10.6 SALs (10 by day 87 of the SALs' 92): further short still, 9.5 times
    // what 80% of them give, against 6.7 times for the MQLs. The headline names it, with its stuck SALs.
    expect([step('sal').required, step('sal').measured, step('sal').reachable]).toEqual([1, 0.8, false]);
    expect(report.headline).toBe(
      'To reach the Q4 2026 target, 80 SQLs are needed, but at this pace only about 10 SALs arrive in time for them: too few even if every one moved on (80% did in the 92 days before it); 14 SALs are stuck past 2 days, about $47,000 trapped.',
    );
    expect(report.link).toBe('/bottlenecks?kind=lead&stage=sal');
    // 40 MQLs sit at MQL past the p90 of 5 days; 4 of 70 MQLs of the last 180 days were won; $25,000 deals:
    // 40 × 4/70 × 25,000 = $57,143.
    const mqls = report.stuck.find(
      (g: { kind: string; stage: string }) => g.kind === 'lead' && g.stage === 'mql',
    );
    expect([mqls.stuck, mqls.normalDays, Math.round(mqls.trapped)]).toEqual([40, 5, 57_143]);
  });

  it('answers 400 naming what is allowed, 404 and 409', async () => {
    const badPeriod = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      headers: admin,
      payload: { period: '2026-Q5', amount: 1 },
    });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().error.details.allowed).toEqual([
      'YYYY-Qn (a quarter, e.g. 2026-Q4)',
      'YYYY-MM (a month, e.g. 2026-11)',
    ]);
    expect((await get('/api/targets/2026-13')).statusCode).toBe(400);
    const badKey = await get('/api/targets/2026-Q4?mqlToWon=0.5');
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.details.allowed).toEqual([
      'lookbackDays',
      'dealSize',
      'newToMql',
      'mqlToSal',
      'salToSql',
      'sqlToOpportunity',
      'opportunityToWon',
    ]);
    expect((await get('/api/targets/2026-Q4?mqlToSal=1.5')).statusCode).toBe(400);
    expect((await get('/api/targets/2027-Q1')).statusCode).toBe(404);
    const overlap = await t.app.inject({
      method: 'POST',
      url: '/api/targets',
      headers: admin,
      payload: { period: '2026-11', amount: 100_000 },
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.details.period).toBe('2026-Q4');
    const list = (await get('/api/targets')).json();
    expect(list.items).toEqual([
      {
        period: '2026-Q4',
        start: '2026-10-01',
        end: '2026-12-31',
        amount: 500_000,
        currency: 'USD',
        status: 'confirmed',
        missingConfirmations: [],
      },
    ]);
  });
});
