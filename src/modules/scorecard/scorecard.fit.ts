// `scorecard fit`: learns a scorecard from leads with known outcomes. The steps, in order: read the
// export, keep rows with an outcome, split off a stratified holdout (seeded), learn the features on
// the training part only, pick the L2 strength by k-fold cross-validation, fit, centre and scale the
// coefficients into points, and measure the result on the holdout.

import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { fileSize, type ReadOptions, sourceLabel } from '../import/import.csv-reader.ts';
import { columnIndex, readCsvTable } from './scorecard.csv.ts';
import {
  buildFeatures,
  defaultFeatureOptions,
  type EncodedFeature,
  type FeatureOptions,
  recordEncoder,
} from './scorecard.features.ts';
import { fitLogistic, linearPredictor, sigmoid } from './scorecard.logistic.ts';
import { auc, brierScore, decileTable, logLoss } from './scorecard.metrics.ts';
import {
  type DroppedColumn,
  SCORECARD_FORMAT,
  SCORECARD_VERSION,
  type ScorecardModel,
} from './scorecard.model.ts';
import { outcomeReader, seededRandom, splitHoldout, stratifiedFolds } from './scorecard.outcome.ts';
import { buildRules, type LevelCounts } from './scorecard.points.ts';
import { crossValidate, type Levels, levelCounts, levelOf, oneHotDesign } from './scorecard.training.ts';

export interface FitScorecardOptions extends ReadOptions {
  file: string;
  outcomeColumn: string;
  /** The outcome value that counts as positive; without it the outcome column must hold booleans. */
  positive?: string;
  idColumn?: string;
  exclude?: readonly string[];
  /** Use only these columns (all others but the outcome and id when absent). */
  columns?: readonly string[];
  holdoutShare?: number;
  seed?: number;
  folds?: number;
  lambdaGrid?: readonly number[];
  featureOptions?: Partial<FeatureOptions>;
  now: Date;
  /** Where the fit is, for a progress display: it can take minutes on a file of a million leads. */
  onProgress?: (progress: FitProgress) => void;
}

export type FitProgress =
  | { step: 'reading'; rows: number; bytes: number; totalBytes: number }
  | { step: 'features'; rows: number }
  | { step: 'cross-validating'; fits: number; of: number }
  | { step: 'fitting' };

export interface FitScorecardResult {
  model: ScorecardModel;
  /** The holdout leads: their data row (0 = first row after the header), outcome and predicted probability. */
  holdout: { rows: number[]; outcome: number[]; probability: number[] };
  timings: { readMs: number; fitMs: number };
}

/** Fewer held-out leads of one outcome than this, and the holdout's measures are mostly chance. */
const MEASURABLE_HOLDOUT = 30;

export const DEFAULT_LAMBDA_GRID = [0.1, 0.3, 1, 3, 10, 30, 100] as const;
const LEAK_AUC = 0.9;

