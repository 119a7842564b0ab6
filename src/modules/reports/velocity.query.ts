// Velocity: how long leads take from each funnel stage to the next, and from lead to won.
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import {
  type LeadDimension,
  leadDimensionColumns,
  leadDimensions,
  type ReportContext,
} from './reports.dimensions.ts';
import { at, column, type LeadColumn, leadFactsCtes } from './reports.facts.ts';
import { filtersToJson } from './reports.filters.ts';
import { secondsBetween } from './reports.predicates.ts';
import { durationQuantiles } from './reports.quantiles.ts';
import { type RollupScope, rollupScope } from './reports.rollup.ts';
import type { ReportColumn, ReportRow, TableReport } from './reports.schema.ts';
import { makeRow, num, topRows } from './reports.table.ts';

const velocityBy = ['none', ...leadDimensions] as const;

export const velocityOptions = {
  by: z
    .enum(velocityBy, { error: `must be one of ${velocityBy.join(', ')}` })
    .default('none')
    .describe('none: one row per stage; otherwise lead-to-won per group'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};
type VelocityOptions = { by: (typeof velocityBy)[number]; limit: number };

interface Step {
  key: string;
  label: string;
  from: number;
  to: number;
}

function steps(ctx: ReportContext): Step[] {
  const { stages } = ctx;
  const last = stages.length - 1;
  const between = stages.slice(0, -1).map((stage, i) => ({
    key: `${stage.key}_to_${stages[i + 1]!.key}`,
    label: `${stage.label} → ${stages[i + 1]!.label}`,
    from: i,
    to: i + 1,
  }));
  return [
    ...between,
    { key: 'lead_to_won', label: `${stages[0]!.label} → ${stages[last]!.label}`, from: 0, to: last },
  ];
}

/** Per step: how many leads were measured, and the median and p90 (one sort per step). */
const stats = (_step: Step, i: number): SQL => {
  const d = sql.raw(`d_${i}`);
  return sql`count(${d})::int AS ${sql.raw(`n_${i}`)},
    (percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${d})) AS ${sql.raw(`q_${i}`)}`;
};

/**
 * Days are measured from entering a stage (the first move into it; see lead_facts) to entering the
 * next funnel stage, for the leads that did both; lead-to-won runs from the lead's creation to its
 * first move into won. Median and p90 are percentile_cont over those times (interpolated).
 */
/**
 * The same rows as the lead_facts query (key, label, n_i, q_i = [median, p90] in seconds) from the
 * rollups: the groups from analytics_lead_rollup, the medians and p90s exactly from the duration bins
 * and the durations of the bins that hold them (reports.quantiles.ts).
 */
async function fromRollup(
  ctx: ReportContext,
  scope: RollupScope,
  dimension: [LeadColumn, LeadColumn] | undefined,
  stepCount: number,
): Promise<Record<string, unknown>[]> {
  const key = dimension ? scope.expr(dimension[0]) : sql`NULL::text`;
  const label = dimension ? scope.expr(dimension[1]) : sql`NULL::text`;
  const groups = await queryRows<{ key: string | null; label: string | null }>(
    ctx.db,
    sql`SELECT ${key} AS key, min(${label}) AS label FROM ${scope.table} ${scope.joins}
        WHERE ${scope.where} GROUP BY 1 HAVING sum(r.n) > 0`,
  );
  const quantiles = await durationQuantiles(
    ctx.db,
    { of: 'lead', scope, key, keyIsValue: dimension !== undefined && scope.isValue(dimension[0]) },
    [0.5, 0.9],
  );
  return groups.map((group) => {
    const row: Record<string, unknown> = { key: group.key, label: group.label };
    for (let i = 0; i < stepCount; i++) {
      const q = quantiles(group.key, i);
      row[`n_${i}`] = q.n;
      row[`q_${i}`] = q.n === 0 ? null : q.values;
    }
    return row;
  });
}

/** Median (0) or p90 (1) of step i in days; the query gives seconds. */
function quantile(row: Record<string, unknown>, i: number, which: 0 | 1): number | null {
  const seconds = (row[`q_${i}`] as (number | string | null)[] | null)?.[which];
  return seconds === null || seconds === undefined ? null : Number(seconds) / 86400;
}

export async function velocityReport(ctx: ReportContext, options: VelocityOptions): Promise<TableReport> {
  const all = steps(ctx);
  const f = filtersToJson(ctx.filters);
  const dimension = options.by === 'none' ? undefined : leadDimensionColumns[options.by as LeadDimension];
  const keyColumn = dimension ? column(dimension[0]) : sql`NULL::text`;
  const labelColumn = dimension ? column(dimension[1]) : sql`NULL::text`;
  const scope = rollupScope(ctx.filters, dimension ? dimension[0] : null, { durations: true });
  const result = scope
    ? await fromRollup(ctx, scope, dimension, all.length)
    : await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`WITH ${leadFactsCtes(ctx.filters, ctx.stages)}
      SELECT key, min(label) AS label, ${sql.join(all.map(stats), sql`, `)}
      FROM (
        SELECT ${keyColumn} AS key, ${labelColumn} AS label,
               ${sql.join(
                 all.map(
                   (step, i) => sql`${secondsBetween(at(step.from), at(step.to))} AS ${sql.raw(`d_${i}`)}`,
                 ),
                 sql`, `,
               )}
        FROM lead_facts
      ) measured
      GROUP BY 1`,
      );
  const cellFor = (key: string | null, step: Step) => ({
    kind: 'leads' as const,
    f,
    measured: { from: step.from, to: step.to },
    ...(dimension ? { group: { col: dimension[0], value: key } } : {}),
  });
  const notes = [
    'Days from first entering a stage to first entering the next one, for leads that did both.',
    `${all.at(-1)!.label}: from the lead's creation to its first move into ${ctx.stages.at(-1)!.label}.`,
    'Median and p90 interpolate between the two nearest values (percentile_cont).',
  ];
  const base = {
    report: 'velocity' as const,
    title: 'Velocity',
    description: 'Median and p90 days in each stage, and from lead to won',
    filters: f,
    options: { by: options.by },
    notes,
  };
  if (!dimension) {
    const row = result[0] ?? {};
    const columns: ReportColumn[] = [
      { key: 'n', label: 'Leads measured', unit: 'count' },
      { key: 'median', label: 'Median days', unit: 'days' },
      { key: 'p90', label: 'p90 days', unit: 'days' },
    ];
    const rows = all.map((step, i) =>
      makeRow(
        step.key,
        step.label,
        { n: num(row[`n_${i}`]) ?? 0, median: quantile(row, i, 0), p90: quantile(row, i, 1) },
        () => cellFor(null, step),
      ),
    );
    return { ...base, columns, rows, total: null, groupsOmitted: 0 };
  }
  const wonIndex = all.length - 1;
  const won = all[wonIndex]!;
  const columns: ReportColumn[] = [
    { key: 'won', label: `Reached ${ctx.stages.at(-1)!.label}`, unit: 'count' },
    { key: 'median', label: 'Median days lead → won', unit: 'days' },
    { key: 'p90', label: 'p90 days lead → won', unit: 'days' },
    ...all
      .slice(0, -1)
      .map((step) => ({ key: step.key, label: `Median ${step.label}`, unit: 'days' as const })),
  ];
  const rows: ReportRow[] = result.map((row) => {
    const key = (row.key as string | null) ?? null;
    const values: Record<string, number | null> = {
      won: num(row[`n_${wonIndex}`]) ?? 0,
      median: quantile(row, wonIndex, 0),
      p90: quantile(row, wonIndex, 1),
    };
    all.slice(0, -1).forEach((step, i) => {
      values[step.key] = quantile(row, i, 0);
    });
    return makeRow(key, (row.label as string | null) ?? key, values, (col) => {
      const step = all.find((s) => s.key === col) ?? won;
      return cellFor(key, step);
    });
  });
  const top = topRows(rows, options.by === 'month' ? 'month' : 'won', options.limit);
  return { ...base, columns, rows: top.rows, total: null, groupsOmitted: top.omitted };
}
