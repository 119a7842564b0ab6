import { describe, expect, test } from 'vitest';
import type { Lifecycle } from '../api/types.ts';
import { stageVerdictNote } from './stageVerdict.ts';

const lifecycle: Lifecycle = {
  entry: ['new', 'mql', 'nurture'],
  stages: [
    { key: 'new', label: 'New lead', owner: 'marketing', funnelRank: 0, next: ['mql', 'nurture'] },
    { key: 'mql', label: 'MQL', owner: 'marketing', funnelRank: 1, next: ['sal', 'nurture'] },
    { key: 'sal', label: 'SAL', owner: 'sales', funnelRank: 2, next: ['nurture'] },
    { key: 'nurture', label: 'Nurture', owner: 'marketing', next: ['recycled'] },
    { key: 'recycled', label: 'Recycled', owner: 'marketing', next: ['mql', 'nurture'] },
  ],
};
const qualifies = { isMql: true, version: 3 };
const doesNot = { isMql: false, version: 3 };
const lead = (stage: string | null, stored: { isMql: boolean; version: number } | null = null) => ({
  stage,
  stageEnteredAt: '2026-11-02T10:00:00Z',
  score: stored && { grade: 'A' as const, engagementPoints: 50, ...stored },
});

describe('the sentence when stage and verdict disagree', () => {
  test('says nothing when they agree, or when the lead is past MQL', () => {
    expect(stageVerdictNote(lead('mql'), qualifies, lifecycle)).toBeNull();
    expect(stageVerdictNote(lead('new'), doesNot, lifecycle)).toBeNull();
    expect(stageVerdictNote(lead('sal'), qualifies, lifecycle)).toBeNull();
    expect(stageVerdictNote(lead('sal'), doesNot, lifecycle)).toBeNull();
  });

  test('an MQL that cooled off stays one until sales decides', () => {
    expect(stageVerdictNote(lead('mql'), doesNot, lifecycle)).toBe(
      "Moved to MQL on Nov 2, 2026; today's score no longer qualifies — sales decides what happens next.",
    );
  });

  test('a lead that qualifies moves at its next activity, or tonight when its stored score did not qualify', () => {
    expect(stageVerdictNote(lead('new', { isMql: false, version: 3 }), qualifies, lifecycle)).toBe(
      'Meets the MQL definition today but is still New lead; it moves at its next activity or at the nightly refresh, if it still qualifies then.',
    );
    // Stored under an older version: tonight's refresh compares with this version's stored verdict, which it has none of.
    expect(stageVerdictNote(lead('new', { isMql: true, version: 2 }), qualifies, lifecycle)).toContain(
      'or at the nightly refresh',
    );
    expect(stageVerdictNote(lead('recycled', { isMql: true, version: 3 }), qualifies, lifecycle)).toBe(
      'Meets the MQL definition today but is still Recycled, and the nightly refresh will not move it; it moves at its next activity or edit, if it still qualifies then.',
    );
  });

  test('a side stage scoring does not move from says so', () => {
    expect(stageVerdictNote(lead('nurture'), qualifies, lifecycle)).toBe(
      'Meets the MQL definition today but is still Nurture: scoring does not move a lead from there to MQL.',
    );
  });
});
