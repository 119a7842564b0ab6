// The deal pre-aggregates give exactly the numbers deal_facts gives: pipeline and attribution, grouped
// and filtered, answered from the rollups and (forced by a period one millisecond off midnight, which
// selects the same deals) from deal_facts; after deals change stage, amount, owner, and after the
// people, accounts, activities and campaigns behind them change; and equal to a rebuild.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { dealRollupScope } from './deals.rollup.ts';
import { resolveFilters } from './reports.filters.ts';
import type { TableReport } from './reports.schema.ts';
import { buildKnownWorkspace, type KnownWorkspace } from './reports.test-data.ts';

/** [answered from the rollups, the same deals answered from deal_facts]: no deal opens or closes at the instant. */
const periods = [
  ['from=2000-01-01T00:00:00Z', 'from=2000-01-01T00:00:00.001Z'],
  // Edge days (Feb 10–28, Apr 1) around a whole month (March).
  [
    'from=2026-02-10T00:00:00Z&to=2026-04-02T00:00:00Z',
    'from=2026-02-10T00:00:00.001Z&to=2026-04-02T00:00:00Z',
  ],
] as const;

describe('dealRollupScope', () => {
  const clock = fixedClock(new Date('2026-05-15T12:00:00Z'));
  const f = (input: Parameters<typeof resolveFilters>[0]) => resolveFilters(input, clock);
  it('takes one dimension between grouping and filters and whole UTC days; the rest reads deal_facts', () => {
    expect(dealRollupScope(f({}), null)?.dim).toBe('all');
    expect(dealRollupScope(f({}), 'month')?.dim).toBe('all');
    expect(dealRollupScope(f({ team: 'sales' }), 'owner_name')?.dim).toBe('owner_id');
    expect(dealRollupScope(f({ source: 'web' }), 'month')?.dim).toBe('source');
    expect(dealRollupScope(f({ source: 'web' }), 'product')).toBeNull();
    expect(dealRollupScope(f({ from: new Date('2026-01-01T00:00:00.001Z') }), null)).toBeNull();
  });
});

