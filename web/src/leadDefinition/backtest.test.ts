import { describe, expect, test } from 'vitest';
import type {
  Backtest,
  DefinitionDiff,
  DefinitionStatus,
  DefinitionVersion,
  LiftDecile,
} from '../api/types.ts';
import {
  backtestSentence,
  changeText,
  customRange,
  periodDays,
  periodLastDay,
  periodRange,
  todayInput,
} from './backtestWords.ts';
import { comparisonOptions, defaultComparison, diffLines, diffSummary } from './diffWords.ts';
import { aucSentence, calibration, calibrationSentence, decileLabel, liftSentence } from './learnedWords.ts';

describe('backtest periods', () => {
  test('last quarter is the previous full calendar quarter, across a new year too', () => {
    expect(periodRange('quarter', new Date('2026-11-26T13:20:00Z'))).toEqual({
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
      label: 'Last quarter (Q3 2026)',
      phrase: 'last quarter (Q3 2026)',
    });
    const january = periodRange('quarter', new Date('2027-01-02T00:00:00Z'));
    expect([january.from, january.to, january.label]).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      'Last quarter (Q4 2026)',
    ]);
  });

  test('rolling periods are whole days up to today', () => {
    expect(periodRange('90', new Date('2026-11-26T13:20:00Z'))).toEqual({
      from: '2026-08-28T00:00:00.000Z',
      to: '2026-11-26T00:00:00.000Z',
      label: 'Last 90 days',
      phrase: 'in the last 90 days',
    });
    expect(periodRange('365', new Date('2026-11-26T23:59:00Z')).from).toBe('2025-11-26T00:00:00.000Z');
  });

  test('custom dates: from the first day through the last, as whole UTC days', () => {
    const today = new Date(2026, 10, 28, 15, 0);
    expect(todayInput(today)).toBe('2026-11-28');
    expect(customRange('2026-11-01', '2026-11-20', today)).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
      label: 'Nov 1, 2026 – Nov 20, 2026',
      phrase: 'from Nov 1, 2026 to Nov 20, 2026',
    });
    // One day, and up to today, are periods too.
    expect(customRange('2026-11-28', '2026-11-28', today)).toMatchObject({
      from: '2026-11-28T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
    });
    expect(periodDays(periodRange('quarter', today))).toBe('Jul 1, 2026 – Sep 30, 2026');
    expect(periodLastDay(periodRange('quarter', today))).toBe('Sep 30, 2026');
  });

  test('custom dates: the last day not before the first, and neither in the future', () => {
    const today = new Date(2026, 10, 28, 15, 0);
    expect(customRange('2026-11-20', '2026-11-01', today)).toEqual({
      problem: 'The last day comes before the first.',
      field: 'to',
    });
    expect(customRange('2026-11-01', '2026-11-29', today)).toEqual({
      problem: 'The last day is still to come: choose today or earlier.',
      field: 'to',
    });
    expect(customRange('2026-12-01', '2026-12-02', today)).toMatchObject({ field: 'from' });
    expect(customRange('', '2026-11-02', today)).toEqual({ problem: 'Choose the first day.', field: 'from' });
    expect(customRange('2026-11-01', '', today)).toEqual({ problem: 'Choose the last day.', field: 'to' });
  });
});

const side = (version: number, mqls: number, accepted: number, won: number) => ({
  version,
  mqls,
  accepted,
  sql: accepted,
  won,
});
const backtest = (candidate: Backtest['candidate'], inForce: Backtest['inForce']): Backtest => ({
  from: '2026-07-01T00:00:00.000Z',
  to: '2026-10-01T00:00:00.000Z',
  leads: 990,
  candidate,
  inForce,
  movedIn: { count: 0, sample: [] },
  movedOut: { count: 0, sample: [] },
});

