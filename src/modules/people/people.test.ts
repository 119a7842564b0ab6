import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { countStageMismatches, listTransitions } from '../lifecycle/lifecycle.service.ts';
import { lifecycleWithoutNew } from '../lifecycle/lifecycle.test-support.ts';
import { upsertPerson } from './people.service.ts';

describe.each(databaseKinds)('people, accounts and the lifecycle over HTTP on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const post = (url: string, payload: unknown, headers = admin) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as object });
  const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
  });
  afterAll(async () => t?.close());

  it('matches a person to the account of their email domain, and never duplicates by email', async () => {
    const account = await post('/api/accounts', { name: 'Acme', domain: 'https://www.Acme.io/about' });
    expect(account.statusCode).toBe(201);
    expect(account.json().domain).toBe('acme.io');

    const first = await post('/api/people', { email: 'Ada@Acme.io', firstName: 'Ada', source: 'webinar' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      email: 'ada@acme.io',
      accountName: 'Acme',
      stage: 'new',
      score: null,
    });

    const again = await post('/api/people', { email: 'ada@acme.io', title: 'CTO' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, firstName: 'Ada', title: 'CTO' });

    const list = await get('/api/people?q=ada@acme.io');
    expect(list.json().items).toHaveLength(1);
    // A whole address is that person (found by the e-mail index, in any case); a part matches more.
    await post('/api/people', { email: 'nada@acme-mail.io' });
    const emails = async (q: string) =>
      (await get(`/api/people?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((p: { email: string }) => p.email);
    expect(await emails(' Ada@ACME.io ')).toEqual(['ada@acme.io']);
    expect((await emails('ada@acme')).sort()).toEqual(['ada@acme.io', 'nada@acme-mail.io']);
    expect((await emails('Ada')).sort()).toEqual(['ada@acme.io', 'nada@acme-mail.io']);
    const accountAgain = await get(`/api/accounts/${account.json().id}`);
    expect(accountAgain.json().peopleCount).toBe(1);
  });

  it('pages through a search newest first, with the other filters, and finds nobody for no match', async () => {
    for (const [first, stage] of [
      ['Pagey', 'new'],
      ['Pagella', 'mql'],
      ['Pagoda', 'new'],
    ] as const) {
      const created = await post('/api/people', {
        firstName: first,
        lastName: 'Reader',
        email: `${first}@page.dev`,
      });
      if (stage !== 'new') {
        const moved = await post(`/api/people/${created.json().id}/transitions`, { to: stage });
        expect(moved.statusCode).toBe(201);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const names = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { firstName: string }[]; nextCursor: string | null } = (
          await get(`/api/people?${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        ).json();
        seen.push(...page.items.map((p: { firstName: string }) => p.firstName));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await names('q=PAG')).toEqual(['Pagoda', 'Pagella', 'Pagey']);
    expect(await names('q=ey%20read')).toEqual(['Pagey']);
    expect(await names('q=pag&stage=new')).toEqual(['Pagoda', 'Pagey']);
    // A wildcard in the search is a character to find, not a wildcard.
    expect(await names('q=p_g')).toEqual([]);
    expect(await names('q=nobody-has-this')).toEqual([]);
  });

  it('replays the first response for a retried request with the same Idempotency-Key', async () => {
    const headers = { ...admin, 'idempotency-key': `key-${kind}` };
    const first = await post(
      '/api/activities',
      { personEmail: 'new.lead@beta.dev', type: 'form_submit', occurredAt: '2026-03-01T10:00:00Z' },
      headers,
    );
    const retry = await post(
      '/api/activities',
      { personEmail: 'new.lead@beta.dev', type: 'form_submit', occurredAt: '2026-03-01T10:00:00Z' },
      headers,
    );
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    const person = await get('/api/people?q=new.lead@beta.dev');
    const activities = await get(`/api/people/${person.json().items[0].id}/activities`);
    expect(activities.json().items).toHaveLength(1);

    const different = await post(
      '/api/activities',
      { personEmail: 'new.lead@beta.dev', type: 'email_open', occurredAt: '2026-03-01T10:00:00Z' },
      headers,
    );
    expect(different.statusCode).toBe(422);
    expect(different.json().error.code).toBe('idempotency_key_reused');
  });

  it('treats an activity re-sent with the same external id as the same activity', async () => {
    const body = {
      externalId: `evt-${kind}`,
      personEmail: 'ada@acme.io',
      type: 'page_view',
      occurredAt: '2026-03-02T09:00:00Z',
      properties: { path: '/pricing' },
    };
    const first = await post('/api/activities', body);
    const second = await post('/api/activities', body);
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().id).toBe(first.json().id);
  });

  it('moves a lead through the lifecycle, records who and why, and refuses moves it does not allow', async () => {
    const person = (await post('/api/people', { email: 'bo@acme.io', stage: 'mql' })).json();
    const sales = await t.as('sales');
    const accepted = await post(
      `/api/people/${person.id}/transitions`,
      { to: 'sal', reason: 'fits ICP' },
      sales,
    );
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({
      fromStage: 'mql',
      toStage: 'sal',
      reason: 'fits ICP',
      actorName: 'Test sales/sales',
    });

    const skip = await post(`/api/people/${person.id}/transitions`, { to: 'won' }, sales);
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error).toMatchObject({
      code: 'stage_transition_not_allowed',
      details: { from: 'sal', to: 'won', allowed: ['sql', 'nurture', 'disqualified'] },
    });

    const unknown = await post(`/api/people/${person.id}/transitions`, { to: 'hot' }, sales);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_stage');

    const marketing = await t.as('marketing');
    const notTheirs = await post(`/api/people/${person.id}/transitions`, { to: 'sql' }, marketing);
    expect(notTheirs.statusCode).toBe(403);

    // The history is in time order, and records what has happened.
    const enteredSal = accepted.json().occurredAt as string;
    const before = new Date(Date.parse(enteredSal) - 60_000).toISOString();
    const backwards = await post(
      `/api/people/${person.id}/transitions`,
      { to: 'sql', occurredAt: before },
      sales,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.message).toBe(
      `occurredAt: the lead entered "sal" at ${new Date(enteredSal).toISOString()}; a move from it cannot be dated before that.`,
    );
    const later = new Date(Date.now() + 2 * 3_600_000).toISOString();
    for (const [url, payload] of [
      [`/api/people/${person.id}/transitions`, { to: 'sql', occurredAt: later }],
      ['/api/activities', { personId: person.id, type: 'page_view', occurredAt: later }],
      ['/api/people', { email: 'later@acme.io', createdAt: later }],
    ] as const) {
      const future = await post(url, payload, admin);
      expect(future.statusCode).toBe(400);
      expect(future.json().error.message).toMatch(
        /^(occurredAt|createdAt): .* is in the future; record what has happened/,
      );
    }

    const history = await get(`/api/people/${person.id}/transitions`);
    expect(history.json().items.map((h: { toStage: string }) => h.toStage)).toEqual(['mql', 'sal']);
    expect((await get(`/api/people/${person.id}`)).json().stage).toBe('sal');
    expect(await countStageMismatches(t.deps)).toBe(0);
  });

  it('writes each batch item on its own and reports the bad ones by index', async () => {
    const response = await post('/api/people/batch', {
      items: [
        { email: 'c1@gamma.dev', externalId: 'crm-1' },
        { email: 'not-an-email' },
        { email: 'c2@gamma.dev', stage: 'won' },
        { email: 'c3@gamma.dev', favouriteColour: 'blue' },
        { email: 'c1@gamma.dev', externalId: 'crm-1', title: 'VP' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect({ created: body.created, updated: body.updated, rejected: body.rejected }).toEqual({
      created: 2,
      updated: 1,
      rejected: 2,
    });
    expect(body.results[1]).toMatchObject({
      index: 1,
      status: 'rejected',
      error: { code: 'validation_failed' },
    });
    expect(body.results[3].error.message).toContain('favouriteColour');
    expect((await get('/api/people?q=gamma.dev')).json().items).toHaveLength(2);
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const before = (await get('/api/people?limit=500')).json().items.length;
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"email": "x@y.dev",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('invalid_json');

    const unknownField = await post('/api/people', { email: 'z@zeta.dev', shoeSize: 44 });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.message).toContain('shoeSize');

    const wrongType = await post('/api/accounts', { name: 'Zeta', employees: 'many' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toMatch(/^body\.employees: /);

    const huge = await post('/api/people/batch', {
      items: [{ email: 'a@b.dev', attributes: { blob: 'x'.repeat(6 * 1024 * 1024) } }],
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body_too_large');

    const badStage = await post('/api/people', { email: 'z@zeta.dev', stage: 'sal-ish' });
    expect(badStage.statusCode).toBe(400);

    const missing = await get('/api/people/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);

    expect((await get('/api/people?limit=500')).json().items.length).toBe(before);
  });

  it('answers ids that name nothing, keys held by another record and unstorable text with a 4xx', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    const expectError = async (
      response: Awaited<ReturnType<typeof post>>,
      status: number,
      message: string | RegExp,
    ) => {
      expect({ status: response.statusCode, message: response.json().error?.message }).toEqual({
        status,
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      });
    };
    await expectError(
      await post('/api/people', { email: 'fk1@omega.dev', accountId: nobody }),
      400,
      'accountId: there is no account with that id.',
    );
    await expectError(
      await post('/api/people', { email: 'fk2@omega.dev', ownerId: nobody }),
      400,
      'ownerId: there is no owner with that id.',
    );
    await expectError(
      await post('/api/accounts', { name: 'Omega', ownerId: nobody }),
      400,
      'ownerId: there is no owner with that id.',
    );
    const person = (await post('/api/people', { email: 'fk3@omega.dev', externalId: 'omega-3' })).json();
    await expectError(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/people/${person.id}`,
        headers: admin,
        payload: { accountId: nobody },
      }),
      400,
      'accountId: there is no account with that id.',
    );
    await expectError(
      await post('/api/activities', {
        personId: person.id,
        type: 'page_view',
        occurredAt: '2026-01-05T10:00:00Z',
        campaignId: nobody,
      }),
      400,
      'campaignId: there is no campaign with that id.',
    );
    // One person's email with another's external id: two records, not one.
    await post('/api/people', { email: 'fk4@omega.dev', externalId: 'omega-4' });
    await expectError(
      await post('/api/people', { email: 'fk3@omega.dev', externalId: 'omega-4' }),
      409,
      /fk3@omega\.dev/,
    );
    await expectError(
      await post('/api/people', { email: 'nul@omega.dev', firstName: 'a\u0000b' }),
      400,
      /NUL character/,
    );
    await expectError(
      await post('/api/people', { email: 'nul2@omega.dev', attributes: { note: 'a\u0000b' } }),
      400,
      /NUL character/,
    );

    const deep = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: `{"email":"deep@omega.dev","attributes":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    });
    await expectError(
      deep,
      400,
      'body.attributes: nests deeper than 32 levels; send flat values (text, numbers, lists)',
    );
    await expectError(await post('/api/people', { foo: 1 }), 400, 'body: Unrecognized key: "foo"');

    // In a batch, the bad items are rejected by index and the others still land.
    const batch = await post('/api/people/batch', {
      items: [
        { email: 'b1@omega.dev' },
        { email: 'b2@omega.dev', campaignId: nobody },
        { email: 'b3@omega.dev', firstName: 'x\u0000' },
        { email: 'b4@omega.dev' },
      ],
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().results.map((r: { status: string }) => r.status)).toEqual([
      'created',
      'rejected',
      'rejected',
      'created',
    ]);
    expect(batch.json().results[1].error.message).toBe('campaignId: there is no campaign with that id.');
    const emails = (await get('/api/people?q=omega.dev&limit=50'))
      .json()
      .items.map((p: { email: string }) => p.email)
      .sort();
    expect(emails).toEqual(['b1@omega.dev', 'b4@omega.dev', 'fk3@omega.dev', 'fk4@omega.dev']);
  });

  it('starts a person sent without a stage at the lifecycle\'s first stage, in a lifecycle without "new" too', async () => {
    const created = await post('/api/people', { email: 'first@stage.example' });
    expect(created.json().stage).toBe('new');
    const own = { ...t.deps, lifecycle: lifecycleWithoutNew };
    const { person } = await upsertPerson(own, { email: 'own@stage.example' }, null);
    expect(person.stage).toBe('lead');
    expect((await listTransitions(t.deps, person.id)).map((step) => [step.fromStage, step.toStage])).toEqual([
      [null, 'lead'],
    ]);
  });
});

describe('the funnel report on data with known answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('counts people that reached each stage, per source, with conversion', async () => {
    const admin = await t.as('admin');
    // web: 4 leads, 3 MQL, 2 SAL, 1 won.  ads: 2 leads, 1 MQL (went to nurture).  none: 1 lead.
    const plan: [string | undefined, string[]][] = [
      ['web', ['mql', 'sal', 'sql', 'opportunity', 'won']],
      ['web', ['mql', 'sal']],
      ['web', ['mql', 'nurture']],
      ['web', []],
      ['ads', ['mql', 'nurture', 'recycled']],
      ['ads', []],
      [undefined, []],
    ];
    for (const [i, [source, moves]] of plan.entries()) {
      const person = await t.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: admin,
        payload: { email: `p${i}@f.dev`, ...(source ? { source } : {}) },
      });
      for (const to of moves) {
        const moved = await t.app.inject({
          method: 'POST',
          url: `/api/people/${person.json().id}/transitions`,
          headers: admin,
          payload: { to },
        });
        expect(moved.statusCode).toBe(201);
      }
    }
    const report = (
      await t.app.inject({ method: 'GET', url: '/api/reports/funnel?by=source', headers: admin })
    ).json();
    expect(report.stages.map((s: { key: string }) => s.key)).toEqual([
      'new',
      'mql',
      'sal',
      'sql',
      'opportunity',
      'won',
    ]);
    expect(report.total.counts).toEqual([7, 4, 2, 1, 1, 1]);
    expect(report.total.conversion).toEqual([null, 4 / 7, 0.5, 0.5, 1, 1]);
    expect(report.rows).toEqual([
      { group: 'web', counts: [4, 3, 2, 1, 1, 1], conversion: [null, 0.75, 2 / 3, 0.5, 1, 1] },
      { group: 'ads', counts: [2, 1, 0, 0, 0, 0], conversion: [null, 0.5, 0, null, null, null] },
      { group: null, counts: [1, 0, 0, 0, 0, 0], conversion: [null, 0, null, null, null, null] },
    ]);
    expect(report.biggestLeak).toMatchObject({ fromStage: 'mql', toStage: 'sal', conversion: 0.5, lost: 2 });
  });
});
