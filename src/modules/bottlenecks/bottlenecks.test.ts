import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { createUser } from '../auth/auth.service.ts';
import { addDeal, addPeople } from '../targets/targets.test-support.ts';
import type { BottleneckReport } from './bottlenecks.schema.ts';
import { pPhrase, stepFocus, stuckPhrase, targetGapPhrase } from './bottlenecks.service.ts';

// This month is Nov 1 … Nov 20; with lookbackDays 92 "normal" is Aug 1 … Nov 1.
const now = new Date('2026-11-20T00:00:00Z');
const path = (...steps: [string, string][]) => steps;

async function buildHistory(t: TestApp) {
  const db = t.deps.db;
  const rep = await createUser(t.deps, {
    name: 'Rep One',
    email: 'rep.one@test.dev',
    team: 'sales',
    role: 'sales',
  });
  const toSql = (d: string[]) => path(['mql', d[0]!], ['sal', d[1]!], ['sql', d[2]!]);
  // A: 100 reach SQL Aug 5. 50 become opportunities Aug 15 (25 won, 25 lost Sep 14); 50 are lost Aug 20.
  const a = toSql(['2026-08-03', '2026-08-04', '2026-08-05']);
  await addPeople(db, 25, {
    created: '2026-08-02',
    path: [...a, ['opportunity', '2026-08-15'], ['won', '2026-09-14']],
  });
  await addPeople(db, 25, {
    created: '2026-08-02',
    path: [...a, ['opportunity', '2026-08-15'], ['lost', '2026-09-14']],
  });
  await addPeople(db, 50, { created: '2026-08-02', path: [...a, ['lost', '2026-08-20']] });
  // B: 40 reach SQL Oct 4; this month 8 become opportunities (Nov 5) and 32 are lost (Nov 6).
  const b = toSql(['2026-10-02', '2026-10-03', '2026-10-04']);
  await addPeople(db, 8, { created: '2026-10-01', path: [...b, ['opportunity', '2026-11-05']] });
  await addPeople(db, 32, { created: '2026-10-01', path: [...b, ['lost', '2026-11-06']] });
  // C: 6 SQLs since Oct 20, owned by Rep One (stuck: 31 days against a p90 of 10). D: 3 SQLs since Nov 15.
  await addPeople(db, 6, {
    created: '2026-10-15',
    path: toSql(['2026-10-16', '2026-10-17', '2026-10-20']),
    ownerId: rep.id,
  });
  await addPeople(db, 3, { created: '2026-11-10', path: toSql(['2026-11-11', '2026-11-12', '2026-11-15']) });
  // MQL → SAL, small numbers: normally 155 of 207 decided MQLs move on (A, B, C, 9 of E; 3 of E and 49 of F go to
  // nurture); this month 8 of 13 (D, 5 of G; 5 of G to nurture). 62% against 75%, but not significant.
  await addPeople(db, 9, { created: '2026-08-01', path: path(['mql', '2026-08-02'], ['sal', '2026-08-03']) });
  await addPeople(db, 3, {
    created: '2026-08-01',
    path: path(['mql', '2026-08-02'], ['nurture', '2026-08-04']),
  });
  await addPeople(db, 49, {
    created: '2026-08-01',
    path: path(['mql', '2026-08-02'], ['nurture', '2026-08-04']),
  });
  await addPeople(db, 5, { created: '2026-11-01', path: path(['mql', '2026-11-02'], ['sal', '2026-11-03']) });
  await addPeople(db, 5, {
    created: '2026-11-01',
    path: path(['mql', '2026-11-02'], ['nurture', '2026-11-04']),
  });

  // Deals: two won ($10k after 30 days, $30k after 40 days in prospecting), one lost after 20 days:
  // average won deal $20,000; 2 of 3 closed prospecting deals won; p90 days in prospecting 30 + 0.8 × 10 = 38.
  await addDeal(db, {
    name: 'Won A',
    amount: 10_000,
    path: path(['prospecting', '2026-08-10'], ['won', '2026-09-09']),
  });
  await addDeal(db, {
    name: 'Won B',
    amount: 30_000,
    path: path(['prospecting', '2026-08-20'], ['won', '2026-09-29']),
  });
  await addDeal(db, {
    name: 'Lost',
    amount: 5_000,
    path: path(['prospecting', '2026-08-05'], ['lost', '2026-08-25']),
  });
  // Open: $50k in prospecting since Sep 1 (80 days: stuck), $70k since Nov 10 (not stuck).
  await addDeal(db, {
    name: 'Stuck deal',
    amount: 50_000,
    path: path(['prospecting', '2026-09-01']),
    ownerId: rep.id,
  });
  await addDeal(db, { name: 'Fresh deal', amount: 70_000, path: path(['prospecting', '2026-11-10']) });
}