describe('the backtest in one sentence', () => {
  test('against the version in force: MQLs, their change, and the acceptance rates', () => {
    expect(backtestSentence(backtest(side(4, 312, 128, 20), side(3, 280, 106, 17)), 'last quarter')).toBe(
      'Version 4 would have made 312 MQLs last quarter instead of 280 (+11%); 41.0% of them were later accepted by sales, against 37.9%.',
    );
  });

  test('with nothing in force, and with no MQL at all', () => {
    expect(backtestSentence(backtest(side(1, 170, 80, 23), null), 'last quarter')).toBe(
      'Version 1 would have made 170 MQLs last quarter out of 990 new leads; 47.1% of them were later accepted by sales and 13.5% won.',
    );
    expect(backtestSentence(backtest(side(2, 0, 0, 0), side(1, 1, 1, 0)), 'in the last 90 days')).toBe(
      'Version 2 would have made 0 MQLs in the last 90 days out of 990 new leads, where version 1 made 1 MQL.',
    );
  });

  test('changes round to whole percent, and say when there is no base', () => {
    expect([changeText(162, 263), changeText(100, 100), changeText(5, 0)]).toEqual(['−38%', '±0%', null]);
  });
});

describe('what changed, in words', () => {
  const diff: DefinitionDiff = {
    against: 1,
    fit: {
      added: [{ id: 'sw', field: 'account.industry', op: 'equals', value: 'Software', points: 5 }],
      removed: [{ id: 'edu', field: 'person.emailDomain', op: 'contains', value: '.edu', points: -40 }],
      changed: [
        {
          id: 'size',
          before: { id: 'size', field: 'account.employees', op: 'range', min: 200, max: 5000, points: 40 },
          after: { id: 'size', field: 'account.employees', op: 'range', min: 200, max: 5000, points: 30 },
        },
      ],
    },
    engagement: {
      added: [],
      removed: [],
      changed: [
        {
          id: 'pricing',
          before: { id: 'pricing', activityType: 'page_view', points: 15, maxCount: 5 },
          after: { id: 'pricing', activityType: 'page_view', points: 15, maxCount: 3, withinDays: 30 },
        },
      ],
    },
    settings: ['MQL needs engagement: 50 → 30'],
  };

  test('each rule in the words of the rules tables, then the thresholds', () => {
    expect(diffLines(diff)).toEqual([
      { kind: 'added', part: 'Fit', text: 'Company industry is Software, +5 points' },
      { kind: 'removed', part: 'Fit', text: 'Email domain contains “.edu”, -40 points' },
      { kind: 'changed', part: 'Fit', text: 'Company employees 200 to under 5,000: +40 → +30 points' },
      {
        kind: 'changed',
        part: 'Engagement',
        text: 'Page view, +15 points each, at most 5 times → Page view, +15 points each, at most 3 times, within 30 days',
      },
      { kind: 'setting', part: 'Threshold', text: 'MQL needs engagement: 50 → 30' },
    ]);
    expect(diffSummary(diffLines(diff))).toBe('Rules: 1 added, 1 removed, 2 changed. 1 threshold changed.');
  });
});

describe('which version a version is compared with', () => {
  // Only the number and status matter here.
  const v = (version: number, status: DefinitionStatus) => ({ version, status }) as DefinitionVersion;

  test('any other version, newest first; first the one in force', () => {
    const versions = [
      v(5, 'draft'),
      v(4, 'scheduled'),
      v(3, 'in force'),
      v(2, 'superseded'),
      v(1, 'superseded'),
    ];
    expect(comparisonOptions(versions, 5)).toEqual([
      { value: '4', label: 'Version 4 (scheduled)' },
      { value: '3', label: 'Version 3 (in force)' },
      { value: '2', label: 'Version 2 (superseded)' },
      { value: '1', label: 'Version 1 (superseded)' },
    ]);
    expect(defaultComparison(versions, 5)).toBe(3);
  });

  test('with nothing in force, the newest version before it; with no other version, none', () => {
    expect(defaultComparison([v(3, 'draft'), v(2, 'signed'), v(1, 'draft')], 2)).toBe(1);
    expect(defaultComparison([v(2, 'draft'), v(1, 'draft')], 1)).toBe(2);
    expect(defaultComparison([v(1, 'draft')], 1)).toBeUndefined();
  });
});

