import { describe, expect, test } from 'vitest';
import { ApiError } from '../api/client.ts';
import type { QueueItem, Rep } from '../api/queue.ts';
import type { FeedbackReport } from '../feedback/feedbackApi.ts';
import { feedbackSentence, reasonTotals } from '../feedback/feedbackWords.ts';
import { conditionValue, conditionWords } from '../promises/ruleWords.ts';
import { salesSentence } from '../promises/words.ts';
import { dispositionErrorWords } from './dispositionWords.ts';
import { queueChoices } from './queueChoices.ts';
import { notMqlWords } from './scoreWords.ts';
import { durationWords, minutesLeft, queueSentence, timeLeftWords, urgencyOf } from './urgency.ts';

const now = Date.parse('2026-11-27T10:00:00Z');
const item = (acceptDueAt: string | null): QueueItem =>
  ({ personId: crypto.randomUUID(), acceptDueAt }) as unknown as QueueItem;

describe('the countdown', () => {
  test('counts whole minutes to the due time, negative once it has passed', () => {
    expect(minutesLeft(item('2026-11-27T12:15:00Z'), now)).toBe(135);
    expect(minutesLeft(item('2026-11-27T09:20:00Z'), now)).toBe(-40);
    expect(minutesLeft(item(null), now)).toBeNull();
  });

  test('says it in words: left, late, or no SLA', () => {
    expect(timeLeftWords(135)).toBe('2 h 15 min left');
    expect(timeLeftWords(-40)).toBe('40 min late');
    expect(timeLeftWords(-(3 * 1440 + 5 * 60))).toBe('3 d 5 h late');
    expect(timeLeftWords(-(112 * 1440 + 5 * 60))).toBe('112 d late');
    expect(timeLeftWords(null)).toBe('no SLA');
    expect(durationWords(0)).toBe('0 min');
  });

  test('colours by urgency: red when late, orange within the hour', () => {
    expect([-1, 0, 59, 60, 479, 480, null].map(urgencyOf)).toEqual([
      'overdue',
      'soon',
      'soon',
      'today',
      'today',
      'later',
      'none',
    ]);
  });

  test('sums the queue up in one sentence', () => {
    const items = [item('2026-11-27T09:00:00Z'), item('2026-11-27T10:30:00Z'), item('2026-11-28T10:00:00Z')];
    expect(queueSentence(items, now, 'you')).toBe(
      '3 MQLs wait for your verdict: 1 is overdue and 1 is due within the hour.',
    );
    expect(queueSentence(items.slice(0, 1), now, 'Leo Martins')).toBe(
      "1 MQL waits for Leo Martins's verdict: it is overdue.",
    );
    expect(queueSentence(items.slice(2), now, 'you')).toBe('1 MQL waits for your verdict; none is late yet.');
    expect(queueSentence([], now, 'you')).toBe('Your queue is empty: no MQL is waiting for your verdict.');
  });
});

describe('errors from accept/reject in words', () => {
  test('409 shows who decided first, and how', () => {
    const error = new ApiError(409, 'already_disposed', 'This lead was already rejected', {
      first: {
        decision: 'rejected',
        reason: 'not_now',
        reasonLabel: 'Not now',
        userName: 'Priya Nair',
        decidedAt: '2026-11-20T14:05:00.000Z',
      },
    });
    expect(dispositionErrorWords(error)).toMatch(
      /^Already decided: Priya Nair rejected this lead \(Not now\) on Nov 20, 2026 at .+\. Only the first verdict counts\.$/,
    );
  });

  test('403 says the lead is not yours', () => {
    expect(dispositionErrorWords(new ApiError(403, 'forbidden', 'Only the rep…'))).toBe(
      'This lead is not yours: only the rep it is assigned to (or an admin) may accept or reject it.',
    );
  });

  test('anything else keeps the server’s message', () => {
    expect(
      dispositionErrorWords(new ApiError(400, 'validation_failed', 'reason: "x" is not a rejection reason')),
    ).toBe('reason: "x" is not a rejection reason');
  });
});

