import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { countFunnel, funnelGroupColumns } from './funnel.query.ts';
import type { FunnelQuery, FunnelReport, FunnelRow } from './funnel.schema.ts';
import { encodeCell } from './reports.cells.ts';
import { filtersToJson, type ResolvedFiltersJson, resolveFilters } from './reports.filters.ts';
import { refreshLeadStages, refreshOptions, withoutJit } from './reports.refresh.ts';

export interface ReportDeps {
  db: Db;
  lifecycle: LifecycleConfig;
  /** Named periods (this-month, …) are resolved against it; the system clock when absent. */
  clock?: Clock;
  /** The server's queue: a large first count then runs in the background instead of the request. */
  jobs?: JobQueue;
  config?: { recountInBackgroundFrom?: number | undefined };
  /** Without a queue (the CLI): told how much there is to count before a large count that the caller waits for. */
  onLargeCount?: (pending: number) => void;
}

function withConversion(group: string | null, counts: number[]): FunnelRow {
  const conversion = counts.map((count, i) => {
    const previous = i === 0 ? undefined : counts[i - 1];
    return previous ? count / previous : null;
  });
  return { group, counts, conversion };
}

/**
 * The step where the funnel loses the largest share of people. The first step (lead → MQL) is left
 * out: letting only some leads through is what the lead definition is for, not a leak.
 */
function findBiggestLeak(
  stages: { key: string; label: string }[],
  total: FunnelRow,
): FunnelReport['biggestLeak'] {
  let leak: FunnelReport['biggestLeak'] = null;
  for (let i = 2; i < stages.length; i++) {
    const rate = total.conversion[i];
    const from = stages[i - 1]!;
    const to = stages[i]!;
    if (rate === null || rate === undefined || rate >= 1) continue;
    if (!leak || rate < leak.conversion) {
      const lost = (total.counts[i - 1] ?? 0) - (total.counts[i] ?? 0);
      leak = {
        fromStage: from.key,
        toStage: to.key,
        fromLabel: from.label,
        toLabel: to.label,
        conversion: rate,
        lost,
      };
    }
  }
  return leak;
}

function funnelCell(f: ResolvedFiltersJson, by: FunnelQuery['by'], group: string | null | undefined) {
  return (reached: number) =>
    encodeCell({
      kind: 'leads',
      f,
      reached,
      ...(by === 'none' || group === undefined
        ? {}
        : { group: { col: funnelGroupColumns[by], value: group } }),
    });
}

export async function funnelReport(deps: ReportDeps, query: FunnelQuery): Promise<FunnelReport> {
  const filters = resolveFilters(query, deps.clock ?? systemClock);
  const f = filtersToJson(filters);
  const stages = funnelStages(deps.lifecycle);
  const recounting = await refreshLeadStages(deps.db, stages, refreshOptions(deps));
  const rows = await withoutJit(deps.db, (db) => countFunnel(db, { stages, by: query.by, filters }));
  const totals = stages.map((_, i) => rows.reduce((sum, row) => sum + (row.counts[i] ?? 0), 0));
  const total = withConversion(null, totals);
  const sorted = rows
    .map((row) => withConversion(row.group, row.counts))
    .sort((a, b) =>
      query.by === 'month'
        ? String(a.group).localeCompare(String(b.group))
        : (b.counts[0] ?? 0) - (a.counts[0] ?? 0) || String(a.group).localeCompare(String(b.group)),
    );
  const stageLabels = stages.map(({ key, label }) => ({ key, label }));
  const shown = query.by === 'none' ? [] : sorted.slice(0, query.limit);
  const cellsOf = (group: string | null | undefined) =>
    stages.map((_, i) => funnelCell(f, query.by, group)(i));
  return {
    by: query.by,
    filters: f,
    stages: stageLabels,
    total,
    rows: shown,
    groupsOmitted: query.by === 'none' ? 0 : Math.max(0, sorted.length - query.limit),
    biggestLeak: findBiggestLeak(stageLabels, total),
    cells: { total: cellsOf(undefined), rows: shown.map((row) => cellsOf(row.group)) },
    ...(recounting ? { recounting } : {}),
  };
}
