import { describe, expect, test } from 'vitest';
import type { FunnelReport, FunnelRow } from '../api/types.ts';
import { toCsv } from '../csv.ts';
import { formatCount, formatRate, plural } from '../format.ts';
import { matchesGroupFilter, sortBreakdownRows } from './breakdownSort.ts';
import { groupName, qualifiedToWonRate, stageLines } from './funnelRows.ts';
import { leakSentence } from './leakSentence.ts';
import { periodStart } from './periods.ts';

const row = (group: string | null, counts: number[]): FunnelRow => ({
  group,
  counts,
  conversion: counts.map((count, i) => (i === 0 || !counts[i - 1] ? null : count / (counts[i - 1] ?? 1))),
});

describe('the leak sentence', () => {
  test('names the two stages, the rate with one decimal and the people lost', () => {
    const leak = {
      fromStage: 'mql',
      toStage: 'sal',
      fromLabel: 'MQL',
      toLabel: 'SAL',
      conversion: 0.10497,
      lost: 7158,
    };
    expect(leakSentence(leak)).toBe(
      'Weakest step over this period: MQL → SAL, where only 10.5% of MQLs move on (7,158 did not, or not yet).',
    );
  });

  test('plurals read as words', () => {
    expect([plural('MQL'), plural('New lead'), plural('Opportunity')]).toEqual([
      'MQLs',
      'new leads',
      'opportunities',
    ]);
  });
});

describe('numbers', () => {
  test('counts get thousands separators and rates one decimal', () => {
    expect([formatCount(1234567), formatRate(0.0005), formatRate(1), formatRate(null)]).toEqual([
      '1,234,567',
      '0.1%',
      '100.0%',
      '–',
    ]);
  });

  test('conversion from the first stage and the biggest leak are read from the report', () => {
    const report: FunnelReport = {
      by: 'none',
      filters: { from: null, to: null, segment: null, source: null, campaign: null, team: null, rep: null },
      cells: { total: ['c0', 'c1', 'c2'], rows: [] },
      stages: [
        { key: 'new', label: 'New lead' },
        { key: 'mql', label: 'MQL' },
        { key: 'won', label: 'Won' },
      ],
      total: row(null, [200, 50, 5]),
      rows: [],
      groupsOmitted: 0,
      biggestLeak: {
        fromStage: 'mql',
        toStage: 'won',
        fromLabel: 'MQL',
        toLabel: 'Won',
        conversion: 0.1,
        lost: 45,
      },
    };
    const lines = stageLines(report);
    expect(lines.map((line) => [line.fromPrevious, line.fromFirst, line.isLeak])).toEqual([
      [null, null, false],
      [0.25, 0.25, false],
      [0.1, 0.025, true],
    ]);
    expect(qualifiedToWonRate(report.total)).toBe(0.1);
  });
});

describe('the breakdown table', () => {
  const rows = [row('ads', [10, 4, 0]), row(null, [30, 0, 0]), row('webinar', [20, 5, 2])];

  test('sorts by a stage count, by name, or by rate with groups without MQLs last', () => {
    const groups = (sorted: FunnelRow[]) => sorted.map((r) => r.group);
    expect(groups(sortBreakdownRows(rows, { column: 0, descending: true }, 'source'))).toEqual([
      null,
      'webinar',
      'ads',
    ]);
    expect(groups(sortBreakdownRows(rows, { column: 'group', descending: false }, 'source'))).toEqual([
      null,
      'ads',
      'webinar',
    ]);
    expect(groups(sortBreakdownRows(rows, { column: 'rate', descending: true }, 'source'))).toEqual([
      'webinar',
      'ads',
      null,
    ]);
  });

  test('names sources in words and filters by those words or the stored key; other groups as they are', () => {
    const paid = row('paid_search', [5, 1, 0]);
    expect(groupName(paid.group, 'source')).toBe('Paid search');
    expect(groupName('spring_launch', 'campaign')).toBe('spring_launch');
    expect(groupName(null, 'source')).toBe('(not set)');
    expect(matchesGroupFilter(paid, 'paid search', 'source')).toBe(true);
    expect(matchesGroupFilter(paid, 'paid_search', 'source')).toBe(true);
    expect(matchesGroupFilter(paid, 'organic', 'source')).toBe(false);
  });

  test('exports CSV that a spreadsheet opens as text, not as formulas', () => {
    expect(
      toCsv([
        ['Source', 'Won'],
        ['a,b "c"', 3],
        ['=HYPERLINK()', 1],
      ]),
    ).toBe('Source,Won\r\n"a,b ""c""",3\r\n\'=HYPERLINK(),1');
  });
});

test('a period starts at midnight UTC, so the report is asked the same thing all day', () => {
  const today = new Date('2025-06-30T17:45:00Z');
  expect(periodStart('30', today)).toBe('2025-05-31T00:00:00.000Z');
  expect(periodStart('all', today)).toBeUndefined();
});
