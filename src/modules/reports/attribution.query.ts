// Attribution: won revenue credited to the campaigns and sources that touched the deal's lead.
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { creditCtes } from './attribution.credits.ts';
import { type DealRollupScope, dealRollupScope } from './deals.rollup.ts';
import type { ReportContext } from './reports.dimensions.ts';
import { dealFactsCte } from './reports.facts.ts';
import { filtersToJson } from './reports.filters.ts';
import {
  type AttributionModel,
  attributionModels,
  type ReportColumn,
  type TableReport,
} from './reports.schema.ts';
import { makeRow, num, topRows } from './reports.table.ts';

const attributionBy = ['campaign', 'source'] as const;
export const attributionOptions = {
  by: z
    .enum(attributionBy, { error: `must be one of ${attributionBy.join(', ')}` })
    .default('campaign')
    .describe('Credit campaigns or sources'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Most groups, largest first'),
};

export const ATTRIBUTION_RULES = [
  'Won deals closed in the period, with an amount. Their touches are: the lead’s creation (its campaign and source, at the time it was created; a deal without a person: the deal’s opening, with no campaign or source) and every activity of the deal’s person with a campaign up to the close (the campaign, and its channel as the source), in time order.',
  'First touch: 100% to the first touch. Last touch: 100% to the last touch before the close. Linear: equal shares.',
  'W-shaped: 30% to the first touch, 30% to the MQL touch (the last touch at or before the lead first entered MQL; the first touch if none), 30% to the opportunity touch (the last touch at or before the deal was opened; the first touch if none) — a touch that is several of these gets each share — and 10% split equally over the other touches; with no other touches the 10% is split equally over the three key positions.',
  'Every model credits exactly the won revenue: the credits of each deal sum to its amount.',
];

/** The CTEs up to `credits` for the won deals (with an amount) closed in the period and filters. */
export function attributionCtes(ctx: ReportContext, filters = ctx.filters): SQL {
  return sql`
    ${dealFactsCte(filters, ctx.outcomes, 'closed')},
    won AS (
      SELECT id, amount, person_id, opened_at, closed_at FROM deal_facts
      WHERE outcome = 'won' AND amount IS NOT NULL
    ),
    ${creditCtes(ctx.stages)}`;
}

type CreditRow = Record<AttributionModel, string | number | null> & {
  key: string | null;
  label: string | null;
  deals: number;
  is_total: number;
};

/** The groups and (is_total) the won revenue and deals, computing every deal's credits. */
function fromDeals(ctx: ReportContext, keyColumn: 'campaign_id' | 'source'): Promise<CreditRow[]> {
  const key = sql.raw(`cr.${keyColumn}`);
  const label = keyColumn === 'campaign_id' ? sql`min(c.name)` : sql`min(cr.source)`;
  const sums = sql.join(
    attributionModels.map((m) => sql`sum(cr.amount * cr.${sql.raw(m)}) AS ${sql.raw(m)}`),
    sql`, `,
  );
  // One pass: the groups, and (the empty grouping set, last) the won revenue and deals — each deal's
  // first-touch credits are its whole amount, so their sum is the won revenue exactly.
  return queryRows<CreditRow>(
    ctx.db,
    sql`WITH ${attributionCtes(ctx)}
      SELECT ${key} AS key, ${label} AS label, ${sums}, count(DISTINCT cr.deal_id)::int AS deals,
             grouping(${key})::int AS is_total
      FROM credits cr LEFT JOIN campaigns c ON c.id::text = cr.campaign_id
      GROUP BY GROUPING SETS ((${key}), ())
      ORDER BY grouping(${key})`,
  );
}

/**
 * The same rows from analytics_credit_rollup (deals.rollup.ts), where each won deal's credits were
 * computed once; `firsts` counts each deal once (at its first touch).
 */
function fromRollup(
  ctx: ReportContext,
  scope: DealRollupScope,
  keyColumn: 'campaign_id' | 'source',
): Promise<CreditRow[]> {
  const key = sql`r.touch_value`;
  const label = keyColumn === 'campaign_id' ? sql`min(tc.name)` : sql`min(r.touch_value)`;
  const sums = sql.join(
    attributionModels.map((m) => sql`sum(r.${sql.raw(m)}) AS ${sql.raw(m)}`),
    sql`, `,
  );
  return queryRows<CreditRow>(
    ctx.db,
    sql`SELECT ${key} AS key, ${label} AS label, ${sums}, coalesce(sum(r.firsts), 0)::int AS deals,
               grouping(${key})::int AS is_total
        FROM analytics_credit_rollup r ${scope.joins}
        ${keyColumn === 'campaign_id' ? sql`LEFT JOIN campaigns tc ON tc.id::text = r.touch_value` : sql``}
        WHERE r.touch_dim = ${keyColumn} AND ${scope.where}
        GROUP BY GROUPING SETS ((${key}), ()) HAVING sum(r.n) > 0 OR grouping(${key}) = 1
        ORDER BY grouping(${key})`,
  );
}

export async function attributionReport(
  ctx: ReportContext,
  options: { by: (typeof attributionBy)[number]; limit: number },
): Promise<TableReport> {
  const f = filtersToJson(ctx.filters);
  const keyColumn = options.by === 'campaign' ? 'campaign_id' : 'source';
  const scope = dealRollupScope(ctx.filters, null);
  const result = scope ? await fromRollup(ctx, scope, keyColumn) : await fromDeals(ctx, keyColumn);
  const totals = result.find((row) => row.is_total === 1);
  const groups = result.filter((row) => row.is_total !== 1);
  const columns: ReportColumn[] = [
    { key: 'first_touch', label: 'First touch', unit: 'money' },
    { key: 'last_touch', label: 'Last touch', unit: 'money' },
    { key: 'linear', label: 'Linear', unit: 'money' },
    { key: 'w_shaped', label: 'W-shaped', unit: 'money' },
  ];
  const rows = groups.map((row) => {
    const values: Record<string, number | null> = {};
    for (const model of attributionModels) values[model] = num(row[model]) ?? 0;
    return makeRow(row.key, row.label ?? row.key, values, (col) => ({
      kind: 'deals',
      f,
      periodOn: 'closed',
      credit: { model: col as AttributionModel, by: keyColumn, value: row.key },
    }));
  });
  const revenue = num(totals?.first_touch) ?? 0;
  const total = makeRow(
    null,
    `Won revenue (${totals?.deals ?? 0} deals)`,
    Object.fromEntries(attributionModels.map((m) => [m, revenue])),
    () => ({ kind: 'deals', f, periodOn: 'closed', outcome: 'won' }),
  );
  const top = topRows(rows, 'w_shaped', options.limit);
  return {
    report: 'attribution',
    title: 'Attribution',
    description: `Won revenue credited to ${options.by === 'campaign' ? 'campaigns' : 'sources'} under four models`,
    filters: f,
    options: { by: options.by },
    columns,
    rows: top.rows,
    total,
    groupsOmitted: top.omitted,
    notes: ATTRIBUTION_RULES,
  };
}
