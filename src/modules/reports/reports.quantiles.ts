// Exact medians and p90s from the duration rollups, reading a bounded number of rows. Every duration
// row carries its bin (analytics_duration_bin, migration 0015: a slice of the time axis about 1% wide),
// and a second table counts per bin. A percentile needs the values at two ranks; the bin counts say
// which bins hold them and how many values lie below, so only the (seconds, count) rows of those bins
// are read, and of each bin only as far as the ranks needed, from its nearer end. The answer is
// PostgreSQL's percentile_cont over every duration, to the last digit, while the rows read follow
// the number of bins rather than the number of distinct durations (which, with times to the second,
// is about the number of leads).
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

/** How many durations of group `key` and step `step` fall in `bin`. */
export interface BinCount {
  key: string | null;
  step: number;
  bin: number;
  n: number;
}

/**
 * One bin of one group and step whose exact durations are needed: only its `take` lowest rows, or
 * its `take` highest with `fromTop` (every row counts at least one value, so `take` rows reach the
 * ranks needed).
 */
export interface BinTarget {
  key: string | null;
  step: number;
  bin: number;
  take: number;
  fromTop: boolean;
}

/** The durations of target `target` (its index), each value with its count. */
export interface BinValue {
  target: number;
  seconds: number;
  n: number;
}

export interface Quantiles {
  /** How many durations were measured. */
  n: number;
  /** One value per requested p, in seconds; null when nothing was measured. */
  values: (number | null)[];
}

const groupKey = (key: string | null, step: number) => JSON.stringify([key, step]);

/**
 * percentile_cont (position p × (N − 1), interpolated between the two nearest values in float8) for
 * every group and step of `counts`, reading from `readBins` only the bins that hold the ranks needed.
 * `readBins` must return each target's values in ascending order of seconds: at least its `take`
 * lowest (or highest) rows, or all of them.
 */
export async function exactQuantiles(
  counts: BinCount[],
  ps: readonly number[],
  readBins: (targets: BinTarget[]) => Promise<BinValue[]>,
): Promise<(key: string | null, step: number) => Quantiles> {
  const groups = new Map<string, { key: string | null; step: number; bins: { bin: number; n: number }[] }>();
  for (const c of counts) {
    const id = groupKey(c.key, c.step);
    const group = groups.get(id) ?? { key: c.key, step: c.step, bins: [] };
    group.bins.push({ bin: c.bin, n: c.n });
    groups.set(id, group);
  }
  // For every group, each rank needed: its bin and its rank among that bin's values.
  const targets: (BinTarget & { n: number; lowest: number; highest: number })[] = [];
  const targetIndex = new Map<string, number>();
  const plans = new Map<string, { n: number; ranks: { pos: number; at: [number, number][] }[] }>();
  for (const [id, group] of groups) {
    group.bins.sort((a, b) => a.bin - b.bin);
    const total = group.bins.reduce((sum, b) => sum + b.n, 0);
    if (total <= 0) continue;
    const locate = (rank: number): [number, number] => {
      let below = 0;
      for (const b of group.bins) {
        if (rank < below + b.n) {
          const key = JSON.stringify([group.key, group.step, b.bin]);
          let index = targetIndex.get(key);
          if (index === undefined) {
            const bin = { key: group.key, step: group.step, bin: b.bin, n: b.n, take: 0, fromTop: false };
            index = targets.push({ ...bin, lowest: rank - below, highest: rank - below }) - 1;
            targetIndex.set(key, index);
          }
          const target = targets[index]!;
          target.lowest = Math.min(target.lowest, rank - below);
          target.highest = Math.max(target.highest, rank - below);
          return [index, rank - below];
        }
        below += b.n;
      }
      throw new Error(`rank ${rank} is beyond the ${total} durations counted`);
    };
    const ranks = ps.map((p) => {
      const pos = p * (total - 1);
      return { pos, at: [locate(Math.floor(pos)), locate(Math.ceil(pos))] as [number, number][] };
    });
    plans.set(id, { n: total, ranks });
  }
  // Each bin is read from its nearer end to the ranks needed in it.
  for (const target of targets) {
    target.fromTop = target.n - target.lowest < target.highest + 1;
    target.take = target.fromTop ? target.n - target.lowest : target.highest + 1;
  }
  const values: { seconds: number; n: number }[][] = targets.map(() => []);
  if (targets.length > 0) {
    const asked = targets.map(({ key, step, bin, take, fromTop }) => ({ key, step, bin, take, fromTop }));
    for (const v of await readBins(asked)) values[v.target]?.push({ seconds: Number(v.seconds), n: v.n });
  }
  // How many values of a bin lie below the first one read: those of the rows left unread.
  const unread = targets.map((target, i) =>
    target.fromTop ? target.n - values[i]!.reduce((sum, v) => sum + v.n, 0) : 0,
  );
  const valueAt = ([target, rank]: [number, number]): number => {
    let seen = unread[target]!;
    if (rank < seen)
      throw new Error(`duration bin ${JSON.stringify(targets[target])} was not read down to rank ${rank}`);
    for (const v of values[target]!) {
      seen += v.n;
      if (rank < seen) return v.seconds;
    }
    // The bin counts and the durations are written in the same transaction and read in one snapshot.
    throw new Error(`duration bin ${JSON.stringify(targets[target])} holds fewer values than counted`);
  };
  return (key, step) => {
    const plan = plans.get(groupKey(key, step));
    if (!plan) return { n: 0, values: ps.map(() => null) };
    return {
      n: plan.n,
      values: plan.ranks.map(({ pos, at }) => {
        const lo = valueAt(at[0]!);
        const lower = Math.floor(pos);
        return pos === lower ? lo : lo + (valueAt(at[1]!) - lo) * (pos - lower);
      }),
    };
  };
}

