// Exact percentiles from bins: the same numbers as PostgreSQL's percentile_cont over every value,
// with only the bins that hold the needed ranks read.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { type BinTarget, exactQuantiles } from './reports.quantiles.ts';

describe('exactQuantiles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** percentile_cont by PostgreSQL, and the bins analytics_duration_bin gives each value. */
  async function postgres(values: number[], ps: number[]) {
    const list = values.join(',');
    const [row] = await t.database.rows<{ q: number[] }>(
      sql`SELECT percentile_cont(${`{${ps.join(',')}}`}::float8[]) WITHIN GROUP (ORDER BY v) AS q
          FROM unnest(string_to_array(${list}, ',')::float8[]) v`,
    );
    const bins = await t.database.rows<{ v: number; bin: number }>(
      sql`SELECT v, analytics_duration_bin(v) AS bin FROM unnest(string_to_array(${list}, ',')::float8[]) v`,
    );
    return { q: row!.q.map(Number), bins: bins.map((b) => ({ value: Number(b.v), bin: b.bin })) };
  }

  /** Runs exactQuantiles for groups of values, serving the exact reads from memory and recording them. */
  async function quantilesOf(groups: Map<string | null, number[][]>, ps: number[]) {
    const counted = new Map<string, { key: string | null; step: number; bin: number; values: number[] }>();
    for (const [key, steps] of groups) {
      for (const [step, values] of steps.entries()) {
        for (const { value, bin } of (await postgres(values, ps)).bins) {
          const id = JSON.stringify([key, step, bin]);
          const entry = counted.get(id) ?? { key, step, bin, values: [] };
          entry.values.push(value);
          counted.set(id, entry);
        }
      }
    }
    const asked: BinTarget[] = [];
    let rowsRead = 0;
    const quantiles = await exactQuantiles(
      [...counted.values()].map((c) => ({ key: c.key, step: c.step, bin: c.bin, n: c.values.length })),
      ps,
      async (targets) => {
        asked.push(...targets);
        return targets.flatMap((target, i) => {
          const entry = counted.get(JSON.stringify([target.key, target.step, target.bin]))!;
          // One row per value, as the rollups keep a row per bucket: a read may stop inside a run of
          // equal values, as PostgreSQL's LIMIT does.
          const rows = [...entry.values].sort((a, b) => a - b);
          const read = target.fromTop ? rows.slice(rows.length - target.take) : rows.slice(0, target.take);
          rowsRead += read.length;
          const counts = new Map<number, number>();
          for (const v of read) counts.set(v, (counts.get(v) ?? 0) + 1);
          return [...counts].sort((a, b) => a[0] - b[0]).map(([seconds, n]) => ({ target: i, seconds, n }));
        });
      },
    );
    return { quantiles, asked, bins: counted.size, rowsRead };
  }

  it('equals percentile_cont for every group and step, reading at most two bins per percentile', async () => {
    // Durations to the second over days to months, with repeats, a negative one, zero, and fractions.
    const spread = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 997) * 3_613.25 + ((i * seed) % 7) * 0.001);
    const groups = new Map<string | null, number[][]>([
      [null, [spread(400, 11), [...spread(250, 5), -3_600, 0, 0, 86_400, 86_400]]],
      ['web', [spread(37, 3), [42]]],
      ['ads', [[7, 7, 7, 7], spread(2, 1)]],
    ]);
    const ps = [0.5, 0.9, 0.25, 0.99];
    const { quantiles, asked, bins } = await quantilesOf(groups, ps);
    for (const [key, steps] of groups) {
      for (const [step, values] of steps.entries()) {
        const expected = (await postgres(values, ps)).q;
        expect(quantiles(key, step), `${key} step ${step}`).toEqual({ n: values.length, values: expected });
      }
    }
    // 6 groups × 4 percentiles × at most 2 bins each, out of every bin counted.
    expect(asked.length).toBeLessThanOrEqual(6 * 4 * 2);
    expect(bins).toBeGreaterThan(300);
    expect(quantiles('missing', 0)).toEqual({ n: 0, values: [null, null, null, null] });
  });

  it('reads a crowded bin only from its nearer end to the ranks needed, runs of equal values included', async () => {
    // A million leads put hundreds of durations in the bin of a median: here 1,000 within one day's
    // bin, each value repeated up to four times (rows of several buckets).
    const crowded = Array.from(
      { length: 1000 },
      (_, i) => 86_700 + Math.floor(((i * 7919) % 1000) / 4) * 3.25,
    );
    for (const ps of [[0.5], [0.1], [0.9], [0.25, 0.75], [0.02, 0.99]]) {
      const { quantiles, asked, rowsRead } = await quantilesOf(new Map([[null, [crowded]]]), ps);
      expect(new Set(asked.map((t) => t.bin)).size, 'one bin').toBe(1);
      expect(quantiles(null, 0), `ps ${ps}`).toEqual({ n: 1000, values: (await postgres(crowded, ps)).q });
      // Rows up to the farthest rank needed from the nearer end, never the whole bin.
      const nearest = Math.max(
        ...ps.map((p) => Math.min(Math.ceil(p * 999) + 1, 1000 - Math.floor(p * 999))),
      );
      expect(rowsRead, `ps ${ps}`).toBeLessThanOrEqual(ps.length === 1 ? nearest : 1000);
      if (ps.length === 1) expect(rowsRead).toBeLessThanOrEqual(501);
    }
  });

  it('bins keep order: every value of a lower bin is below every value of a higher one', async () => {
    const values = [-86_400 * 30, -1.5, -1, -0.5, 0, 0.25, 1, 59, 60, 61, 3_600, 86_400, 86_400 * 365 * 10];
    const { bins } = await postgres(values, [0.5]);
    const sorted = [...bins].sort((a, b) => a.value - b.value);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.bin).toBeGreaterThanOrEqual(sorted[i - 1]!.bin);
    // About 1% wide: one day and one day plus 1% are one bin apart at most.
    const [day, dayPlus] = (await postgres([86_400, 86_400 * 1.01], [0.5])).bins;
    expect(dayPlus!.bin - day!.bin).toBe(1);
  });
});
