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
import { rollupScope, weightedPercentile } from './reports.rollup.ts';
import type { TableReport } from './reports.schema.ts';
import { buildKnownWorkspace, type KnownWorkspace } from './reports.test-data.ts';

const ALL_DAYS = 'from=2000-01-01T00:00:00Z';
const NOT_MIDNIGHT = 'from=2000-01-01T00:00:00.001Z';

describe('rollupScope', () => {
  const clock = fixedClock(new Date('2026-05-15T12:00:00Z'));
  it('takes one dimension and whole UTC days, and leaves everything else to lead_facts', () => {
    const f = (input: Parameters<typeof resolveFilters>[0]) => resolveFilters(input, clock);
    expect(rollupScope(f({}), null)?.dim).toBe('all');
    expect(rollupScope(f({ period: 'last-30-days' }), 'source')?.dim).toBe('source');
    expect(rollupScope(f({ team: 'sales' }), 'owner_name')?.dim).toBe('owner_id');
    expect(rollupScope(f({ source: 'web' }), 'source')?.dim).toBe('source');
    expect(rollupScope(f({ source: 'web' }), 'segment')).toBeNull();
    expect(rollupScope(f({ from: new Date('2026-01-01T00:00:00.001Z') }), null)).toBeNull();
  });
});

describe('weightedPercentile', () => {
  it('is percentile_cont over the expanded values', async () => {
    const t = await createTestApp('pglite');
    try {
      // Fractional values with repeats, as the durations table holds them.
      const values = Array.from({ length: 37 }, (_, i) => ((i * 7919) % 23) * 86_400.123 + (i % 5) * 0.001);
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      const sorted = [...counts].map(([value, n]) => ({ value, n })).sort((a, b) => a.value - b.value);
      for (const p of [0.5, 0.9, 0.25, 0.99]) {
        const [row] = await t.database.rows<{ q: number }>(
          sql`SELECT percentile_cont(${p}::float8) WITHIN GROUP (ORDER BY v) AS q
              FROM unnest(string_to_array(${values.join(',')}, ',')::float8[]) v`,
        );
        expect(weightedPercentile(sorted, p)).toBe(Number(row?.q));
      }
      expect(weightedPercentile([], 0.5)).toBeNull();
    } finally {
      await t.close();
    }
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
    const body = response.json() as TableReport | FunnelReport;
    if (body.report === 'funnel') {
      const funnel = body as FunnelReport;
      return { total: funnel.total.counts, rows: funnel.rows.map((r) => [r.group, r.counts]) };
    }
    const table = body as TableReport;
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
      '&to=2026-02-10T00:00:00Z',
      '&to=2026-03-02T00:00:00Z',
    ];
    const leadBy = ['source', 'campaign', 'segment', 'landing_page', 'rep', 'team', 'month'];
    const funnelBy = ['none', 'source', 'campaign', 'landing_page', 'owner', 'segment', 'team', 'month'];
    const list: string[] = [];
    for (const f of filters) {
      for (const by of funnelBy) list.push(`/api/reports/funnel?by=${by}&${ALL_DAYS}${f}`);
      for (const by of ['none', ...leadBy]) list.push(`/api/reports/velocity?by=${by}&${ALL_DAYS}${f}`);
      for (const by of leadBy) list.push(`/api/reports/breakdown?by=${by}&${ALL_DAYS}${f}`);
      list.push(`/api/reports/cohorts?${ALL_DAYS}${f}`, `/api/reports/cost?${ALL_DAYS}${f}`);
    }
    return list;
  };

  const compareAll = async () => {
    let compared = 0;
    for (const url of urls()) {
      const fromRollup = await numbers(url);
      const fromLeads = await numbers(url.replace(ALL_DAYS, NOT_MIDNIGHT));
      expect(fromRollup, url).toEqual(fromLeads);
      if (fromRollup.rows.length > 0) compared++;
    }
    return compared;
  };

  const rollupTotals = async () =>
    t.database.rows<{ dim: string; grain: string; n: number }>(
      sql`SELECT dim, grain, sum(n)::int AS n FROM analytics_lead_rollup GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  const rollupRows = async () => ({
    counts: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, reached, sql_win, won_win, n FROM analytics_lead_rollup
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
    durations: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, step, seconds, n FROM analytics_lead_durations
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    ),
  });

  it('on the known workspace, for every lead report, grouping and filter', async () => {
    expect(await compareAll()).toBeGreaterThan(100);
    // Six leads, counted once per grain and dimension.
    expect((await rollupTotals()).every((row) => row.n === 6)).toBe(true);
  });

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
    expect(await compareAll()).toBeGreaterThan(100);
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
    expect(await compareAll()).toBeGreaterThan(100);
    expect((await rollupTotals()).every((row) => row.n === 7)).toBe(true);
    const incremental = await rollupRows();
    await t.database.rows(sql`DELETE FROM analytics_state`); // the next report rebuilds everything
    await numbers('/api/reports/funnel');
    expect(await rollupRows()).toEqual(incremental);
  });
});
