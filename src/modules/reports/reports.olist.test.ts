// The Olist quality bar: MQLs, won deals, conversion and median days from first contact to won, per
// origin and per month, computed here from the two CSV files alone, must be exactly what every report
// that shows them says.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { OLIST_DIR } from '../../test/olist.ts';
import { importOlist } from '../import/olist.import.ts';
import type { FunnelReport } from './funnel.schema.ts';
import type { ReportRow, TableReport } from './reports.schema.ts';

// ---- The analyst's numbers: plain CSV parsing, São Paulo wall-clock times to instants, medians. ----
const read = (file: string) =>
  parse(fs.readFileSync(path.join(OLIST_DIR, file)), { columns: true }) as Record<string, string>[];

const saoPaulo = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Sao_Paulo',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
/** Minutes São Paulo is ahead of UTC at an instant. */
function offsetAt(instant: number): number {
  const p: Record<string, number> = {};
  for (const part of saoPaulo.formatToParts(instant)) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
  return (wall - instant) / 60_000;
}
/** "DD-MM-YYYY[ HH:mm]" in São Paulo → ms since epoch (the offset in force at that wall time). */
function instant(text: string): number {
  const [date, time = '00:00'] = text.trim().split(' ');
  const [d, m, y] = date!.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  return wall - offsetAt(wall - offsetAt(wall) * 60_000) * 60_000;
}
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Expected {
  mqls: number;
  won: number;
  conversion: number;
  medianDays: number | null;
}
function analyse() {
  const mqls = read('olist_marketing_qualified_leads_dataset.csv');
  const deals = new Map(read('olist_closed_deals_dataset.csv').map((deal) => [deal.mql_id!, deal]));
  const groups = {
    origin: new Map<string | null, { mqls: number; seconds: number[] }>(),
    month: new Map<string | null, { mqls: number; seconds: number[] }>(),
  };
  const all = { mqls: 0, seconds: [] as number[] };
  for (const mql of mqls) {
    const contact = mql.first_contact_date!;
    const [, m, y] = contact.slice(0, 10).split('-');
    const keys = { origin: mql.origin || null, month: `${y}-${m}` };
    const deal = deals.get(mql.mql_id!);
    // Whole seconds, so the median is exact; days = seconds / 86400, as the reports define them.
    const seconds = deal ? (instant(deal.won_date!) - instant(contact)) / 1000 : undefined;
    all.mqls++;
    if (seconds !== undefined) all.seconds.push(seconds);
    for (const dim of ['origin', 'month'] as const) {
      const group = groups[dim].get(keys[dim]) ?? { mqls: 0, seconds: [] };
      group.mqls++;
      if (seconds !== undefined) group.seconds.push(seconds);
      groups[dim].set(keys[dim], group);
    }
  }
  const finish = (g: { mqls: number; seconds: number[] }): Expected => {
    const mid = median(g.seconds);
    return {
      mqls: g.mqls,
      won: g.seconds.length,
      conversion: g.seconds.length / g.mqls,
      medianDays: mid === null ? null : mid / 86400,
    };
  };
  const per = (dim: 'origin' | 'month') => new Map([...groups[dim]].map(([k, g]) => [k, finish(g)]));
  // Won revenue: the declared monthly revenue of each closed deal, where above zero.
  const revenueByOrigin = new Map<string | null, number>();
  const origins = new Map(mqls.map((m) => [m.mql_id!, m.origin || null]));
  for (const deal of deals.values()) {
    const revenue = Number.parseFloat(deal.declared_monthly_revenue ?? '');
    if (!(revenue > 0) || !origins.has(deal.mql_id!)) continue;
    const origin = origins.get(deal.mql_id!) ?? null;
    revenueByOrigin.set(origin, (revenueByOrigin.get(origin) ?? 0) + revenue);
  }
  return { total: finish(all), origin: per('origin'), month: per('month'), revenueByOrigin };
}

const expected = analyse();
const cents = (n: number | null | undefined) => Math.round((n ?? 0) * 100);

