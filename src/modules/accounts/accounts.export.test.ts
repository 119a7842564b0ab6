import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

describe.each(databaseKinds)('exporting accounts as CSV on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });
  const rowsOf = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('admin');
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: admin, payload });
    await post('/api/accounts', {
      name: 'Acme, Inc.',
      domain: 'acme.io',
      industry: 'Software',
      employees: 250,
      attributes: { tier: 'gold', name: 'shadow' },
    });
    await post('/api/people', { email: 'ada@acme.io' });
    await post('/api/people', { email: 'bob@acme.io' });
    // 2,100 more, 700 names each held by three accounts: only the id orders those.
    await t.deps.db.execute(sql`
      INSERT INTO accounts (name) SELECT 'Zed ' || lpad((i % 700)::text, 3, '0') FROM generate_series(1, 2100) i`);
  });
  afterAll(async () => t?.close());

  it('streams every account once, by name, with its people counted', async () => {
    const response = await get('/api/accounts/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/filename="accounts-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = rowsOf(response.body);
    expect(rows).toHaveLength(2101);
    expect(new Set(rows.map((row) => row['Lockstep ID'])).size).toBe(2101);
    expect(rows[0]).toMatchObject({
      Name: 'Acme, Inc.',
      Domain: 'acme.io',
      Industry: 'Software',
      Employees: '250',
      People: '2',
      tier: 'gold',
      'name (attribute)': 'shadow',
    });
    expect(rows.slice(1, 4).map((row) => row.Name)).toEqual(['Zed 000', 'Zed 000', 'Zed 000']);
    expect(rows.at(-1)?.Name).toBe('Zed 699');
    expect(rows.at(-1)?.tier).toBe('');
  });

  it("keeps only what the list's search keeps, and lets every role read it", async () => {
    const found = rowsOf((await get('/api/accounts/export?q=acme', await t.as('viewer'))).body);
    expect(found.map((row) => row.Name)).toEqual(['Acme, Inc.']);
    expect((await get('/api/accounts/export?limit=5')).statusCode).toBe(400);
  });
});