describe('the promises in words', () => {
  const row = {
    key: null,
    label: 'all',
    mqls: 10,
    acceptMet: 6,
    acceptBreached: 2,
    acceptPending: 2,
    acceptCompliance: 0.75,
    touchMet: 5,
    touchBreached: 3,
    touchPending: 0,
    touchCompliance: 0.625,
    medianResponseMinutes: 95,
    p90ResponseMinutes: 600,
    neverTouched: 1,
  };
  test('sales: share on time of those judged, the median, and the never-contacted', () => {
    expect(salesSentence(row)).toBe(
      'Sales: 75.0% of MQLs were answered on time (6 of 8), typically within 1 h 35 min; 1 was never contacted.',
    );
    expect(salesSentence({ ...row, mqls: 0 })).toBe('No MQL was routed to sales in this period.');
  });

  test('routing conditions read as sentences and parse to the API’s values', () => {
    expect(conditionWords({ field: 'account.country', op: 'in', value: ['DE', 'FR'] })).toBe(
      'Company country is one of DE, FR',
    );
    expect(conditionWords({ field: 'person.attributes.plan', op: 'exists' })).toBe('plan is set');
    expect(conditionValue('in', ' DE, FR ,')).toEqual(['DE', 'FR']);
    expect(conditionValue('gte', '500')).toBe(500);
    expect(conditionValue('exists', 'x')).toBeUndefined();
  });

  test('feedback: the acceptance rate and the most common reason, with where it comes from', () => {
    const report = {
      by: 'source',
      totals: { decided: 10, accepted: 6, rejected: 4, acceptanceRate: 0.6 },
      rejectionsByGroup: [
        {
          group: 'paid_search',
          decided: 5,
          accepted: 2,
          rejected: 3,
          acceptanceRate: 0.4,
          reasons: { bad_fit: 2, not_now: 1 },
        },
        { group: null, decided: 5, accepted: 4, rejected: 1, acceptanceRate: 0.8, reasons: { bad_fit: 1 } },
      ],
    } as unknown as FeedbackReport;
    expect(reasonTotals(report.rejectionsByGroup)).toEqual([
      { key: 'bad_fit', count: 3 },
      { key: 'not_now', count: 1 },
    ]);
    expect(feedbackSentence(report, (key) => (key === 'bad_fit' ? 'Bad fit' : key))).toBe(
      'Sales accepted 60.0% of the 10 MQLs it decided on. The most common reason to reject: "Bad fit" (3 of 4 rejections), most often from Paid search (2).',
    );
  });
});

describe('whose queue a user may open', () => {
  const rep = (userId: string, managerId: string | null) => ({ userId, managerId }) as Rep;
  const reps = [rep('rachel', null), rep('leo', 'rachel'), rep('priya', 'rachel'), rep('jonas', 'sam')];

  test('an admin any rep’s, a manager their reports’, a rep nobody else’s', () => {
    const ids = (user: { id: string; role: 'admin' | 'sales' }) =>
      queueChoices(user, reps).map((r) => r.userId);
    expect(ids({ id: 'dana', role: 'admin' })).toEqual(['rachel', 'leo', 'priya', 'jonas']);
    expect(ids({ id: 'rachel', role: 'sales' })).toEqual(['leo', 'priya']);
    expect(ids({ id: 'leo', role: 'sales' })).toEqual([]);
  });
});

describe('why an MQL in the queue no longer meets the rule', () => {
  const score = (grade: 'A' | 'B' | 'C' | 'D', engagement: number) => ({
    fit: { points: 0, grade, hits: [] },
    engagement: { points: engagement, hits: [] },
    mqlRule: { minGrade: 'B' as const, minEngagement: 40 },
  });

  test('its engagement faded: cooled off, with the points it has and the line', () => {
    expect(notMqlWords(score('A', 26.4))).toBe('Cooled off: 26 engagement points, the rule asks 40');
  });

  test('its fit falls short: it never met this rule, whatever it did', () => {
    expect(notMqlWords(score('C', 55))).toBe('Below the MQL rule in force: fit C, the rule asks B or better');
    expect(notMqlWords(score('D', 3.8))).toBe(
      'Below the MQL rule in force: fit D, the rule asks B or better and 40 engagement points',
    );
  });
});
