// Leads and deals that have sat in their stage past its normal time. Like the reports, this reads
// people and opportunities side by side: a lead with an open deal is counted once, as the deal.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface StageLimit {
  stage: string;
  days: number;
}

export interface StuckRow {
  id: string;
  name: string;
  stage: string;
  owner: string | null;
  enteredAt: Date;
  ageDays: number;
  amount: number | null;
}

const limitsValues = (limits: StageLimit[]): SQL =>
  sql.join(
    limits.map((l) => sql`(${l.stage}::text, ${l.days}::float8)`),
    sql`, `,
  );

function stuckLeadsFrom(limits: StageLimit[], now: Date): SQL {
  return sql`
    FROM people p
    JOIN (VALUES ${limitsValues(limits)}) AS lim(stage, days) ON lim.stage = p.stage
    LEFT JOIN users u ON u.id = p.owner_id
    WHERE p.stage_entered_at < ${now}::timestamptz - lim.days * interval '1 day'
      AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.person_id = p.id AND o.closed_at IS NULL)`;
}

function stuckDealsFrom(limits: StageLimit[], now: Date): SQL {
  return sql`
    FROM opportunities o
    JOIN (VALUES ${limitsValues(limits)}) AS lim(stage, days) ON lim.stage = o.stage
    LEFT JOIN users u ON u.id = o.owner_id
    WHERE o.closed_at IS NULL AND o.stage_entered_at < ${now}::timestamptz - lim.days * interval '1 day'`;
}

export interface StuckCount {
  stage: string;
  stuck: number;
  /** Deals only: the amounts known, and how many have none. */
  amount: number;
  withoutAmount: number;
}

export async function countStuck(
  db: Db,
  kind: 'lead' | 'deal',
  limits: StageLimit[],
  now: Date,
): Promise<StuckCount[]> {
  if (limits.length === 0) return [];
  if (kind === 'lead') {
    return queryRows<StuckCount>(
      db,
      sql`SELECT p.stage, count(*)::int AS stuck, 0::float8 AS amount, 0::int AS "withoutAmount"
          ${stuckLeadsFrom(limits, now)} GROUP BY p.stage`,
    );
  }
  return queryRows<StuckCount>(
    db,
    sql`SELECT o.stage, count(*)::int AS stuck, coalesce(sum(o.amount), 0)::float8 AS amount,
               (count(*) FILTER (WHERE o.amount IS NULL))::int AS "withoutAmount"
        ${stuckDealsFrom(limits, now)} GROUP BY o.stage`,
  );
}

/** The longest-stuck first. */
export async function listStuck(
  db: Db,
  kind: 'lead' | 'deal',
  limits: StageLimit[],
  now: Date,
  limit: number,
): Promise<StuckRow[]> {
  if (limits.length === 0) return [];
  if (kind === 'lead') {
    return queryRows<StuckRow>(
      db,
      sql`SELECT p.id, coalesce(nullif(trim(concat_ws(' ', p.first_name, p.last_name)), ''), p.email, p.external_id, p.id::text) AS name,
                 p.stage, u.name AS owner, p.stage_entered_at AS "enteredAt",
                 (extract(epoch FROM ${now}::timestamptz - p.stage_entered_at) / 86400.0)::float8 AS "ageDays",
                 NULL::float8 AS amount
          ${stuckLeadsFrom(limits, now)}
          ORDER BY p.stage_entered_at, p.id LIMIT ${limit}`,
    );
  }
  return queryRows<StuckRow>(
    db,
    sql`SELECT o.id, o.name, o.stage, u.name AS owner, o.stage_entered_at AS "enteredAt",
               (extract(epoch FROM ${now}::timestamptz - o.stage_entered_at) / 86400.0)::float8 AS "ageDays",
               o.amount::float8 AS amount
        ${stuckDealsFrom(limits, now)}
        ORDER BY o.stage_entered_at, o.id LIMIT ${limit}`,
  );
}
