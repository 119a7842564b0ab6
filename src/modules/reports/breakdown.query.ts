// Breakdown: the main funnel numbers side by side per source, campaign, segment, landing page or rep.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import {
  type LeadDimension,
  leadDimensionColumns,
  leadDimensions,
  type ReportContext,
  stageIndex,
} from './reports.dimensions.ts';
import { column, leadFactsCtes } from './reports.facts.ts';
import { filtersToJson } from './reports.filters.ts';
import { rollupScope } from './reports.rollup.ts';
import type { ReportColumn, TableReport } from './reports.schema.ts';
import { makeRow, ratio, topRows } from './reports.table.ts';

export const breakdownOptions = {
  by: z
    .enum(leadDimensions, { error: `must be one of ${leadDimensions.join(', ')}` })
    .default('source')
    .describe('The field to break the numbers down by'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Most groups, largest first'),
};

export async function breakdownReport(
  ctx: ReportContext,
  options: { by: LeadDimension; limit: number },
): Promise<TableReport> {
  const [keyColumn, labelColumn] = leadDimensionColumns[options.by];
  const stagesShown = [
    { key: 'leads', index: 0 },
    { key: 'mqls', index: stageIndex(ctx.stages, 'mql', 1) },
    { key: 'sqls', index: stageIndex(ctx.stages, 'sql', 3) },
    { key: 'won', index: ctx.stages.length - 1 },
  ];
  const f = filtersToJson(ctx.filters);
  const counts = sql.join(
    stagesShown.map((s) => sql`count(*) FILTER (WHERE reached >= ${s.index})::int AS ${sql.raw(s.key)}`),
    sql`, `,
  );
  type Row = Record<string, number> & { key: string | null; label: string | null };
  const scope = rollupScope(ctx.filters, keyColumn);
  const rollupCounts = sql.join(
    stagesShown.map(
      (s) => sql`coalesce(sum(r.n) FILTER (WHERE r.reached >= ${s.index}), 0)::int AS ${sql.raw(s.key)}`,
    ),
    sql`, `,
  );
  const result = await queryRows<Row>(
    ctx.db,
    scope
      ? sql`SELECT ${scope.expr(keyColumn)} AS key, min(${scope.expr(labelColumn)}) AS label, ${rollupCounts}
          FROM ${scope.table} ${scope.joins}
          WHERE ${scope.where} GROUP BY 1 HAVING sum(r.n) > 0`
      : sql`WITH ${leadFactsCtes(ctx.filters, ctx.stages)}
          SELECT ${column(keyColumn)} AS key, min(${column(labelColumn)}) AS label, ${counts}
          FROM lead_facts GROUP BY 1`,
  );
  const label = (i: number) => ctx.stages[i]!.label;
  const [leads, mqls, sqls, won] = stagesShown.map((s) => s.index) as [number, number, number, number];
  const columns: ReportColumn[] = [
    { key: 'leads', label: 'Leads', unit: 'count' },
    { key: 'mqls', label: `${label(mqls)}s`, unit: 'count' },
    { key: 'sqls', label: `${label(sqls)}s`, unit: 'count' },
    { key: 'won', label: label(won), unit: 'count' },
    { key: 'lead_to_mql', label: `Lead → ${label(mqls)}`, unit: 'rate' },
    { key: 'mql_to_sql', label: `${label(mqls)} → ${label(sqls)}`, unit: 'rate' },
    { key: 'sql_to_won', label: `${label(sqls)} → ${label(won)}`, unit: 'rate' },
    { key: 'mql_to_won', label: `${label(mqls)} → ${label(won)}`, unit: 'rate' },
  ];
  // A rate opens the records of its numerator.
  const reachedFor: Record<string, number> = {
    leads,
    mqls,
    sqls,
    won,
    lead_to_mql: mqls,
    mql_to_sql: sqls,
    sql_to_won: won,
    mql_to_won: won,
  };
  const build = (
    key: string | null,
    rowLabel: string | null,
    row: Record<string, number>,
    grouped: boolean,
  ) =>
    makeRow(
      key,
      rowLabel,
      {
        leads: row.leads ?? 0,
        mqls: row.mqls ?? 0,
        sqls: row.sqls ?? 0,
        won: row.won ?? 0,
        lead_to_mql: ratio(row.mqls, row.leads),
        mql_to_sql: ratio(row.sqls, row.mqls),
        sql_to_won: ratio(row.won, row.sqls),
        mql_to_won: ratio(row.won, row.mqls),
      },
      (col) => ({
        kind: 'leads',
        f,
        reached: reachedFor[col] ?? 0,
        ...(grouped ? { group: { col: keyColumn, value: key } } : {}),
      }),
    );
  const rows = result.map((row) => build(row.key, row.label ?? row.key, row, true));
  const sums: Record<string, number> = {};
  for (const row of result) for (const s of stagesShown) sums[s.key] = (sums[s.key] ?? 0) + (row[s.key] ?? 0);
  const top = topRows(rows, options.by === 'month' ? 'month' : 'leads', options.limit);
  return {
    report: 'breakdown',
    title: 'Breakdown',
    description: `Leads, ${label(mqls)}s, ${label(sqls)}s and ${label(won)} per ${options.by.replace('_', ' ')}`,
    filters: f,
    options: { by: options.by },
    columns,
    rows: top.rows,
    total: build(null, 'Total', sums, false),
    groupsOmitted: top.omitted,
    notes: [
      'A lead counts at a stage when its history ever moved into that stage or a later one (as in the funnel).',
      'Segment: the company’s industry, else the lead’s business segment (from its attributes).',
    ],
  };
}
