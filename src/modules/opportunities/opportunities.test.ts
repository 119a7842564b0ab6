import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { createUser } from '../auth/auth.service.ts';
import { countStageMismatches } from '../lifecycle/lifecycle.service.ts';
import { countDealStageMismatches } from './opportunities.service.ts';

describe.each(databaseKinds)('opportunities API on %s', (kind) => {
  let t: TestApp;
  let sales: Record<string, string>;
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = sales) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const person = async (email: string, stage: string) =>
    (await call('POST', '/api/people', { email, stage }, await t.as('admin'))).json() as {
      id: string;
      accountId: string | null;
    };

  beforeAll(async () => {
    t = await createTestApp(kind);
    sales = await t.as('sales');
  });
  afterAll(async () => t?.close());

  it('creates a deal, moves it through the pipeline with an immutable history, and refuses other moves', async () => {
    const lead = await person('ana@deal.dev', 'sql');
    const created = await call('POST', '/api/opportunities', {
      name: 'Deal One',
      personId: lead.id,
      amount: 12500.5,
      currency: 'EUR',
      product: 'GTX Pro',
      openedAt: '2026-01-05T10:00:00Z',
    });
    expect(created.statusCode).toBe(201);
    const deal = created.json();
    expect(deal).toMatchObject({ stage: 'prospecting', amount: 12500.5, currency: 'EUR', closedAt: null });
    // Opening the deal moved the person from sql to opportunity, by the rule.
    const journey = (await call('GET', `/api/people/${lead.id}/transitions`)).json().items;
    expect(journey.map((s: { toStage: string }) => s.toStage)).toEqual(['sql', 'opportunity']);
    expect(journey[1]).toMatchObject({ rule: 'opportunity', reason: 'deal "Deal One" opened' });

    for (const to of ['qualified', 'proposal']) {
      expect((await call('POST', `/api/opportunities/${deal.id}/transitions`, { to })).statusCode).toBe(201);
    }
    const skip = await call('POST', `/api/opportunities/${deal.id}/transitions`, { to: 'prospecting' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error).toMatchObject({
      code: 'stage_transition_not_allowed',
      details: { from: 'proposal', to: 'prospecting', allowed: ['negotiation', 'qualified', 'won', 'lost'] },
    });
    const unknown = await call('POST', `/api/opportunities/${deal.id}/transitions`, { to: 'closing' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_stage');
    const marketing = await call(
      'POST',
      `/api/opportunities/${deal.id}/transitions`,
      { to: 'won' },
      await t.as('marketing'),
    );
    expect(marketing.statusCode).toBe(403);

    const won = await call('POST', `/api/opportunities/${deal.id}/transitions`, {
      to: 'won',
      reason: 'signed',
      occurredAt: '2026-02-01T09:00:00Z',
    });
    expect(won.statusCode).toBe(201);
    expect(won.json()).toMatchObject({
      fromStage: 'proposal',
      toStage: 'won',
      reason: 'signed',
      actorName: 'Test sales/sales',
    });
    const final = await call('POST', `/api/opportunities/${deal.id}/transitions`, { to: 'lost' });
    expect(final.json().error.details.allowed).toEqual([]);

    const read = (await call('GET', `/api/opportunities/${deal.id}`)).json();
    expect(read).toMatchObject({ stage: 'won', closedAt: '2026-02-01T09:00:00.000Z', personName: null });
    expect(
      read.history.map((h: { fromStage: string | null; toStage: string }) => [h.fromStage, h.toStage]),
    ).toEqual([
      [null, 'prospecting'],
      ['prospecting', 'qualified'],
      ['qualified', 'proposal'],
      ['proposal', 'won'],
    ]);
    expect((await call('GET', `/api/people/${lead.id}`)).json().stage).toBe('won');
    expect(await countDealStageMismatches(t.deps)).toBe(0);
    expect(await countStageMismatches(t.deps)).toBe(0);
  });

  it('loses a deal with its reason and moves the person to lost only when no other deal is open', async () => {
    const lead = await person('bo@deal.dev', 'sql');
    const first = (await call('POST', '/api/opportunities', { name: 'Bo A', personId: lead.id })).json();
    const second = (await call('POST', '/api/opportunities', { name: 'Bo B', personId: lead.id })).json();
    await call('POST', `/api/opportunities/${first.id}/transitions`, { to: 'lost', reason: 'no budget' });
    expect((await call('GET', `/api/opportunities/${first.id}`)).json()).toMatchObject({
      stage: 'lost',
      lostReason: 'no budget',
    });
    expect((await call('GET', `/api/people/${lead.id}`)).json().stage).toBe('opportunity');
    await call('POST', `/api/opportunities/${second.id}/transitions`, { to: 'lost', reason: 'competitor' });
    expect((await call('GET', `/api/people/${lead.id}`)).json().stage).toBe('lost');
    // Reopening clears the close date and the lost reason.
    await call('POST', `/api/opportunities/${second.id}/transitions`, {
      to: 'prospecting',
      reason: 'came back',
    });
    expect((await call('GET', `/api/opportunities/${second.id}`)).json()).toMatchObject({
      closedAt: null,
      lostReason: null,
    });
  });

  it('leaves a person where they are when the lifecycle does not allow the move', async () => {
    const lead = await person('cy@deal.dev', 'mql');
    const deal = await call('POST', '/api/opportunities', { name: 'Cy', personId: lead.id, stage: 'won' });
    expect(deal.statusCode).toBe(201);
    expect(deal.json().closedAt).not.toBeNull();
    expect((await call('GET', `/api/people/${lead.id}`)).json().stage).toBe('mql');
  });

  it('is idempotent by external id and by Idempotency-Key', async () => {
    const body = { externalId: `crm-${kind}-1`, name: 'Idem', amount: 100 };
    const first = await call('POST', '/api/opportunities', body);
    const again = await call('POST', '/api/opportunities', { ...body, amount: 150, stage: 'won' });
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json()).toMatchObject({ id: first.json().id, amount: 150, stage: 'prospecting' });
    expect((await call('GET', `/api/opportunities/${first.json().id}`)).json().history).toHaveLength(1);

    const headers = { ...sales, 'idempotency-key': `deal-key-${kind}` };
    const one = await call('POST', '/api/opportunities', { name: 'Keyed' }, headers);
    const retry = await call('POST', '/api/opportunities', { name: 'Keyed' }, headers);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(one.json().id);
    expect((await call('GET', '/api/opportunities?q=Keyed')).json().totals.count).toBe(1);
  });

  it('accepts a batch item by item and reports the bad ones by index', async () => {
    const response = await call('POST', '/api/opportunities/batch', {
      items: [
        { externalId: `b-${kind}-1`, name: 'Batch 1', amount: 10, product: 'Widget' },
        { name: 'Bad amount', amount: -5 },
        { name: 'Bad stage', stage: 'closing' },
        {
          name: 'Closed before opened',
          stage: 'won',
          openedAt: '2026-03-01T00:00:00Z',
          closedAt: '2026-02-01T00:00:00Z',
        },
        { name: 'No such owner', ownerId: '00000000-0000-4000-8000-000000000000' },
        { externalId: `b-${kind}-1`, name: 'Batch 1 renamed', amount: 20, product: 'Widget' },
        { name: 'Batch 2', amount: 5, product: 'Widget', stage: 'negotiation' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect({ created: body.created, updated: body.updated, rejected: body.rejected }).toEqual({
      created: 2,
      updated: 1,
      rejected: 4,
    });
    expect(body.results[1].error.message).toMatch(/^amount:/);
    expect(body.results[2].error.code).toBe('unknown_stage');
    expect(body.results[3].error.message).toContain('closedAt');
    expect(body.results[4].error.message).toContain('ownerId');
    const widgets = (await call('GET', '/api/opportunities?product=Widget')).json();
    expect(widgets.items.map((d: { name: string }) => d.name).sort()).toEqual(['Batch 1 renamed', 'Batch 2']);
    expect(widgets.totals).toEqual({ count: 2, amounts: [{ currency: 'USD', amount: 25, count: 2 }] });
  });

  it('lists with filters and pages', async () => {
    const owner = await createUser(t.deps, {
      name: 'Rita Rep',
      email: `rita.${kind}@test.dev`,
      team: 'sales',
      role: 'sales',
    });
    for (let i = 0; i < 5; i++) {
      await call('POST', '/api/opportunities', {
        name: `Paged ${i}`,
        product: 'Paged',
        amount: 1000 * (i + 1),
        ownerId: owner.id,
        openedAt: `2026-04-0${i + 1}T00:00:00Z`,
        stage: i < 2 ? 'won' : 'proposal',
      });
    }
    const page1 = (await call('GET', '/api/opportunities?product=Paged&limit=3')).json();
    expect(page1.items.map((d: { name: string }) => d.name)).toEqual(['Paged 4', 'Paged 3', 'Paged 2']);
    expect(page1.totals).toEqual({ count: 5, amounts: [{ currency: 'USD', amount: 15000, count: 5 }] });
    const page2 = (
      await call('GET', `/api/opportunities?product=Paged&limit=3&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2.items.map((d: { name: string }) => d.name)).toEqual(['Paged 1', 'Paged 0']);
    expect(page1.items[0].ownerName).toBe('Rita Rep');
    const mine = (await call('GET', `/api/opportunities?ownerId=${owner.id}`)).json();
    expect(mine.items.map((d: { name: string }) => d.name)).toEqual([
      'Paged 4',
      'Paged 3',
      'Paged 2',
      'Paged 1',
      'Paged 0',
    ]);
    const won = (await call('GET', '/api/opportunities?product=Paged&status=won')).json();
    expect(won.totals.amounts).toEqual([{ currency: 'USD', amount: 3000, count: 2 }]);
    const open = (await call('GET', '/api/opportunities?product=Paged&stage=proposal&status=open')).json();
    expect(open.totals.count).toBe(3);
    const stuck = (
      await call(
        'GET',
        '/api/opportunities?product=Paged&status=open&stageEnteredBefore=2026-04-04T12:00:00Z',
      )
    ).json();
    expect(stuck.items.map((d: { name: string }) => d.name)).toEqual(['Paged 3', 'Paged 2']);
    const facets = (await call('GET', '/api/opportunities/facets')).json();
    expect(facets.owners).toEqual([{ id: owner.id, name: 'Rita Rep', count: 5 }]);
    expect(facets.products).toContainEqual({ product: 'Paged', count: 5 });
    const byStage = (await call('GET', '/api/opportunities/by-stage?product=Paged')).json();
    expect(
      byStage.stages.map((s: { key: string; count: number; amounts: { amount: number }[] }) => [
        s.key,
        s.count,
        s.amounts.reduce((sum, a) => sum + a.amount, 0),
      ]),
    ).toEqual([
      ['prospecting', 0, 0],
      ['qualified', 0, 0],
      ['proposal', 3, 12000],
      ['negotiation', 0, 0],
      ['won', 2, 3000],
      ['lost', 0, 0],
    ]);
    const openByStage = (await call('GET', '/api/opportunities/by-stage?product=Paged&status=open')).json();
    expect(openByStage.stages.map((s: { key: string }) => s.key)).toEqual([
      'prospecting',
      'qualified',
      'proposal',
      'negotiation',
    ]);
    const bad = await call('GET', '/api/opportunities?stage=closing');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.allowed).toContain('negotiation');
    expect(
      (await call('GET', '/api/opportunities/pipeline')).json().stages.map((s: { key: string }) => s.key),
    ).toEqual(['prospecting', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
  });
});
