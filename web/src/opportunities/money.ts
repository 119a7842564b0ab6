import type { OpportunityTotals } from '../api/opportunities.ts';

const formats = new Map<string, Intl.NumberFormat>();

/** 48000, "USD" → "$48,000"; deals in different currencies are never added up. */
export function formatMoney(amount: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
    formats.set(currency, format);
  }
  return format.format(amount);
}

/** "$1,240,000" or "$1,240,000 + €30,000". */
export function formatTotals(totals: OpportunityTotals | undefined): string {
  if (!totals || totals.amounts.length === 0) return formatMoney(0, 'USD');
  return totals.amounts.map((a) => formatMoney(a.amount, a.currency)).join(' + ');
}

const DAY = 86_400_000;

/** Whole days since an instant. */
export function daysSince(iso: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(iso).getTime()) / DAY));
}
