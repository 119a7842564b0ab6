import { describe, expect, it } from 'vitest';
import { auc, brierScore, decileTable, logLoss } from './scorecard.metrics.ts';

describe('auc', () => {
  it('counts the pairs a hand-made ranking orders correctly', () => {
    // Positives at 0.9 and 0.7; negatives at 0.8, 0.6, 0.5: 5 of the 6 pairs are ordered right.
    expect(auc([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 0])).toBeCloseTo(5 / 6, 12);
    expect(auc([0.1, 0.2, 0.3], [0, 0, 1])).toBe(1);
    expect(auc([0.1, 0.2, 0.3], [1, 0, 0])).toBe(0);
  });

  it('counts a tie between a positive and a negative as half', () => {
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    // Pairs: (0.7 vs 0.7) ½, (0.7 vs 0.2) 1, (0.9 vs 0.7) 1, (0.9 vs 0.2) 1 → 3.5 / 4.
    expect(auc([0.7, 0.9, 0.7, 0.2], [1, 1, 0, 0])).toBeCloseTo(3.5 / 4, 12);
  });

  it('is undefined with one class only', () => {
    expect(auc([0.1, 0.4], [1, 1])).toBeNull();
  });
});

describe('decile table', () => {
  it('puts the top tenth first with its lift and calibration', () => {
    const probabilities = Array.from({ length: 100 }, (_, i) => i / 100);
    const outcome = probabilities.map((p) => (p >= 0.9 ? 1 : 0));
    const table = decileTable(probabilities, outcome);
    expect(table).toHaveLength(10);
    expect(table[0]).toMatchObject({
      decile: 1,
      rows: 10,
      positives: 10,
      observedRate: 1,
      lift: 10,
      cumulativeCapture: 1,
    });
    expect(table[0]!.meanPredicted).toBeCloseTo(0.945, 12);
    expect(table[9]).toMatchObject({ decile: 10, rows: 10, positives: 0, lift: 0, cumulativeCapture: 1 });
    expect(table[9]!.meanPredicted).toBeCloseTo(0.045, 12);
  });

  it('splits rows that do not divide by ten into near-equal groups', () => {
    const table = decileTable(
      Array.from({ length: 25 }, (_, i) => i),
      Array.from({ length: 25 }, () => 0),
    );
    expect(table.map((d) => d.rows)).toEqual([3, 2, 3, 2, 3, 2, 3, 2, 3, 2]);
  });
});

describe('log loss and Brier score', () => {
  it('match their definitions', () => {
    expect(logLoss([0.8, 0.4], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(brierScore([0.8, 0.4], [1, 0])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });
});
