// A backtest in the words a sales manager reads: which past period, and what a version would have done in it.
import type { Backtest, BacktestSide } from '../api/types.ts';
import { formatCount, formatRate, rateOf } from '../format.ts';

export const backtestPeriods = [
  { value: 'quarter', label: 'Last quarter' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 12 months' },
] as const;

export type BacktestPeriod = (typeof backtestPeriods)[number]['value'];

/** A period the panel offers: one of the fixed ones, or days the person chooses. */
export type PeriodChoice = BacktestPeriod | 'custom';

export interface PeriodRange {
  /** ISO, inclusive */
  from: string;
  /** ISO, exclusive */
  to: string;
  /** "Last quarter (Q3 2026)", "Last 90 days" */
  label: string;
  /** "last quarter (Q3 2026)", "in the last 90 days" — fits after "would have made 312 MQLs". */
  phrase: string;
}

const dayMs = 86_400_000;
const isoDay = (time: number) => `${new Date(time).toISOString().slice(0, 10)}T00:00:00.000Z`;

/**
 * The leads a backtest scores: the previous full calendar quarter (UTC), or whole days up to today.
 * Whole days keep the range, and so the query's cache key, the same all day long.
 */
export function periodRange(period: BacktestPeriod, today: Date = new Date()): PeriodRange {
  if (period === 'quarter') {
    const year = today.getUTCFullYear();
    const quarter = Math.floor(today.getUTCMonth() / 3); // 0-based: this quarter
    const start = new Date(Date.UTC(year, (quarter - 1) * 3, 1)); // Date.UTC wraps month -3 to last October
    const end = new Date(Date.UTC(year, quarter * 3, 1));
    const label = `Q${Math.floor(start.getUTCMonth() / 3) + 1} ${start.getUTCFullYear()}`;
    return {
      from: start.toISOString(),
      to: end.toISOString(),
      label: `Last quarter (${label})`,
      phrase: `last quarter (${label})`,
    };
  }
  const days = Number(period);
  const end = Date.parse(isoDay(today.getTime()));
  const label = backtestPeriods.find((option) => option.value === period)?.label ?? `Last ${days} days`;
  return {
    from: isoDay(end - days * dayMs),
    to: isoDay(end),
    label,
    phrase: `in the ${label.toLowerCase()}`,
  };
}

// Periods are whole days in UTC, so their dates read in UTC too.
const dayFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** "Sep 30, 2026": the last whole day of a period (its `to` is the midnight after it). */
export function periodLastDay(range: { to: string }): string {
  return dayFormat.format(new Date(Date.parse(range.to) - dayMs));
}

/** "Jul 1, 2026 – Sep 30, 2026": the first and the last day a period's leads arrived on. */
export function periodDays(range: { from: string; to: string }): string {
  return `${dayFormat.format(new Date(range.from))} – ${periodLastDay(range)}`;
}

/** The viewer's date today, as a `date` input's value: the last day a custom period may end on. */
export function todayInput(today: Date = new Date()): string {
  const local = new Date(today.getTime() - today.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

const dateInput = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The leads of a period chosen day by day: from the first day through the last (two `date` inputs,
 * "2026-11-01"), as whole UTC days like the other periods; or why those days cannot be one.
 */
export function customRange(
  firstDay: string,
  lastDay: string,
  today: Date = new Date(),
): PeriodRange | { problem: string; field: 'from' | 'to' } {
  if (!dateInput.test(firstDay)) return { problem: 'Choose the first day.', field: 'from' };
  if (!dateInput.test(lastDay)) return { problem: 'Choose the last day.', field: 'to' };
  if (firstDay > todayInput(today)) return { problem: 'The first day is still to come.', field: 'from' };
  if (lastDay > todayInput(today))
    return { problem: 'The last day is still to come: choose today or earlier.', field: 'to' };
  if (lastDay < firstDay) return { problem: 'The last day comes before the first.', field: 'to' };
  const from = `${firstDay}T00:00:00.000Z`;
  const to = isoDay(Date.parse(`${lastDay}T00:00:00.000Z`) + dayMs);
  const days = periodDays({ from, to });
  return { from, to, label: days, phrase: `from ${days.replace(' – ', ' to ')}` };
}

/** "+11%", "−4%", "±0%"; null when there is nothing to compare with. */
export function changeText(candidate: number, inForce: number): string | null {
  if (inForce === 0) return null;
  const change = Math.round(((candidate - inForce) / inForce) * 100);
  if (change === 0) return '±0%';
  return change > 0 ? `+${change}%` : `−${-change}%`;
}

const mqlsText = (count: number) => `${formatCount(count)} ${count === 1 ? 'MQL' : 'MQLs'}`;

/** The rates a side's MQLs converted at: later accepted by sales, and later won. */
export function sideRates(side: BacktestSide) {
  return { accepted: rateOf(side.accepted, side.mqls), won: rateOf(side.won, side.mqls) };
}

/**
 * The panel's answer, e.g. "Version 4 would have made 312 MQLs last quarter (Q3 2026) instead of 280 (+11%);
 * 41.0% of them were later accepted by sales, against 38.0%."
 */
export function backtestSentence(backtest: Backtest, phrase: string): string {
  const { candidate, inForce } = backtest;
  const subject = `Version ${candidate.version} would have made ${mqlsText(candidate.mqls)} ${phrase}`;
  if (candidate.mqls === 0) {
    const others = inForce ? `, where version ${inForce.version} made ${mqlsText(inForce.mqls)}` : '';
    return `${subject} out of ${formatCount(backtest.leads)} new leads${others}.`;
  }
  const accepted = formatRate(sideRates(candidate).accepted);
  if (!inForce) {
    return `${subject} out of ${formatCount(backtest.leads)} new leads; ${accepted} of them were later accepted by sales and ${formatRate(sideRates(candidate).won)} won.`;
  }
  const change = changeText(candidate.mqls, inForce.mqls);
  const against = formatRate(sideRates(inForce).accepted);
  return `${subject} instead of ${formatCount(inForce.mqls)}${change ? ` (${change})` : ''}; ${accepted} of them were later accepted by sales, against ${against}.`;
}
