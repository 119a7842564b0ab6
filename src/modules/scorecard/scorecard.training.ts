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

/** One row per lead, one entry (value 1) per feature: the column of the level the lead falls in. */
export function oneHotDesign(
  features: readonly EncodedFeature[],
  levels: readonly Int32Array[],
): SparseDesign {
  const offsets = features.map((_, f) => features.slice(0, f).reduce((sum, g) => sum + g.levels.length, 0));
  const width = features.length;
  const index = new Int32Array(levels.length * width);
  levels.forEach((row, i) => {
    for (let f = 0; f < width; f++) index[i * width + f] = offsets[f]! + row[f]!;
  });
  return {
    rows: levels.length,
    columns: features.reduce((sum, f) => sum + f.levels.length, 0),
    rowStart: Int32Array.from({ length: levels.length + 1 }, (_, i) => i * width),
    index,
    value: new Float64Array(index.length).fill(1),
  };
}

export function levelCounts(
  features: readonly EncodedFeature[],
  train: readonly number[],
  levels: readonly Int32Array[],
  y: readonly number[],
): LevelCounts[] {
  return features.map((feature, f) => {
    const rows = feature.levels.map(() => 0);
    const positives = feature.levels.map(() => 0);
    for (const i of train) {
      const level = levels[i]![f]!;
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