describe.each(databaseKinds)('bottlenecks on %s', (kind) => {
  let t: TestApp;
  let viewer: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: fixedClock(now) });
    viewer = await t.as('viewer');
    await buildHistory(t);
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: viewer });

  it('flags a real drop against the baseline, not noise on small numbers', async () => {
    const report = (await get('/api/bottlenecks?lookbackDays=92')).json() as BottleneckReport;
    const step = (from: string) => report.steps.find((s) => s.from === from)!;
    // SQL → opportunity: 8 of 40 this month (20%) against 50 of 100 (50%). Pooled 58/140, se = √(.4143·.5857·(1/40 + 1/100))
    // = .09216, z = −3.255, p = .0011.
    expect(step('sql')).toMatchObject({
      current: { moved: 8, decided: 40, rate: 0.2 },
      baseline: { moved: 50, decided: 100, rate: 0.5 },
      method: 'z-test',
      flagged: true,
    });
    expect(step('sql').p).toBeCloseTo(0.00113, 4);
    // MQL → SAL: 8 of 13 against 155 of 207; Fisher's exact p = .329 (scipy): not flagged.
    expect(step('mql')).toMatchObject({
      current: { moved: 8, decided: 13 },
      baseline: { moved: 155, decided: 207 },
      method: 'fisher',
      flagged: false,
    });
    expect(step('mql').p).toBeCloseTo(0.329057, 4);
    // SAL → SQL: 3 of 3 this month, too few to test.
    expect(step('sal')).toMatchObject({ current: { moved: 3, decided: 3 }, p: null, flagged: false });
    expect(report.target).toBeNull();
  });

  it('finds stuck leads and deals and the revenue trapped there', async () => {
    const report = (await get('/api/bottlenecks?lookbackDays=92')).json() as BottleneckReport;
    expect(report.dealSize).toBe(20_000);
    const group = (kind: string, stage: string) =>
      report.stuck.find((g) => g.kind === kind && g.stage === stage)!;
    // Funnel of the people who entered Aug 1 … Nov 1 (A, B, C, E, F): 207 leads, 207 MQLs, 155 SALs, 146 SQLs,
    // 58 opportunities, 25 won. SQL: p90 of SQL → opportunity is 10 days; 6 SQLs (C) are past it;
    // 6 × 25/146 × $20,000 = $20,548.
    expect(group('lead', 'sql')).toMatchObject({ normalDays: 10, stuck: 6 });
    expect(group('lead', 'sql').trapped).toBeCloseTo((6 * 25 * 20_000) / 146, 6);
    // SAL: p90 of SAL → SQL is 1 day; 9 (E, since Aug 3) + 5 (G, since Nov 3) are past it: 14 × 25/155 × $20,000.
    expect(group('lead', 'sal')).toMatchObject({ normalDays: 1, stuck: 14 });
    expect(group('lead', 'sal').trapped).toBeCloseTo((14 * 25 * 20_000) / 155, 6);
    // Deals: the $50k deal in prospecting for 80 days against a p90 of 38; 2 of 3 won: $33,333.
    expect(group('deal', 'prospecting')).toMatchObject({ normalDays: 38, stuck: 1, label: 'Prospecting' });
    expect(group('deal', 'prospecting').trapped).toBeCloseTo((50_000 * 2) / 3, 6);
    expect(report.trappedTotal).toBeCloseTo(
      (6 * 25 * 20_000) / 146 + (14 * 25 * 20_000) / 155 + 100_000 / 3,
      6,
    );
    expect(report.headline).toBe(
      'SQL → Opportunity converts 20% this month against 50% normally (p = 0.001): 6 SQLs are stuck past 10 days, about $21,000 trapped.',
    );
    expect(report.link).toBe('/bottlenecks?kind=lead&stage=sql');
  });

  it('lists the stuck items with owner and age', async () => {
    const sql = (await get('/api/bottlenecks/stuck?lookbackDays=92&kind=lead&stage=sql')).json();
    expect(sql.total).toBe(6);
    expect(sql.items).toHaveLength(6);
    expect(sql.items[0]).toMatchObject({
      kind: 'lead',
      stage: 'sql',
      stageLabel: 'SQL',
      owner: 'Rep One',
      ageDays: 30.5,
      normalDays: 10,
    });
    const deals = (await get('/api/bottlenecks/stuck?lookbackDays=92&kind=deal')).json();
    expect(
      deals.items.map((d: { name: string; ageDays: number; owner: string }) => [d.name, d.ageDays, d.owner]),
    ).toEqual([['Stuck deal', 79.5, 'Rep One']]);
    const all = (await get('/api/bottlenecks/stuck?lookbackDays=92')).json();
    expect(all.total).toBe(6 + 14 + 1);
  });

  it('answers 400 naming the allowed values', async () => {
    const period = await get('/api/bottlenecks?period=next-year');
    expect(period.statusCode).toBe(400);
    expect(period.json().error.message).toContain('this-month, this-quarter, last-month, last-quarter');
    const stage = await get('/api/bottlenecks/stuck?stage=nope');
    expect(stage.statusCode).toBe(400);
    expect(stage.json().error.details.allowed).toEqual(['mql', 'sal', 'sql', 'opportunity', 'prospecting']);
    expect((await get('/api/bottlenecks?colour=red')).statusCode).toBe(400);
  });
});

