import type { ReportColumn } from '../api/analytics.ts';
import { formatCount, formatRate } from '../format.ts';

const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const days = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A report number as people read it: counts whole, money without cents, days to a tenth, rates in %. */
export function formatValue(value: number | null | undefined, unit: ReportColumn['unit']): string {
  if (value === null || value === undefined) return '–';
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'money':
      return money.format(value);
    case 'days':
      return `${days.format(value)} d`;
    case 'rate':
      return formatRate(value);
    default:
      return String(value);
  }
}
