// The outcome a scorecard learns from, and the seeded split of leads into training, holdout and folds.
import { AppError } from '../../shared/errors.ts';
import { normaliseCell } from './scorecard.values.ts';

const POSITIVE = new Set(['true', 't', 'yes', 'y', '1', 'won', 'win', 'accepted', 'converted']);
const NEGATIVE = new Set(['false', 'f', 'no', 'n', '0', 'lost', 'loss', 'rejected']);

/**
 * 1, 0, or undefined (empty or a placeholder: the lead is left out). Without `positive` the column must
 * hold booleans (true/false, yes/no, 1/0, won/lost, accepted/rejected); with it, every other filled-in
 * value is negative.
 */
export function outcomeReader(
  column: string,
  positive: string | undefined,
): (raw: string | undefined) => 0 | 1 | undefined {
  const wanted = positive === undefined ? undefined : normaliseCell(positive);
  if (positive !== undefined && wanted === undefined) {
    throw new AppError(
      'validation_failed',
      `--positive "${positive}" is empty or a placeholder; name a real outcome value.`,
    );
  }
  return (raw) => {
    const value = normaliseCell(raw);
    if (value === undefined) return undefined;
    if (wanted !== undefined) return value === wanted ? 1 : 0;
    if (POSITIVE.has(value)) return 1;
    if (NEGATIVE.has(value)) return 0;
    throw new AppError(
      'validation_failed',
      `The outcome column "${column}" has the value "${raw?.trim()}", which is not true/false, yes/no, 1/0, won/lost ` +
        'or accepted/rejected. Name the positive value with --positive <value>; every other filled-in value then counts as negative.',
      { column, value: raw },
    );
  };
}

/** A small, fast, seedable generator (mulberry32): the same seed gives the same split on any machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items: readonly number[], random: () => number): number[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Stratified: the holdout gets its share of positives and of negatives, so both classes are in it. */
export function splitHoldout(
  outcome: ArrayLike<number>,
  share: number,
  random: () => number,
): { train: number[]; holdout: number[] } {
  let train: number[] = [];
  let holdout: number[] = [];
  for (const label of [1, 0]) {
    const rows = shuffled(
      Array.from({ length: outcome.length }, (_, i) => i).filter((i) => outcome[i] === label),
      random,
    );
    const held = Math.round(share * rows.length);
    // concat, not push(...rows): spreading a file's worth of rows overflows the call stack.
    holdout = holdout.concat(rows.slice(0, held));
    train = train.concat(rows.slice(held));
  }
  const byRow = (a: number, b: number) => a - b;
  return { train: train.sort(byRow), holdout: holdout.sort(byRow) };
}

/** Stratified k folds over `rows`: fold f holds every k-th row of each class after a shuffle. */
export function stratifiedFolds(
  rows: readonly number[],
  outcome: ArrayLike<number>,
  folds: number,
  random: () => number,
): number[][] {
  const out = Array.from({ length: folds }, (): number[] => []);
  for (const label of [1, 0]) {
    shuffled(
      rows.filter((i) => outcome[i] === label),
      random,
    ).forEach((row, k) => {
      out[k % folds]!.push(row);
    });
  }
  return out.map((fold) => fold.sort((a, b) => a - b));
}
