import type { QueueItem } from '../api/queue.ts';

export type Urgency = 'overdue' | 'soon' | 'today' | 'later' | 'none';

/** Minutes until the verdict is due, counted from `now` (negative = overdue; null = no SLA applies). */
export function minutesLeft(item: Pick<QueueItem, 'acceptDueAt'>, now: number): number | null {
  if (!item.acceptDueAt) return null;
  return Math.floor((new Date(item.acceptDueAt).getTime() - now) / 60_000);
}

export function urgencyOf(left: number | null): Urgency {
  if (left === null) return 'none';
  if (left < 0) return 'overdue';
  if (left < 60) return 'soon';
  if (left < 8 * 60) return 'today';
  return 'later';
}

export const urgencyColors: Record<Urgency, string> = {
  overdue: 'red',
  soon: 'orange',
  today: 'yellow',
  later: 'teal',
  none: 'gray',
};

/** 135 → "2 h 15 min", 2900 → "2 d 0 h", 7 → "7 min". */
export function durationWords(minutes: number): string {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${m % 60} min`;
  const days = Math.floor(m / 1440);
  return days >= 10 ? `${days} d` : `${days} d ${Math.floor((m % 1440) / 60)} h`;
}

/** "2 h 15 min left", "40 min late", "no SLA". */
export function timeLeftWords(left: number | null): string {
  if (left === null) return 'no SLA';
  return left < 0 ? `${durationWords(left)} late` : `${durationWords(left)} left`;
}

/** The queue's one-sentence summary: how many wait, how many are late, how many are due soon. */
export function queueSentence(items: readonly QueueItem[], now: number, whose: 'you' | string): string {
  if (items.length === 0) {
    return whose === 'you'
      ? 'Your queue is empty: no MQL is waiting for your verdict.'
      : `${whose}'s queue is empty: no MQL is waiting for a verdict.`;
  }
  const lefts = items.map((item) => urgencyOf(minutesLeft(item, now)));
  const overdue = lefts.filter((u) => u === 'overdue').length;
  const soon = lefts.filter((u) => u === 'soon').length;
  const count = `${items.length} ${items.length === 1 ? 'MQL waits' : 'MQLs wait'}`;
  const subject = whose === 'you' ? `${count} for your verdict` : `${count} for ${whose}'s verdict`;
  const parts: string[] = [];
  if (overdue > 0 && overdue === items.length)
    parts.push(items.length === 1 ? 'it is overdue' : `all ${overdue} are overdue`);
  else if (overdue > 0) parts.push(`${overdue} ${overdue === 1 ? 'is' : 'are'} overdue`);
  if (soon > 0) parts.push(`${soon} ${soon === 1 ? 'is' : 'are'} due within the hour`);
  if (parts.length === 0) return `${subject}; none is late yet.`;
  return `${subject}: ${parts.join(' and ')}.`;
}
