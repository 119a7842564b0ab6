// Cohorts: each month's new MQLs, and what share of them reached SQL and won — and how soon.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { type ReportContext, stageIndex } from './reports.dimensions.ts';
import { leadFactsCtes } from './reports.facts.ts';
import { filtersToJson } from './reports.filters.ts';
import { leadWhere } from './reports.predicates.ts';
import { cohortWindows, rollupScope } from './reports.rollup.ts';
import type { LeadCellSpec, ReportColumn, TableReport } from './reports.schema.ts';
import { makeRow, ratio, topRows } from './reports.table.ts';

export { cohortWindows };
export const cohortsOptions = {
  limit: z.coerce.number().int().min(1).max(1000).default(240).describe('Most months shown (oldest first)'),
};

/**
 * A cohort is the leads that became MQLs in one month (UTC; `month` of lead_facts). Reached SQL / won:
 * their history ever moved into that stage or beyond; within N days: no later than N days after
 * entering MQL.
 */
export async function cohortsReport(ctx: ReportContext, options: { limit: number }): Promise<TableReport> {
  const mql = stageIndex(ctx.stages, 'mql', 1);
  const sqlStage = stageIndex(ctx.stages, 'sql', 3);
  const won = ctx.stages.length - 1;
  const f = filtersToJson(ctx.filters);
  const conditions: Record<string, Omit<LeadCellSpec, 'kind' | 'f'>> = {
    mqls: { reached: mql },
    sqls: { reached: sqlStage },
    won: { reached: won },
  };
  for (const days of cohortWindows) {
    conditions[`sql_${days}`] = { reached: sqlStage, within: { from: mql, to: sqlStage, days } };
    conditions[`won_${days}`] = { reached: won, within: { from: mql, to: won, days } };
  }
  const counts = sql.join(
    Object.entries(conditions).map(
      ([key, condition]) => sql`count(*) FILTER (WHERE ${leadWhere(condition)})::int AS ${sql.raw(key)}`,
    ),
    sql`, `,
  );
  // From the rollups: the window columns hold the smallest window each lead made (reports.rollup.ts).
  const scope = rollupScope(ctx.filters, 'month');
  const rollupSums = sql.join(
    Object.entries(conditions).map(([key, c]) => {
      const window = c.within ? cohortWindows.indexOf(c.within.days as (typeof cohortWindows)[number]) : -1;
      const column = c.within?.to === sqlStage ? sql`r.sql_win` : sql`r.won_win`;
      const parts = [
        sql`r.reached >= ${c.reached ?? 0}`,
        ...(window >= 0 ? [sql`${column} <= ${window}`] : []),
      ];
      return sql`coalesce(sum(r.n) FILTER (WHERE ${sql.join(parts, sql` AND `)}), 0)::int AS ${sql.raw(key)}`;
    }),
    sql`, `,
  );
  const result = await queryRows<Record<string, number> & { month: string }>(
    ctx.db,
    scope
      ? sql`SELECT ${scope.expr('month')} AS month, ${rollupSums} FROM ${scope.table} ${scope.joins}
          WHERE ${scope.where} AND r.reached >= ${mql} GROUP BY 1 HAVING sum(r.n) > 0`
      : sql`WITH ${leadFactsCtes(ctx.filters, ctx.stages)}
          SELECT month, ${counts} FROM lead_facts WHERE reached >= ${mql} GROUP BY month`,
  );
  const stageLabel = (i: number) => ctx.stages[i]!.label;
  const columns: ReportColumn[] = [
    { key: 'mqls', label: `${stageLabel(mql)}s`, unit: 'count' },
    { key: 'sqls', label: `Reached ${stageLabel(sqlStage)}`, unit: 'count' },
    { key: 'sql_rate', label: `→ ${stageLabel(sqlStage)} %`, unit: 'rate' },
    ...cohortWindows.map((d) => ({
      key: `sql_${d}`,
      label: `${stageLabel(sqlStage)} ≤${d}d`,
      unit: 'count' as const,
    })),
    { key: 'won', label: `Reached ${stageLabel(won)}`, unit: 'count' },
    { key: 'won_rate', label: `→ ${stageLabel(won)} %`, unit: 'rate' },
    ...cohortWindows.map((d) => ({
      key: `won_${d}`,
      label: `${stageLabel(won)} ≤${d}d`,
      unit: 'count' as const,
    })),
  ];
  const cellOf = (month: string | null) => (col: string) => {
    const condition =
      conditions[col] ?? conditions[col.replace('_rate', 's')] ?? conditions[col.replace('_rate', '')];
    return condition
      ? {
          kind: 'leads' as const,
          f,
          ...condition,
          ...(month === null ? {} : { group: { col: 'month' as const, value: month } }),
        }
      : undefined;
  };
  const build = (month: string | null, row: Record<string, number>) => {
    const values: Record<string, number | null> = {};
    for (const column of columns) values[column.key] = row[column.key] ?? null;
    values.sql_rate = ratio(row.sqls, row.mqls);
    values.won_rate = ratio(row.won, row.mqls);
    return makeRow(month, month, values, cellOf(month));
  };
  const rows = result.map((row) => build(row.month, row));
  const sums: Record<string, number> = {};
  for (const row of result) {
    for (const key of Object.keys(conditions)) sums[key] = (sums[key] ?? 0) + (row[key] ?? 0);
  }
  const top = topRows(rows, 'month', options.limit);
  return {
    report: 'cohorts',
    title: 'Cohorts',
    description: `Each month's new ${stageLabel(mql)}s and the share that reached ${stageLabel(sqlStage)} and ${stageLabel(won)}, and how soon`,
    filters: f,
    options: {},
    columns,
    rows: top.rows,
    total: { ...build(null, sums), label: 'All months' },
    groupsOmitted: top.omitted,
    notes: [
      `A cohort is the leads that first entered ${stageLabel(mql)} in that month (UTC).`,
      `≤Nd: entered the stage no later than N days after entering ${stageLabel(mql)}.`,
    ],
  };
}
