import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock, systemClock } from '../../shared/clock.ts';
import { runLockstep } from '../../test/cli.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { createUser } from '../auth/auth.service.ts';
import type { Notification } from '../notifications/notifications.service.ts';
import {
  assignmentOf,
  call,
  makeLead,
  makeRep,
  type TestRep,
  toMql,
} from '../routing/handoff.test-support.ts';
import { slaReport } from './sla.report.ts';
import { fireSlaTimer, slaTimerSweepJob } from './sla.service.ts';

const sent = vi.hoisted(() => [] as Notification[]);
vi.mock('../notifications/notifications.service.ts', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  notify: async (_deps: unknown, notification: Notification) => {
    sent.push(notification);
  },
}));

const T0 = new Date('2027-01-05T10:00:00Z'); // Tuesday 10:00 UTC, in the future of the real clock
const at = (hhmm: string) => new Date(`2027-01-05T${hhmm}:00Z`);

describe.each(databaseKinds)('the two-way SLA on %s', (kind) => {
  let t: TestApp;
  let clock: ReturnType<typeof fixedClock>;
  let admin: Record<string, string>;
  let rita: TestRep;
  let ben: TestRep;
  let managerId: string;
  const leads: Record<string, string> = {};

  const timersOf = (personId: string) =>
    t.database.rows<{ id: string; kind: string; dueAt: Date; firedAt: Date | null; outcome: string | null }>(
      sql`SELECT id, kind, due_at AS "dueAt", fired_at AS "firedAt", outcome FROM sla_timers
          WHERE person_id = ${personId} ORDER BY due_at, kind`,
    );
  const timer = async (personId: string, kind: string) =>
    (await timersOf(personId)).find((x) => x.kind === kind)!;

  beforeAll(async () => {
    clock = fixedClock(T0);
    t = await createTestApp(kind, { clock });
    admin = await t.as('admin');
    managerId = (
      await createUser(t.deps, { name: 'Mona Manager', email: 'mona@sla.test', team: 'sales', role: 'admin' })
    ).id;
    rita = await makeRep(t, 'Rita', { managerId });
    ben = await makeRep(t, 'Ben', { active: false });
  });
  afterAll(async () => t?.close());

  it('lets only admins edit policies, validated, one per grade', async () => {
    const policy = {
      name: 'Default',
      grade: null,
      acceptWithinMinutes: 240,
      firstTouchWithinMinutes: 60,
      escalateAfterMinutes: 60,
      reassignOnEscalation: true,
    };
    expect((await call(t, 'POST', '/api/sla/policies', rita.headers, policy)).statusCode).toBe(403);
    const bad = await call(t, 'POST', '/api/sla/policies', admin, { ...policy, acceptWithinMinutes: -5 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('acceptWithinMinutes');
    expect((await call(t, 'POST', '/api/sla/policies', admin, policy)).statusCode).toBe(201);
    const twice = await call(t, 'POST', '/api/sla/policies', admin, policy);
    expect(twice.statusCode).toBe(409);
    const hot = await call(t, 'POST', '/api/sla/policies', admin, {
      ...policy,
      name: 'Hot',
      grade: 'A',
      acceptWithinMinutes: 60,
    });
    expect(hot.statusCode).toBe(201);
    expect((await call(t, 'DELETE', `/api/sla/policies/${hot.json().id}`, admin)).statusCode).toBe(204);
    const promise = await call(t, 'PUT', '/api/sla/promises', admin, {
      period: 'month',
      mqlVolume: 3,
      minMqlToSqlRate: 0.25,
    });
    expect(promise.json()).toMatchObject({ period: 'month', mqlVolume: 3, minMqlToSqlRate: 0.25 });
    const dueAt = await call(
      t,
      'GET',
      `/api/sla/due-at?userId=${rita.id}&at=2027-01-08T16:30:00Z&minutes=240`,
      admin,
    );
    expect(dueAt.json()).toEqual({ dueAt: '2027-01-11T12:30:00.000Z', timeZone: 'UTC' });
  });

  it('fires a timer once when due: breach alerts the rep, escalation the manager, then re-assigns', async () => {
    for (const name of ['L1', 'L2', 'L3']) {
      leads[name] = await makeLead(t, { firstName: name });
      await toMql(t, leads[name]!);
    }
    expect((await assignmentOf(t, leads.L1!))?.userId).toBe(rita.id);
    const touch = await timer(leads.L1!, 'first_touch');
    expect(touch.dueAt.toISOString()).toBe('2027-01-05T11:00:00.000Z');
    expect((await timer(leads.L1!, 'accept')).dueAt.toISOString()).toBe('2027-01-05T14:00:00.000Z');

    // Not due yet by this server's clock: nothing happens (the job is retried later).
    expect(await fireSlaTimer(t.deps, touch.id)).toBe('not_due');
    clock.set(at('10:45'));
    const accepted = await call(t, 'POST', `/api/people/${leads.L2}/disposition`, rita.headers, {
      decision: 'accept',
    });
    expect(accepted.statusCode).toBe(201);

    clock.set(at('11:01'));
    sent.length = 0;
    const results = await Promise.all([fireSlaTimer(t.deps, touch.id), fireSlaTimer(t.deps, touch.id)]);
    expect(results.sort()).toEqual(['breached', 'skipped']);
    // L2 and L3 were not touched either: their first-touch timers breach too.
    await fireSlaTimer(t.deps, (await timer(leads.L2!, 'first_touch')).id);
    const l3Touch = (await timer(leads.L3!, 'first_touch')).id;
    clock.set(at('12:00'));
    const rejected = await call(t, 'POST', `/api/people/${leads.L3}/disposition`, rita.headers, {
      decision: 'reject',
      reason: 'bad_fit',
    });
    expect(rejected.statusCode).toBe(201);
    // L3 was rejected before its timer ran: a rejected lead needs no first touch.
    expect(await fireSlaTimer(t.deps, l3Touch)).toBe('cancelled');
    expect(sent.map((n) => [n.event, n.recipientUserId, n.dedupeKey])).toEqual([
      ['sla.breached', rita.id, `breach:${touch.id}`],
      ['sla.breached', rita.id, `breach:${(await timer(leads.L2!, 'first_touch')).id}`],
    ]);

    // The L1 escalation is due 60 working minutes after the breach; a call at 11:30 meets it.
    const escalation = await timer(leads.L1!, 'first_touch_escalation');
    expect(escalation.dueAt.toISOString()).toBe('2027-01-05T12:00:00.000Z');
    await call(t, 'POST', '/api/activities', admin, {
      personId: leads.L1,
      type: 'call',
      occurredAt: '2027-01-05T11:30:00Z',
    });
    clock.set(at('12:01'));
    expect(await fireSlaTimer(t.deps, escalation.id)).toBe('met');

    // Accept/reject: L2 was accepted in time, L1 was not.
    clock.set(at('14:01'));
    expect(await fireSlaTimer(t.deps, (await timer(leads.L2!, 'accept')).id)).toBe('met');
    sent.length = 0;
    expect(await fireSlaTimer(t.deps, (await timer(leads.L1!, 'accept')).id)).toBe('breached');
    const acceptEscalation = await timer(leads.L1!, 'accept_escalation');
    expect(acceptEscalation.dueAt.toISOString()).toBe('2027-01-05T15:00:00.000Z');
    await call(t, 'PATCH', `/api/routing/reps/${ben.id}`, admin, { active: true });
    clock.set(at('15:01'));
    expect(await fireSlaTimer(t.deps, acceptEscalation.id)).toBe('breached');
    expect(await fireSlaTimer(t.deps, acceptEscalation.id)).toBe('skipped');
    expect(sent.map((n) => [n.event, n.recipientUserId])).toEqual([
      ['sla.breached', rita.id],
      ['sla.escalated', managerId],
      ['lead.assigned', ben.id],
    ]);
    // The policy re-assigns an MQL nobody decided on: now Ben's, with fresh timers.
    const now = await assignmentOf(t, leads.L1!);
    expect(now).toMatchObject({ userId: ben.id, rule: 'round-robin: all reps' });
    const breaches = await call(t, 'GET', '/api/sla/breaches', admin);
    // notify is replaced here, so no alert reached the log: the list must not claim anyone was told.
    const notSent = { status: 'not_sent', deliveredVia: [], reason: 'no message on record' };
    expect(
      breaches
        .json()
        .items.map((b: { kind: string; alertedUserName: string; alert: unknown }) => [
          b.kind,
          b.alertedUserName,
          b.alert,
        ]),
    ).toEqual([
      ['accept_escalation', 'Mona Manager', notSent],
      ['accept', 'Rita', notSent],
      ['first_touch', 'Rita', notSent],
      ['first_touch', 'Rita', notSent],
    ]);
  });

  it('reports compliance, response times and untouched MQLs by rep, and marketing against its promise', async () => {
    await call(t, 'POST', `/api/people/${leads.L2}/transitions`, admin, { to: 'sql' });
    const response = await call(
      t,
      'GET',
      '/api/sla/report?by=rep&from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z&period=month',
      admin,
    );
    expect(response.statusCode).toBe(200);
    const report = response.json();
    const byName = Object.fromEntries(report.sales.rows.map((r: { label: string }) => [r.label, r]));
    // Rita: L1 undecided past 14:00 (breach), L2 accepted after 45 min, L3 rejected after 120 min (both met).
    // Touch: L1 called at 11:30 for an 11:00 due time (breach), L2 never (breach), L3 rejected (not counted).
    expect(byName.Rita).toMatchObject({
      mqls: 3,
      acceptMet: 2,
      acceptBreached: 1,
      acceptPending: 0,
      acceptCompliance: 2 / 3,
      touchMet: 0,
      touchBreached: 2,
      touchPending: 0,
      touchCompliance: 0,
      medianResponseMinutes: 82.5,
      p90ResponseMinutes: 112.5,
      neverTouched: 2,
    });
    // Ben got L1 at 15:01: nothing due yet, not touched since.
    expect(byName.Ben).toMatchObject({
      mqls: 1,
      acceptPending: 1,
      touchPending: 1,
      acceptCompliance: null,
      neverTouched: 1,
    });
    expect(report.sales.total).toMatchObject({
      label: 'all',
      mqls: 4,
      acceptMet: 2,
      acceptBreached: 1,
      acceptPending: 1,
      medianResponseMinutes: 82.5,
      neverTouched: 3,
    });
    // Marketing: 3 MQLs in January against a promise of 3; 1 of them (L2) reached SQL: 33% ≥ 25%.
    // January is not over yet, so the promise is not judged.
    const january = {
      periodStart: '2027-01-01',
      complete: false,
      mqls: 3,
      promisedMqls: 3,
      volumeMet: null,
      reachedSql: 1,
      mqlToSqlRate: 1 / 3,
      promisedRate: 0.25,
      rateMet: null,
    };
    expect(report.marketing.rows).toEqual([january]);
    clock.set(new Date('2027-02-02T09:00:00Z'));
    const after = await call(
      t,
      'GET',
      '/api/sla/report?from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z',
      admin,
    );
    expect(after.json().marketing.rows).toEqual([
      { ...january, complete: true, volumeMet: true, rateMet: true },
    ]);
    // From the middle of January, marketing is still judged on the whole month (its MQLs came on the 5th).
    const midMonth = await call(
      t,
      'GET',
      '/api/sla/report?from=2027-01-15T00:00:00Z&to=2027-02-01T00:00:00Z',
      admin,
    );
    expect(midMonth.json().marketing.rows).toEqual([
      { ...january, complete: true, volumeMet: true, rateMet: true },
    ]);
    const byPeriod = await call(
      t,
      'GET',
      '/api/sla/report?by=period&from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z',
      admin,
    );
    expect(byPeriod.json().sales.rows).toMatchObject([
      { key: '2027-01-01', label: '2027-01-01', mqls: 4, acceptMet: 2 },
    ]);
    const byTeam = await call(
      t,
      'GET',
      '/api/sla/report?by=team&from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z',
      admin,
    );
    expect(byTeam.json().sales.rows.map((r: { label: string; mqls: number }) => [r.label, r.mqls])).toEqual([
      ['default', 4],
    ]);
  });

  it.runIf(kind === 'postgres')('prints the same numbers from `lockstep sla report --json`', async () => {
    const config = t.deps.config.database;
    if (config.kind !== 'postgres') throw new Error('postgres only');
    const result = await runLockstep(
      ['sla', 'report', '--json', '--from', '2027-01-01', '--to', '2027-02-01', '--by', 'rep'],
      { env: { ...process.env, DATABASE_URL: config.url } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The CLI runs on the real clock, so compare with the report at the real clock.
    const expected = await slaReport(
      { db: t.deps.db, clock: systemClock },
      {
        from: new Date('2027-01-01T00:00:00Z'),
        to: new Date('2027-02-01T00:00:00Z'),
        by: 'rep',
        period: 'month',
      },
    );
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.sales.total.mqls).toBe(4);
  });

  it('takes a breach again when the server that claimed it died before alerting, and alerts once', async () => {
    const lead = await makeLead(t, { firstName: 'Orphan' });
    await toMql(t, lead);
    const accept = await timer(lead, 'accept');
    // As if another server claimed it and was killed before it recorded the alert as sent.
    await t.database.rows(sql`UPDATE sla_timers SET fired_at = ${clock.now()}, claimed_at = ${clock.now()},
      outcome = 'breached' WHERE id = ${accept.id}`);
    clock.advance(24 * 60 * 60_000);
    sent.length = 0;
    expect(await fireSlaTimer(t.deps, accept.id)).toBe('breached');
    expect(await fireSlaTimer(t.deps, accept.id)).toBe('skipped');
    expect(sent.map((n) => n.dedupeKey)).toEqual([`breach:${accept.id}`]);
  });

  it('gives a timer whose job was lost its job again, once it is overdue, and it still alerts once', async () => {
    const lead = await makeLead(t, { firstName: 'Lost' });
    await toMql(t, lead);
    const accept = await timer(lead, 'accept');
    const sentJobs: { name: string; data: object }[] = [];
    const sweep = slaTimerSweepJob(async () => ({
      ...t.deps,
      jobs: {
        send: async (name, data) => void sentJobs.push({ name, data }),
        sendMany: async (name, jobs) => void sentJobs.push(...jobs.map(({ data }) => ({ name, data }))),
        stop: async () => {},
      },
    }));
    await sweep.handle({});
    expect(sentJobs.filter((job) => 'timerId' in job.data && job.data.timerId === accept.id)).toEqual([]);

    clock.advance(accept.dueAt.getTime() - clock.now().getTime() + 3 * 60_000);
    await sweep.handle({});
    expect(sentJobs.filter((job) => 'timerId' in job.data && job.data.timerId === accept.id)).toEqual([
      { name: 'sla-timer', data: { timerId: accept.id } },
    ]);
    sent.length = 0;
    expect(await fireSlaTimer(t.deps, accept.id)).toBe('breached');
    expect(await fireSlaTimer(t.deps, accept.id)).toBe('skipped');
    expect(sent.map((n) => n.dedupeKey)).toEqual([`breach:${accept.id}`]);
    sentJobs.length = 0;
    await sweep.handle({});
    expect(sentJobs.filter((job) => 'timerId' in job.data && job.data.timerId === accept.id)).toEqual([]);
  });
});