describe('a learned scorecard in words', () => {
  const decile = (n: number, observedRate: number, lift: number, cumulativeCapture: number): LiftDecile => ({
    decile: n,
    rows: 46,
    positives: Math.round(observedRate * 46),
    meanPredicted: observedRate,
    observedRate,
    lift,
    cumulativeCapture,
  });

  test('the held-out AUC as a ranking of two leads, and the lift of the top tenth', () => {
    expect(aucSentence(0.7799, 'won')).toBe(
      'On leads it had not seen, the learned score ranks a random won lead above a random lost one 78% of the time (a coin toss would do 50%): a useful signal.',
    );
    expect(aucSentence(0.55, 'accepted')).toContain(
      'a random lead sales accepted above a random one they did not 55%',
    );
    expect(
      liftSentence([decile(1, 0.1522, 3.02, 0.304), decile(2, 0.1556, 3.09, 0.609)], 0.0503, 'won'),
    ).toBe(
      'Of the top 10% by learned score, 15.2% were won: 3.0× the 5.0% average; the top 20% hold 61% of all of them.',
    );
    expect([1, 2, 10].map(decileLabel)).toEqual(['Top 10%', '11–20%', '91–100%']);
  });

  const tenth = (n: number, meanPredicted: number, observedRate: number, rows = 400): LiftDecile => ({
    decile: n,
    rows,
    positives: Math.round(observedRate * rows),
    meanPredicted,
    observedRate,
    lift: 1,
    cumulativeCapture: 0,
  });

  test('calibration: probabilities taken at their word when every tenth is within chance of its prediction', () => {
    // 400 leads predicted at 20%: 18% is one standard error (2 points) below, as chance often is.
    const deciles = [tenth(1, 0.2, 0.18), tenth(2, 0.1, 0.11), tenth(3, 0.02, 0.01)];
    expect(calibration(deciles)).toMatchObject({
      verdict: 'as predicted',
      off: 0,
      tenths: 3,
      leadsPerTenth: 400,
    });
    expect(calibrationSentence(deciles, 'won')).toBe(
      'Where it predicted 20.0%, 18.0% were won; with 400 leads a tenth, none is further off than chance explains: its probabilities can be taken at their word.',
    );
  });

  test('calibration: says which way the probabilities are wrong, with the tenth most off', () => {
    // 22% predicted, 9% happened: six standard errors, not chance.
    const hopeful = [tenth(1, 0.22, 0.15), tenth(2, 0.12, 0.11), tenth(3, 0.22, 0.09)];
    expect(calibration(hopeful)).toMatchObject({ verdict: 'too high', off: 2, example: hopeful[2] });
    expect(calibrationSentence(hopeful, 'won')).toBe(
      'Where it predicted 22.0%, 9.0% were won: it over-states the chances in 2 of 3 tenths, so read its probabilities as too hopeful.',
    );
    const timid = [tenth(1, 0.3, 0.42), tenth(2, 0.1, 0.1)];
    expect(calibrationSentence(timid, 'accepted')).toBe(
      'Where it predicted 30.0%, 42.0% were accepted by sales: it under-states the chances in 1 of 2 tenths, so the real rates are higher than it says.',
    );
    expect(calibration([tenth(1, 0.3, 0.42), tenth(2, 0.22, 0.09)]).verdict).toBe('mixed');
    // A small tenth may be far off by chance: 2 of 10 where 10% was predicted is not proof.
    expect(calibration([tenth(1, 0.1, 0.2, 10)]).verdict).toBe('as predicted');
    expect(calibrationSentence([], 'won')).toBe('');
  });
});
