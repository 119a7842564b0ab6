import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface TargetRow {
  id: string;
  periodStart: string;
  periodEnd: string;
  amount: number;
  currency: string;
  lookbackDays: number;
  createdAt: Date;
  confirmations: { team: 'marketing' | 'sales'; userId: string; name: string; confirmedAt: string }[];
}

const targetColumns = sql`
  t.id, t.period_start::text AS "periodStart", t.period_end::text AS "periodEnd", t.amount::float8 AS amount,
  t.currency, t.lookback_days AS "lookbackDays", t.created_at AS "createdAt",
  coalesce((
    SELECT json_agg(json_build_object('team', c.team, 'userId', c.user_id, 'name', u.name,
                                      'confirmedAt', c.confirmed_at) ORDER BY c.confirmed_at)
    FROM target_confirmations c JOIN users u ON u.id = c.user_id WHERE c.target_id = t.id
  ), '[]'::json) AS confirmations`;

export async function listTargets(db: Db): Promise<TargetRow[]> {
  return queryRows<TargetRow>(
    db,
    sql`SELECT ${targetColumns} FROM revenue_targets t ORDER BY t.period_start`,
  );
}

export async function findTargetByStart(db: Db, periodStart: string): Promise<TargetRow | undefined> {
  const [row] = await queryRows<TargetRow>(
    db,
    sql`SELECT ${targetColumns} FROM revenue_targets t WHERE t.period_start = ${periodStart}::date`,
  );
  return row;
}

/** The targets whose period shares a day with [start, end]. */
export async function findOverlapping(db: Db, start: string, end: string): Promise<TargetRow[]> {
  return queryRows<TargetRow>(
    db,
    sql`SELECT ${targetColumns} FROM revenue_targets t
        WHERE t.period_start <= ${end}::date AND t.period_end >= ${start}::date`,
  );
}

/** Inserts the target unless one starts on the same day; false when it already existed. */
export async function insertTarget(
  db: Db,
  input: {
    periodStart: string;
    periodEnd: string;
    amount: number;
    currency: string;
    lookbackDays: number;
    createdBy: string | null;
  },
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`INSERT INTO revenue_targets (period_start, period_end, amount, currency, lookback_days, created_by)
        VALUES (${input.periodStart}::date, ${input.periodEnd}::date, ${input.amount}, ${input.currency},
                ${input.lookbackDays}, ${input.createdBy})
        ON CONFLICT (period_start) DO NOTHING RETURNING id`,
  );
  return rows.length > 0;
}

/** One confirmation per team; false when the team had already confirmed. */
export async function insertConfirmation(
  db: Db,
  input: { targetId: string; team: string; userId: string; at: Date },
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`INSERT INTO target_confirmations (target_id, team, user_id, confirmed_at)
        VALUES (${input.targetId}, ${input.team}, ${input.userId}, ${input.at})
        ON CONFLICT (target_id, team) DO NOTHING RETURNING team`,
  );
  return rows.length > 0;
}
