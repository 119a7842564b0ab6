import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { countFunnel } from './funnel.query.ts';
import type { FunnelQuery, FunnelReport, FunnelRow } from './funnel.schema.ts';

export interface ReportDeps {
  db: Db;
  lifecycle: LifecycleConfig;
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

export async function funnelReport(deps: ReportDeps, query: FunnelQuery): Promise<FunnelReport> {
  if (query.from && query.to && query.from >= query.to) {
    throw new AppError('validation_failed', '`from` must be before `to`.', {
      from: query.from,
      to: query.to,
    });
  }
  const stages = funnelStages(deps.lifecycle);
  const rows = await countFunnel(deps.db, {
    ranks: stages.map((stage) => ({ key: stage.key, rank: stage.funnelRank ?? 0 })),
    by: query.by,
    from: query.from,
    to: query.to,
  });
  const totals = stages.map((_, i) => rows.reduce((sum, row) => sum + (row.counts[i] ?? 0), 0));
  const total = withConversion(null, totals);
  const sorted = rows
    .map((row) => withConversion(row.group, row.counts))
    .sort(
      (a, b) => (b.counts[0] ?? 0) - (a.counts[0] ?? 0) || String(a.group).localeCompare(String(b.group)),
    );
  const stageLabels = stages.map(({ key, label }) => ({ key, label }));
  return {
    by: query.by,
    stages: stageLabels,
    total,
    rows: query.by === 'none' ? [] : sorted.slice(0, query.limit),
    groupsOmitted: query.by === 'none' ? 0 : Math.max(0, sorted.length - query.limit),
    biggestLeak: findBiggestLeak(stageLabels, total),
  };
}
