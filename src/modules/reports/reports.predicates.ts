// The conditions behind each number, shared by the report that counts and the drill-down that lists:
// a number and its records cannot drift apart because both use the same SQL.
import { type SQL, sql } from 'drizzle-orm';
import { at, column } from './reports.facts.ts';
import type { DealCellSpec, LeadCellSpec } from './reports.schema.ts';

type LeadCondition = Omit<LeadCellSpec, 'kind' | 'f'>;
type DealCondition = Omit<DealCellSpec, 'kind' | 'f' | 'periodOn' | 'credit'>;

const and = (parts: SQL[]) => (parts.length === 0 ? sql`TRUE` : sql.join(parts, sql` AND `));

/** `lead_facts` rows that make up a number. */
export function leadWhere(c: LeadCondition): SQL {
  const parts: SQL[] = [];
  if (c.reached !== undefined) parts.push(sql`reached >= ${c.reached}`);
  if (c.group) parts.push(sql`${column(c.group.col)} IS NOT DISTINCT FROM ${c.group.value}::text`);
  if (c.measured) parts.push(sql`${at(c.measured.from)} IS NOT NULL AND ${at(c.measured.to)} IS NOT NULL`);
  if (c.within) {
    const { from, to, days } = c.within;
    parts.push(sql`${at(to)} <= ${at(from)} + ${days}::int * interval '1 day'`);
  }
  if (c.costed) parts.push(sql`campaign_id IN (SELECT id::text FROM campaigns WHERE cost IS NOT NULL)`);
  return and(parts);
}

/** `deal_facts` rows that make up a number. */
export function dealWhere(c: DealCondition): SQL {
  const parts: SQL[] = [];
  if (c.outcome === 'closed') parts.push(sql`outcome IN ('won', 'lost')`);
  else if (c.outcome) parts.push(sql`outcome = ${c.outcome}`);
  if (c.group) parts.push(sql`${column(c.group.col)} IS NOT DISTINCT FROM ${c.group.value}::text`);
  return and(parts);
}

/**
 * Seconds between two timestamps as a float8 (date_part gives float8: cheaper than extract's numeric,
 * and exact for whole seconds), so that medians are exact; reports divide by 86400 for days.
 */
export const secondsBetween = (from: SQL, to: SQL) =>
  sql`(date_part('epoch', ${to}) - date_part('epoch', ${from}))`;
