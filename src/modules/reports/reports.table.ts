// Small helpers shared by the table reports.
import { encodeCell } from './reports.cells.ts';
import { NOT_SET } from './reports.dimensions.ts';
import type { CellSpec, ReportRow } from './reports.schema.ts';

export const ratio = (part: number | null | undefined, whole: number | null | undefined): number | null =>
  part === null || part === undefined || !whole ? null : part / whole;

export const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export function makeRow(
  key: string | null,
  label: string | null,
  values: Record<string, number | null>,
  cellOf: (column: string) => CellSpec | undefined,
): ReportRow {
  const cells: Record<string, string> = {};
  for (const column of Object.keys(values)) {
    const spec = cellOf(column);
    if (spec) cells[column] = encodeCell(spec);
  }
  return { key, label: label ?? NOT_SET, values, cells };
}

/** Largest first by the column `by` (calendar order for `month`), then by label; at most `limit` rows. */
export function topRows(
  rows: ReportRow[],
  by: string,
  limit: number,
): { rows: ReportRow[]; omitted: number } {
  // Months read best in calendar order; every other breakdown largest first.
  const sorted = [...rows].sort((a, b) =>
    by === 'month'
      ? String(a.key).localeCompare(String(b.key))
      : (b.values[by] ?? 0) - (a.values[by] ?? 0) || a.label.localeCompare(b.label),
  );
  return { rows: sorted.slice(0, limit), omitted: Math.max(0, sorted.length - limit) };
}
