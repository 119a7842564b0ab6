import { countOf, formatCount, formatRate, humanize } from '../format.ts';
import type { FeedbackBy, FeedbackReport, RejectionGroup } from './feedbackApi.ts';

export const byLabels: Record<FeedbackBy, string> = {
  source: 'Source',
  campaign: 'Campaign',
  segment: 'Segment',
};

/** Rejection reasons in the order of how often they were given, over every group. */
export function reasonTotals(groups: readonly RejectionGroup[]): { key: string; count: number }[] {
  const totals = new Map<string, number>();
  for (const group of groups) {
    for (const [key, count] of Object.entries(group.reasons)) totals.set(key, (totals.get(key) ?? 0) + count);
  }
  return [...totals].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count);
}

export function groupName(group: string | null, by: FeedbackBy): string {
  if (group === null)
    return by === 'campaign' ? '(no campaign)' : by === 'segment' ? '(no segment)' : '(unknown source)';
  return by === 'campaign' ? group : humanize(group);
}

/** The page's answer in one or two sentences. */
export function feedbackSentence(report: FeedbackReport, reasonLabel: (key: string) => string): string {
  const { totals } = report;
  if (totals.decided === 0) return 'Sales has not accepted or rejected any MQL in this range yet.';
  const head = `Sales accepted ${formatRate(totals.acceptanceRate)} of the ${countOf(totals.decided, 'MQL')} it decided on`;
  const top = reasonTotals(report.rejectionsByGroup)[0];
  if (!top || totals.rejected === 0) return `${head}, and rejected none.`;
  const worst = [...report.rejectionsByGroup]
    .filter((g) => (g.reasons[top.key] ?? 0) > 0)
    .sort((a, b) => (b.reasons[top.key] ?? 0) - (a.reasons[top.key] ?? 0))[0];
  const where = worst
    ? `, most often from ${groupName(worst.group, report.by)} (${formatCount(worst.reasons[top.key] ?? 0)})`
    : '';
  return `${head}. The most common reason to reject: "${reasonLabel(top.key)}" (${formatCount(top.count)} of ${formatCount(
    totals.rejected,
  )} rejections)${where}.`;
}