export async function fitScorecard(options: FitScorecardOptions): Promise<FitScorecardResult> {
  const started = performance.now();
  const { file } = options;
  const holdoutShare = options.holdoutShare ?? 0.3;
  const seed = options.seed ?? 1;
  if (!(holdoutShare > 0 && holdoutShare < 1)) {
    throw new AppError(
      'validation_failed',
      `The holdout share must be between 0 and 1 (got ${holdoutShare}).`,
    );
  }
  const progress = options.onProgress ?? (() => {});
  let totalBytes = 0;
  /** The columns named, every column of the file (`all`), and those that may become features. */
  let columns: (ReturnType<typeof namedColumns> & { all: string[]; candidates: string[] }) | undefined;
  let sheet = options.sheet;
  const table = await readCsvTable(
    file,
    {
      sheet: options.sheet,
      onSheet: (name) => {
        sheet = name;
      },
    },
    {
      // The columns named are checked on the header row, before a large file is read for nothing;
      // only the outcome and the candidate features are kept.
      onHeaders: (headers) => {
        const named = namedColumns(options, headers);
        columns = { ...named, all: headers, candidates: candidateColumns(named, headers) };
        totalBytes = fileSize(file);
        const wanted = new Set([named.outcomeColumn, ...columns.candidates]);
        return headers.flatMap((header, i) => (wanted.has(header) ? [i] : []));
      },
      onRead: (rows, bytes) => progress({ step: 'reading', rows, bytes, totalBytes }),
    },
  );
  const readMs = performance.now() - started;
  const { headers } = table;
  // The header row was read (readCsvTable throws on a file without one).
  const { outcomeColumn, idColumn, excluded, whitelist, all, candidates } = columns!;

  // Leads with a known outcome.
  const outcomeAt = headers.indexOf(outcomeColumn);
  const readOutcome = outcomeReader(outcomeColumn, options.positive);
  const used: number[] = [];
  const y: number[] = [];
  table.rows.forEach((record, row) => {
    const value = readOutcome(record[outcomeAt]);
    if (value === undefined) return;
    used.push(row);
    y.push(value);
  });
  const positives = y.reduce((a, b) => a + b, 0);
  checkClasses(options, outcomeColumn, used.length, positives, table.rows.length);

  const random = seededRandom(seed);
  const split = splitHoldout(y, holdoutShare, random);
  const trainY = split.train.map((i) => y[i]!);
  const trainPositives = trainY.reduce((a, b) => a + b, 0);
  if (
    split.holdout.every((i) => y[i] === 0) ||
    split.holdout.every((i) => y[i] === 1) ||
    trainPositives === 0
  ) {
    throw new AppError(
      'validation_failed',
      `Too few leads of one outcome (${positives} positive, ${used.length - positives} negative) to hold out ` +
        `${Math.round(holdoutShare * 100)}% and still learn: give more rows or a different --holdout.`,
    );
  }

  // Features, learned on the training rows only.
  progress({ step: 'features', rows: split.train.length });
  const cellsOf = (column: string) => {
    const at = headers.indexOf(column);
    return split.train.map((i) => table.rows[used[i]!]![at] ?? '');
  };
  const { features, dropped } = buildFeatures(candidates, cellsOf, {
    ...defaultFeatureOptions,
    ...options.featureOptions,
  });
  if (features.length === 0) {
    throw new AppError(
      'validation_failed',
      `None of the columns can be used as a feature: ${dropped.map((d) => `${d.column} (${d.reason})`).join('; ') || 'no columns left'}.`,
    );
  }
  const encode = recordEncoder(features, (column) => headers.indexOf(column));
  const levels: Levels = { width: features.length, of: new Int32Array(used.length * features.length) };
  used.forEach((row, i) => {
    levels.of.set(encode(table.rows[row]!), i * levels.width);
  });
  const design = oneHotDesign(features, levels);
  const counts = levelCounts(features, split.train, levels, y);

  // L2 strength by stratified k-fold cross-validation on the training part.
  const folds = Math.min(options.folds ?? 5, trainPositives, split.train.length - trainPositives);
  const grid = [...(options.lambdaGrid ?? DEFAULT_LAMBDA_GRID)];
  let fits = 0;
  const crossValidated = () => {
    progress({ step: 'cross-validating', fits, of: folds * grid.length });
    return crossValidate(design, y, stratifiedFolds(split.train, y, folds, random), grid, () =>
      progress({ step: 'cross-validating', fits: ++fits, of: folds * grid.length }),
    );
  };
  const lambdaGrid = folds >= 2 ? crossValidated() : [];
  const lambda = lambdaGrid.reduce((a, b) => (b.cvLogLoss < a.cvLogLoss ? b : a), {
    lambda: 1,
    cvLogLoss: Number.POSITIVE_INFINITY,
  }).lambda;
  progress({ step: 'fitting' });
  const fitted = fitLogistic(design, y, lambda, { subset: Int32Array.from(split.train) });

  const trainRate = trainPositives / split.train.length;
  const { intercept, rules, scale } = buildRules(features, fitted, counts, trainRate);
  const coefficients = Float64Array.from(rules, (rule) => rule.coefficient);
  const holdoutProbability = split.holdout.map((i) =>
    sigmoid(linearPredictor(design, i, intercept, coefficients)),
  );
  const holdoutY = split.holdout.map((i) => y[i]!);

  const notes = [
    ...table.warnings.map((warning) => `Reading ${path.basename(file)}: ${warning}.`),
    'Uses only the columns of the file that were not dropped. Exclude (--exclude) every field filled in after the ' +
      'hand-off or because of the outcome (deal stage, close date, rep notes, revenue): it would leak the answer.',
    `Score = ${scale.baseScore} + the points of the matching rules; ${scale.anchorScore} is a lead with the average ` +
      `odds (${(trainRate * 100).toFixed(1)}% positive); every ${scale.pointsToDoubleOdds} points double the odds.`,
    ...(features.some((f) => f.spec.type === 'date' && f.spec.part === 'month')
      ? ['A month the training data does not cover (a later month, say) scores 0 points: the typical lead.']
      : []),
  ];
  const leaks = leakWarnings(features, counts, levels, split.train, trainY);
  notes.push(...leaks.map((leak) => leak.warning));
  const salesFields = namedLikeSalesFields(features, new Set(leaks.map((leak) => leak.column)));
  if (salesFields.length > 0) notes.push(salesFieldsNote(salesFields));
  if (!fitted.converged) notes.push('The fit did not fully converge; the coefficients may be slightly off.');
  if (folds < 2)
    notes.push('Too few leads of one outcome for cross-validation: the L2 strength was set to 1.');
  const heldPositives = holdoutY.reduce((a, b) => a + b, 0);
  const heldFewest = Math.min(heldPositives, holdoutY.length - heldPositives);
  if (heldFewest < MEASURABLE_HOLDOUT) {
    notes.push(
      `The holdout has only ${heldPositives} positive and ${holdoutY.length - heldPositives} negative leads: its AUC, ` +
        `lift and calibration can be far off by chance (they need a few dozen of each). Fit on more rows before trusting them.`,
    );
  }

  const model: ScorecardModel = {
    format: SCORECARD_FORMAT,
    version: SCORECARD_VERSION,
    createdAt: options.now.toISOString(),
    data: {
      file: sourceLabel(path.basename(file), { sheet }),
      rowsRead: table.rows.length,
      rowsWithoutOutcome: table.rows.length - used.length,
      rowsUsed: used.length,
      outcomeColumn,
      positiveValue: options.positive ?? null,
      positiveRate: positives / used.length,
      idColumn: idColumn ?? null,
    },
    training: {
      seed,
      holdoutShare,
      trainRows: split.train.length,
      holdoutRows: split.holdout.length,
      folds: folds >= 2 ? folds : 0,
      lambda,
      lambdaGrid,
    },
    evaluation: {
      auc: auc(holdoutProbability, holdoutY) ?? Number.NaN,
      logLoss: logLoss(holdoutProbability, holdoutY),
      brier: brierScore(holdoutProbability, holdoutY),
      holdoutRate: holdoutY.reduce((a, b) => a + b, 0) / holdoutY.length,
      deciles: decileTable(holdoutProbability, holdoutY),
    },
    scale,
    intercept,
    features: features.map((f) => f.spec),
    rules,
    dropped: [...droppedByChoice(idColumn, excluded, whitelist, all, outcomeColumn), ...dropped],
    notes,
  };
  return {
    model,
    holdout: { rows: split.holdout.map((i) => used[i]!), outcome: holdoutY, probability: holdoutProbability },
    timings: { readMs, fitMs: performance.now() - started - readMs },
  };
}

