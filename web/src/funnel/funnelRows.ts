import type { FunnelBreakdown, FunnelReport, FunnelRow } from '../api/types.ts';
import { humanize, rateOf } from '../format.ts';

export interface StageLine {
  key: string;
  label: string;
  /** The stage before this one, which `fromPrevious` is measured against. */
  previousLabel: string | null;
  count: number;
  fromPrevious: number | null;
  fromFirst: number | null;
  isLeak: boolean;
}

/** One line per funnel stage, with conversion from the stage before and from the first stage. */
export function stageLines(report: FunnelReport): StageLine[] {
  const first = report.total.counts[0] ?? 0;
  return report.stages.map((stage, index) => {
    const count = report.total.counts[index] ?? 0;
    return {
      key: stage.key,
      label: stage.label,
      previousLabel: report.stages[index - 1]?.label ?? null,
      count,
      fromPrevious: report.total.conversion[index] ?? null,
      fromFirst: index === 0 ? null : rateOf(count, first),
      isLeak: report.biggestLeak?.toStage === stage.key,
    };
  });
}

/** The qualified-to-won rate of a row: the last stage over the second (MQL → Won by default). */
export function qualifiedToWonRate(row: FunnelRow): number | null {
  if (row.counts.length < 2) return null;
  return rateOf(row.counts[row.counts.length - 1] ?? 0, row.counts[1] ?? 0);
}

/** A breakdown's group as people read it: sources in words ("Paid search"); names as they are. */
export function groupName(group: string | null, by: FunnelBreakdown): string {
  if (group === null) return '(not set)';
  return by === 'source' || by === 'segment' || by === 'team' ? humanize(group) : group;
}
