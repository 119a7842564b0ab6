import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { detectPreset, loadPreset } from '../import/import.presets.ts';
import { importCsvFile } from '../import/import.service.ts';

describe.each(databaseKinds)('exporting opportunities as CSV on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });
  const rowsOf = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: admin, payload });
    await post('/api/accounts', { name: 'Acme, Inc.', domain: 'acme.io' });
    const person = await post('/api/people', {
      email: 'ada@acme.io',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    const deal = await post('/api/opportunities', {
      externalId: 'crm:1',
      name: 'Acme — platform',
      personId: person.json().id,
      amount: 12000.5,
      currency: 'EUR',
      product: 'Platform',
      openedAt: '2026-01-05T09:00:00Z',
      attributes: { channel: 'partner' },
    });
    expect(deal.statusCode).toBe(201);
    // 2,100 open deals opened at one instant (to the microsecond): only the id keeps the batches apart.
    await t.deps.db.execute(sql`
      INSERT INTO opportunities (name, stage, stage_entered_at, opened_at)
      SELECT 'Deal ' || i, 'qualified', now(), timestamptz '2026-02-01 10:00:00.123456+00'
      FROM generate_series(1, 2100) i`);
    await t.deps.db.execute(sql`
      INSERT INTO opportunities (name, stage, stage_entered_at, opened_at, closed_at, lost_reason)
      VALUES ('Lost one', 'lost', now(), '2026-03-01', now(), 'no budget')`);
  });
  afterAll(async () => t?.close());

  it('streams every deal once, in the order they opened', async () => {
    const response = await get('/api/opportunities/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /filename="opportunities-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const rows = rowsOf(response.body);
    expect(rows).toHaveLength(2102);
    expect(new Set(rows.map((row) => row['Lockstep ID'])).size).toBe(2102);
    expect(rows[0]).toMatchObject({
      'External ID': 'crm:1',
      Deal: 'Acme — platform',
      Account: 'Acme, Inc.',
      'Account domain': 'acme.io',
      Person: 'Ada Lovelace',
      'Person email': 'ada@acme.io',
      Amount: '12000.5',
      Currency: 'EUR',
      Product: 'Platform',
      Opened: '2026-01-05T09:00:00.000Z',
      channel: 'partner',
    });
    expect(rows.at(-1)).toMatchObject({ Deal: 'Lost one', Stage: 'lost', 'Lost reason': 'no budget' });
  });

  it("keeps what the list's filters keep, and refuses a stage the pipeline does not have", async () => {
    const lost = rowsOf((await get('/api/opportunities/export?status=lost', await t.as('viewer'))).body);
    expect(lost.map((row) => row.Deal)).toEqual(['Lost one']);
    expect(rowsOf((await get('/api/opportunities/export?status=open')).body)).toHaveLength(2101);
    expect(rowsOf((await get('/api/opportunities/export?q=acme')).body).map((row) => row.Deal)).toEqual([
      'Acme — platform',
    ]);
    const unknown = await get('/api/opportunities/export?stage=nowhere');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('nowhere');
  });

  it('reads back into Lockstep as it is: every deal found again by its Lockstep ID, none duplicated', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-deals-export-'));
    const file = path.join(dir, 'deals.csv');
    try {
      fs.writeFileSync(file, (await get('/api/opportunities/export')).body);
      const header = parse(fs.readFileSync(file), { to: 1 })[0] as string[];
      expect(detectPreset(header)?.name).toBe('lockstep-opportunities');
      const reimport = () =>
        importCsvFile(t.database, {
          file,
          mapping: loadPreset('lockstep-opportunities'),
          mappingName: 'lockstep-opportunities',
        });
      const again = await reimport();
      // Only crm:1 has an external id; the 2,101 deals made in Lockstep are found by their Lockstep ID.
      expect(again).toMatchObject({ rowsRead: 2102, created: 0, updated: 0, unchanged: 2102, rejected: 0 });
      const edited = fs
        .readFileSync(file, 'utf8')
        .replace(',12000.5,EUR,', ',15000,EUR,')
        .replace(',partner', ',direct');
      fs.writeFileSync(file, edited);
      expect(await reimport()).toMatchObject({ created: 0, updated: 1, unchanged: 2101 });
      const deals = (await get('/api/opportunities?q=acme')).json().items;
      expect(deals).toHaveLength(1);
      expect(deals[0]).toMatchObject({ amount: 15000, currency: 'EUR', attributes: { channel: 'direct' } });
      expect(rowsOf((await get('/api/opportunities/export')).body)).toHaveLength(2102);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
