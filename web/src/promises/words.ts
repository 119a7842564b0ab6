import { formatCount, formatRate } from '../format.ts';
import { durationWords } from '../queue/urgency.ts';
import type {
  ComplianceRow,
  MarketingPromise,
  MarketingRow,
  PromisePeriod,
  SlaPolicy,
} from './promisesApi.ts';

/** 90 → "1 h 30 min"; null → "–". */
export function minutesWords(minutes: number | null): string {
  return minutes === null ? '–' : durationWords(minutes);
}

/** 240 working minutes → "4 working hours". */
export function workingHoursWords(minutes: number): string {
  const hours = minutes / 60;
  if (Number.isInteger(hours)) return `${hours} working ${hours === 1 ? 'hour' : 'hours'}`;
  return `${minutes} working minutes`;
}

/** What sales promised, in one line: "accept or reject within 4 working hours, first contact within 8". */
export function policyWords(policy: SlaPolicy): string {
  const who = policy.grade ? `Grade ${policy.grade} leads` : 'Every other lead';
  return `${who}: answered within ${workingHoursWords(policy.acceptWithinMinutes)}, first contact within ${workingHoursWords(
    policy.firstTouchWithinMinutes,
  )}`;
}

/** The sales side in one sentence. */
export function salesSentence(total: ComplianceRow): string {
  if (total.mqls === 0) return 'No MQL was routed to sales in this period.';
  const judged = total.acceptMet + total.acceptBreached;
  const onTime =
    judged === 0
      ? `none of the ${formatCount(total.mqls)} MQLs is due yet`
      : `${formatRate(total.acceptCompliance)} of MQLs were answered on time (${formatCount(total.acceptMet)} of ${formatCount(judged)})`;
  const median =
    total.medianResponseMinutes === null
      ? ''
      : `, typically within ${minutesWords(total.medianResponseMinutes)}`;
  const untouched =
    total.neverTouched === 0
      ? 'every MQL was contacted'
      : `${formatCount(total.neverTouched)} ${total.neverTouched === 1 ? 'was' : 'were'} never contacted`;
  return `Sales: ${onTime}${median}; ${untouched}.`;
}

const periodWords: Record<PromisePeriod, string> = {
  week: 'this week',
  month: 'this month',
  quarter: 'this quarter',
};

/** The marketing side in one sentence, about the current (partial) period and the last full one. */
export function marketingSentence(
  rows: readonly MarketingRow[],
  promise: MarketingPromise | null,
  period: PromisePeriod,
): string {
  const current = rows.at(-1);
  if (!current) return 'Marketing: no MQLs in this range.';
  const volume = promise
    ? `${formatCount(current.mqls)} MQLs ${periodWords[period]} so far against a promise of ${formatCount(promise.mqlVolume)}`
    : `${formatCount(current.mqls)} MQLs ${periodWords[period]} so far (no promise set)`;
  const last = rows.at(-2);
  const rate = last
    ? `; last ${period}'s MQLs reached SQL at ${formatRate(last.mqlToSqlRate)}${
        promise ? ` (promise: at least ${formatRate(promise.minMqlToSqlRate)})` : ''
      }`
    : '';
  return `Marketing: ${volume}${rate}.`;
}

/** The share of MQLs answered on time sales aims for, and the share below which it is far off. */
export const complianceGoal = 0.9;
export const complianceFloor = 0.75;

export type ComplianceLevel = 'atGoal' | 'belowGoal' | 'farBelow';

export function complianceLevel(rate: number): ComplianceLevel {
  if (rate >= complianceGoal) return 'atGoal';
  return rate >= complianceFloor ? 'belowGoal' : 'farBelow';
}

const levelColors: Record<ComplianceLevel, string> = { atGoal: 'teal', belowGoal: 'yellow', farBelow: 'red' };

export function complianceColor(rate: number | null): string {
  return rate === null ? 'gray' : levelColors[complianceLevel(rate)];
}
