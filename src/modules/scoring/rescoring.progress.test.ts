import { describe, expect, it } from 'vitest';
import { type RescoringState, rescoringShare } from './rescoring.progress.ts';

const at = (state: Partial<RescoringState>): number =>
  rescoringShare({ step: null, qualified: null, checked: 0, finishedAt: null, ...state });

describe('how far a re-scoring run has got', () => {
  it('moves forward step by step, and through the MQL moves as they are checked', () => {
    expect(at({})).toBe(0);
    expect(at({ step: 'engagement' })).toBe(0);
    expect(at({ step: 'recent' })).toBeCloseTo(0.36);
    expect(at({ step: 'scores' })).toBeCloseTo(0.55);
    expect(at({ step: 'mql', qualified: 80_000 })).toBeCloseTo(0.83);
    expect(at({ step: 'mql', qualified: 80_000, checked: 40_000 })).toBeCloseTo(0.915);
    expect(at({ step: 'mql', qualified: 80_000, checked: 90_000 })).toBeCloseTo(1);
    expect(at({ step: 'mql', qualified: 0 })).toBeCloseTo(0.83);
    expect(at({ step: 'mql', qualified: 10, finishedAt: '2026-11-27T08:00:00Z' })).toBe(1);
  });
});
