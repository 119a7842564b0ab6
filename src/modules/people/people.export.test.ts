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

describe.each(databaseKinds)('exporting people as CSV on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });
  const rowsOf = (body: string) => parse(body, { columns: true, bom: true }) as Record<string, string>[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: admin, payload });
    await post('/api/accounts', { name: 'Acme, Inc.', domain: 'acme.io', industry: 'Software' });
    await post('/api/people', {
      email: 'ada@acme.io',
      firstName: 'Ada',
      lastName: 'Quote "The" Lovelace',
      title: '=HYPERLINK("http://evil.example","Head")',
      phone: '+1 (555) 010-0100',
      source: 'webinar',
      attributes: { plan: 'Enterprise', seats: 40, tags: ['a', 'b'], Email: 'shadow' },
    });
    await post('/api/people', { email: 'bob@beta.dev', firstName: 'Bob', source: 'referral', stage: 'mql' });
    // 4,500 more in one statement: they share one created_at to the microsecond, so only the id
    // keeps the batches (2,000 rows each) apart; and 30 a microsecond apart.
    await t.deps.db.execute(sql`
      INSERT INTO people (email, source, created_at)
      SELECT 'bulk' || i || '@gamma.dev', 'paid_search', now() FROM generate_series(1, 4500) i`);
    await t.deps.db.execute(sql`
      INSERT INTO people (email, source, created_at)
      SELECT 'micro' || i || '@gamma.dev', 'paid_search',
             timestamptz '2026-01-01 00:00:00.000100+00' + i * interval '1 microsecond'
      FROM generate_series(1, 30) i`);
  });
  afterAll(async () => t?.close());

  it('streams everyone once, oldest first, as a spreadsheet reads it', async () => {
    const response = await get('/api/people/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = rowsOf(response.body);
    expect(rows).toHaveLength(4532);
    expect(new Set(rows.map((row) => row['Lockstep ID'])).size).toBe(4532);
    expect(rows.slice(0, 3).map((row) => row.Email)).toEqual([
      'micro1@gamma.dev',
      'micro2@gamma.dev',
      'micro3@gamma.dev',
    ]);
    expect(Object.keys(rows[0]!).slice(-4)).toEqual(['Email (attribute)', 'plan', 'seats', 'tags']);

    const ada = rows.find((row) => row.Email === 'ada@acme.io')!;
    const listed = (await get('/api/people?q=ada@acme.io')).json().items[0];
    expect(ada).toMatchObject({
      'Lockstep ID': listed.id,
      'First name': 'Ada',
      'Last name': 'Quote "The" Lovelace',
      Title: `'=HYPERLINK("http://evil.example","Head")`,
      Phone: '+1 (555) 010-0100',
      Account: 'Acme, Inc.',
      'Account domain': 'acme.io',
      Source: 'webinar',
      Stage: 'new',
      Created: listed.createdAt,
      plan: 'Enterprise',
      seats: '40',
      tags: '["a","b"]',
      'Email (attribute)': 'shadow',
    });
    expect(ada['Fit grade']).toBe(listed.score?.grade ?? '');
    expect(rows.find((row) => row.Email === 'bob@beta.dev')).toMatchObject({ Stage: 'mql', plan: '' });
  });

  it("keeps only what the list's filters keep", async () => {
    const mqls = rowsOf((await get('/api/people/export?stage=mql')).body);
    expect(mqls.map((row) => row.Email)).toEqual(['bob@beta.dev']);
    // With no custom field among the people kept, no attribute columns.
    expect(Object.keys(mqls[0]!).at(-1)).toBe('MQL by the definition');
    const found = rowsOf((await get('/api/people/export?q=micro1')).body);
    expect(found.map((row) => row.Email).sort()).toEqual(
      [
        'micro10@gamma.dev',
        'micro1@gamma.dev',
        ...Array.from({ length: 10 }, (_, i) => `micro1${i}@gamma.dev`).slice(1),
      ].sort(),
    );
    const none = await get('/api/people/export?source=nowhere');
    expect(none.statusCode).toBe(200);
    expect(rowsOf(none.body)).toEqual([]);
    expect(none.body.split('\r\n')[0]).toMatch(/^Lockstep ID,External ID,Email,/);
  });

  it('lets every role read it, and refuses a filter it does not know', async () => {
    expect((await get('/api/people/export?stage=mql', await t.as('viewer'))).statusCode).toBe(200);
    const wrong = await get('/api/people/export?colour=blue');
    expect(wrong.statusCode).toBe(400);
    expect((await get('/api/people/export?grade=Z')).statusCode).toBe(400);
  });

  it('reads back into Lockstep as it is: nobody duplicated, an edit applied', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-export-'));
    const file = path.join(dir, 'people.csv');
    try {
      fs.writeFileSync(file, (await get('/api/people/export')).body);
      const header = parse(fs.readFileSync(file), { to: 1 })[0] as string[];
      expect(detectPreset(header)?.name).toBe('lockstep-people');
      const reimport = () =>
        importCsvFile(t.database, {
          file,
          mapping: loadPreset('lockstep-people'),
          mappingName: 'lockstep-people',
        });
      const again = await reimport();
      expect(again).toMatchObject({ rowsRead: 4532, created: 0, rejected: 0 });
      // Ada's list of tags comes back as the text it was written as; 40 seats stay a number.
      expect(again).toMatchObject({ updated: 1, unchanged: 4531 });

      // Edited in a spreadsheet: Ada's title and a custom field.
      const edited = fs
        .readFileSync(file, 'utf8')
        .replace(`"'=HYPERLINK(""http://evil.example"",""Head"")"`, 'Head of Data')
        .replace(',Enterprise,', ',Scale,');
      fs.writeFileSync(file, edited);
      expect(await reimport()).toMatchObject({ created: 0, updated: 1, unchanged: 4531, rejected: 0 });
      const ada = (await get('/api/people?q=ada@acme.io')).json().items[0];
      expect(ada.title).toBe('Head of Data');
      expect(ada.attributes).toMatchObject({ plan: 'Scale', seats: 40, tags: '["a","b"]', Email: 'shadow' });
      expect((await get('/api/people?limit=1')).json().items).toHaveLength(1);
      expect((await get('/api/people/export')).body.split('\r\n').length - 2).toBe(4532);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
