// A lead definition learned from outcomes: the scorecard engine fitted on stored leads, turned into a
// draft that both teams can read, compare, backtest and sign like any other.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvField } from '../../shared/csv.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import { fitScorecard } from '../scorecard/scorecard.fit.ts';
import type { ScorecardModel } from '../scorecard/scorecard.model.ts';
import type { FitRule, LeadDefinition } from './definition.schema.ts';
import {
  type DefinitionDeps,
  type DefinitionVersion,
  definitionInForce,
  proposeDefinition,
} from './definitions.service.ts';
import { columns, features, learnedFitRules } from './learned.rules.ts';
import { type LearnedOutcome, type TrainingRow, trainingRows } from './learned.store.ts';
import { scoreLead } from './score.ts';

function writeTrainingFile(rows: TrainingRow[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-learn-'));
  const file = path.join(dir, 'leads.csv');
  const lines = [['id', 'outcome', ...columns].join(',')];
  for (const row of rows)
    lines.push([row.id, row.outcome, ...columns.map((c) => row[c])].map(csvField).join(','));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Grade cut-offs at the 90th, 70th and 40th percentile of the learned fit points of the training leads. */
function gradeCutoffs(rules: FitRule[], rows: TrainingRow[]): LeadDefinition['fit']['gradeCutoffs'] {
  const draft: LeadDefinition = {
    fit: { rules, gradeCutoffs: { A: 3, B: 2, C: 1 } },
    engagement: { rules: [], halfLifeDays: null },
    mql: { minGrade: 'D', minEngagement: 0 },
  };
  const points = rows
    .map((row) => {
      const fields = Object.fromEntries(columns.map((c) => [features[c], row[c]]));
      return scoreLead(draft, { fields, activities: [] }, new Date()).fit.points;
    })
    .sort((a, b) => a - b);
  const at = (share: number) => points[Math.min(points.length - 1, Math.floor(share * points.length))] ?? 0;
  const C = at(0.4);
  const B = Math.max(at(0.7), C + 1);
  const A = Math.max(at(0.9), B + 1);
  return { A, B, C };
}

export async function learnDefinition(
  deps: DefinitionDeps,
  input: { outcome: LearnedOutcome; openDays?: number },
  actor: Principal,
): Promise<{ definition: DefinitionVersion; evaluation: ScorecardModel['evaluation']; leads: number }> {
  const rows = await trainingRows(deps.db, {
    outcome: input.outcome,
    now: deps.clock.now(),
    openDays: input.openDays ?? 180,
  });
  const positives = rows.filter((row) => row.outcome === 1).length;
  if (positives < 20 || rows.length - positives < 20) {
    throw new AppError(
      'validation_failed',
      `Learning needs at least 20 leads of each outcome; there are ${positives} ${input.outcome} and ${rows.length - positives} not.`,
    );
  }
  const file = writeTrainingFile(rows);
  try {
    const { model } = await fitScorecard({
      file,
      outcomeColumn: 'outcome',
      idColumn: 'id',
      now: deps.clock.now(),
    });
    const rules = learnedFitRules(model.rules, rows);
    if (rules.length === 0)
      throw new AppError('validation_failed', 'No field separated the outcomes: nothing to learn.');
    const inForce = await definitionInForce(deps);
    const definition = await proposeDefinition(
      deps,
      {
        rules: {
          fit: { rules, gradeCutoffs: gradeCutoffs(rules, rows) },
          engagement: inForce?.rules.engagement ?? { rules: [], halfLifeDays: null },
          mql: { minGrade: 'B', minEngagement: inForce?.rules.mql.minEngagement ?? 0 },
        },
        note:
          `Learned from ${rows.length.toLocaleString('en-US')} leads with a known outcome (${input.outcome}); ` +
          `held-out AUC ${model.evaluation.auc.toFixed(3)}. Engagement rules kept from the version in force.`,
      },
      actor,
    );
    return { definition, evaluation: model.evaluation, leads: rows.length };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
