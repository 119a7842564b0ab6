// The rollups give exactly the numbers lead_facts gives: every lead report, grouped and filtered,
// answered from the rollups and (forced by a period that is not on UTC midnight, which selects the same
// leads) from lead_facts; after incremental refreshes; and their percentiles are PostgreSQL's.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import type { FunnelReport } from './funnel.schema.ts';
import { resolveFilters } from './reports.filters.ts';
import { rollupScope } from './reports.rollup.ts';
import type { TableReport } from './reports.schema.ts';
import { buildKnownWorkspace, type KnownWorkspace } from './reports.test-data.ts';

/** [answered from the rollups, the same leads answered from lead_facts]: no lead is created at the instant. */
const periods = [
  ['from=2000-01-01T00:00:00Z', 'from=2000-01-01T00:00:00.001Z'],
  ['from=2026-01-19T00:00:00Z', 'from=2026-01-19T00:00:00.001Z'], // edge days before whole months
] as const;

describe('rollupScope', () => {
  const clock = fixedClock(new Date('2026-05-15T12:00:00Z'));
  it('takes two dimensions (one for durations) and whole UTC days, and leaves the rest to lead_facts', () => {
    const f = (input: Parameters<typeof resolveFilters>[0]) => resolveFilters(input, clock);
    const dims = (scope: ReturnType<typeof rollupScope>) => scope?.dims ?? null;
    expect(dims(rollupScope(f({}), null))).toEqual([]);
    expect(dims(rollupScope(f({ period: 'last-30-days' }), 'source'))).toEqual(['source']);
    expect(dims(rollupScope(f({ team: 'sales' }), 'owner_name'))).toEqual(['owner_id']);
    expect(dims(rollupScope(f({ source: 'web' }), 'source'))).toEqual(['source']);
    expect(dims(rollupScope(f({ source: 'web' }), 'segment'))).toEqual(['segment', 'source']);
    expect(rollupScope(f({ source: 'web' }), 'segment', { durations: true })).toBeNull();
    expect(rollupScope(f({ source: 'web', segment: 'retail' }), 'month')).toBeNull();
    expect(rollupScope(f({ from: new Date('2026-01-01T00:00:00.001Z') }), null)).toBeNull();
  });
});

