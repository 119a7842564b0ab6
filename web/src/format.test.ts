import { describe, expect, test } from 'vitest';
import {
  countOf,
  formatDateTime,
  formatMonth,
  fromLocalInput,
  humanize,
  humanizeValue,
  movedBy,
  toLocalInput,
} from './format.ts';

describe('stored keys as people read them', () => {
  test('lower-case keys become words, with acronyms in capitals', () => {
    expect(humanize('paid_search')).toBe('Paid search');
    expect(humanize('business_segment')).toBe('Business segment');
    expect(humanize('mql_threshold')).toBe('MQL threshold');
    expect(humanize('nurture')).toBe('Nurture');
  });

  test('values already written for people, URLs and emails stay as they are', () => {
    expect(humanize('LinkedIn Ads – pipeline leaders')).toBe('LinkedIn Ads – pipeline leaders');
    expect(humanize('lead definition v2')).toBe('lead definition v2');
    expect(humanize('/lp/free_trial')).toBe('/lp/free_trial');
    expect(humanize('ana@example.com')).toBe('ana@example.com');
    expect(humanize('')).toBe('');
  });

  test('properties: yes/no for booleans, numbers as they are', () => {
    expect(humanizeValue(false)).toBe('no');
    expect(humanizeValue(true)).toBe('yes');
    expect(humanizeValue('demo_request')).toBe('Demo request');
    expect(humanizeValue(42)).toBe('42');
    expect(humanizeValue({ a: 1 })).toBe('{"a":1}');
  });
});

describe('months', () => {
  test('"2026-08" and "2026-08-01" read "Aug 2026"; anything else is left alone', () => {
    expect(formatMonth('2026-08')).toBe('Aug 2026');
    expect(formatMonth('2025-12-01')).toBe('Dec 2025');
    expect(formatMonth('(not set)')).toBe('(not set)');
  });
});

describe('counts with their word', () => {
  test('one is singular, any other number plural, with thousands separated', () => {
    expect(countOf(1, 'day')).toBe('1 day');
    expect(countOf(0, 'day')).toBe('0 days');
    expect(countOf(3, 'attempt')).toBe('3 attempts');
    expect(countOf(1200, 'row')).toBe('1,200 rows');
  });
});

describe('times of day, in the viewer’s time zone', () => {
  test('a moment reads with its date and time, and goes to and from a datetime-local input', () => {
    const nineAm = new Date(2026, 11, 1, 9, 0).toISOString();
    expect(formatDateTime(nineAm)).toBe('Dec 1, 2026, 9:00 AM');
    expect(toLocalInput(nineAm)).toBe('2026-12-01T09:00');
    expect(fromLocalInput('2026-12-01T09:00')).toBe(nineAm);
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('not a time')).toBeNull();
  });
});

describe('who made a move', () => {
  test('a person, a script through its token (and whose token), a rule, or Lockstep itself', () => {
    expect(movedBy({ actorName: 'Ada Admin', actorTokenName: null })).toBe('by Ada Admin');
    expect(movedBy({ actorName: 'Ada Admin', actorTokenName: 'crm-sync' })).toBe(
      'by API token "crm-sync" (Ada Admin\'s)',
    );
    expect(movedBy({ actorName: null, actorTokenName: 'nightly' })).toBe('by API token "nightly"');
    expect(movedBy({ actorName: null, actorTokenName: null, rule: 'mql_threshold' })).toBe(
      'by rule: MQL threshold',
    );
    expect(movedBy({ actorName: null, actorTokenName: null })).toBe('by Lockstep');
  });
});
