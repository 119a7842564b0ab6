// Attribution credits: the touches of each deal to credit, in time order, with their weight under each
// model (the rules are ATTRIBUTION_RULES in attribution.query.ts).
import { type SQL, sql } from 'drizzle-orm';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import { stageIndex } from './reports.dimensions.ts';

/**
 * The CTEs after `won` (id, amount, person_id, opened_at, closed_at: the deals to credit) up to
 * `credits`: one row per touch of each deal, in time order (`pos`), with its weight under each model.
 * The report (through attributionCtes) and the deal pre-aggregates (deals.rollup.ts) both use it.
 */
export function creditCtes(stages: StageConfig[]): SQL {
  const mql = stageIndex(stages, 'mql', 1);
  const later = stages.slice(mql + 1).map((s) => s.key);
  const exact = stages[mql]!.key;
  return sql`
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
      SELECT deal_id, pos, campaign_id, source, amount,
             (pos = 1)::int::numeric AS first_touch,
             (pos = n)::int::numeric AS last_touch,
             1::numeric / n AS linear,
             0.3 * key_hits + CASE WHEN others = 0 THEN 0.1 * key_hits / 3
                                   WHEN key_hits = 0 THEN 0.1 / others ELSE 0 END AS w_shaped
      FROM positioned
    )`;
}
