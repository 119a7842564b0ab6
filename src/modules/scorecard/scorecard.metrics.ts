// How good a ranking of leads is: AUC, log loss, Brier score, and the table a sales leader reads
// (lift and calibration by decile of predicted probability).
import type { DecileRow } from './scorecard.model.ts';

/** Area under the ROC curve (Mann–Whitney, tied scores count half); null when one class is absent. */
export function auc(scores: ArrayLike<number>, outcome: ArrayLike<number>): number | null {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSumPositives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (outcome[order[k]!] === 1) {
        positives++;
        rankSumPositives += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const clamp = (p: number) => Math.min(Math.max(p, 1e-15), 1 - 1e-15);

/** Mean negative log-likelihood. */
export function logLoss(probabilities: ArrayLike<number>, outcome: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = clamp(probabilities[i]!);
    sum -= outcome[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / Math.max(probabilities.length, 1);
}

export function brierScore(probabilities: ArrayLike<number>, outcome: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i]! - outcome[i]!) ** 2;
  return sum / Math.max(probabilities.length, 1);
}

/**
 * Leads sorted by predicted probability (highest first) and cut into ten groups of near-equal size:
 * per group the mean prediction next to the observed rate (calibration) and the lift over the average.
 */
export function decileTable(probabilities: ArrayLike<number>, outcome: ArrayLike<number>): DecileRow[] {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => probabilities[b]! - probabilities[a]! || a - b,
  );
  let totalPositives = 0;
  for (let i = 0; i < n; i++) totalPositives += outcome[i]!;
  const overallRate = totalPositives / Math.max(n, 1);
  const table: DecileRow[] = [];
  let captured = 0;
  for (let decile = 1; decile <= 10; decile++) {
    const from = Math.round(((decile - 1) * n) / 10);
    const to = Math.round((decile * n) / 10);
    if (to <= from) continue;
    let positives = 0;
    let predicted = 0;
    for (let k = from; k < to; k++) {
      positives += outcome[order[k]!]!;
      predicted += probabilities[order[k]!]!;
    }
    captured += positives;
    const rows = to - from;
    const observedRate = positives / rows;
    table.push({
      decile,
      rows,
      positives,
      meanPredicted: predicted / rows,
      observedRate,
      lift: overallRate > 0 ? observedRate / overallRate : 0,
      cumulativeCapture: totalPositives > 0 ? captured / totalPositives : 0,
    });
  }
  return table;
}
