import { countOf, formatCount, formatRate } from '../format.ts';
import { durationWords } from '../queue/urgency.ts';
import type {
  Breach,
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
      ? `none of the ${countOf(total.mqls, 'MQL')} is due yet`
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
    ? `${countOf(current.mqls, 'MQL')} ${periodWords[period]} so far against a promise of ${formatCount(promise.mqlVolume)}`
    : `${countOf(current.mqls, 'MQL')} ${periodWords[period]} so far (no promise set)`;
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

type Alert = Breach['alert'];

const alertColors: Record<Alert['status'], string | undefined> = {
  delivered: 'teal.8',
  pending: 'dimmed',
  failed: 'red.8',
  not_sent: 'dimmed',
};

/**
 * The Alerted cell: whom the breach was for and whether they were actually told, e.g. "Priya Nair"
 * over "by email", or over "not sent (email is off, no webhook)".
 */
export function alertWords(breach: Pick<Breach, 'alertedUserName' | 'alert'>): {
  who: string | null;
  what: string;
  color: string | undefined;
  /** Both in one line, with the error a retry waits on: for a tooltip and for copying. */
  title: string;
} {
  const { alert } = breach;
  const who = breach.alertedUserName ?? (alert.status === 'not_sent' ? 'Nobody' : null);
  const what = {
    delivered: `by ${alert.deliveredVia.join(' and ')}`,
    pending: 'sending…',
    failed: alert.reason ? `failed: ${alert.reason}` : 'failed',
    not_sent: `not sent (${alert.reason ?? 'nothing to send it through'})`,
  }[alert.status];
  const line = who ? `${who} · ${what}` : what;
  const title =
    alert.status === 'pending' && alert.reason ? `${line}; trying again after: ${alert.reason}` : line;
  return { who, what, color: alertColors[alert.status], title };
}

/** Under the breaches: how many of their alerts reached nobody, and what would fix it; null if all did. */
export function unheardAlertsSentence(breaches: readonly Pick<Breach, 'alert'>[]): string | null {
  const unheard = breaches.filter((b) => b.alert.status === 'not_sent' || b.alert.status === 'failed');
  if (unheard.length === 0) return null;
  const count =
    unheard.length === breaches.length
      ? breaches.length === 1
        ? 'This alert'
        : `All ${formatCount(breaches.length)} alerts`
      : `${formatCount(unheard.length)} of these ${formatCount(breaches.length)} alerts`;
  const noChannel = unheard.some((b) => /email is off|no webhook/.test(b.alert.reason ?? ''));
  return `${count} reached nobody${noChannel ? ': an admin can set up email or a webhook under Integrations' : ''}.`;
}
