// The plain-text report of `scorecard fit`: what was learned from what, how well it ranks leads
// it never saw, and the rules with the most points.
import { describeLevel } from './scorecard.features.ts';
import type { ScorecardModel } from './scorecard.model.ts';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function formatFitSummary(model: ScorecardModel, options: { topRules?: number } = {}): string {
  const { data, training, evaluation, scale } = model;
  const lines: string[] = [];
  lines.push(
    `Scorecard learned from ${data.file}`,
    `  rows read            ${count(data.rowsRead)}`,
    `  without an outcome   ${count(data.rowsWithoutOutcome)} (left out)`,
    `  rows used            ${count(data.rowsUsed)}, ${percent(data.positiveRate)} positive ` +
      `(${data.outcomeColumn}${data.positiveValue === null ? '' : ` = ${data.positiveValue}`})`,
    `  training / holdout   ${count(training.trainRows)} / ${count(training.holdoutRows)} (seed ${training.seed})`,
    '',
    'Features kept:',
    ...model.features.map((spec) => {
      const rules = model.rules.filter((rule) => rule.feature === spec.name);
      const kind = spec.type === 'date' ? `${spec.part} of a date (${spec.dateFormat})` : spec.type;
      return `  ${spec.name.padEnd(30)} ${kind}, ${rules.length} rules`;
    }),
  );
  if (model.dropped.length > 0) {
    lines.push('Columns dropped:', ...model.dropped.map((d) => `  ${d.column.padEnd(30)} ${d.reason}`));
  }
  lines.push(
    '',
    training.folds > 0
      ? `Regularisation (L2), chosen by ${training.folds}-fold cross-validation on the training part: lambda = ${training.lambda}`
      : `Regularisation (L2): lambda = ${training.lambda} (too few leads of one outcome to cross-validate)`,
    '  lambda    cv log loss  cv AUC',
    ...training.lambdaGrid.map(
      (g) =>
        `  ${String(g.lambda).padEnd(8)}  ${g.cvLogLoss.toFixed(4).padStart(11)}  ${g.cvAuc === null ? '' : g.cvAuc.toFixed(3).padStart(6)}` +
        (g.lambda === training.lambda ? '  ← chosen' : ''),
    ),
    '',
    `Holdout (${count(training.holdoutRows)} leads not used for fitting): AUC ${evaluation.auc.toFixed(3)}, ` +
      `log loss ${evaluation.logLoss.toFixed(4)}, Brier ${evaluation.brier.toFixed(4)}, ` +
      `${percent(evaluation.holdoutRate)} positive`,
    '  decile  leads  positives  predicted  observed   lift  captured',
    ...evaluation.deciles.map(
      (d) =>
        `  ${String(d.decile).padStart(6)}  ${String(d.rows).padStart(5)}  ${String(d.positives).padStart(9)}  ` +
        `${percent(d.meanPredicted).padStart(9)}  ${percent(d.observedRate).padStart(8)}  ${d.lift.toFixed(2).padStart(5)}  ` +
        `${percent(d.cumulativeCapture).padStart(8)}`,
    ),
    '  (decile 1 = the tenth with the highest predicted probability; predicted vs observed is the calibration)',
    '',
  );
  const top = [...model.rules]
    .filter((rule) => rule.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, options.topRules ?? 15);
  lines.push(
    `Scorecard: base ${scale.baseScore} points; ${scale.anchorScore} = average odds, +${scale.pointsToDoubleOdds} doubles the odds.`,
    `Top rules (of ${model.rules.length}; all in the model file):`,
    ...top.map(
      (rule) =>
        `  ${`${rule.points > 0 ? '+' : ''}${rule.points}`.padStart(5)}  ${describeLevel(rule.feature, rule).padEnd(48)} ` +
        `${count(rule.rows).padStart(7)} leads, ${percent(rule.positives / Math.max(rule.rows, 1))} positive`,
    ),
    '',
    ...model.notes.map((note) => `Note: ${note}`),
  );
  return `${lines.join('\n')}\n`;
}
