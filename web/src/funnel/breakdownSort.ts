import type { FunnelBreakdown, FunnelRow } from '../api/types.ts';
import { groupName, qualifiedToWonRate } from './funnelRows.ts';

/** A breakdown table column: the group name, one stage's count (by index), or the MQL → Won rate. */
export type BreakdownColumn = 'group' | 'rate' | number;
export interface BreakdownSort {
  column: BreakdownColumn;
  descending: boolean;
}

export function sortBreakdownRows(
  rows: readonly FunnelRow[],
  sort: BreakdownSort,
  by: FunnelBreakdown,
): FunnelRow[] {
  const direction = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => direction * compareRows(a, b, sort.column, by));
}

function compareRows(a: FunnelRow, b: FunnelRow, column: BreakdownColumn, by: FunnelBreakdown): number {
  if (column === 'group') return groupName(a.group, by).localeCompare(groupName(b.group, by));
  if (column === 'rate') return compareRates(qualifiedToWonRate(a), qualifiedToWonRate(b));
  return (a.counts[column] ?? 0) - (b.counts[column] ?? 0);
}

/** Groups without a rate (no MQLs) always sort below groups that have one. */
function compareRates(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a - b;
}

/** The filter matches the group as shown ("paid search") or as stored ("paid_search"). */
export function matchesGroupFilter(row: FunnelRow, filter: string, by: FunnelBreakdown): boolean {
  const words = filter.trim().toLowerCase();
  return [groupName(row.group, by), row.group ?? ''].some((name) => name.toLowerCase().includes(words));
}
