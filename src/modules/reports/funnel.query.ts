import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { FunnelDimension } from './funnel.schema.ts';

const groupExpressions: Record<FunnelDimension, SQL> = {
  none: sql`NULL::text`,
  source: sql`p.source`,
  campaign: sql`c.name`,
  landing_page: sql`p.landing_page`,
  owner: sql`u.name`,
};

export interface FunnelCountsRow {
  group: string | null;
  counts: number[];
}

/**
 * People that reached each funnel stage, per group. A person reached a stage when their history
 * holds a move into it or into any later stage of the main path; everyone counts as a lead.
 */
export async function countFunnel(
  db: Db,
  input: {
    ranks: { key: string; rank: number }[];
    by: FunnelDimension;
    from?: Date | undefined;
    to?: Date | undefined;
  },
): Promise<FunnelCountsRow[]> {
  const rankValues = sql.join(
    input.ranks.map((r) => sql`(${r.key}::text, ${r.rank}::int)`),
    sql`, `,
  );
  const [first] = input.ranks;
  const counts = sql.join(
    input.ranks.map(
      (r) => sql`count(*) FILTER (WHERE coalesce(x.max_rank, ${first?.rank ?? 0}) >= ${r.rank})::int`,
    ),
    sql`, `,
  );
  const result = await queryRows(
    db,
    sql`
    WITH ranks(stage, rank) AS (VALUES ${rankValues}),
    reached AS (
      SELECT t.person_id, max(r.rank) AS max_rank
      FROM stage_transitions t JOIN ranks r ON r.stage = t.to_stage
      GROUP BY t.person_id
    )
    SELECT ${groupExpressions[input.by]} AS "group", ARRAY[${counts}] AS counts
    FROM people p
    LEFT JOIN reached x ON x.person_id = p.id
    LEFT JOIN campaigns c ON c.id = p.campaign_id
    LEFT JOIN users u ON u.id = p.owner_id
    WHERE (${input.from ?? null}::timestamptz IS NULL OR p.created_at >= ${input.from ?? null})
      AND (${input.to ?? null}::timestamptz IS NULL OR p.created_at < ${input.to ?? null})
    GROUP BY 1`,
  );
  return result as unknown as FunnelCountsRow[];
}
