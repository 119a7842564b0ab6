// The sentences the Targets page and the home page answer with, kept pure so they can be tested.
import type { StagePace } from '../../../src/modules/targets/reverse-funnel.ts';
import type { TargetView } from '../api/targets.ts';
import { formatCount } from '../format.ts';

export function formatMoney(amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
}

/** "2026-Q4" → "Q4 2026", "2026-11" → "November 2026". */
export function periodLabel(name: string): string {
  const quarter = /^(\d{4})-Q(\d)$/.exec(name);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const date = new Date(`${name}-01T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? name
    : date.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "Oct 1" from 2026-10-01, in UTC like the plan. */
export function shortDay(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** The one-sentence answer to "are we on track for the target?". */
export function targetSentence(target: TargetView): string {
  const money = (n: number) => formatMoney(n, target.currency);
  const name = periodLabel(target.period.name);
  if (target.status === 'draft') {
    return `The ${name} target of ${money(target.amount)} is a draft: it counts once ${target.missingConfirmations.join(' and ')} confirm${target.missingConfirmations.length === 1 ? 's' : ''} it.`;
  }
  const revenue = target.pacing?.revenue;
  const forecastShare = target.forecast.total / target.amount;
  const won = `${money(revenue?.won ?? 0)} won of ${money(target.amount)}`;
  const forecast = `forecast ${money(target.forecast.total)} (${Math.round(forecastShare * 100)}%)`;
  if (!revenue || revenue.status === 'not started') return `${name} has not started: ${forecast}.`;
  if (revenue.status === 'on track') return `${name} is on track: ${won}, ${forecast}.`;
  // Behind the pace so far is not behind at the end: say which, and whether the forecast makes up for it.
  const landing = `the forecast of ${money(target.forecast.total)} is ${Math.round(forecastShare * 100)}% of the target`;
  return (
    `${name} is ${money(revenue.shortfall)} behind pace so far (${won}; ${money(revenue.expectedByNow)} ` +
    `expected by now), ${forecastShare >= 1 ? 'but' : 'and'} ${landing}.`
  );
}

/** "Behind: 170 short" / "On track" / "Due from Aug 15" — one stage's pacing in words. */
export function paceWords(pace: StagePace, arriveFrom: string): string {
  if (pace.status === 'no plan') return 'No plan (a rate or the deal size is unknown)';
  if (pace.status === 'not started') return `Due from ${shortDay(arriveFrom)}`;
  if (pace.status === 'on track') return 'On track';
  return `Behind: ${formatCount(pace.shortfall)} short`;
}
