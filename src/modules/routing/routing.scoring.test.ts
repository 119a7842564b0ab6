// A lead that scores its way to MQL is routed in the same request as the activity that made it one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { assignmentOf, call, makeAccount, makeLead, makeRep, type TestRep } from './handoff.test-support.ts';

const definition = {
  fit: {
    rules: [{ id: 'saas', field: 'account.industry', op: 'equals', value: 'SaaS', points: 30 }],
    gradeCutoffs: { A: 40, B: 30, C: 10 },
  },
  engagement: {
    rules: [{ id: 'webinar', activityType: 'webinar', points: 40, maxCount: 2 }],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 50 },
};

describe.each(databaseKinds)('routing leads that score their way to MQL on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let rita: TestRep;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
    rita = await makeRep(t, 'Rita', {
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      workStart: '00:00',
      workEnd: '24:00',
    });
    await call(t, 'POST', '/api/sla/policies', admin, {
      name: 'B leads',
      grade: 'B',
      acceptWithinMinutes: 120,
      firstTouchWithinMinutes: 60,
      escalateAfterMinutes: 60,
    });
    expect((await call(t, 'POST', '/api/lead-definitions', admin, { rules: definition })).statusCode).toBe(
      201,
    );
    const marketing = await t.signedIn('admin', 'marketing', 'Maya Marketing', { approver: true });
    const sales = await t.signedIn('admin', 'sales', 'Sid Sales', { approver: true });
    await call(t, 'POST', '/api/lead-definitions/1/signatures', marketing);
    await call(t, 'POST', '/api/lead-definitions/1/signatures', sales);
    const published = await call(t, 'POST', '/api/lead-definitions/1/publish', admin, {});
    expect(published.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('assigns the new MQL with its grade’s policy the moment the second webinar arrives', async () => {
    await makeAccount(t, { name: 'Cloudy', domain: 'cloudy.test', industry: 'SaaS' });
    const lead = await makeLead(t, { email: 'ann@cloudy.test' });
    const webinar = (n: number) =>
      call(t, 'POST', '/api/activities', admin, {
        personId: lead,
        type: 'webinar',
        occurredAt: new Date(Date.now() - n * 60_000).toISOString(),
      });
    await webinar(2);
    expect(await assignmentOf(t, lead)).toBeUndefined();
    const before = Date.now();
    await webinar(1);
    const assignment = await assignmentOf(t, lead);
    expect(assignment).toMatchObject({ userId: rita.id, rule: 'round-robin: all reps' });
    // Rita works around the clock: the grade-B policy makes accept due 120 minutes after assignment.
    const due = new Date(assignment!.acceptDueAt!).getTime();
    expect(due - before).toBeGreaterThanOrEqual(119 * 60_000);
    expect(due - before).toBeLessThanOrEqual(121 * 60_000);
    const queue = await call(t, 'GET', '/api/queue', rita.headers);
    expect(queue.json().items.map((i: { personId: string; grade: string }) => [i.personId, i.grade])).toEqual(
      [[lead, 'B']],
    );
  });
});
