// The training arithmetic of a fit: the one-hot design, per-rule counts, and the cross-validated
// choice of the L2 strength.
import type { EncodedFeature } from './scorecard.features.ts';
import {
  fitLogistic,
  type LogisticFit,
  linearPredictor,
  type SparseDesign,
  sigmoid,
} from './scorecard.logistic.ts';
import { auc, logLoss } from './scorecard.metrics.ts';
import type { ScorecardModel } from './scorecard.model.ts';
import type { LevelCounts } from './scorecard.points.ts';

/**
 * The level every lead falls in for every feature, in one array (a million leads in one allocation,
 * not a million): lead i's level of feature f is at i × width + f.
 */
export interface Levels {
  width: number;
  of: Int32Array;
}

export const levelOf = (levels: Levels, lead: number, feature: number): number =>
  levels.of[lead * levels.width + feature]!;

/** One row per lead, one entry (value 1) per feature: the column of the level the lead falls in. */
export function oneHotDesign(features: readonly EncodedFeature[], levels: Levels): SparseDesign {
  const offsets = features.map((_, f) => features.slice(0, f).reduce((sum, g) => sum + g.levels.length, 0));
  const { width } = levels;
  const rows = levels.of.length / width;
  const index = new Int32Array(levels.of.length);
  for (let i = 0; i < index.length; i++) index[i] = offsets[i % width]! + levels.of[i]!;
  return {
    rows,
    columns: features.reduce((sum, f) => sum + f.levels.length, 0),
    rowStart: Int32Array.from({ length: rows + 1 }, (_, i) => i * width),
    index,
    value: new Float64Array(index.length).fill(1),
  };
}

export function levelCounts(
  features: readonly EncodedFeature[],
  train: readonly number[],
  levels: Levels,
  y: readonly number[],
): LevelCounts[] {
  return features.map((feature, f) => {
    const rows = feature.levels.map(() => 0);
    const positives = feature.levels.map(() => 0);
    for (const i of train) {
      const level = levelOf(levels, i, f);
      rows[level]!++;
      positives[level]! += y[i]!;
    }
    return { rows, positives };
  });
}

export function crossValidate(
  design: SparseDesign,
  y: readonly number[],
  folds: readonly number[][],
  grid: readonly number[],
  onFit: () => void = () => {},
): ScorecardModel['training']['lambdaGrid'] {
  const predicted = grid.map((): number[] => []);
  const actual: number[] = [];
  // Strongest penalty first, each fit starting from the previous one's coefficients.
  const order = grid.map((lambda, g) => ({ lambda, g })).sort((a, b) => b.lambda - a.lambda);
  folds.forEach((validation, k) => {
    const training = Int32Array.from(folds.flatMap((fold, j) => (j === k ? [] : fold)));
    let start: LogisticFit | undefined;
    for (const { lambda, g } of order) {
      const fit: LogisticFit = fitLogistic(design, y, lambda, {
        subset: training,
        ...(start ? { start } : {}),
      });
      start = fit;
      onFit();
      for (const i of validation)
        predicted[g]!.push(sigmoid(linearPredictor(design, i, fit.intercept, fit.coefficients)));
    }
    for (const i of validation) actual.push(y[i]!);
  });
  return grid.map((lambda, g) => ({
    lambda,
    cvLogLoss: logLoss(predicted[g]!, actual),
    cvAuc: auc(predicted[g]!, actual),
  }));
}