function checkClasses(
  options: FitScorecardOptions,
  column: string,
  rows: number,
  positives: number,
  rowsRead: number,
): void {
  if (rows === 0) {
    throw new AppError(
      'validation_failed',
      `No row of ${options.file} has an outcome in "${column}" (${rowsRead} rows read).`,
    );
  }
  if (positives === 0 || positives === rows) {
    const which = positives === 0 ? 'negative' : 'positive';
    const hint =
      options.positive === undefined ? '' : ` (--positive "${options.positive}" matched ${positives} rows)`;
    throw new AppError(
      'validation_failed',
      `The outcome "${column}" has one class only: all ${rows} leads with an outcome are ${which}${hint}. ` +
        'A scorecard needs both won and lost (or accepted and rejected) leads.',
    );
  }
}

function droppedByChoice(
  idColumn: string | undefined,
  excluded: ReadonlySet<string>,
  whitelist: readonly string[] | undefined,
  headers: readonly string[],
  outcomeColumn: string,
): DroppedColumn[] {
  const out: DroppedColumn[] = [];
  if (idColumn !== undefined) out.push({ column: idColumn, reason: 'the lead id (--id)' });
  for (const column of excluded) out.push({ column, reason: 'excluded with --exclude' });
  if (whitelist) {
    for (const column of headers) {
      if (
        !whitelist.includes(column) &&
        column !== outcomeColumn &&
        column !== idColumn &&
        !excluded.has(column)
      ) {
        out.push({ column, reason: 'not in --columns' });
      }
    }
  }
  return out;
}

