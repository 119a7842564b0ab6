// What reports can be broken down by, and the lead_facts / deal_facts columns behind each choice.
import type { Db } from '../../db/client.ts';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import type { DealColumn, DealOutcomes, LeadColumn } from './reports.facts.ts';
import type { ReportFilters } from './reports.filters.ts';

export const leadDimensions = [
  'source',
  'campaign',
  'segment',
  'landing_page',
  'rep',
  'team',
  'month',
] as const;
export type LeadDimension = (typeof leadDimensions)[number];

/** [key column (what drill-down matches), label column (what people read)]. */
export const leadDimensionColumns: Record<LeadDimension, [LeadColumn, LeadColumn]> = {
  source: ['source', 'source'],
  campaign: ['campaign_id', 'campaign_name'],
  segment: ['segment', 'segment'],
  landing_page: ['landing_page', 'landing_page'],
  rep: ['owner_id', 'owner_name'],
  team: ['team', 'team'],
  month: ['month', 'month'],
};

export const dealDimensions = ['rep', 'team', 'product', 'sector', 'source', 'campaign', 'month'] as const;
export type DealDimension = (typeof dealDimensions)[number];

export const dealDimensionColumns: Record<DealDimension, [DealColumn, DealColumn]> = {
  rep: ['owner_id', 'owner_name'],
  team: ['team', 'team'],
  product: ['product', 'product'],
  sector: ['segment', 'segment'],
  source: ['source', 'source'],
  campaign: ['campaign_id', 'campaign_name'],
  month: ['month', 'month'],
};

export const NOT_SET = '(not set)';

/** Everything a report query needs; built by the service. */
export interface ReportContext {
  db: Db;
  /** The funnel stages of the lifecycle, in order (index 0 = lead). */
  stages: StageConfig[];
  outcomes: DealOutcomes;
  filters: ReportFilters;
}

/** Index of a stage in the funnel by key, else the fallback position (clamped to the funnel). */
export function stageIndex(stages: StageConfig[], key: string, fallback: number): number {
  const found = stages.findIndex((stage) => stage.key === key);
  return found >= 0 ? found : Math.max(0, Math.min(fallback, stages.length - 1));
}
