import { describe, expect, it } from 'vitest';
import { buildFeatures, defaultFeatureOptions, describeLevel, levelMatcher } from './scorecard.features.ts';
import { detectDateFormat, normaliseCell, parseDate, parseNumber } from './scorecard.values.ts';

describe('cells', () => {
  it('reads placeholders as missing, whatever their case, and normalises the rest', () => {
    for (const placeholder of [
      '',
      '  ',
      'Select',
      'SELECT',
      '-',
      'N/A',
      'n/a',
      'None',
      'null',
      'Unknown',
      '?',
      '--None--',
      '-- Select --',
      '[none]',
      '<select>',
    ]) {
      expect(normaliseCell(placeholder)).toBeUndefined();
    }
    expect(normaliseCell('  Paid   Search ')).toBe('paid search');
    // A value with a dash is a value.
    expect(normaliseCell('-5')).toBe('-5');
    expect(normaliseCell('e-commerce')).toBe('e-commerce');
    expect(normaliseCell(undefined)).toBeUndefined();
  });

  it('reads numbers as exports write them', () => {
    expect(parseNumber('12')).toBe(12);
    expect(parseNumber('-3.5')).toBe(-3.5);
    expect(parseNumber('1,234.50')).toBe(1234.5);
    expect(parseNumber('$99')).toBe(99);
    expect(parseNumber('15%')).toBe(15);
    expect(parseNumber('12-05-2018')).toBeUndefined();
    expect(parseNumber('1,2')).toBeUndefined();
  });

  it('tells day-first from month-first dates and refuses impossible ones', () => {
    expect(detectDateFormat(['01-02-2018', '22-03-2018', '30-04-2018'], 0.95)).toBe('DD-MM-YYYY');
    expect(detectDateFormat(['02/01/2018', '03/22/2018', '04/30/2018 17:19'], 0.95)).toBe('MM-DD-YYYY');
    expect(detectDateFormat(['2018-01-02', '2018-03-22T10:00:00Z'], 0.95)).toBe('YYYY-MM-DD');
    expect(detectDateFormat(['referral', '01-02-2018'], 0.95)).toBeUndefined();
    expect(parseDate('31-02-2018', 'DD-MM-YYYY')).toBeUndefined();
    expect(parseDate('29-02-2016', 'DD-MM-YYYY')).toEqual({ year: 2016, month: 2, day: 29 });
  });
});

const repeat = (value: string, times: number) => Array.from({ length: times }, () => value);

describe('features', () => {
  it('pools rare values into "(other)" and placeholders into "(missing)"', () => {
    const origin = [
      ...repeat('Referral', 40),
      ...repeat('paid_search ', 30),
      ...repeat('email', 9), // fewer than 10 rows: rare
      ...repeat('Select', 11),
      ...repeat('', 10),
    ];
    const { features, dropped } = buildFeatures(['origin'], () => origin);
    expect(dropped).toEqual([]);
    const [feature] = features;
    expect(feature?.spec).toEqual({ name: 'origin', column: 'origin', type: 'categorical' });
    expect(feature?.levels).toEqual([
      { kind: 'category', value: 'referral' },
      { kind: 'category', value: 'paid_search' },
      { kind: 'other' },
      { kind: 'missing' },
    ]);
    const match = levelMatcher(feature!);
    expect(match('referral')).toBe(0);
    expect(match('email')).toBe(2);
    expect(match('a value never seen')).toBe(2);
    expect(match(undefined)).toBe(3);
  });

  it('cuts numbers into quantile ranges, with "(missing)" for empty and unreadable cells', () => {
    // Each amount twice: a different whole number on every row would read as an id.
    const amounts = [...Array.from({ length: 200 }, (_, i) => String((i >> 1) + 1)), 'N/A', ''];
    const [feature] = buildFeatures(['amount'], () => amounts).features;
    expect(feature?.spec.type).toBe('numeric');
    expect(feature?.levels).toEqual([
      { kind: 'range', range: [null, 21] },
      { kind: 'range', range: [21, 41] },
      { kind: 'range', range: [41, 61] },
      { kind: 'range', range: [61, 81] },
      { kind: 'range', range: [81, null] },
      { kind: 'missing' },
    ]);
    const match = levelMatcher(feature!);
    expect([match('1'), match('20.9'), match('21'), match('81'), match('1e6'), match(undefined)]).toEqual([
      0, 0, 1, 4, 4, 5,
    ]);
    expect(describeLevel('amount', feature!.levels[1]!)).toBe('amount in [21, 41)');
    expect(describeLevel('amount', feature!.levels[0]!)).toBe('amount < 21');
  });

  it('turns a date column into month and weekday', () => {
    const dates = [...repeat('01-02-2018', 30), ...repeat('15-03-2018', 30), ...repeat('', 5)];
    const { features } = buildFeatures(['first_contact'], () => dates);
    expect(features.map((f) => f.spec)).toEqual([
      {
        name: 'first_contact (month)',
        column: 'first_contact',
        type: 'date',
        part: 'month',
        dateFormat: 'DD-MM-YYYY',
      },
      {
        name: 'first_contact (weekday)',
        column: 'first_contact',
        type: 'date',
        part: 'weekday',
        dateFormat: 'DD-MM-YYYY',
      },
    ]);
    expect(features[0]?.levels.slice(0, 2)).toEqual([
      { kind: 'category', value: '2018-02' },
      { kind: 'category', value: '2018-03' },
    ]);
    // 1 Feb 2018 was a Thursday, 15 Mar 2018 a Thursday too: the weekday is constant but for the missing.
    expect(features[1]?.levels[0]).toEqual({ kind: 'category', value: 'thu' });
  });

  it('drops id-like, constant and empty columns and says why', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `lead-${i}`);
    const numericIds = Array.from({ length: 50 }, (_, i) => String(1000 + i));
    const columns: Record<string, string[]> = {
      email: ids,
      row_number: numericIds,
      country: repeat('BR', 50),
      notes: repeat('n/a', 50),
      tag: [...Array.from({ length: 25 }, (_, i) => `t${i % 5}`), ...repeat('', 25)],
    };
    const { features, dropped } = buildFeatures(Object.keys(columns), (c) => columns[c]!);
    expect(dropped).toEqual([
      { column: 'email', reason: 'id-like: a different value on (almost) every row' },
      { column: 'row_number', reason: 'id-like: a different whole number on every row' },
      { column: 'country', reason: 'constant: every row is "br"' },
      { column: 'notes', reason: 'empty (or a placeholder such as "N/A") on every row' },
    ]);
    // Five tags of 5 rows each are all rare; what is left is "(other)" against "(missing)": still a signal.
    expect(features.map((f) => f.levels)).toEqual([[{ kind: 'other' }, { kind: 'missing' }]]);
  });

  it('treats a number column with few distinct values as categories', () => {
    const rating = [...repeat('1', 20), ...repeat('2', 20), ...repeat('3', 20)];
    const [feature] = buildFeatures(['rating'], () => rating, defaultFeatureOptions).features;
    expect(feature?.spec.type).toBe('categorical');
    expect(feature?.levels.filter((l) => l.kind === 'category')).toHaveLength(3);
  });
});
