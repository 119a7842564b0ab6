import { describe, expect, it } from 'vitest';
import { seededRandom, splitHoldout, stratifiedFolds } from './scorecard.outcome.ts';

describe('the holdout and the folds', () => {
  it('split a file of 400,000 leads by class, every lead once (no call-stack limit on the size)', () => {
    // Every 16th lead positive: 25,000 positives, 375,000 negatives.
    const outcome = Int8Array.from({ length: 400_000 }, (_, i) => (i % 16 === 0 ? 1 : 0));
    const { train, holdout } = splitHoldout(outcome, 0.3, seededRandom(1));
    expect(holdout.length).toBe(120_000);
    expect(train.length).toBe(280_000);
    expect(holdout.filter((i) => outcome[i] === 1).length).toBe(7_500);
    expect(new Set([...train, ...holdout]).size).toBe(400_000);
    const folds = stratifiedFolds(train, outcome, 5, seededRandom(2));
    expect(folds.flat().length).toBe(280_000);
  });
});