describe.each(databaseKinds)('rollups equal lead_facts (%s)', (kind) => {
  let t: TestApp;
  let w: KnownWorkspace;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: fixedClock(new Date('2026-05-15T12:00:00Z')) });
    w = await buildKnownWorkspace(t.database);
    headers = await t.as('viewer');
  });
  afterAll(async () => t?.close());

  const numbers = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url, headers });
    expect(response.statusCode, response.body).toBe(200);
    if (url.startsWith('/api/reports/funnel')) {
      const funnel = response.json() as FunnelReport;
      return { total: funnel.total.counts, rows: funnel.rows.map((r) => [r.group, r.counts]) };
    }
    const table = response.json() as TableReport;
    const row = (r: TableReport['rows'][number]) => [r.key, r.label, r.values];
    return { total: table.total ? row(table.total) : null, rows: table.rows.map(row) };
  };

  const urls = () => {
    const filters = [
      '',
      `&source=web`,
      `&rep=${w.users.bob}`,
      `&team=sales`,
      `&segment=retail`,
      `&campaign=${w.campaigns.webinar}`,
      `&team=sales&source=ads`,
      `&source=web&segment=retail`,
      '&to=2026-02-10T00:00:00Z',
      '&to=2026-03-02T00:00:00Z',
    ];
    const leadBy = ['source', 'campaign', 'segment', 'landing_page', 'rep', 'team', 'month'];
    const funnelBy = ['none', 'source', 'campaign', 'landing_page', 'owner', 'segment', 'team', 'month'];
    const list: [string, string][] = [];
    for (const [rollup, leads] of periods) {
      const both = (path: string) => list.push([`${path}${rollup}`, `${path}${leads}`]);
      // The edge days: without filters, with the periods' ends, and with one filter.
      const shown =
        rollup === periods[0][0] ? filters : filters.filter((f) => f === '' || /to=|source=web$/.test(f));
      for (const f of shown) {
        for (const by of funnelBy) both(`/api/reports/funnel?by=${by}${f}&`);
        for (const by of ['none', ...leadBy]) both(`/api/reports/velocity?by=${by}${f}&`);
        for (const by of leadBy) both(`/api/reports/breakdown?by=${by}${f}&`);
        both(`/api/reports/cohorts?limit=240${f}&`);
        both(`/api/reports/cost?limit=100${f}&`);
      }
    }
    return list;
  };

  const compareAll = async () => {
    let compared = 0;
    for (const [url, leadsUrl] of urls()) {
      const fromRollup = await numbers(url);
      const fromLeads = await numbers(leadsUrl);
      expect(fromRollup, url).toEqual(fromLeads);
      if (fromRollup.rows.length > 0) compared++;
    }
    return compared;
  };

  const rollupTotals = async () =>
    t.database.rows<{ dim: string; grain: string; n: number }>(
      sql`SELECT dim, grain, sum(n)::int AS n FROM analytics_lead_rollup GROUP BY 1, 2
          UNION ALL SELECT dim || '+' || dim2, grain, sum(n)::int FROM analytics_lead_pairs GROUP BY 1, 2`,
    );
  const rollupRows = async () => ({
    counts: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, reached, sql_win, won_win, n FROM analytics_lead_rollup
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
    durations: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, step, bin, seconds, n FROM analytics_lead_durations
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
    bins: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, step, bin, n FROM analytics_lead_duration_bins
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    ),
    pairs: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, dim2, value2, reached, sql_win, won_win, n
          FROM analytics_lead_pairs WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    ),
  });

  it('on the known workspace, for every lead report, grouping and filter', async () => {
    expect(await compareAll()).toBeGreaterThan(150);
    // Six leads, counted once per grain and dimension (7 single, 15 pairs).
    const totals = await rollupTotals();
    expect([totals.length, totals.every((row) => row.n === 6)]).toEqual([2 * (7 + 15), true]);
  }, 120_000);

  it('after incremental refreshes (new leads, moves, times off midnight), as a rebuild would count', async () => {
    const at = (iso: string) => new Date(iso).toISOString();
    await t.database.withSession(async (s) => {
      const [row] = await s.query<{ id: string }>(
        `INSERT INTO people (email, source, campaign_id, owner_id, landing_page, created_at, stage)
         VALUES ('p7@known.dev', 'ads', $1, $2, '/lp/a', $3, 'mql') RETURNING id`,
        [w.campaigns.ads, w.users.ann, at('2026-01-31T23:59:59.250Z')],
      );
      const p7 = row!.id;
      const move = (person: string, from: string | null, to: string, when: string) =>
        s.query(
          'INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at) VALUES ($1, $2, $3, $4)',
          [person, from, to, at(when)],
        );
      await move(p7, null, 'new', '2026-01-31T23:59:59.250Z');
      await move(p7, 'new', 'mql', '2026-02-01T08:30:00.125Z');
    });
    expect(await compareAll()).toBeGreaterThan(150);
    await t.database.withSession(async (s) => {
      const move = (person: string, from: string, to: string, when: string) =>
        s.query(
          'INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at) VALUES ($1, $2, $3, $4)',
          [person, from, to, at(when)],
        );
      await move(w.people.p6, 'mql', 'sal', '2026-03-06T10:00:00.5Z');
      await move(w.people.p6, 'sal', 'sql', '2026-04-20T17:45:00Z');
      await move(w.people.p5, 'new', 'mql', '2026-03-03T01:00:00Z');
      await move(w.people.p3, 'disqualified', 'sql', '2026-02-12T12:00:00Z');
    });
    expect(await compareAll()).toBeGreaterThan(150);
    expect((await rollupTotals()).every((row) => row.n === 7)).toBe(true);
    // Dimensions changed without a transition (triggers on people and accounts), and a deletion.
    await t.database.rows(
      sql`UPDATE people SET owner_id = ${w.users.mia}, source = 'referral' WHERE id = ${w.people.p2}`,
    );
    await t.database.rows(
      sql`UPDATE people SET landing_page = '/lp/b', campaign_id = NULL WHERE id = ${w.people.p1}`,
    );
    await t.database.rows(sql`UPDATE accounts SET industry = 'pets' WHERE name = 'Shop Co'`);
    await t.database.rows(sql`UPDATE people SET stage = stage`); // no dimension changed: nothing recorded
    const [changes] = await t.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM analytics_lead_changes`,
    );
    expect(changes?.n).toBe(4); // p2, p1, and p1 + p3 (Shop Co's people)
    expect(await compareAll()).toBeGreaterThan(150);
    await t.database.rows(sql`DELETE FROM people WHERE id = ${w.people.p3}`);
    expect(await compareAll()).toBeGreaterThan(150);
    expect((await rollupTotals()).every((row) => row.n === 6)).toBe(true);
    const incremental = await rollupRows();
    await t.database.rows(sql`DELETE FROM analytics_state`); // the next report rebuilds everything
    await numbers('/api/reports/funnel');
    expect(await rollupRows()).toEqual(incremental);
  }, 180_000);
});

describe('a bulk load', () => {
  it('rebuilds instead of recounting lead by lead, with the same numbers', async () => {
    const t = await createTestApp('pglite', { clock: fixedClock(new Date('2026-05-15T12:00:00Z')) });
    try {
      const w = await buildKnownWorkspace(t.database);
      const headers = await t.as('viewer');
      const counts = async (url: string) =>
        ((await t.app.inject({ method: 'GET', url, headers })).json() as FunnelReport).total.counts;
      expect(await counts('/api/reports/funnel')).toEqual([6, 5, 3, 3, 3, 2]);
      // A rebuild rewrites every lead's row, a recount only the changed leads' rows.
      const version = async () =>
        (
          await t.database.rows<{ v: string }>(
            sql`SELECT xmin::text AS v FROM analytics_lead_facts WHERE person_id = ${w.people.p1}`,
          )
        )[0]?.v;
      const before = await version();
      // 1,500 new leads, a third of them MQLs: far more than a seventh of the 6 counted.
      await t.database.rows(sql`
        WITH p AS (
          INSERT INTO people (email, source, created_at, stage)
          SELECT 'bulk' || i || '@known.dev', 'bulk', timestamptz '2026-02-01' + i * interval '1 hour', 'new'
          FROM generate_series(1, 1500) i RETURNING id, created_at
        )
        INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
        SELECT id, NULL, 'new', created_at FROM p
        UNION ALL SELECT id, 'new', 'mql', created_at + interval '2 days' FROM p WHERE extract(hour FROM created_at)::int % 3 = 0`);
      const rollup = await counts('/api/reports/funnel?from=2000-01-01T00:00:00Z');
      expect(rollup).toEqual(await counts('/api/reports/funnel?from=2000-01-01T00:00:00.001Z'));
      expect(rollup.slice(0, 2)).toEqual([1506, 505]);
      const rebuilt = await version();
      expect(rebuilt).not.toBe(before);
      // One more move afterwards is recounted on its own: p1's row stays as it is.
      await t.database.rows(
        sql`INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
            VALUES (${w.people.p6}, 'mql', 'sal', '2026-03-09T00:00:00Z')`,
      );
      expect((await counts('/api/reports/funnel'))[2]).toBe(4);
      expect(await version()).toBe(rebuilt);
      const [facts] = await t.database.rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM analytics_lead_facts`,
      );
      expect(facts?.n).toBe(1506);
    } finally {
      await t.close();
    }
  }, 120_000);
});
