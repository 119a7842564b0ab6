import { describe, expect, it } from 'vitest';
import { compareProportions, fisherExact, normalCdf } from './significance.ts';

describe('significance', () => {
  it('computes the normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
  });

  it("gives Fisher's exact p-values (checked against scipy.stats.fisher_exact)", () => {
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.485714, 5); // the lady tasting tea: 34/70
    expect(fisherExact(2, 6, 18, 22)).toBeCloseTo(0.440198, 5);
    expect(fisherExact(1, 9, 30, 30)).toBeCloseTo(0.034991, 5);
  });

  it('does not call noise on small numbers a drop', () => {
    // 2 of 8 moved on this month against 18 of 40 normally: 25% vs 45%, but only 8 leads.
    const test = compareProportions(2, 8, 18, 40);
    expect(test.method).toBe('fisher');
    expect(test.p).toBeGreaterThan(0.05);
  });

  it('flags a real drop on large numbers with the z-test', () => {
    // 9% of 1,000 against 18% of 1,000: pooled 13.5%, se = √(.135·.865·.002) = .01528, z = −5.89.
    const test = compareProportions(90, 1000, 180, 1000);
    expect(test.method).toBe('z-test');
    expect(test.p).toBeLessThan(1e-6);
    expect(compareProportions(100, 1000, 100, 1000).p).toBeCloseTo(1, 6);
  });
});
