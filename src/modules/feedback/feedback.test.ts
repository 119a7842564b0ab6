import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import {
  call,
  makeAccount,
  makeLead,
  makeRep,
  type TestRep,
  toMql,
} from '../routing/handoff.test-support.ts';
import { trainingRows } from '../scoring/learned.store.ts';

const T0 = new Date('2027-01-05T10:00:00Z'); // Tuesday, in the future of the real clock

describe.each(databaseKinds)('sales feedback on %s', (kind) => {
  let t: TestApp;
  let clock: ReturnType<typeof fixedClock>;
  let admin: Record<string, string>;
  let rita: TestRep;
  let sam: TestRep;
  let campaign: string;

  const stageOf = async (id: string) => (await call(t, 'GET', `/api/people/${id}`, admin)).json().stage;
  const dispose = (id: string, who: TestRep, body: object) =>
    call(t, 'POST', `/api/people/${id}/disposition`, who.headers, body);

  beforeAll(async () => {
    clock = fixedClock(T0);
    t = await createTestApp(kind, { clock });
    admin = await t.as('admin');
    rita = await makeRep(t, 'Rita');
    sam = await makeRep(t, 'Sam', { active: false });
    await call(t, 'POST', '/api/sla/policies', admin, {
      name: 'Default',
      grade: null,
      acceptWithinMinutes: 240,
      firstTouchWithinMinutes: 60,
      escalateAfterMinutes: 60,
    });
    campaign = (
      await t.database.rows<{ id: string }>(
        (
          await import('drizzle-orm')
        ).sql`INSERT INTO campaigns (name, channel) VALUES ('Webinar Q1', 'webinar') RETURNING id`,
      )
    )[0]!.id;
  });
  afterAll(async () => t?.close());

  it('accepts an MQL into SAL once; a second verdict is a 409 that shows the first', async () => {
    const lead = await makeLead(t, { source: 'organic' });
    await toMql(t, lead);
    clock.advance(30 * 60_000);
    const accepted = await dispose(lead, rita, { decision: 'accept', note: 'Good timing' });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({
      decision: 'accepted',
      stage: 'sal',
      userId: rita.id,
      note: 'Good timing',
    });
    expect(await stageOf(lead)).toBe('sal');

    const again = await dispose(lead, rita, { decision: 'reject', reason: 'bad_fit' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'already_disposed',
      details: { first: { decision: 'accepted', userName: 'Rita', stage: 'sal' } },
    });
    expect((await call(t, 'GET', `/api/people/${lead}/disposition`, admin)).json().decision).toBe('accepted');
  });

  it('refuses someone else’s lead (403), a rejection without a reason or with an unknown one (400), writing nothing', async () => {
    const lead = await makeLead(t);
    await toMql(t, lead);
    const notMine = await dispose(lead, sam, { decision: 'accept' });
    expect(notMine.statusCode).toBe(403);
    const noReason = await dispose(lead, rita, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toMatchObject({ field: 'reason' });
    const unknown = await dispose(lead, rita, { decision: 'reject', reason: 'too_busy' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('bad_fit, wrong_contact, no_budget, not_now');
    expect(unknown.json().error.details.allowed).toContain('student_or_job_seeker');
    expect(await stageOf(lead)).toBe('mql');
    expect((await call(t, 'GET', `/api/people/${lead}/disposition`, admin)).statusCode).toBe(404);
    // A lead nobody was assigned: 409, not a silent accept.
    const unassigned = await makeLead(t);
    expect((await dispose(unassigned, rita, { decision: 'accept' })).json().error.code).toBe(
      'lead_not_assigned',
    );
  });

  it('sends "not now" to nurture (marketing owns it again) and other rejections to disqualified', async () => {
    const later = await makeLead(t);
    await toMql(t, later);
    const notNow = await dispose(later, rita, {
      decision: 'reject',
      reason: 'not_now',
      note: 'Budget in Q3',
    });
    expect(notNow.json()).toMatchObject({ stage: 'nurture', reasonLabel: 'Not now' });
    expect(await stageOf(later)).toBe('nurture');
    const transitions = await call(t, 'GET', `/api/people/${later}/transitions`, admin);
    expect(transitions.json().items.at(-1)).toMatchObject({ toStage: 'nurture', rule: 'sales feedback' });

    const student = await makeLead(t);
    await toMql(t, student);
    expect(
      (await dispose(student, rita, { decision: 'reject', reason: 'student_or_job_seeker' })).json().stage,
    ).toBe('disqualified');
  });

  it('lists the rep’s queue by urgency and logs field insights', async () => {
    const admins = await call(t, 'GET', '/api/queue', admin);
    expect(admins.json().items).toEqual([]); // the admin holds no leads of their own
    const first = await makeLead(t, { firstName: 'First' });
    await toMql(t, first);
    clock.advance(10 * 60_000);
    const second = await makeLead(t, { firstName: 'Second' });
    await toMql(t, second);
    const queue = await call(t, 'GET', '/api/queue', rita.headers);
    const names = queue.json().items.map((i: { name: string }) => i.name);
    expect(names.indexOf('First')).toBeLessThan(names.indexOf('Second'));
    const top = queue.json().items.find((i: { name: string }) => i.name === 'Second');
    // Assigned now, due in 240 working minutes inside Rita's 09–17 UTC day.
    expect(top).toMatchObject({ minutesLeft: 240, overdue: false, touched: false });
    expect((await call(t, 'GET', `/api/queue?userId=${rita.id}`, sam.headers)).statusCode).toBe(403);
    // Her manager may look at it.
    await call(t, 'PATCH', `/api/routing/reps/${rita.id}`, admin, { managerId: sam.id });
    const managed = await call(t, 'GET', `/api/queue?userId=${rita.id}`, sam.headers);
    expect(managed.json().items.map((i: { name: string }) => i.name)).toEqual(names);
    await call(t, 'PATCH', `/api/routing/reps/${rita.id}`, admin, { managerId: null });

    const account = await makeAccount(t, { name: 'Acme', domain: 'acme.test' });
    const insight = await call(t, 'POST', '/api/insights', rita.headers, {
      accountId: account,
      kind: 'competitor_seen',
      competitor: 'Globex',
      text: 'They are trialling Globex',
    });
    expect(insight.statusCode).toBe(201);
    expect(insight.json()).toMatchObject({
      kindLabel: 'Competitor seen',
      userName: 'Rita',
      accountName: 'Acme',
    });
    expect(
      (await call(t, 'POST', '/api/insights', rita.headers, { kind: 'other', text: 'x' })).statusCode,
    ).toBe(400);
    expect(
      (
        await call(t, 'POST', '/api/insights', await t.as('marketing'), {
          accountId: account,
          kind: 'other',
          text: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const listed = await call(t, 'GET', `/api/insights?accountId=${account}`, await t.as('marketing'));
    expect(listed.json().items).toHaveLength(1);
  });

  it('reports rejection reasons by source and campaign, acceptance over time, and the insights digest', async () => {
    // A fresh window: three leads from the webinar campaign, source "webinar".
    clock.set(new Date('2027-02-02T10:00:00Z'));
    const leads: string[] = [];
    for (let i = 0; i < 3; i++) {
      const lead = await makeLead(t, { source: 'webinar', campaignId: campaign });
      await toMql(t, lead);
      leads.push(lead);
    }
    await dispose(leads[0]!, rita, { decision: 'accept' });
    await dispose(leads[1]!, rita, { decision: 'reject', reason: 'no_budget' });
    await dispose(leads[2]!, rita, { decision: 'reject', reason: 'no_budget' });
    await call(t, 'POST', '/api/insights', rita.headers, {
      personId: leads[1],
      kind: 'pricing_objection',
      text: 'Too pricey',
    });
    // The learned scorecard's "accepted" outcome is sales' verdict: 1 for the accepted, 0 for the rejected.
    const training = await trainingRows(t.deps.db, { outcome: 'accepted', now: clock.now(), openDays: 90 });
    const outcomeOf = (id: string) => training.find((row) => row.id === id)?.outcome;
    expect(leads.map(outcomeOf)).toEqual([1, 0, 0]);
    const report = await call(
      t,
      'GET',
      '/api/feedback/report?by=campaign&from=2027-02-01T00:00:00Z&to=2027-03-01T00:00:00Z',
      admin,
    );
    expect(report.statusCode).toBe(200);
    const body = report.json();
    expect(body.totals).toEqual({ decided: 3, accepted: 1, rejected: 2, acceptanceRate: 1 / 3 });
    expect(body.rejectionsByGroup).toEqual([
      {
        group: 'Webinar Q1',
        decided: 3,
        accepted: 1,
        rejected: 2,
        acceptanceRate: 1 / 3,
        reasons: { no_budget: 2 },
      },
    ]);
    expect(body.acceptanceOverTime).toEqual([
      { periodStart: '2027-02-01', decided: 3, accepted: 1, acceptanceRate: 1 / 3 },
    ]);
    expect(body.insightsDigest.byKind).toEqual([
      { kind: 'pricing_objection', label: 'Pricing objection', count: 1 },
    ]);

    // Over the whole time, by source: January had 1 accepted (organic), 2 rejected, 1 not-now (no source).
    const all = await call(
      t,
      'GET',
      '/api/feedback/report?by=source&from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z',
      admin,
    );
    const bySource = Object.fromEntries(
      all
        .json()
        .rejectionsByGroup.map((g: { group: string | null; decided: number }) => [
          g.group ?? '(none)',
          g.decided,
        ]),
    );
    expect(bySource).toEqual({ webinar: 3, organic: 1, '(none)': 2 });
    expect(all.json().totals).toMatchObject({ decided: 6, accepted: 2 });

    // The learned scorecard's "accepted" outcome reads these verdicts: 1 for accepted, 0 for rejected.
    const rows = await trainingRows(t.deps.db, { outcome: 'accepted', now: clock.now(), openDays: 90 });
    const outcomes = new Map(rows.map((row) => [row.id, row.outcome]));
    expect(leads.map((id) => outcomes.get(id))).toEqual([1, 0, 0]);
  });
});
