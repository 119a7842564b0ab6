import type { ReportRow, TableReport } from '../api/analytics.ts';
import { formatMonth, humanize } from '../format.ts';

// Breakdowns whose groups are stored keys ("paid_search"); names of campaigns, reps and pages are shown as they are.
const keyedBreakdowns = new Set(['source', 'segment', 'team', 'sector', 'product']);

/** Rows are calendar months, oldest first: cohorts, and any report broken down by month. */
export function isMonthly(report: TableReport): boolean {
  return report.report === 'cohorts' || report.options.by === 'month';
}

/** A row's group as people read it: "Aug 2026", "Paid search"; the API's label otherwise. */
export function rowLabel(report: TableReport, row: ReportRow): string {
  if (row.key === null) return row.label;
  if (isMonthly(report)) return formatMonth(row.key);
  const by = report.options.by;
  return by !== undefined && keyedBreakdowns.has(by) ? humanize(row.label) : row.label;
}
