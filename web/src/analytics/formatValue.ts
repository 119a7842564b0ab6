import type { ReportColumn } from '../api/analytics.ts';
import { formatCount, formatRate } from '../format.ts';
import { formatMoney } from '../opportunities/money.ts';

const days = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * A report number as people read it: counts whole, money without cents, days to a tenth, rates in %.
 * Reports sum amounts as one currency (src/modules/reports), the one deals default to.
 */
export function formatValue(value: number | null | undefined, unit: ReportColumn['unit']): string {
  if (value === null || value === undefined) return '–';
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'money':
      return formatMoney(value, 'USD');
    case 'days':
      return `${days.format(value)} d`;
    case 'rate':
      return formatRate(value);
    default:
      return String(value);
  }
}
