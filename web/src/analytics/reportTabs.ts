import type { TableReportName } from '../api/analytics.ts';

// The same choices the API offers (src/modules/reports); the API names them if they ever differ.
const leadBreakdowns = ['source', 'campaign', 'segment', 'landing_page', 'rep', 'team', 'month'];
const dealBreakdowns = ['rep', 'team', 'product', 'sector', 'source', 'campaign', 'month'];

export const byLabels: Record<string, string> = {
  none: 'Stage',
  source: 'Source',
  campaign: 'Campaign',
  segment: 'Segment',
  landing_page: 'Landing page',
  rep: 'Rep',
  team: 'Team',
  month: 'Month',
  product: 'Product',
  sector: 'Sector',
};

export interface ReportTab {
  name: TableReportName;
  label: string;
  /** What the report answers, in one line. */
  question: string;
  by?: { options: string[]; initial: string };
  /** The first column when there is no `by`. */
  groupLabel?: string;
}

export const reportTabs: ReportTab[] = [
  {
    name: 'velocity',
    label: 'Velocity',
    question: 'How long do leads take in each stage, and from lead to won?',
    by: { options: ['none', ...leadBreakdowns], initial: 'none' },
  },
  {
    name: 'cohorts',
    label: 'Cohorts',
    question: "What share of each month's MQLs reached SQL and won — and how soon?",
    groupLabel: 'MQL month',
  },
  {
    name: 'breakdown',
    label: 'Breakdown',
    question: 'Which sources, campaigns, segments, landing pages and reps bring leads that convert?',
    by: { options: leadBreakdowns, initial: 'source' },
  },
  {
    name: 'pipeline',
    label: 'Pipeline',
    question: 'How much is in play and won, how often do we win, how big and how long are deals?',
    by: { options: dealBreakdowns, initial: 'rep' },
  },
  {
    name: 'attribution',
    label: 'Attribution',
    question: 'Which campaigns and sources does won revenue come from, under four models?',
    by: { options: ['campaign', 'source'], initial: 'campaign' },
  },
  {
    name: 'cost',
    label: 'Cost',
    question: 'What did each MQL, SQL and won deal cost, per campaign with a known cost?',
    groupLabel: 'Campaign',
  },
];

export const periodOptions = [
  { value: 'all', label: 'All time' },
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'this-quarter', label: 'This quarter' },
  { value: 'last-quarter', label: 'Last quarter' },
  { value: 'last-90-days', label: 'Last 90 days' },
  { value: 'last-12-months', label: 'Last 12 months' },
  { value: 'this-year', label: 'This year' },
  { value: 'last-year', label: 'Last year' },
];
