// Pipeline: open pipeline and won value, win rate, deal size and sales cycle per rep, team, product or sector.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { type DealRollupScope, dealRollupScope } from './deals.rollup.ts';
import {
  type DealDimension,
  dealDimensionColumns,
  dealDimensions,
  type ReportContext,
} from './reports.dimensions.ts';
import { column, type DealColumn, dealFactsCte } from './reports.facts.ts';
import { filtersToJson } from './reports.filters.ts';
import { secondsBetween } from './reports.predicates.ts';
import { ALL_GROUPS, durationQuantiles, type Quantiles } from './reports.quantiles.ts';
import type { DealCellSpec, ReportColumn, TableReport } from './reports.schema.ts';
import { makeRow, num, ratio, topRows } from './reports.table.ts';

export const pipelineOptions = {
  by: z
    .enum(dealDimensions, { error: `must be one of ${dealDimensions.join(', ')}` })
    .default('rep')
    .describe('rep, team, product or sector (the account industry), among others'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Most groups, largest first'),
};

interface PipelineRow {
  key: string | null;
  label: string | null;
  open_deals: number;
  pipeline_value: string | number | null;
  won_deals: number;
  won_value: string | number | null;
  lost_deals: number;
  cycle_median: number | null;
}

const outcomeOf: Record<string, DealCellSpec['outcome']> = {
  open_deals: 'open',
  pipeline_value: 'open',
  won_deals: 'won',
  won_value: 'won',
  avg_deal: 'won',
  cycle_median: 'won',
  lost_deals: 'lost',
  win_rate: 'closed',
};

/** Every group, then (last) the grand total, read from deal_facts. */
function fromDeals(
  ctx: ReportContext,
  keyColumn: DealColumn,
  labelColumn: DealColumn,
): Promise<PipelineRow[]> {
  const aggregates = sql`
    count(*) FILTER (WHERE outcome = 'open')::int AS open_deals,
    coalesce(sum(amount) FILTER (WHERE outcome = 'open'), 0) AS pipeline_value,
    count(*) FILTER (WHERE outcome = 'won')::int AS won_deals,
    coalesce(sum(amount) FILTER (WHERE outcome = 'won'), 0) AS won_value,
    count(*) FILTER (WHERE outcome = 'lost')::int AS lost_deals,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN outcome = 'won' THEN ${secondsBetween(sql`opened_at`, sql`closed_at`)} END) / 86400 AS cycle_median`;
  return queryRows<PipelineRow>(
    ctx.db,
    sql`WITH ${dealFactsCte(ctx.filters, ctx.outcomes, 'opened')}
      SELECT ${column(keyColumn)} AS key, min(${column(labelColumn)}) AS label, ${aggregates}
      FROM deal_facts GROUP BY GROUPING SETS ((${column(keyColumn)}), ())
      ORDER BY grouping(${column(keyColumn)})`,
  );
}

/**
 * The same rows from the deal rollups (deals.rollup.ts): counts and amounts summed per group, the
 * median sales cycle from the exact (seconds, count) list of won deals per group.
 */
async function fromRollup(
  ctx: ReportContext,
  scope: DealRollupScope,
  keyColumn: DealColumn,
  labelColumn: DealColumn,
): Promise<PipelineRow[]> {
  const key = scope.expr(keyColumn);
  const count = (outcome: string) => sql`coalesce(sum(r.n) FILTER (WHERE r.outcome = ${outcome}), 0)::int`;
  const amount = (outcome: string) => sql`coalesce(sum(r.amount) FILTER (WHERE r.outcome = ${outcome}), 0)`;
  const rows = await queryRows<PipelineRow>(
    ctx.db,
    sql`SELECT ${key} AS key, min(${scope.expr(labelColumn)}) AS label,
               ${count('open')} AS open_deals, ${amount('open')} AS pipeline_value,
               ${count('won')} AS won_deals, ${amount('won')} AS won_value, ${count('lost')} AS lost_deals
        FROM analytics_deal_rollup r ${scope.joins} WHERE ${scope.where}
        GROUP BY GROUPING SETS ((${key}), ()) HAVING sum(r.n) > 0 OR grouping(${key}) = 1
        ORDER BY grouping(${key})`,
  );
  // Median sales cycle per group, and over all of them for the total row.
  const cycles = await durationQuantiles(
    ctx.db,
    { of: 'deal', scope, key, keyIsValue: scope.isValue(keyColumn) },
    [0.5],
    { overall: true },
  );
  const median = (q: Quantiles) => (q.values[0] == null ? null : q.values[0] / 86400);
  return rows.map((row, i) => ({
    ...row,
    cycle_median: median(cycles(i === rows.length - 1 ? ALL_GROUPS : row.key, 0)),
  }));
}

/**
 * Deals opened in the period. Win rate = won / (won + lost); average deal size = won value / won
 * deals; sales cycle = median days from opened to closed over won deals.
 */
export async function pipelineReport(
  ctx: ReportContext,
  options: { by: DealDimension; limit: number },
): Promise<TableReport> {
  const [keyColumn, labelColumn] = dealDimensionColumns[options.by];
  const f = filtersToJson(ctx.filters);
  const scope = dealRollupScope(ctx.filters, keyColumn);
  const result = scope
    ? await fromRollup(ctx, scope, keyColumn, labelColumn)
    : await fromDeals(ctx, keyColumn, labelColumn);
  const columns: ReportColumn[] = [
    { key: 'open_deals', label: 'Open deals', unit: 'count' },
    { key: 'pipeline_value', label: 'Open pipeline', unit: 'money' },
    { key: 'won_deals', label: 'Won deals', unit: 'count' },
    { key: 'won_value', label: 'Won value', unit: 'money' },
    { key: 'lost_deals', label: 'Lost deals', unit: 'count' },
    { key: 'win_rate', label: 'Win rate', unit: 'rate' },
    { key: 'avg_deal', label: 'Average deal', unit: 'money' },
    { key: 'cycle_median', label: 'Sales cycle (median days)', unit: 'days' },
  ];
  const build = (row: PipelineRow, grouped: boolean) => {
    const wonValue = num(row.won_value) ?? 0;
    return makeRow(
      row.key,
      grouped ? (row.label ?? row.key) : 'Total',
      {
        open_deals: row.open_deals,
        pipeline_value: num(row.pipeline_value) ?? 0,
        won_deals: row.won_deals,
        won_value: wonValue,
        lost_deals: row.lost_deals,
        win_rate: ratio(row.won_deals, row.won_deals + row.lost_deals),
        avg_deal: ratio(wonValue, row.won_deals),
        cycle_median: num(row.cycle_median),
      },
      (col) => ({
        kind: 'deals',
        f,
        periodOn: 'opened',
        outcome: outcomeOf[col],
        ...(grouped ? { group: { col: keyColumn, value: row.key } } : {}),
      }),
    );
  };
  // The grand total comes from the same query (GROUPING SETS): its row is the last one.
  const totalRow = result.length > 0 ? result[result.length - 1] : undefined;
  const groups = result.slice(0, -1).map((row) => build(row, true));
  const top = topRows(groups, options.by === 'month' ? 'month' : 'won_value', options.limit);
  return {
    report: 'pipeline',
    title: 'Pipeline',
    description: `Pipeline and won value, win rate, deal size and sales cycle per ${options.by}`,
    filters: f,
    options: { by: options.by },
    columns,
    rows: top.rows,
    total: totalRow ? build(totalRow, false) : null,
    groupsOmitted: top.omitted,
    notes: [
      'Deals opened in the period. Win rate = won ÷ (won + lost). Average deal = won value ÷ won deals.',
      'Sales cycle: median days from opened to closed, over won deals. Amounts are summed as one currency.',
      'Sector: the company’s industry, else the business segment of the deal or its person.',
    ],
  };
}
