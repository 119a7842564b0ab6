// Scores one lead with a scorecard model: the exact probability from the coefficients, the whole
// points a person adds up, and the rules that moved the score most.

import { describeLevel, type EncodedFeature, recordEncoder } from './scorecard.features.ts';
import { sigmoid } from './scorecard.logistic.ts';
import type { ScorecardModel, ScorecardRule } from './scorecard.model.ts';

export interface LeadScore {
  probability: number;
  /** baseScore plus the points of the matching rules. */
  points: number;
  /** The matching rules, one per feature, largest |points| first. */
  matched: ScorecardRule[];
}

/** The model's features with their rules, in the model's order. */
export function modelFeatures(model: ScorecardModel): { feature: EncodedFeature; rules: ScorecardRule[] }[] {
  return model.features.map((spec) => {
    const rules = model.rules.filter((rule) => rule.feature === spec.name);
    return { feature: { spec, levels: rules }, rules };
  });
}

export function compileScorer(
  model: ScorecardModel,
  columnIndex: (column: string) => number,
): (record: readonly string[]) => LeadScore {
  const features = modelFeatures(model);
  const encode = recordEncoder(
    features.map((f) => f.feature),
    columnIndex,
  );
  return (record) => {
    const levels = encode(record);
    let eta = model.intercept;
    let points = model.scale.baseScore;
    const matched = features.map(({ rules }, f) => {
      const rule = rules[levels[f]!]!;
      eta += rule.coefficient;
      points += rule.points;
      return rule;
    });
    matched.sort(
      (a, b) => Math.abs(b.points) - Math.abs(a.points) || Math.abs(b.coefficient) - Math.abs(a.coefficient),
    );
    return { probability: sigmoid(eta), points, matched };
  };
}

/** "origin=referral +18; first_contact_date (month)=2018-05 +7": the rules that moved the score, up to `count`. */
export function describeReasons(matched: readonly ScorecardRule[], count: number): string {
  return matched
    .filter((rule) => rule.points !== 0)
    .slice(0, count)
    .map((rule) => `${describeLevel(rule.feature, rule)} ${rule.points > 0 ? '+' : ''}${rule.points}`)
    .join('; ');
}
