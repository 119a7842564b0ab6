import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import {
  assignmentOf,
  call,
  makeAccount,
  makeLead,
  makeRep,
  type TestRep,
  toMql,
} from './handoff.test-support.ts';
import { routeNewMqls } from './routing.service.ts';

// Tuesday 10:00 UTC, in the future of the real clock so no queued timer job runs during the test.
const T0 = new Date('2027-01-05T10:00:00Z');

describe.each(databaseKinds)('routing new MQLs on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let ana: TestRep;
  let ben: TestRep;
  let cleo: TestRep;
  let dan: TestRep;

  beforeAll(async () => {
    t = await createTestApp(kind, { clock: fixedClock(T0) });
    admin = await t.as('admin');
    ana = await makeRep(t, 'Ana', { salesTeam: 'SMB', weight: 2 });
    ben = await makeRep(t, 'Ben', { salesTeam: 'SMB', weight: 1, capacity: 4 });
    cleo = await makeRep(t, 'Cleo', { salesTeam: 'Enterprise' });
    dan = await makeRep(t, 'Dan', { salesTeam: 'Enterprise', timeZone: 'America/New_York' });
    const policy = await call(t, 'POST', '/api/sla/policies', admin, {
      name: 'Default',
      grade: null,
      acceptWithinMinutes: 240,
      firstTouchWithinMinutes: 120,
      escalateAfterMinutes: 60,
    });
    expect(policy.statusCode).toBe(201);
    const finance = await call(t, 'POST', '/api/routing/rules', admin, {
      name: 'Finance to Enterprise',
      conditions: [{ field: 'account.industry', op: 'equals', value: 'finance' }],
      assignToTeam: 'Enterprise',
    });
    expect(finance.statusCode).toBe(201);
    const rest = await call(t, 'POST', '/api/routing/rules', admin, {
      name: 'Everyone else to SMB',
      conditions: [],
      assignToTeam: 'SMB',
    });
    expect(rest.json().position).toBe(1);
  });
  afterAll(async () => t?.close());

  it('gives a lead of an owned account to its owner, with the rule and due times in the rep’s calendar', async () => {
    const account = await makeAccount(t, {
      name: 'Owned Co',
      domain: 'owned.test',
      industry: 'Retail',
      ownerId: dan.id,
    });
    const lead = await makeLead(t, { email: 'jo@owned.test' });
    await toMql(t, lead);
    const assignment = await assignmentOf(t, lead);
    expect(assignment).toMatchObject({ userId: dan.id, rule: 'account owner' });
    // Dan works 09–17 New York (UTC-5): at 05:00 local the clock starts at 09:00 = 14:00Z; +4 h = 18:00Z.
    expect(assignment?.acceptDueAt).toBe('2027-01-05T18:00:00.000Z');
    expect(assignment?.firstTouchDueAt).toBe('2027-01-05T16:00:00.000Z');
    const person = await call(t, 'GET', `/api/people/${lead}`, admin);
    expect(person.json().ownerId).toBe(dan.id);
    expect(account).toBeTruthy();
  });

  it('applies ordered rules on account fields: a finance lead goes to the Enterprise team (Cleo has less load)', async () => {
    await makeAccount(t, { name: 'Bank', domain: 'bank.test', industry: 'Finance' });
    const lead = await makeLead(t, { email: 'cfo@bank.test' });
    await toMql(t, lead);
    expect(await assignmentOf(t, lead)).toMatchObject({
      userId: cleo.id,
      rule: 'rule: Finance to Enterprise (round-robin in Enterprise)',
      // Cleo works 09–17 UTC: 10:00 + 4 h.
      acceptDueAt: '2027-01-05T14:00:00.000Z',
    });
  });

  it('splits by weight in round-robin (2:1), skips out-of-office and at-capacity reps', async () => {
    const owners: string[] = [];
    for (let i = 0; i < 6; i++) {
      const lead = await makeLead(t);
      await toMql(t, lead);
      owners.push((await assignmentOf(t, lead))!.userId);
    }
    // (assignments + 1) / weight, lowest first, ties by name: Ana, Ana, Ben, Ana, Ana, Ben.
    expect(owners).toEqual([ana.id, ana.id, ben.id, ana.id, ana.id, ben.id]);

    const away = await call(t, 'PATCH', `/api/routing/reps/${ana.id}`, admin, {
      outOfOfficeFrom: '2027-01-01T00:00:00Z',
      outOfOfficeUntil: '2027-01-10T00:00:00Z',
    });
    expect(away.json()).toMatchObject({ outOfOffice: true, openMqls: 4 });
    const toBen = await makeLead(t);
    await toMql(t, toBen);
    expect((await assignmentOf(t, toBen))?.userId).toBe(ben.id);

    // Ben now holds 3 open MQLs with capacity 4: one more, then SMB is full and the fallback takes over.
    const fourth = await makeLead(t);
    await toMql(t, fourth);
    expect((await assignmentOf(t, fourth))?.userId).toBe(ben.id);
    const overflow = await makeLead(t);
    await toMql(t, overflow);
    const fallback = await assignmentOf(t, overflow);
    expect(fallback?.rule).toBe('round-robin: all reps');
    expect([cleo.id, dan.id]).toContain(fallback?.userId);

    const reps = await call(t, 'GET', '/api/routing/reps', admin);
    const benRow = reps.json().items.find((r: { userId: string }) => r.userId === ben.id);
    expect(benRow).toMatchObject({ openMqls: 4, atCapacity: true, salesTeam: 'SMB', workStart: '09:00' });

    // A verdict frees the place: Ben accepts one lead, holds 3 waiting MQLs, and takes the next one.
    const accepted = await call(t, 'POST', `/api/people/${fourth}/disposition`, ben.headers, {
      decision: 'accept',
    });
    expect(accepted.statusCode).toBe(201);
    const freed = (await call(t, 'GET', '/api/routing/reps', admin))
      .json()
      .items.find((r: { userId: string }) => r.userId === ben.id);
    expect(freed).toMatchObject({ openMqls: 3, atCapacity: false });
    const queue = await call(t, 'GET', '/api/queue', ben.headers);
    expect(queue.json().items.map((item: { personId: string }) => item.personId)).not.toContain(fourth);
    expect(queue.json().items).toHaveLength(3);
    const afterVerdict = await makeLead(t);
    await toMql(t, afterVerdict);
    expect((await assignmentOf(t, afterVerdict))?.userId).toBe(ben.id);
  });

  it('routes a lead that comes back as an MQL after it was accepted again, ending the decided assignment', async () => {
    const lead = await makeLead(t);
    await toMql(t, lead);
    const first = (await assignmentOf(t, lead))!;
    const rep = [ana, ben, cleo, dan].find((r) => r.id === first.userId)!;
    // Accepted (a rejection ends the assignment itself), later back to marketing, and an MQL again.
    const accepted = await call(t, 'POST', `/api/people/${lead}/disposition`, rep.headers, {
      decision: 'accept',
    });
    expect(accepted.json()).toMatchObject({ stage: 'sal' });
    for (const to of ['nurture', 'recycled', 'mql']) {
      const moved = await call(t, 'POST', `/api/people/${lead}/transitions`, admin, { to });
      expect(moved.statusCode, moved.body).toBe(201);
    }
    const history = (await call(t, 'GET', `/api/people/${lead}/assignments`, admin)).json().items as {
      id: string;
      endedAt: string | null;
      endedReason: string | null;
    }[];
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ id: first.id, endedReason: 'came back as a new MQL' });
    expect(history[0]!.endedAt).not.toBeNull();
    expect(history[1]!.endedAt).toBeNull();
  });

  it('re-assigns by hand and keeps the history', async () => {
    const lead = await makeLead(t);
    await toMql(t, lead);
    const moved = await call(t, 'POST', `/api/people/${lead}/assignment`, admin, {
      userId: cleo.id,
      reason: 'knows them',
    });
    expect(moved.statusCode).toBe(201);
    expect(moved.json()).toMatchObject({ userId: cleo.id, rule: 'manual: knows them' });
    const history = await call(t, 'GET', `/api/people/${lead}/assignments`, admin);
    expect(history.json().items).toHaveLength(2);
    expect(history.json().items[0].endedReason).toBe('knows them');
  });

  it('routes a lead sent in as an MQL, and keeps a lead with its rep when nobody else can take it', async () => {
    const lead = await makeLead(t, { stage: 'mql', email: 'direct@bank.test' });
    const first = await assignmentOf(t, lead);
    expect(first?.rule).toBe('rule: Finance to Enterprise (round-robin in Enterprise)');
    for (const rep of [ana, ben, cleo, dan]) {
      await call(t, 'PATCH', `/api/routing/reps/${rep.id}`, admin, { active: rep.id === first?.userId });
    }
    const nobody = await call(t, 'POST', `/api/people/${lead}/assignment`, admin, {});
    expect(nobody.statusCode).toBe(409);
    expect(nobody.json().error.code).toBe('no_rep_available');
    expect(await assignmentOf(t, lead)).toMatchObject({ id: first?.id, endedAt: null });
    for (const rep of [ana, ben, cleo, dan])
      await call(t, 'PATCH', `/api/routing/reps/${rep.id}`, admin, { active: true });
  });

  it('validates rules and settings with the field named', async () => {
    const badField = await call(t, 'POST', '/api/routing/rules', admin, {
      name: 'x',
      conditions: [{ field: 'person.shoe_size', op: 'equals', value: 1 }],
      assignToTeam: 'SMB',
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.body).toContain('person.attributes');
    const both = await call(t, 'POST', '/api/routing/rules', admin, {
      name: 'x',
      conditions: [],
      assignToTeam: 'SMB',
      assignToUserId: ana.id,
    });
    expect(both.statusCode).toBe(400);
    const zone = await call(t, 'PATCH', `/api/routing/reps/${ana.id}`, admin, { timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('timeZone');
    // A rep may set their own out-of-office but not their capacity, nor anyone else's calendar.
    expect(
      (await call(t, 'PATCH', `/api/routing/reps/${ana.id}`, ana.headers, { capacity: 99 })).statusCode,
    ).toBe(403);
    expect(
      (await call(t, 'PATCH', `/api/routing/reps/${ben.id}`, ana.headers, { workStart: '08:00' })).statusCode,
    ).toBe(403);
    expect(
      (await call(t, 'PATCH', `/api/routing/reps/${ana.id}`, ana.headers, { workStart: '08:00' })).statusCode,
    ).toBe(200);
  });
});

describe.each(databaseKinds)('routing MQLs that arrive at the same moment on %s', (kind) => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('routes each lead once and never past a rep’s capacity', async () => {
    t = await createTestApp(kind, { clock: fixedClock(T0) });
    const reps = [await makeRep(t, 'Eve', { capacity: 3 }), await makeRep(t, 'Finn', { capacity: 4 })];
    const leads: string[] = [];
    for (let i = 0; i < 12; i++) leads.push(await makeLead(t));
    // Twelve hand-offs in flight at once: routings wait for one another (and are taken together)
    // so that each decision sees every earlier assignment in the reps' loads.
    await Promise.all(leads.map((lead) => toMql(t, lead)));
    const open = (await Promise.all(leads.map((lead) => assignmentOf(t, lead)))).filter(
      (assignment) => assignment && assignment.endedAt === null,
    );
    expect(open).toHaveLength(7);
    const perRep = reps.map((rep) => open.filter((assignment) => assignment?.userId === rep.id).length);
    expect(perRep).toEqual([3, 4]);
    const listed = await call(t, 'GET', '/api/routing/reps', await t.as('admin'));
    expect(
      listed.json().items.map((rep: { name: string; openMqls: number }) => [rep.name, rep.openMqls]),
    ).toEqual([
      ['Eve', 3],
      ['Finn', 4],
    ]);

    // Routings from several servers at once (here: one per lead, each on its own connection,
    // past this server's coalescing) still never take a rep past capacity: the lock orders them.
    await call(t, 'PATCH', `/api/routing/reps/${reps[0]!.id}`, await t.as('admin'), { capacity: 5 });
    await call(t, 'PATCH', `/api/routing/reps/${reps[1]!.id}`, await t.as('admin'), { capacity: 6 });
    const more: string[] = [];
    for (let i = 0; i < 8; i++) more.push(await makeLead(t));
    const unrouted = { ...t.deps, onBecameMql: undefined };
    for (const lead of more) await moveLead(unrouted, { personId: lead, to: 'mql', actor: null });
    const routed = await Promise.all(more.map((lead) => routeNewMqls(t.deps, [lead])));
    expect(routed.flat()).toHaveLength(4);
    const after = await call(t, 'GET', '/api/routing/reps', await t.as('admin'));
    expect(after.json().items.map((rep: { openMqls: number }) => rep.openMqls)).toEqual([5, 6]);
  });
});
