import { describe, expect, test } from 'vitest';
import type { DefinitionStatus, DefinitionVersion } from '../api/types.ts';
import {
  laterStart,
  publishedByText,
  publishSentence,
  tomorrowMorning,
  versionPeriod,
} from './versionWords.ts';

// Dates read in the viewer's time zone: the test builds them in the local time of whoever runs it.
const local = (month: number, day: number, hour: number) =>
  new Date(2026, month - 1, day, hour).toISOString();

function version(
  number: number,
  status: DefinitionStatus,
  effectiveFrom: string | null,
  publishedBy: string | null = null,
): DefinitionVersion {
  return {
    version: number,
    status,
    rules: {
      fit: { rules: [], gradeCutoffs: { A: 3, B: 2, C: 1 } },
      engagement: { rules: [], halfLifeDays: null },
      mql: { minGrade: 'B', minEngagement: 0 },
    },
    note: null,
    createdAt: local(9, 1, 12),
    publishedAt: effectiveFrom && local(9, 15, 12),
    publishedBy,
    effectiveFrom,
    signatures: [],
    missingSignatures: [],
    rescoring: null,
  };
}

describe('when a version is in force', () => {
  const versions = [
    version(6, 'draft', null),
    version(5, 'scheduled', local(12, 1, 9), 'Ada Admin'),
    version(4, 'in force', local(11, 1, 12)),
    version(3, 'superseded', local(10, 20, 9)),
    version(2, 'superseded', local(10, 1, 12)),
    version(1, 'superseded', local(10, 1, 12)),
  ];
  const period = (number: number) =>
    versionPeriod(versions.find((v) => v.version === number) as DefinitionVersion, versions);

  test('a scheduled version says when it takes effect, to the minute', () => {
    expect(period(5)).toBe('takes effect Dec 1, 2026, 9:00 AM');
  });

  test('the version in force says since when; one scheduled after it does not end it yet', () => {
    expect(period(4)).toBe('in force since Nov 1, 2026');
  });

  test('a superseded version runs until the next version took effect', () => {
    expect(period(2)).toBe('in force Oct 1, 2026 – Oct 20, 2026');
    expect(period(3)).toBe('in force Oct 20, 2026 – Nov 1, 2026');
  });

  test('a version outranked from its first moment (same start, higher version) was never in force', () => {
    expect(period(1)).toBe('never in force');
  });

  test('a version in force for part of a day says the times', () => {
    const day = [version(2, 'in force', local(11, 20, 15)), version(1, 'superseded', local(11, 20, 9))];
    expect(versionPeriod(day[1] as DefinitionVersion, day)).toBe(
      'in force Nov 20, 2026, 9:00 AM – Nov 20, 2026, 3:00 PM',
    );
  });

  test('a draft has no period and no publisher; a published one names who published it', () => {
    expect(period(6)).toBeUndefined();
    expect(publishedByText(versions[0] as DefinitionVersion)).toBeUndefined();
    expect(publishedByText(versions[1] as DefinitionVersion)).toBe('published by Ada Admin');
  });
});

describe('publishing now or later', () => {
  const now = new Date(2026, 10, 28, 16, 30);
  const inForce = version(4, 'in force', local(11, 1, 12));

  test('a later start is offered from tomorrow at 9:00, and must be after now', () => {
    expect(tomorrowMorning(now)).toBe('2026-11-29T09:00');
    expect(tomorrowMorning(new Date(2026, 11, 31, 23, 0))).toBe('2027-01-01T09:00');
    expect(laterStart('2026-11-29T09:00', now)).toEqual({ effectiveFrom: local(11, 29, 9) });
    expect(laterStart('2026-11-28T16:30', now)).toEqual({
      problem: 'That time has passed: choose a later one, or publish now.',
    });
    expect(laterStart('', now)).toEqual({ problem: 'Choose the day and time it takes effect.' });
  });

  test('the admin reads what publishing replaces, and when', () => {
    expect(publishSentence(5, [inForce], undefined, now)).toBe(
      'Version 5 replaces version 4 as the lead definition now, and every lead is re-scored by it.',
    );
    expect(publishSentence(5, [inForce], local(12, 1, 9), now)).toBe(
      'Version 5 replaces version 4 as the lead definition on Dec 1, 2026, 9:00 AM; until then version 4 stays in force. Every lead is re-scored by it when it takes effect.',
    );
    expect(publishSentence(1, [], undefined, now)).toBe(
      'Version 1 becomes the lead definition now, and every lead is re-scored by it.',
    );
  });

  test('a version already scheduled after the chosen start still takes over then: the admin is told', () => {
    const scheduled = version(5, 'scheduled', local(12, 1, 9));
    expect(publishSentence(6, [scheduled, inForce], undefined, now)).toBe(
      'Version 6 replaces version 4 as the lead definition now, and every lead is re-scored by it. Version 5 is scheduled after it and still takes over on Dec 1, 2026, 9:00 AM.',
    );
  });
});
