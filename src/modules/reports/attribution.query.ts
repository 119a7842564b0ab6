// Attribution: won revenue credited to the campaigns and sources that touched the deal's lead.
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { type ReportContext, stageIndex } from './reports.dimensions.ts';
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

/** The CTEs up to `credits`: one row per touch of each won deal with its weight under each model. */
export function attributionCtes(ctx: ReportContext, filters = ctx.filters): SQL {
  const mql = stageIndex(ctx.stages, 'mql', 1);
  const later = ctx.stages.slice(mql + 1).map((s) => s.key);
  const exact = ctx.stages[mql]!.key;
  return sql`
    ${dealFactsCte(filters, ctx.outcomes, 'closed')},
    won AS (
      SELECT id, amount, person_id, opened_at, closed_at FROM deal_facts
      WHERE outcome = 'won' AND amount IS NOT NULL
    ),
    mql AS (
      SELECT t.person_id,
             coalesce(min(t.occurred_at) FILTER (WHERE t.to_stage = ${exact}),
                      min(t.occurred_at) FILTER (WHERE t.to_stage = ANY(string_to_array(${later.join(',')}, ',')::text[]))) AS at
      FROM stage_transitions t WHERE t.person_id IN (SELECT person_id FROM won)
      GROUP BY t.person_id
    ),
    touches AS (
      SELECT w.id AS deal_id, coalesce(p.created_at, w.opened_at) AS at, 0 AS kind, NULL::uuid AS activity_id,
             p.campaign_id::text AS campaign_id, p.source AS source
      FROM won w LEFT JOIN people p ON p.id = w.person_id
      UNION ALL
      SELECT w.id, a.occurred_at, 1, a.id, a.campaign_id::text, c.channel
      FROM won w
      JOIN activities a ON a.person_id = w.person_id AND a.campaign_id IS NOT NULL
      JOIN campaigns c ON c.id = a.campaign_id
      WHERE w.closed_at IS NULL OR a.occurred_at <= w.closed_at
    ),
    ordered AS (
      SELECT t.*, row_number() OVER (PARTITION BY t.deal_id ORDER BY t.at, t.kind, t.activity_id) AS pos,
             count(*) OVER (PARTITION BY t.deal_id) AS n
      FROM touches t
    ),
    key_touches AS (
      SELECT o.deal_id,
             coalesce(max(o.pos) FILTER (WHERE o.at <= m.at), 1) AS m_pos,
             coalesce(max(o.pos) FILTER (WHERE o.at <= w.opened_at), 1) AS o_pos
      FROM ordered o JOIN won w ON w.id = o.deal_id LEFT JOIN mql m ON m.person_id = w.person_id
      GROUP BY o.deal_id
    ),
    positioned AS (
      SELECT o.deal_id, o.campaign_id, o.source, o.pos, o.n, w.amount,
             ((o.pos = 1)::int + (o.pos = k.m_pos)::int + (o.pos = k.o_pos)::int) AS key_hits,
             o.n - (1 + (k.m_pos <> 1)::int + (k.o_pos <> 1 AND k.o_pos <> k.m_pos)::int) AS others
      FROM ordered o JOIN key_touches k ON k.deal_id = o.deal_id JOIN won w ON w.id = o.deal_id
    ),
    credits AS (
      SELECT deal_id, campaign_id, source, amount,
             (pos = 1)::int::numeric AS first_touch,
             (pos = n)::int::numeric AS last_touch,
             1::numeric / n AS linear,
             0.3 * key_hits + CASE WHEN others = 0 THEN 0.1 * key_hits / 3
                                   WHEN key_hits = 0 THEN 0.1 / others ELSE 0 END AS w_shaped
      FROM positioned
    )`;
}

export async function attributionReport(
  ctx: ReportContext,
  options: { by: (typeof attributionBy)[number]; limit: number },
): Promise<TableReport> {
  const f = filtersToJson(ctx.filters);
  const keyColumn = options.by === 'campaign' ? 'campaign_id' : 'source';
  const key = sql.raw(`cr.${keyColumn}`);
  const label = options.by === 'campaign' ? sql`min(c.name)` : sql`min(cr.source)`;
  const sums = sql.join(
    attributionModels.map((m) => sql`sum(cr.amount * cr.${sql.raw(m)}) AS ${sql.raw(m)}`),
    sql`, `,
  );
  // One pass: the groups, and (the empty grouping set, last) the won revenue and deals — each deal's
  // first-touch credits are its whole amount, so their sum is the won revenue exactly.
  const result = await queryRows<
    Record<AttributionModel, string | number | null> & {
      key: string | null;
      label: string | null;
      deals: number;
      is_total: number;
    }
  >(
    ctx.db,
    sql`WITH ${attributionCtes(ctx)}
      SELECT ${key} AS key, ${label} AS label, ${sums}, count(DISTINCT cr.deal_id)::int AS deals,
             grouping(${key})::int AS is_total
      FROM credits cr LEFT JOIN campaigns c ON c.id::text = cr.campaign_id
      GROUP BY GROUPING SETS ((${key}), ())
      ORDER BY grouping(${key})`,
  );
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