describe.each(databaseKinds)('reports on the Olist data (%s)', (kind) => {
  let t: TestApp;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await importOlist(t.database, OLIST_DIR);
    headers = await t.as('viewer');
  }, 300_000);
  afterAll(async () => t?.close());

  const report = async <T = TableReport>(url: string): Promise<T> => {
    const response = await t.app.inject({ method: 'GET', url, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as T;
  };
  const byKey = (rows: ReportRow[]) => new Map(rows.map((row) => [row.key, row]));

  it('has the numbers the files have', () => {
    expect(expected.total).toMatchObject({ mqls: 8000, won: 842 });
    expect(expected.origin.get('organic_search')).toMatchObject({ mqls: 2296, won: 271 });
    expect(expected.month.size).toBe(12);
  });

  it('funnel, breakdown and cohorts give the same MQLs, won and conversion, in total, per origin and per month', async () => {
    const funnel = await report<FunnelReport>('/api/reports/funnel?by=source&limit=1000');
    expect([funnel.total.counts[1], funnel.total.counts.at(-1)]).toEqual([8000, 842]);
    for (const row of funnel.rows) {
      const want = expected.origin.get(row.group);
      expect([row.group, row.counts[1], row.counts.at(-1)]).toEqual([row.group, want?.mqls, want?.won]);
    }
    expect(funnel.rows.length).toBe(expected.origin.size);

    for (const [dim, by] of [
      ['origin', 'source'],
      ['month', 'month'],
    ] as const) {
      const breakdown = await report(`/api/reports/breakdown?by=${by}&limit=1000`);
      expect(breakdown.rows.length).toBe(expected[dim].size);
      for (const [key, want] of expected[dim]) {
        const row = byKey(breakdown.rows).get(key);
        expect([key, row?.values.mqls, row?.values.won, row?.values.mql_to_won]).toEqual([
          key,
          want.mqls,
          want.won,
          want.conversion,
        ]);
      }
      expect([breakdown.total?.values.mqls, breakdown.total?.values.won]).toEqual([8000, 842]);
    }

    const cohorts = await report('/api/reports/cohorts');
    expect(cohorts.rows.map((row) => row.key)).toEqual([...expected.month.keys()].sort());
    for (const row of cohorts.rows) {
      const want = expected.month.get(row.key);
      expect([row.key, row.values.mqls, row.values.won, row.values.won_rate]).toEqual([
        row.key,
        want?.mqls,
        want?.won,
        want?.conversion,
      ]);
    }
    expect([cohorts.total?.values.mqls, cohorts.total?.values.won]).toEqual([8000, 842]);
  });

  it('velocity gives the same median days from first contact to won, in total, per origin and per month', async () => {
    const total = byKey((await report('/api/reports/velocity')).rows).get('lead_to_won');
    expect([total?.values.n, total?.values.median]).toEqual([842, expected.total.medianDays]);
    for (const [dim, by] of [
      ['origin', 'source'],
      ['month', 'month'],
    ] as const) {
      const rows = byKey((await report(`/api/reports/velocity?by=${by}&limit=1000`)).rows);
      for (const [key, want] of expected[dim]) {
        const row = rows.get(key);
        expect([key, row?.values.won ?? 0, row?.values.median ?? null]).toEqual([
          key,
          want.won,
          want.medianDays,
        ]);
      }
    }
  });

  it('pipeline gives the same won deals and days from first contact (deal opened) to won, per origin and month', async () => {
    // The import makes each closed deal a won opportunity opened at the lead's first contact.
    const total = (await report('/api/reports/pipeline?by=source&limit=1000')).total;
    expect([total?.values.won_deals, total?.values.cycle_median]).toEqual([842, expected.total.medianDays]);
    for (const [dim, by] of [
      ['origin', 'source'],
      ['month', 'month'],
    ] as const) {
      const rows = byKey((await report(`/api/reports/pipeline?by=${by}&limit=1000`)).rows);
      for (const [key, want] of expected[dim]) {
        const row = rows.get(key);
        expect([key, row?.values.won_deals ?? 0, row?.values.cycle_median ?? null]).toEqual([
          key,
          want.won,
          want.medianDays,
        ]);
      }
    }
  });

  it('attribution credits each origin, as the first touch, with the won revenue of its deals', async () => {
    const attribution = await report('/api/reports/attribution?by=source&limit=1000');
    const rows = byKey(attribution.rows);
    let total = 0;
    for (const [origin, revenue] of expected.revenueByOrigin) {
      total += revenue;
      expect([origin, cents(rows.get(origin)?.values.first_touch)]).toEqual([origin, cents(revenue)]);
      // Olist has no campaign activities: the lead's creation is the only touch, so every model agrees.
      expect(cents(rows.get(origin)?.values.w_shaped)).toBe(cents(revenue));
    }
    expect(cents(attribution.total?.values.linear)).toBe(cents(total));
  });
});
