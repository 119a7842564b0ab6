import { describe, expect, it } from 'vitest';
import { fitLogistic, type SparseDesign, sigmoid } from './scorecard.logistic.ts';
import { seededRandom } from './scorecard.outcome.ts';

function denseDesign(rows: number[][]): SparseDesign {
  const width = rows[0]!.length;
  return {
    rows: rows.length,
    columns: width,
    rowStart: Int32Array.from({ length: rows.length + 1 }, (_, i) => i * width),
    index: Int32Array.from({ length: rows.length * width }, (_, k) => k % width),
    value: Float64Array.from(rows.flat()),
  };
}

const normal = (random: () => number) =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

describe('L2 logistic regression', () => {
  it('recovers the coefficients that generated the data', () => {
    const random = seededRandom(7);
    const truth = { intercept: -1, beta: [1.5, -0.75, 0] };
    const x = Array.from({ length: 20_000 }, () => [normal(random), normal(random), normal(random)]);
    const y = x.map((row) =>
      random() < sigmoid(truth.intercept + row.reduce((sum, v, j) => sum + v * truth.beta[j]!, 0)) ? 1 : 0,
    );
    const fit = fitLogistic(denseDesign(x), y, 1e-6);
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(truth.intercept, 1);
    truth.beta.forEach((b, j) => {
      expect(Math.abs(fit.coefficients[j]! - b)).toBeLessThan(0.06);
    });
  });

  it('gives the log odds ratio of a two-by-two table when barely regularised', () => {
    // Group A: 30 of 100 positive; group B: 10 of 100.
    const x = [...Array.from({ length: 100 }, () => [1]), ...Array.from({ length: 100 }, () => [0])];
    const y = [
      ...x.map((_, i) => (i < 30 ? 1 : 0)).slice(0, 100),
      ...Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0)),
    ];
    const fit = fitLogistic(denseDesign(x), y, 1e-9);
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(fit.intercept).toBeCloseTo(logit(0.1), 6);
    expect(fit.coefficients[0]).toBeCloseTo(logit(0.3) - logit(0.1), 6);
  });

  it('stops where the penalised gradient is zero, and shrinks coefficients as lambda grows', () => {
    const random = seededRandom(3);
    const x = Array.from({ length: 2_000 }, () => [normal(random), random() < 0.3 ? 1 : 0]);
    const y = x.map(([a, b]) => (random() < sigmoid(-0.5 + a! + 0.8 * b!) ? 1 : 0));
    const design = denseDesign(x);
    const lambda = 25;
    const fit = fitLogistic(design, y, lambda);
    const gradient = [0, 0, 0];
    x.forEach((row, i) => {
      const residual =
        sigmoid(fit.intercept + row[0]! * fit.coefficients[0]! + row[1]! * fit.coefficients[1]!) - y[i]!;
      gradient[0]! += residual;
      gradient[1]! += residual * row[0]!;
      gradient[2]! += residual * row[1]!;
    });
    expect(Math.abs(gradient[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(gradient[1]! + lambda * fit.coefficients[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(gradient[2]! + lambda * fit.coefficients[1]!)).toBeLessThan(1e-6);
    const strong = fitLogistic(design, y, 2_000);
    expect(Math.abs(strong.coefficients[0]!)).toBeLessThan(Math.abs(fit.coefficients[0]!) / 2);
  });

  it('fits only the rows of a subset', () => {
    const x = [[1], [1], [0], [0], [1], [0]];
    const y = [1, 0, 0, 1, 1, 1];
    const subset = fitLogistic(denseDesign(x), y, 1e-9, { subset: Int32Array.from([0, 1, 2, 3]) });
    // Rows 0–3: x=1 → 1 of 2, x=0 → 1 of 2: no effect.
    expect(subset.coefficients[0]).toBeCloseTo(0, 6);
    expect(subset.intercept).toBeCloseTo(0, 6);
  });

  it('fits rows alike once, weighted, to the same optimum as every row on its own', () => {
    // 3,000 leads over two one-hot features (3 and 4 levels): at most 12 distinct rows.
    const random = seededRandom(5);
    const leads = Array.from({ length: 3_000 }, () => [
      Math.floor(random() * 3),
      3 + Math.floor(random() * 4),
    ]);
    const y = leads.map(([a, b]) => (random() < sigmoid(-1 + 0.8 * a! - 0.3 * (b! - 3)) ? 1 : 0));
    const oneHot = (extra: (lead: number) => number[]): SparseDesign => {
      const entries = leads.map((levels, i) => [...levels, ...extra(i)]);
      const rowStart = Int32Array.from({ length: leads.length + 1 }, () => 0);
      entries.forEach((row, i) => {
        rowStart[i + 1] = rowStart[i]! + row.length;
      });
      const index = Int32Array.from(entries.flat());
      return {
        rows: leads.length,
        columns: 7 + leads.length,
        rowStart,
        index,
        value: Float64Array.from(index, (column) => (column < 7 ? 1 : 0)),
      };
    };
    // The same leads, each made distinct by an entry of its own that is zero: no row is like another.
    const grouped = fitLogistic(
      oneHot(() => []),
      y,
      3,
    );
    const apart = fitLogistic(
      oneHot((i) => [7 + i]),
      y,
      3,
    );
    expect(grouped.converged && apart.converged).toBe(true);
    expect(grouped.intercept).toBeCloseTo(apart.intercept, 5);
    for (let j = 0; j < 7; j++) expect(grouped.coefficients[j]).toBeCloseTo(apart.coefficients[j]!, 5);
    expect(grouped.coefficients[0]).toBeLessThan(grouped.coefficients[2]! - 1);

    // A subset counts each row it holds as often as it holds it.
    const subset = Int32Array.from({ length: 1_500 }, (_, i) => 2 * i);
    const groupedPart = fitLogistic(
      oneHot(() => []),
      y,
      3,
      { subset },
    );
    const apartPart = fitLogistic(
      oneHot((i) => [7 + i]),
      y,
      3,
      { subset },
    );
    expect(groupedPart.intercept).toBeCloseTo(apartPart.intercept, 5);
    expect(groupedPart.coefficients[4]).toBeCloseTo(apartPart.coefficients[4]!, 5);
    expect(groupedPart.coefficients[4]).not.toBeCloseTo(grouped.coefficients[4]!, 4);
  });
});