describe.each(databaseKinds)('deal rollups equal deal_facts (%s)', (kind) => {
  let t: TestApp;
  let w: KnownWorkspace;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: fixedClock(new Date('2026-05-15T12:00:00Z')) });
    w = await buildKnownWorkspace(t.database);
    headers = await t.as('viewer');
  });
  afterAll(async () => t?.close());

  const report = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as TableReport;
  };
  const numbers = async (url: string) => {
    const table = await report(url);
    const row = (r: TableReport['rows'][number]) => [r.key, r.label, r.values];
    return { total: table.total ? row(table.total) : null, rows: table.rows.map(row) };
  };
  const total = async (url: string, keys: string[]) => {
    const values = (await report(url)).total?.values ?? {};
    return keys.map((key) => values[key]);
  };

  const compareAll = async () => {
    const filters = [
      '',
      '&source=web',
      `&rep=${w.users.bob}`,
      '&team=sales',
      '&segment=software',
      `&campaign=${w.campaigns.webinar}`,
      '&team=sales&source=ads',
    ];
    let compared = 0;
    for (const [rollup, deals] of periods) {
      for (const f of filters) {
        const paths = [
          ...['rep', 'team', 'product', 'sector', 'source', 'campaign', 'month'].map(
            (by) => `/api/reports/pipeline?by=${by}${f}&`,
          ),
          `/api/reports/attribution?by=campaign${f}&`,
          `/api/reports/attribution?by=source${f}&`,
        ];
        for (const path of paths) {
          const fromRollup = await numbers(`${path}${rollup}`);
          expect(fromRollup, `${path}${rollup}`).toEqual(await numbers(`${path}${deals}`));
          if (fromRollup.rows.length > 0) compared++;
        }
      }
    }
    return compared;
  };

  const rollupRows = async () => ({
    deals: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, outcome, sum(n)::int AS n, sum(amount)::text AS amount
          FROM analytics_deal_rollup GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 OR sum(amount) <> 0
          ORDER BY 1, 2, 3, 4, 5`,
    ),
    durations: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, bin, seconds, n FROM analytics_deal_durations
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    ),
    bins: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, bin, n FROM analytics_deal_duration_bins
          WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5`,
    ),
    credits: await t.database.rows(
      sql`SELECT grain, bucket::text, dim, value, touch_dim, touch_value, first_touch::float8, last_touch::float8,
                 linear::float8, w_shaped::float8, firsts, n
          FROM analytics_credit_rollup WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    ),
  });
  const pipelineKeys = [
    'open_deals',
    'pipeline_value',
    'won_deals',
    'won_value',
    'lost_deals',
    'cycle_median',
  ];
  const models = ['first_touch', 'last_touch', 'linear', 'w_shaped'];

  it('on the known workspace, for every grouping and filter', async () => {
    expect(await compareAll()).toBeGreaterThan(80);
    // The worked answers of reports.test.ts, now from the rollups.
    expect(await total('/api/reports/pipeline?by=rep', pipelineKeys)).toEqual([1, 800, 3, 4200, 1, 14]);
    expect(await total('/api/reports/attribution', models)).toEqual([4200, 4200, 4200, 4200]);
  }, 120_000);

  it('after deals and what they depend on change, as a rebuild would count', async () => {
    const run = (query: ReturnType<typeof sql>) => t.database.rows(query);
    // D4 (Bob, 800, no person) is won on April 25: one more won deal, its 800 credited to no campaign.
    await run(
      sql`UPDATE opportunities SET stage = 'won', closed_at = '2026-04-25T00:00:00Z' WHERE name = 'D4'`,
    );
    const [logged] = await t.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM analytics_deal_changes c JOIN opportunities o ON o.id = c.opportunity_id
          WHERE o.name = 'D4'`,
    );
    expect(logged?.n).toBe(1);
    expect(await total('/api/reports/pipeline?by=rep', pipelineKeys)).toEqual([0, 0, 4, 5000, 1, 14.5]);
    expect(await total('/api/reports/attribution', models)).toEqual([5000, 5000, 5000, 5000]);
    const bob = (await report('/api/reports/pipeline?by=rep')).rows.find((r) => r.key === w.users.bob);
    expect([bob?.values.won_deals, bob?.values.won_value]).toEqual([2, 3800]);
    expect(await compareAll()).toBeGreaterThan(80);
    // Amount, owner, a new and a deleted deal.
    await run(sql`UPDATE opportunities SET amount = 1500 WHERE name = 'D1'`);
    await run(sql`UPDATE opportunities SET owner_id = ${w.users.bob} WHERE name = 'D5'`);
    await run(sql`
      INSERT INTO opportunities (name, person_id, owner_id, amount, product, stage, stage_entered_at, opened_at, closed_at)
      VALUES ('D6', ${w.people.p3}, ${w.users.mia}, 250.5, 'Basic', 'won', '2026-03-15T00:00:00Z',
              '2026-03-03T00:00:00Z', '2026-03-15T06:30:00Z')`);
    await run(sql`DELETE FROM opportunities WHERE name = 'D2'`);
    expect(await total('/api/reports/attribution', models)).toEqual([5750.5, 5750.5, 5750.5, 5750.5]);
    expect(await compareAll()).toBeGreaterThan(80);
    // What deals depend on: their person's source, account's industry, campaign touches, MQL time,
    // a campaign's channel, and a deleted person.
    await run(sql`UPDATE people SET source = 'referral' WHERE id = ${w.people.p1}`);
    await run(sql`UPDATE accounts SET industry = 'pets' WHERE name = 'Shop Co'`);
    await run(sql`INSERT INTO activities (person_id, type, occurred_at, campaign_id)
                  VALUES (${w.people.p4}, 'email_click', '2026-03-01T00:00:00Z', ${w.campaigns.newsletter})`);
    await run(sql`INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at)
                  VALUES (${w.people.p1}, 'new', 'mql', '2026-01-06T00:00:00Z')`);
    await run(sql`UPDATE campaigns SET channel = 'display' WHERE id = ${w.campaigns.ads}`);
    expect(await compareAll()).toBeGreaterThan(80);
    const sources = (await report('/api/reports/attribution?by=source')).rows.map((r) => r.key);
    expect(sources).toContain('display');
    expect(sources).not.toContain('paid_search');
    await run(
      sql`DELETE FROM activities WHERE person_id = ${w.people.p4} AND campaign_id = ${w.campaigns.webinar}`,
    );
    await run(sql`DELETE FROM people WHERE id = ${w.people.p6}`);
    expect(await compareAll()).toBeGreaterThan(80);
    expect(await total('/api/reports/attribution', models)).toEqual([5750.5, 5750.5, 5750.5, 5750.5]);
    const incremental = await rollupRows();
    expect(incremental.credits.length).toBeGreaterThan(0);
    await run(sql`DELETE FROM analytics_state WHERE name = 'deal_facts'`); // the next deal report rebuilds
    await report('/api/reports/pipeline');
    expect(await rollupRows()).toEqual(incremental);
  }, 240_000);
});
