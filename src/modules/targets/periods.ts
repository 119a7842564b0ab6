// Target periods are named the way people say them: a quarter "2026-Q4" or a month "2026-11".
import { AppError } from '../../shared/errors.ts';
import { dayNumber, isoDay } from './reverse-funnel.ts';

export const periodFormats = ['YYYY-Qn (a quarter, e.g. 2026-Q4)', 'YYYY-MM (a month, e.g. 2026-11)'];

export interface TargetPeriod {
  /** 2026-Q4 or 2026-11. */
  name: string;
  kind: 'quarter' | 'month';
  /** First day (YYYY-MM-DD). */
  start: string;
  /** Last day, inclusive (YYYY-MM-DD). */
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function monthsPeriod(name: string, kind: TargetPeriod['kind'], year: number, month: number, months: number) {
  const start = `${year}-${pad(month)}-01`;
  const next = new Date(Date.UTC(year, month - 1 + months, 1));
  return { name, kind, start, end: isoDay(dayNumber(next.toISOString().slice(0, 10)) - 1) };
}

/** Parses a period name; a 400 naming the formats when it is neither a quarter nor a month. */
export function parsePeriod(name: string): TargetPeriod {
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(name);
  if (quarter) {
    const q = Number(quarter[2]);
    return monthsPeriod(`${quarter[1]}-Q${q}`, 'quarter', Number(quarter[1]), (q - 1) * 3 + 1, 3);
  }
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) {
    return monthsPeriod(name, 'month', Number(month[1]), Number(month[2]), 1);
  }
  throw new AppError(
    'validation_failed',
    `"${name}" is not a target period. Use ${periodFormats.join(' or ')}.`,
    {
      period: name,
      allowed: periodFormats,
    },
  );
}

/** "Q4 2026", "November 2026": a period as people say it. */
export function periodWords(period: TargetPeriod): string {
  const [year, month] = period.start.split('-').map(Number) as [number, number];
  if (period.kind === 'quarter') return `Q${Math.floor((month - 1) / 3) + 1} ${year}`;
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The period named by its stored first and last day. */
export function periodFromDates(start: string, end: string): TargetPeriod {
  const [year, month] = start.split('-').map(Number) as [number, number];
  const months = Math.round((dayNumber(end) - dayNumber(start)) / 30.4);
  return months >= 3
    ? parsePeriod(`${year}-Q${Math.floor((month - 1) / 3) + 1}`)
    : parsePeriod(`${year}-${pad(month)}`);
}

export function quarterOf(at: Date): TargetPeriod {
  return parsePeriod(`${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`);
}

export function monthOf(at: Date): TargetPeriod {
  return parsePeriod(`${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}`);
}

/** The period right after this one, of the same kind. */
export function nextPeriod(period: TargetPeriod): TargetPeriod {
  const after = new Date((dayNumber(period.end) + 1) * 86_400_000);
  return period.kind === 'quarter' ? quarterOf(after) : monthOf(after);
}

/** Midnight UTC at the start of a day (YYYY-MM-DD). */
export const startOfDay = (isoDate: string): Date => new Date(`${isoDate}T00:00:00Z`);
/** Midnight UTC after the last day of a period. */
export const endOfPeriod = (period: { end: string }): Date =>
  new Date((dayNumber(period.end) + 1) * 86_400_000);
