// Cost: what each MQL, SQL and won deal cost, for the campaigns whose cost is known.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { type ReportContext, stageIndex } from './reports.dimensions.ts';
import { leadFactsCtes } from './reports.facts.ts';
import { filtersToJson } from './reports.filters.ts';
import { rollupScope } from './reports.rollup.ts';
import type { ReportColumn, TableReport } from './reports.schema.ts';
import { makeRow, num, ratio, topRows } from './reports.table.ts';

export const costOptions = {
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Most campaigns, costliest first'),
};

interface CostRow {
  key: string;
  label: string;
  cost: string | number;
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
}

/**
 * Per campaign with a cost: the leads it brought in (people.campaign_id) within the filters, how many
 * reached MQL, SQL and won, and cost ÷ each. The cost is the campaign's whole recorded cost.
 */
export async function costReport(ctx: ReportContext, options: { limit: number }): Promise<TableReport> {
  const f = filtersToJson(ctx.filters);
  const reached = {
    leads: 0,
    mqls: stageIndex(ctx.stages, 'mql', 1),
    sqls: stageIndex(ctx.stages, 'sql', 3),
    won: ctx.stages.length - 1,
  };
  const counts = sql.join(
    Object.entries(reached).map(
      ([key, index]) => sql`count(l.id) FILTER (WHERE l.reached >= ${index})::int AS ${sql.raw(key)}`,
    ),
    sql`, `,
  );
  const scope = rollupScope(ctx.filters, 'campaign_id');
  const sums = sql.join(
    Object.entries(reached).map(
      ([key, index]) =>
        sql`coalesce(sum(r.n) FILTER (WHERE r.reached >= ${index}), 0)::int AS ${sql.raw(key)}`,
    ),
    sql`, `,
  );
  const costed = sql`c.cost IS NOT NULL AND (${ctx.filters.campaign}::uuid IS NULL OR c.id = ${ctx.filters.campaign}::uuid)`;
  const result = await queryRows<CostRow>(
    ctx.db,
    scope
      ? sql`SELECT c.id::text AS key, c.name AS label, c.cost,
                 ${sql.join(
                   Object.keys(reached).map((key) => sql`coalesce(x.${sql.raw(key)}, 0) AS ${sql.raw(key)}`),
                   sql`, `,
                 )}
          FROM campaigns c
          LEFT JOIN (SELECT ${scope.expr('campaign_id')} AS campaign_id, ${sums}
                     FROM ${scope.table} ${scope.joins} WHERE ${scope.where} GROUP BY 1) x
            ON x.campaign_id = c.id::text
          WHERE ${costed}`
      : sql`WITH ${leadFactsCtes(ctx.filters, ctx.stages)}
      SELECT c.id::text AS key, c.name AS label, c.cost, ${counts}
      FROM campaigns c LEFT JOIN lead_facts l ON l.campaign_id = c.id::text
      WHERE c.cost IS NOT NULL AND (${ctx.filters.campaign}::uuid IS NULL OR c.id = ${ctx.filters.campaign}::uuid)
      GROUP BY c.id, c.name, c.cost`,
  );
  const label = (i: number) => ctx.stages[i]!.label;
  const columns: ReportColumn[] = [
    { key: 'cost', label: 'Cost', unit: 'money' },
    { key: 'leads', label: 'Leads', unit: 'count' },
    { key: 'mqls', label: `${label(reached.mqls)}s`, unit: 'count' },
    { key: 'sqls', label: `${label(reached.sqls)}s`, unit: 'count' },
    { key: 'won', label: label(reached.won), unit: 'count' },
    { key: 'cost_per_mql', label: `Cost per ${label(reached.mqls)}`, unit: 'money' },
    { key: 'cost_per_sql', label: `Cost per ${label(reached.sqls)}`, unit: 'money' },
    { key: 'cost_per_won', label: `Cost per ${label(reached.won)}`, unit: 'money' },
  ];
  const reachedFor: Record<string, number> = {
    ...reached,
    cost: 0,
    cost_per_mql: reached.mqls,
    cost_per_sql: reached.sqls,
    cost_per_won: reached.won,
  };
  const build = (key: string | null, rowLabel: string, row: Omit<CostRow, 'key' | 'label'>) => {
    const cost = num(row.cost) ?? 0;
    return makeRow(
      key,
      rowLabel,
      {
        cost,
        leads: row.leads,
        mqls: row.mqls,
        sqls: row.sqls,
        won: row.won,
        cost_per_mql: ratio(cost, row.mqls),
        cost_per_sql: ratio(cost, row.sqls),
        cost_per_won: ratio(cost, row.won),
      },
      (col) => ({
        kind: 'leads',
        f,
        reached: reachedFor[col] ?? 0,
        ...(key === null ? { costed: true } : { group: { col: 'campaign_id', value: key } }),
      }),
    );
  };
  const rows = result.map((row) => build(row.key, row.label, row));
  const sum = (pick: (row: CostRow) => number) => result.reduce((total, row) => total + pick(row), 0);
  const total = build(null, 'All campaigns with a cost', {
    cost: sum((row) => num(row.cost) ?? 0),
    leads: sum((row) => row.leads),
    mqls: sum((row) => row.mqls),
    sqls: sum((row) => row.sqls),
    won: sum((row) => row.won),
  });
  const top = topRows(rows, 'cost', options.limit);
  return {
    report: 'cost',
    title: 'Cost per stage',
    description: `Cost per ${label(reached.mqls)}, ${label(reached.sqls)} and ${label(reached.won)} for campaigns with a known cost`,
    filters: f,
    options: {},
    columns,
    rows: top.rows,
    total,
    groupsOmitted: top.omitted,
    notes: [
      'Only campaigns with a recorded cost. A lead belongs to the campaign that brought it in (its campaign field).',
      'The cost is the campaign’s whole cost, whatever the period; the counts are of leads created in the period.',
    ],
  };
}
