// From fitted coefficients to a scorecard people read: each feature's coefficients are centred on
// the typical training lead (so "+18" means "better than the average lead by 18"), and log-odds
// become whole points on a scale where 20 points double the odds and 100 is the average lead.
import type { EncodedFeature } from './scorecard.features.ts';
import type { ScorecardModel, ScorecardRule } from './scorecard.model.ts';

export const POINTS_TO_DOUBLE_ODDS = 20;
export const ANCHOR_SCORE = 100;
export const pointsPerLogOdds = POINTS_TO_DOUBLE_ODDS / Math.LN2;

export interface LevelCounts {
  rows: number[];
  positives: number[];
}

const logit = (p: number) => Math.log(p / (1 - p));

export function buildRules(
  features: readonly EncodedFeature[],
  fitted: { intercept: number; coefficients: ArrayLike<number> },
  counts: readonly LevelCounts[],
  trainRate: number,
): { intercept: number; rules: ScorecardRule[]; scale: ScorecardModel['scale'] } {
  let intercept = fitted.intercept;
  const rules: ScorecardRule[] = [];
  let offset = 0;
  features.forEach((feature, f) => {
    const { rows, positives } = counts[f]!;
    const total = rows.reduce((a, b) => a + b, 0);
    const raw = feature.levels.map((_, l) => fitted.coefficients[offset + l]!);
    const shift = raw.reduce((sum, beta, l) => sum + (rows[l]! * beta) / total, 0);
    intercept += shift;
    feature.levels.forEach((level, l) => {
      // A level no training lead had is scored like the typical lead: there is nothing to learn from.
      const coefficient = rows[l]! > 0 ? raw[l]! - shift : 0;
      const stats = {
        points: Math.round(coefficient * pointsPerLogOdds) + 0,
        coefficient,
        rows: rows[l]!,
        positives: positives[l]!,
      };
      rules.push({ feature: feature.spec.name, ...level, ...stats });
    });
    offset += feature.levels.length;
  });
  const anchorProbability = trainRate;
  const baseScore = Math.round(ANCHOR_SCORE + (intercept - logit(anchorProbability)) * pointsPerLogOdds);
  return {
    intercept,
    rules,
    scale: {
      pointsToDoubleOdds: POINTS_TO_DOUBLE_ODDS,
      anchorScore: ANCHOR_SCORE,
      anchorProbability,
      baseScore,
    },
  };
}