describe('the headline states significance as people write it', () => {
  it('says "p < 0.001" below a thousandth, and "p = …" otherwise', () => {
    expect(pPhrase(0.0004)).toBe('p < 0.001');
    expect(pPhrase(0.00113)).toBe('p = 0.001');
    expect(pPhrase(0.0312)).toBe('p = 0.03');
  });

  it('says the rate a step must convert at, or that too few arrive for it, against the target', () => {
    const target = { name: 'Q1 2027', lookbackDays: 180 };
    const salToSql = {
      from: 'sal',
      to: 'sql',
      fromLabel: 'SAL',
      toLabel: 'SQL',
      required: 0.8,
      measured: 0.69,
      reachable: true,
    };
    expect(targetGapPhrase(target, salToSql, { needed: 80, projected: 100 })).toBe(
      'To reach the Q1 2027 target, SAL → SQL must convert 80% against 69% in the 180 days before it',
    );
    // 100.2 needed against 100.1 arriving: rounded apart, never "100 needed … about 100 arrive".
    expect(
      targetGapPhrase(
        target,
        { ...salToSql, required: 1, reachable: false },
        { needed: 100.2, projected: 100.1 },
      ),
    ).toBe(
      'To reach the Q1 2027 target, 101 SQLs are needed, but at this pace only about 100 SALs arrive in time ' +
        'for them: too few even if every one moved on (69% did in the 180 days before it)',
    );
    const won = {
      from: 'opportunity',
      to: 'won',
      fromLabel: 'Opportunity',
      toLabel: 'Won',
      required: 1,
      measured: 0.27,
      reachable: false,
    };
    expect(targetGapPhrase(target, won, { needed: 40, projected: 31.5 })).toBe(
      'To reach the Q1 2027 target, 40 won deals are needed, but at this pace only about 31 opportunities arrive in ' +
        'time for them: too few even if every one moved on (27% did in the 180 days before it)',
    );
    const newLeads = {
      from: 'new',
      to: 'mql',
      fromLabel: 'New lead',
      toLabel: 'MQL',
      required: 1,
      measured: 0.4,
      reachable: false,
    };
    expect(targetGapPhrase(target, newLeads, { needed: 2, projected: 1.5 })).toBe(
      'To reach the Q1 2027 target, 2 MQLs are needed, but at this pace only about 1 new lead arrives in time ' +
        'for them: too few even if every one moved on (40% did in the 180 days before it)',
    );
    expect(targetGapPhrase(target, newLeads, { needed: 1, projected: 0.4 })).toBe(
      'To reach the Q1 2027 target, 1 MQL is needed, but at this pace next to no new leads arrive in time ' +
        'for them: too few even if every one moved on (40% did in the 180 days before it)',
    );
  });

  it("links a step's headline to the leads stuck at it, or to everything stuck when none is", () => {
    const group = { kind: 'lead' as const, label: 'SQL', normalDays: 18, toWon: 0.2, trapped: 4_050 };
    const stuck = [
      { ...group, stage: 'sql', stuck: 3 },
      { ...group, stage: 'opportunity', label: 'Opportunity', stuck: 0 },
    ];
    const at = (stage: string) => stuck.find((g) => g.stage === stage);
    expect(stepFocus(at('sql'))).toEqual({ kind: 'lead', stage: 'sql' });
    expect(stepFocus(at('opportunity'))).toBeNull();
    expect(stepFocus(at('mql'))).toBeNull();
  });

  it('counts stuck leads and deals in the singular and the plural', () => {
    const group = { stage: 'sql', normalDays: 18, toWon: 0.2, trapped: 4_050 };
    expect(stuckPhrase({ ...group, kind: 'lead', label: 'SQL', stuck: 1 }, 'USD')).toBe(
      '1 SQL is stuck past 18 days, about $4,050 trapped',
    );
    expect(stuckPhrase({ ...group, kind: 'lead', label: 'SQL', stuck: 3 }, 'USD')).toBe(
      '3 SQLs are stuck past 18 days, about $4,050 trapped',
    );
    expect(stuckPhrase({ ...group, kind: 'deal', label: 'Proposal', stuck: 1, trapped: 0 }, 'USD')).toBe(
      '1 Proposal deal is stuck past 18 days',
    );
  });
});