/** The two tables of each kind of duration: lead velocity steps, and deals' sales cycles (step 0). */
const durationTables = {
  lead: {
    bins: sql`analytics_lead_duration_bins r`,
    durations: sql`analytics_lead_durations r`,
    stepped: true,
  },
  deal: {
    bins: sql`analytics_deal_duration_bins r`,
    durations: sql`analytics_deal_durations r`,
    stepped: false,
  },
};

/** Where the two reads of exactQuantiles find their rows. */
export interface DurationSource {
  of: keyof typeof durationTables;
  /**
   * The rollup scope: joins on r (users u, campaigns c) and conditions over r; `binsWhere` for the
   * bins when it differs; `oneValue` when every row has the same r.value (then rows come in index order).
   */
  scope: { joins: SQL; joined: boolean; oneValue: boolean; where: SQL; binsWhere?: SQL };
  /** The group of a row, over r; `keyIsValue` when it is r.value itself (then the read uses the index). */
  key: SQL;
  keyIsValue: boolean;
}

/** The key of every group together (the total row of a grouped report); never sent to the database. */
export const ALL_GROUPS = '\u0000all';

/**
 * Median and p90 (or any `ps`) of every group and step, exactly, from one source: the bin counts,
 * then the durations of the bins needed. Call it inside one snapshot (reports run in `withoutJit`'s
 * repeatable-read transaction), so that both reads see the same rollups. With `overall` the groups
 * together count as one more group, keyed ALL_GROUPS.
 */
export async function durationQuantiles(
  db: Db,
  source: DurationSource,
  ps: readonly number[],
  options: { overall?: boolean } = {},
): Promise<(key: string | null, step: number) => Quantiles> {
  const { bins, durations, stepped } = durationTables[source.of];
  const { joins, where } = source.scope;
  const step = stepped ? sql`r.step` : sql`0`;
  const by = stepped ? sql`r.step, r.bin` : sql`r.bin`;
  const sets = options.overall
    ? sql`GROUPING SETS ((${source.key}, ${by}), (${by}))`
    : sql`${source.key}, ${by}`;
  const rows = await queryRows<BinCount & { overall: number }>(
    db,
    sql`SELECT ${source.key} AS key, grouping(${source.key}) AS overall, ${step}::int AS step, r.bin,
                   sum(r.n)::int AS n
            FROM ${bins} ${joins} WHERE ${source.scope.binsWhere ?? where}
            GROUP BY ${sets} HAVING sum(r.n) > 0`,
  );
  const counts = rows.map((r) => ({ ...r, key: r.overall === 1 ? ALL_GROUPS : r.key }));
  return exactQuantiles(counts, ps, async (targets) => {
    // `ordered`: each target's rows share one r.value, so the index gives them in order of seconds.
    const read = (list: [BinTarget, number][], match: SQL, ordered: boolean) => {
      const json = JSON.stringify(
        list.map(([t, i]) => ({
          i,
          key: t.key === ALL_GROUPS ? null : t.key,
          step: t.step,
          bin: t.bin,
          take: t.take,
          top: t.fromTop,
        })),
      );
      const rows = sql`SELECT r.seconds, r.n FROM ${durations} ${joins}
        WHERE ${where} AND r.bin = t.bin ${stepped ? sql`AND r.step = t.step` : sql``} AND ${match} AND r.n > 0`;
      const up = ordered ? sql`r.value, r.seconds` : sql`r.seconds`;
      const down = ordered ? sql`r.value DESC, r.seconds DESC` : sql`r.seconds DESC`;
      // From the bin's lower end or from its upper one (the other branch's LIMIT 0 reads nothing).
      // Not under a join to users or campaigns: PostgreSQL, expecting a row or two, then scans
      // users once per duration read (pipeline by rep at a million leads: 12 → 23 ms).
      const reading = source.scope.joined
        ? rows
        : sql`(${rows} ORDER BY ${up} LIMIT CASE WHEN t.top THEN 0 ELSE t.take END)
              UNION ALL
              (${rows} ORDER BY ${down} LIMIT CASE WHEN t.top THEN t.take ELSE 0 END)`;
      return queryRows<BinValue>(
        db,
        // LATERAL: one index range per target, whatever the statistics say.
        sql`SELECT t.i AS target, x.seconds, sum(x.n)::int AS n
                FROM jsonb_to_recordset(${json}::jsonb) AS t(i int, key text, step int, bin int, take int, top boolean)
                CROSS JOIN LATERAL (${reading}) x
                GROUP BY 1, 2 HAVING sum(x.n) <> 0 ORDER BY 1, 2`,
      );
    };
    const indexed = targets.map((t, i) => [t, i] as [BinTarget, number]);
    const all = indexed.filter(([t]) => t.key === ALL_GROUPS);
    const groups = indexed.filter(([t]) => t.key !== ALL_GROUPS);
    const reads: [[BinTarget, number][], SQL, boolean][] = [[all, sql`TRUE`, source.scope.oneValue]];
    if (source.keyIsValue) {
      // r.value compared with an equality (or IS NULL), which the index answers.
      reads.push([groups.filter(([t]) => t.key !== null), sql`r.value = t.key`, true]);
      reads.push([groups.filter(([t]) => t.key === null), sql`r.value IS NULL`, true]);
    } else {
      reads.push([groups, sql`${source.key} IS NOT DISTINCT FROM t.key`, source.scope.oneValue]);
    }
    const values: BinValue[] = [];
    for (const [list, match, ordered] of reads)
      if (list.length > 0) for (const value of await read(list, match, ordered)) values.push(value);
    return values;
  });
}
