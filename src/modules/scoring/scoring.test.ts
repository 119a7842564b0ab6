import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

const definition = {
  fit: {
    rules: [
      { id: 'saas', field: 'account.industry', op: 'equals', value: 'SaaS', points: 30 },
      { id: 'director', field: 'person.title', op: 'contains', value: 'director', points: 10 },
    ],
    gradeCutoffs: { A: 40, B: 30, C: 10 },
  },
  engagement: {
    rules: [
      { id: 'webinar', activityType: 'webinar', points: 40, maxCount: 2 },
      {
        id: 'pricing',
        activityType: 'page_view',
        where: { property: 'path', contains: '/pricing' },
        points: 15,
        maxCount: 4,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 50 },
};

describe.each(databaseKinds)('the lead definition on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let maya: Record<string, string>;
  let sam: Record<string, string>;
  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
  });
  afterAll(async () => t?.close());

  it('refuses a definition that cannot work, naming the rule, and stores nothing', async () => {
    const bad = structuredClone(definition);
    bad.fit.rules[1] = { id: 'director', field: 'person.shoe_size', op: 'exists', points: 10 } as never;
    const response = await call('POST', '/api/lead-definitions', admin, { rules: bad });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'invalid_definition',
      message: 'Rule "director": unknown field "person.shoe_size".',
      details: { problems: [{ rule: 'director', message: 'unknown field "person.shoe_size"' }] },
    });
    // A rule the schema refuses is named by its id, not only its position.
    const misspelt = structuredClone(definition);
    misspelt.fit.rules[1] = { ...misspelt.fit.rules[1], op: 'equal' } as never;
    const named = await call('POST', '/api/lead-definitions', admin, { rules: misspelt });
    expect(named.statusCode).toBe(400);
    expect(named.json().error.message).toMatch(/^body\.rules\.fit\.rules\.1 \("director"\)\.op: /);
    expect((await call('GET', '/api/lead-definitions', admin)).json().items).toEqual([]);
  });

  it('takes effect only once a marketing and a sales approver signed that version', async () => {
    const draft = await call('POST', '/api/lead-definitions', admin, {
      rules: definition,
      note: 'first agreed ICP',
    });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({
      version: 1,
      status: 'draft',
      missingSignatures: ['marketing', 'sales'],
      publishedAt: null,
      publishedBy: null,
    });

    const early = await call('POST', '/api/lead-definitions/1/publish', admin, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'definition_not_signed',
      details: { missing: ['marketing', 'sales'] },
    });

    const byToken = await call('POST', '/api/lead-definitions/1/signatures', await t.as('marketing'));
    expect(byToken.statusCode).toBe(403);

    // A marketer who is not one of the team's approvers cannot sign for it; the answer names who can.
    const tom = await t.signedIn('marketing', 'marketing', 'Tom Marketing');
    maya = await t.signedIn('marketing', 'marketing', 'Maya Marketing', { approver: true });
    const notApprover = await call('POST', '/api/lead-definitions/1/signatures', tom);
    expect(notApprover.statusCode).toBe(403);
    expect(notApprover.json().error.message).toBe(
      'Only a marketing approver can sign for the marketing team (Maya Marketing). An admin chooses approvers on the Team page.',
    );
    const signed = await call('POST', '/api/lead-definitions/1/signatures', maya);
    expect(signed.statusCode).toBe(201);
    expect(signed.json()).toMatchObject({ status: 'draft', missingSignatures: ['sales'] });
    const twice = await call('POST', '/api/lead-definitions/1/signatures', maya);
    expect(twice.statusCode).toBe(409);

    // A team with no approver yet says so.
    const rep = await t.signedIn('sales', 'sales', 'Ray Rep');
    expect((await call('POST', '/api/lead-definitions/1/signatures', rep)).json().error.message).toBe(
      'Only a sales approver can sign for the sales team (it has none yet). An admin chooses approvers on the Team page.',
    );
    sam = await t.signedIn('sales', 'sales', 'Sam Sales', { approver: true });
    expect((await call('POST', '/api/lead-definitions/1/signatures', sam)).json()).toMatchObject({
      status: 'signed',
      missingSignatures: [],
    });
    const salesPublish = await call('POST', '/api/lead-definitions/1/publish', sam, {});
    expect(salesPublish.statusCode).toBe(403);

    // A start already past would read as "in force" when it never was.
    const backdated = await call('POST', '/api/lead-definitions/1/publish', admin, {
      effectiveFrom: '2020-01-01T00:00:00Z',
    });
    expect(backdated.statusCode).toBe(400);
    expect(backdated.json().error.message).toBe(
      'effectiveFrom 2020-01-01T00:00:00.000Z is in the past: a version takes effect now or later. Leave it out to publish now.',
    );
    expect((await call('GET', '/api/lead-definitions/1', admin)).json().status).toBe('signed');

    // No body at all: now.
    const published = await call('POST', '/api/lead-definitions/1/publish', admin);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'in force', publishedBy: 'Test admin/sales' });
    expect(published.json().signatures.map((s: { name: string }) => s.name)).toEqual([
      'Maya Marketing',
      'Sam Sales',
    ]);
  });

  it('makes a lead an MQL the moment an activity qualifies it, and explains why', async () => {
    await call('POST', '/api/accounts', admin, { name: 'Acme', domain: 'acme.io', industry: 'SaaS' });
    const lead = (
      await call('POST', '/api/people', admin, { email: 'dee@acme.io', title: 'Director of Ops' })
    ).json();
    const now = new Date().toISOString();
    await call('POST', '/api/activities', admin, {
      personId: lead.id,
      type: 'page_view',
      occurredAt: now,
      properties: { path: '/pricing' },
    });
    expect((await call('GET', `/api/people/${lead.id}`, admin)).json().stage).toBe('new');

    await call('POST', '/api/activities', admin, { personId: lead.id, type: 'webinar', occurredAt: now });
    expect((await call('GET', `/api/people/${lead.id}`, admin)).json().stage).toBe('mql');
    const history = (await call('GET', `/api/people/${lead.id}/transitions`, admin)).json().items;
    expect(history.at(-1)).toMatchObject({
      fromStage: 'new',
      toStage: 'mql',
      rule: 'lead definition v1',
      actorUserId: null,
    });
    expect(history.at(-1).reason).toMatch(/^MQL: fit grade A/);

    const score = (await call('GET', `/api/people/${lead.id}/score`, admin)).json();
    expect(score.fit).toMatchObject({ points: 40, grade: 'A' });
    expect(score.engagement.hits.map((h: { rule: string; count: number }) => [h.rule, h.count])).toEqual([
      ['webinar', 1],
      ['pricing', 1],
    ]);
    expect(score.engagement.points).toBeCloseTo(55, 0);
    expect(score.isMql).toBe(true);
    // The people list shows the same stored score.
    const [listed] = (await call('GET', '/api/people?q=dee@acme.io', admin)).json().items;
    expect(listed.score).toEqual({
      grade: 'A',
      engagementPoints: score.engagement.points,
      isMql: true,
      version: 1,
    });
    // And filters by it.
    const gradeA = (await call('GET', '/api/people?grade=A&limit=500', admin)).json().items;
    expect(gradeA.map((p: { id: string }) => p.id)).toContain(lead.id);
    expect(gradeA.every((p: { score: { grade: string } | null }) => p.score?.grade === 'A')).toBe(true);
    const gradeD = (await call('GET', '/api/people?grade=D&limit=500', admin)).json().items;
    expect(gradeD.map((p: { id: string }) => p.id)).not.toContain(lead.id);
    expect((await call('GET', '/api/people?grade=E', admin)).statusCode).toBe(400);
  });

  it('leaves a lead that does not fit where it is, and says what it lacks', async () => {
    const lead = (await call('POST', '/api/people', admin, { email: 'kim@gmail.com' })).json();
    for (let i = 0; i < 3; i++) {
      await call('POST', '/api/activities', admin, {
        personId: lead.id,
        type: 'webinar',
        occurredAt: new Date().toISOString(),
      });
    }
    expect((await call('GET', `/api/people/${lead.id}`, admin)).json().stage).toBe('new');
    const score = (await call('GET', `/api/people/${lead.id}/score`, admin)).json();
    expect(score.verdict).toBe('Not an MQL: fit grade D is below B.');
    // What the rule asks, for pages that word the gap themselves.
    expect(score.mqlRule).toEqual({ minGrade: 'B', minEngagement: 50 });
  });

  it('re-scores every lead in the background when a new version takes effect', async () => {
    const lead = (
      await call('POST', '/api/people', admin, { email: 'lou@acme.io', title: 'Director' })
    ).json();
    await call('POST', '/api/activities', admin, {
      personId: lead.id,
      type: 'page_view',
      occurredAt: new Date().toISOString(),
      properties: { path: '/pricing' },
    });
    expect((await call('GET', `/api/people/${lead.id}`, admin)).json().stage).toBe('new');

    const looser = structuredClone(definition);
    looser.mql.minEngagement = 10;
    const draft = (
      await call('POST', '/api/lead-definitions', admin, {
        rules: looser,
        note: 'one pricing visit is enough',
      })
    ).json();
    await call('POST', `/api/lead-definitions/${draft.version}/signatures`, maya);
    await call('POST', `/api/lead-definitions/${draft.version}/signatures`, sam);
    const published = await call('POST', `/api/lead-definitions/${draft.version}/publish`, admin, {});
    expect(published.json().status).toBe('in force');

    let version = published.json();
    for (let i = 0; i < 100 && !version.rescoring?.finishedAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      version = (await call('GET', `/api/lead-definitions/${draft.version}`, admin)).json();
    }
    const people = (await call('GET', '/api/people?limit=500', admin)).json().items.length;
    expect(version.rescoring).toMatchObject({ total: people, done: people, madeMql: 1 });
    const history = (await call('GET', `/api/people/${lead.id}/transitions`, admin)).json().items;
    expect(history.at(-1)).toMatchObject({ toStage: 'mql', rule: `lead definition v${draft.version}` });
    const versions = (await call('GET', '/api/lead-definitions', admin)).json().items;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'in force'],
      [1, 'superseded'],
    ]);
  });

  it('backtests a draft against the version in force and says what changed', async () => {
    const dee = (await call('GET', '/api/people?q=dee@acme.io', admin)).json().items[0];
    expect((await call('POST', `/api/people/${dee.id}/transitions`, sam, { to: 'sal' })).statusCode).toBe(
      201,
    );

    const anyFit = structuredClone(definition);
    anyFit.mql = { minGrade: 'D', minEngagement: 10 };
    const draft = (await call('POST', '/api/lead-definitions', admin, { rules: anyFit })).json();
    const diff = (await call('GET', `/api/lead-definitions/${draft.version}/diff`, admin)).json();
    expect(diff).toMatchObject({ against: draft.version - 1, settings: ['MQL needs grade: B → D'] });
    expect(diff.fit).toEqual({ added: [], removed: [], changed: [] });

    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const response = await call(
      'GET',
      `/api/lead-definitions/${draft.version}/backtest?from=${from}&to=${to}`,
      admin,
    );
    expect(response.statusCode).toBe(200);
    const backtest = response.json();
    // dee (grade A, accepted by sales) and lou (grade A) qualify under both; kim (grade D, two webinars) only under the draft.
    expect(backtest.leads).toBe(3);
    expect(backtest.inForce).toEqual({ version: draft.version - 1, mqls: 2, accepted: 1, sql: 0, won: 0 });
    expect(backtest.candidate).toEqual({ version: draft.version, mqls: 3, accepted: 1, sql: 0, won: 0 });
    expect(backtest.movedIn).toEqual({
      count: 1,
      sample: [{ id: expect.any(String), email: 'kim@gmail.com', stage: 'new' }],
    });
    expect(backtest.movedOut).toEqual({ count: 0, sample: [] });

    const backwards = await call(
      'GET',
      `/api/lead-definitions/${draft.version}/backtest?from=${to}&to=${from}`,
      admin,
    );
    expect(backwards.statusCode).toBe(400);

    // The same backtest in the background: started, then polled until it holds the same answer.
    const started = await call('POST', `/api/lead-definitions/${draft.version}/backtests`, admin, {
      from,
      to,
    });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({
      version: draft.version,
      status: 'running',
      total: 3,
      result: null,
    });
    let run = started.json();
    for (let i = 0; i < 100 && run.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await call('GET', `/api/backtests/${run.id}`, admin)).json();
    }
    expect(run).toMatchObject({ status: 'done', total: 3, done: 3, error: null });
    expect(run.result).toEqual(backtest);
    const missing = await call('GET', '/api/backtests/7d3f6b0e-2c1a-4c8e-9a55-0c1d2e3f4a5b', admin);
    expect(missing.statusCode).toBe(404);
    for (const [version, body] of [
      [draft.version, { from: to, to: from }],
      [draft.version, { from, to, by: 'source' }],
      [999, { from, to }],
    ] as const) {
      const refused = await call('POST', `/api/lead-definitions/${version}/backtests`, admin, body);
      expect(refused.statusCode).toBe(version === 999 ? 404 : 400);
    }
  });
});