/** A feature that alone all but predicts the outcome on the training rows was probably filled in after it. */
function leakWarnings(
  features: readonly EncodedFeature[],
  counts: readonly LevelCounts[],
  levels: Levels,
  train: readonly number[],
  y: readonly number[],
): { column: string; warning: string }[] {
  return features.flatMap((feature, f) => {
    const { rows, positives } = counts[f]!;
    const rate = train.map((i) => {
      const level = levelOf(levels, i, f);
      return positives[level]! / Math.max(rows[level]!, 1);
    });
    const alone = auc(rate, y);
    return alone !== null && alone >= LEAK_AUC
      ? [
          {
            column: feature.spec.column,
            warning:
              `Warning: "${feature.spec.name}" alone separates the outcome almost perfectly (AUC ${alone.toFixed(2)} on ` +
              'the training rows). Check that it is known before the hand-off; if not, --exclude it.',
          },
        ]
      : [];
  });
}

/**
 * Words of the fields a CRM has sales fill in once a lead is theirs (its stage, status, tags, rating,
 * reason, notes, owner, deal): such a column leaks the outcome even when it does not predict it
 * perfectly, as "Tags" and "Lead Quality" do in a lead-scoring export.
 */
const SALES_FIELD_WORDS = new Set([
  'stage',
  'status',
  'tag',
  'tags',
  'quality',
  'rating',
  'reason',
  'notes',
  'note',
  'comment',
  'comments',
  'owner',
  'rep',
  'deal',
  'opportunity',
  'won',
  'lost',
  'closed',
  'close',
  'revenue',
  'amount',
  'outcome',
  'disqualified',
  'disqualification',
  'feedback',
  'accepted',
  'rejected',
  'qualified',
]);

function salesFieldsNote(columns: string[]): string {
  const named = columns.map((column) => `"${column}"`).join(', ');
  return columns.length === 1
    ? `Check ${named}: its name sounds like a field sales fills in after the hand-off. If it is, --exclude it: ` +
        'it tells the model what happened to the lead, not what was known when it was handed over.'
    : `Check ${named}: their names sound like fields sales fills in after the hand-off. If they are, --exclude ` +
        'them: they tell the model what happened to the lead, not what was known when it was handed over.';
}

/** The used columns, not already flagged, whose name has one of those words ("Lead Quality", "dealStage"). */
function namedLikeSalesFields(features: readonly EncodedFeature[], flagged: ReadonlySet<string>): string[] {
  const columns = [...new Set(features.map((feature) => feature.spec.column))];
  return columns.filter(
    (column) =>
      !flagged.has(column) &&
      column
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z]+/)
        .some((word) => SALES_FIELD_WORDS.has(word)),
  );
}

/** The columns the options name, as the file spells them; an error naming the file's columns for one it lacks. */
/** The columns that may become features: the whitelist, or every column but the outcome, the id and the excluded. */
function candidateColumns(named: ReturnType<typeof namedColumns>, headers: readonly string[]): string[] {
  const { outcomeColumn, idColumn, excluded, whitelist } = named;
  return (whitelist ?? headers).filter(
    (column) => column !== outcomeColumn && column !== idColumn && !excluded.has(column),
  );
}

function namedColumns(options: FitScorecardOptions, headers: readonly string[]) {
  const header = (name: string, role: string) => headers[columnIndex(headers, name, options.file, role)]!;
  return {
    outcomeColumn: header(options.outcomeColumn, '--outcome'),
    idColumn: options.idColumn === undefined ? undefined : header(options.idColumn, '--id'),
    excluded: new Set((options.exclude ?? []).map((name) => header(name, '--exclude'))),
    whitelist: options.columns?.map((name) => header(name, '--columns')),
  };
}
