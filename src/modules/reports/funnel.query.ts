import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import type { FunnelDimension } from './funnel.schema.ts';
import { type LeadColumn, leadFactsCtes } from './reports.facts.ts';
import type { ReportFilters } from './reports.filters.ts';
import { rollupScope } from './reports.rollup.ts';

/** The lead_facts column each breakdown groups by (by name, as the funnel always has). */
export const funnelGroupColumns: Record<Exclude<FunnelDimension, 'none'>, LeadColumn> = {
  source: 'source',
  campaign: 'campaign_name',
  landing_page: 'landing_page',
  owner: 'owner_name',
  segment: 'segment',
  team: 'team',
  month: 'month',
};

export interface FunnelCountsRow {
  group: string | null;
  counts: number[];
}

/**
 * People that reached each funnel stage, per group. A person reached a stage when their history
 * holds a move into it or into any later stage of the main path; everyone counts as a lead.
 * (`reached` of lead_facts, see reports.facts.ts.) Answered from analytics_lead_rollup when the
 * grouping and filters need one dimension at most (reports.rollup.ts), else from lead_facts.
 */
export async function countFunnel(
  db: Db,
  input: { stages: StageConfig[]; by: FunnelDimension; filters: ReportFilters },
): Promise<FunnelCountsRow[]> {
  const counts = sql.join(
    input.stages.map((_, i) => sql`count(*) FILTER (WHERE reached >= ${i})::int`),
    sql`, `,
  );
  const column = input.by === 'none' ? null : funnelGroupColumns[input.by];
  const scope = rollupScope(input.filters, column);
  if (scope) {
    const sums = sql.join(
      input.stages.map((_, i) => sql`coalesce(sum(r.n) FILTER (WHERE r.reached >= ${i}), 0)::int`),
      sql`, `,
    );
    const rows = await queryRows(
      db,
      sql`SELECT ${column ? scope.expr(column) : sql`NULL::text`} AS "group", ARRAY[${sums}] AS counts
      FROM ${scope.table} ${scope.joins}
      WHERE ${scope.where}
      GROUP BY 1 HAVING sum(r.n) > 0`,
    );
    return rows as unknown as FunnelCountsRow[];
  }
  const group: SQL = column === null ? sql`NULL::text` : sql.raw(`"${column}"`);
  const result = await queryRows(
    db,
    sql`WITH ${leadFactsCtes(input.filters, input.stages)}
    SELECT ${group} AS "group", ARRAY[${counts}] AS counts
    FROM lead_facts
    GROUP BY 1`,
  );
  return result as unknown as FunnelCountsRow[];
}
