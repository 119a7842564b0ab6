// Every report on a workspace with answers worked out by hand (reports.test-data.ts), on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import type { FunnelReport } from './funnel.schema.ts';
import type { RecordsResponse, ReportRow, TableReport } from './reports.schema.ts';
import { buildKnownWorkspace, type KnownWorkspace } from './reports.test-data.ts';

const days = (n: number) => n;

describe.each(databaseKinds)('reports on known data (%s)', (kind) => {
  let t: TestApp;
  let w: KnownWorkspace;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: fixedClock(new Date('2026-05-15T12:00:00Z')) });
    w = await buildKnownWorkspace(t.database);
    headers = await t.as('viewer');
  });
  afterAll(async () => t?.close());

  const get = async (url: string) => t.app.inject({ method: 'GET', url, headers });
  const report = async <T = TableReport>(url: string): Promise<T> => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as T;
  };
  const records = async (name: string, cell: string | undefined): Promise<RecordsResponse> => {
    expect(cell).toBeDefined();
    const response = await get(`/api/reports/${name}/records?cell=${cell}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as RecordsResponse;
  };
  const byKey = (rows: ReportRow[]) => new Map(rows.map((row) => [row.key, row]));
  const values = (row: ReportRow | undefined | null, keys: string[]) => keys.map((k) => row?.values[k]);

  it('funnel: counts per stage, filters, and the same answer under /api/reports/:name', async () => {
    const all = await report<FunnelReport>('/api/reports/funnel');
    expect(all.total.counts).toEqual([6, 5, 3, 3, 3, 2]);
    const bySource = await report<FunnelReport>('/api/reports/funnel?by=source');
    expect(bySource.rows.map((r) => [r.group, r.counts])).toEqual([
      ['web', [3, 3, 2, 2, 2, 1]],
      ['ads', [2, 2, 1, 1, 1, 1]],
      [null, [1, 0, 0, 0, 0, 0]],
    ]);
    const february = await report<FunnelReport>(
      '/api/reports/funnel?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z',
    );
    expect(february.total.counts).toEqual([2, 2, 1, 1, 1, 1]);
    // Clock: 2026-05-15. Last quarter = January to March: everyone; this quarter: nobody yet.
    expect((await report<FunnelReport>('/api/reports/funnel?period=last-quarter')).total.counts[0]).toBe(6);
    expect((await report<FunnelReport>('/api/reports/funnel?period=this-quarter')).total.counts[0]).toBe(0);
    expect((await report<FunnelReport>(`/api/reports/funnel?rep=${w.users.bob}`)).total.counts).toEqual([
      2, 2, 1, 1, 1, 1,
    ]);
    expect((await report<FunnelReport>('/api/reports/funnel?segment=retail')).total.counts).toEqual([
      2, 2, 1, 1, 1, 1,
    ]);
    expect(
      (await report<FunnelReport>(`/api/reports/funnel?campaign=${w.campaigns.webinar}`)).total.counts,
    ).toEqual([3, 3, 2, 2, 2, 1]);
    expect((await report<FunnelReport>('/api/reports/funnel?team=marketing')).total.counts[0]).toBe(0);
    expect((await report<FunnelReport>('/api/reports/funnel?source=ads&segment=pet')).total.counts).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it('velocity: median and p90 days per stage and lead to won', async () => {
    const velocity = await report('/api/reports/velocity');
    const rows = byKey(velocity.rows);
    // new→mql: 5, 5, 1, 1, 3 days. mql→sal: 2, 1, 1. sal→sql: 8, 43, 2. sql→opp: 12, 10, 6. opp→won: 14, 70.
    expect(values(rows.get('new_to_mql'), ['n', 'median'])).toEqual([5, days(3)]);
    expect(rows.get('new_to_mql')?.values.p90).toBeCloseTo(5, 9);
    expect(values(rows.get('mql_to_sal'), ['n', 'median'])).toEqual([3, 1]);
    expect(rows.get('mql_to_sal')?.values.p90).toBeCloseTo(1.8, 9);
    expect(values(rows.get('sal_to_sql'), ['n', 'median'])).toEqual([3, 8]);
    expect(rows.get('sal_to_sql')?.values.p90).toBeCloseTo(8 + 0.8 * 35, 9);
    expect(values(rows.get('sql_to_opportunity'), ['n', 'median'])).toEqual([3, 10]);
    expect(values(rows.get('opportunity_to_won'), ['n', 'median'])).toEqual([2, 42]);
    expect(rows.get('opportunity_to_won')?.values.p90).toBeCloseTo(14 + 0.9 * 56, 9);
    // Lead → won: p1 41 days, p4 80 days.
    expect(values(rows.get('lead_to_won'), ['n', 'median'])).toEqual([2, 60.5]);
    expect(rows.get('lead_to_won')?.values.p90).toBeCloseTo(41 + 0.9 * 39, 9);

    const perRep = byKey((await report('/api/reports/velocity?by=rep')).rows);
    expect(values(perRep.get(w.users.ann), ['won', 'median'])).toEqual([1, 41]);
    expect(values(perRep.get(w.users.bob), ['won', 'median'])).toEqual([1, 80]);
    expect(perRep.get(w.users.ann)?.label).toBe('Ann Rep');
    const measured = await records('velocity', rows.get('sal_to_sql')?.cells.median);
    expect(measured.total).toBe(3);
  });

  it('cohorts: each month of MQLs, what share reached SQL and won, and within how many days', async () => {
    const cohorts = await report('/api/reports/cohorts');
    const keys = ['mqls', 'sqls', 'sql_30', 'sql_60', 'sql_90', 'won', 'won_30', 'won_60', 'won_90'];
    expect(cohorts.rows.map((row) => [row.key, ...values(row, keys)])).toEqual([
      ['2026-01', 2, 2, 1, 2, 2, 1, 0, 1, 1],
      ['2026-02', 2, 1, 1, 1, 1, 1, 0, 0, 1],
      ['2026-03', 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(values(cohorts.rows[0], ['sql_rate', 'won_rate'])).toEqual([1, 0.5]);
    expect(values(cohorts.total, ['mqls', 'sqls', 'won'])).toEqual([5, 3, 2]);
    const january60 = await records('cohorts', cohorts.rows[0]?.cells.sql_60);
    expect(january60.records.map((r) => r.email).sort()).toEqual(['p1@known.dev', 'p2@known.dev']);
  });

  it('breakdown: by source, segment, campaign and rep', async () => {
    const keys = ['leads', 'mqls', 'sqls', 'won'];
    const bySource = await report('/api/reports/breakdown?by=source');
    expect(bySource.rows.map((row) => [row.key, ...values(row, keys)])).toEqual([
      ['web', 3, 3, 2, 1],
      ['ads', 2, 2, 1, 1],
      [null, 1, 0, 0, 0],
    ]);
    expect(values(bySource.total, keys)).toEqual([6, 5, 3, 2]);
    expect(bySource.rows[0]?.values.mql_to_won).toBe(1 / 3);
    const bySegment = byKey((await report('/api/reports/breakdown?by=segment')).rows);
    expect(values(bySegment.get('retail'), keys)).toEqual([2, 2, 1, 1]);
    expect(values(bySegment.get('software'), keys)).toEqual([2, 2, 1, 0]);
    expect(values(bySegment.get('pet'), keys)).toEqual([1, 1, 1, 1]);
    const byCampaign = byKey((await report('/api/reports/breakdown?by=campaign')).rows);
    expect(byCampaign.get(w.campaigns.ads)?.label).toBe('Ads');
    expect(values(byCampaign.get(w.campaigns.ads), keys)).toEqual([2, 2, 1, 1]);
    const byRep = byKey((await report('/api/reports/breakdown?by=rep&period=last-quarter')).rows);
    expect(values(byRep.get(w.users.ann), keys)).toEqual([3, 3, 2, 1]);
  });

  it('pipeline: open and won value, win rate, deal size and sales cycle per rep, product and sector', async () => {
    const keys = [
      'open_deals',
      'pipeline_value',
      'won_deals',
      'won_value',
      'lost_deals',
      'win_rate',
      'avg_deal',
      'cycle_median',
    ];
    const byRep = await report('/api/reports/pipeline?by=rep');
    const reps = byKey(byRep.rows);
    expect(values(reps.get(w.users.ann), keys)).toEqual([0, 0, 2, 1200, 1, 2 / 3, 600, 12]);
    expect(values(reps.get(w.users.bob), keys)).toEqual([1, 800, 1, 3000, 0, 1, 3000, 70]);
    expect(values(byRep.total, keys)).toEqual([1, 800, 3, 4200, 1, 0.75, 1400, 14]);
    const products = byKey((await report('/api/reports/pipeline?by=product')).rows);
    expect(values(products.get('Pro'), ['won_deals', 'won_value'])).toEqual([3, 4200]);
    expect(values(products.get('Basic'), ['open_deals', 'lost_deals'])).toEqual([1, 1]);
    const sectors = byKey((await report('/api/reports/pipeline?by=sector')).rows);
    expect(values(sectors.get('software'), ['open_deals', 'won_deals', 'lost_deals'])).toEqual([1, 1, 1]);
    expect(values(sectors.get('pet'), ['won_value'])).toEqual([3000]);
    const teams = byKey((await report('/api/reports/pipeline?by=team')).rows);
    expect(values(teams.get('sales'), ['won_value'])).toEqual([4200]);
    const annWon = await records('pipeline', reps.get(w.users.ann)?.cells.won_deals);
    expect(annWon.records.map((r) => r.name)).toEqual(['D1', 'D5']);
    // Deals opened in February only: D1 and D3.
    const february = await report('/api/reports/pipeline?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(values(february.total, ['won_deals', 'won_value'])).toEqual([2, 4000]);
  });

  it('attribution: credits under each model sum to the won revenue', async () => {
    const models = ['first_touch', 'last_touch', 'linear', 'w_shaped'];
    const byCampaign = await report('/api/reports/attribution?by=campaign');
    const campaigns = byKey(byCampaign.rows);
    expect(values(campaigns.get(w.campaigns.webinar), models)).toEqual([1200, 3200, 1450, 800]);
    expect(values(campaigns.get(w.campaigns.ads), models)).toEqual([3000, 0, 2250, 3000]);
    expect(values(campaigns.get(w.campaigns.newsletter), models)).toEqual([0, 1000, 500, 400]);
    expect(values(byCampaign.total, models)).toEqual([4200, 4200, 4200, 4200]);
    const bySource = await report('/api/reports/attribution?by=source');
    const sources = byKey(bySource.rows);
    expect(values(sources.get('web'), models)).toEqual([1200, 200, 450, 500]);
    expect(values(sources.get('email'), models)).toEqual([0, 1000, 500, 400]);
    expect(values(sources.get('paid_search'), models)).toEqual([0, 0, 1250, 2100]);
    expect(values(sources.get('ads'), models)).toEqual([3000, 0, 1000, 900]);
    expect(values(sources.get('event'), models)).toEqual([0, 3000, 1000, 300]);
    for (const report of [byCampaign, bySource]) {
      for (const model of models) {
        const credited = report.rows.reduce((sum, row) => sum + (row.values[model] ?? 0), 0);
        expect(credited).toBeCloseTo(4200, 6);
      }
    }
    const newsletterLast = await records(
      'attribution',
      campaigns.get(w.campaigns.newsletter)?.cells.last_touch,
    );
    expect(newsletterLast.records.map((r) => r.name)).toEqual(['D1']);
    // Won in March or April only: D5, all to Webinar / web.
    const spring = await report('/api/reports/attribution?from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(spring.rows.map((row) => [row.key, ...values(row, models)])).toEqual([
      [w.campaigns.webinar, 200, 200, 200, 200],
    ]);
  });

  it('cost: per MQL, SQL and won deal for campaigns with a cost', async () => {
    const keys = ['cost', 'leads', 'mqls', 'sqls', 'won', 'cost_per_mql', 'cost_per_sql', 'cost_per_won'];
    const cost = await report('/api/reports/cost');
    expect(cost.rows.map((row) => [row.label, ...values(row, keys)])).toEqual([
      ['Webinar', 1000, 3, 3, 2, 1, 1000 / 3, 500, 1000],
      ['Ads', 600, 2, 2, 1, 1, 300, 600, 600],
    ]);
    expect(values(cost.total, keys)).toEqual([1600, 5, 5, 3, 2, 320, 1600 / 3, 800]);
  });

  it('drill-down: every count opens to that many records, and the CSV has the same rows', async () => {
    const funnel = await report<FunnelReport>('/api/reports/funnel?by=source');
    for (const [i, count] of funnel.total.counts.entries()) {
      expect((await records('funnel', funnel.cells.total[i])).total).toBe(count);
    }
    for (const [r, row] of funnel.rows.entries()) {
      for (const [i, count] of row.counts.entries()) {
        expect((await records('funnel', funnel.cells.rows[r]?.[i])).total).toBe(count);
      }
    }
    for (const url of [
      '/api/reports/breakdown?by=rep',
      '/api/reports/cohorts',
      '/api/reports/pipeline?by=product',
      '/api/reports/cost',
    ]) {
      const table = await report(url);
      const countColumns = table.columns.filter((c) => c.unit === 'count').map((c) => c.key);
      for (const row of [...table.rows, ...(table.total ? [table.total] : [])]) {
        for (const column of countColumns) {
          const listed = await records(table.report, row.cells[column]);
          expect([url, row.label, column, listed.total]).toEqual([
            url,
            row.label,
            column,
            row.values[column],
          ]);
          expect(listed.records.length).toBe(row.values[column]);
        }
      }
    }
    const cell = funnel.cells.total[1];
    const json = await records('funnel', cell);
    const csv = await get(`/api/reports/funnel/records?cell=${cell}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(json.columns.join(','));
    expect(lines.length - 1).toBe(5);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(json.records.map((r) => r.id));
  });

  it('answers 400 naming the allowed values for bad report names, options and periods', async () => {
    const cases: [string, RegExp][] = [
      ['/api/reports/forecast', /velocity.*attribution/],
      [
        '/api/reports/velocity?colour=red',
        /colour.*Allowed: period, from, to, segment, source, campaign, team, rep, by/,
      ],
      ['/api/reports/cohorts?period=yesterday', /last-quarter/],
      ['/api/reports/breakdown?by=planet', /source, campaign, segment, landing_page, rep/],
      ['/api/reports/pipeline?by=colour', /rep, team, product, sector/],
      ['/api/reports/attribution?by=channel', /campaign, source/],
      ['/api/reports/funnel?period=someday', /this-month/],
      ['/api/reports/funnel?colour=red', /allowed: period/],
      ['/api/reports/cost?team=finance', /marketing, sales/],
      ['/api/reports/cost?rep=bob', /user id/],
      ['/api/reports/velocity?period=this-month&from=2026-01-01T00:00:00Z', /either `period` or `from`/],
      ['/api/reports/breakdown?from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z', /before/],
      ['/api/reports/funnel/records?cell=not-a-cell', /cell/],
      ['/api/reports/nope/records?cell=abc', /funnel, velocity/],
    ];
    for (const [url, message] of cases) {
      const response = await get(url);
      expect([url, response.statusCode]).toEqual([url, 400]);
      expect(response.json().error.message).toMatch(message);
    }
  });

  // Last: it changes the workspace.
  it('stays current: a stage move recorded after a report shows in the next one', async () => {
    const before = await report<FunnelReport>('/api/reports/funnel');
    expect(before.total.counts).toEqual([6, 5, 3, 3, 3, 2]);
    const admin = await t.as('admin');
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/people/${w.people.p6}/transitions`,
      headers: admin,
      payload: { to: 'sal' },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const after = await report<FunnelReport>('/api/reports/funnel');
    expect(after.total.counts).toEqual([6, 5, 4, 3, 3, 2]);
    const sal = await records('funnel', after.cells.total[2]);
    expect(sal.records.map((r) => r.email)).toContain('p6@known.dev');
  });
});
