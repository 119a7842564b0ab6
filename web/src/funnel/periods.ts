import { lookbackStart } from '../format.ts';

/** The entry-date windows a person can pick for the funnel; "all" means no filter. */
export const funnelPeriods = [
  { value: 'all', label: 'All time', days: null },
  { value: '365', label: 'Last 12 months', days: 365 },
  { value: '90', label: 'Last 90 days', days: 90 },
  { value: '30', label: 'Last 30 days', days: 30 },
] as const;

export type FunnelPeriod = (typeof funnelPeriods)[number]['value'];

/** The first entry time of a period (its look-back start, midnight UTC), or undefined for all time. */
export function periodStart(period: FunnelPeriod, today: Date = new Date()): string | undefined {
  const days = funnelPeriods.find((option) => option.value === period)?.days ?? null;
  return days === null ? undefined : lookbackStart(days, today);
}

export function periodPhrase(period: FunnelPeriod): string {
  const label = funnelPeriods.find((option) => option.value === period)?.label ?? 'All time';
  return period === 'all' ? 'since the first import' : `in the ${label.toLowerCase()}`;
}
