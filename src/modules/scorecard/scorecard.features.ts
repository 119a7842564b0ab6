// Turns the columns of a CRM export into scorecard features without being told their types:
// numbers become quantile ranges, dates become month and weekday, everything else categories with
// rare values pooled into "(other)"; empty cells and placeholders are "(missing)". Columns that
// cannot help (ids, constants, always empty) are dropped with the reason said.
import type { DroppedColumn, FeatureSpec } from './scorecard.model.ts';
import {
  detectDateFormat,
  monthOf,
  normaliseCell,
  parseDate,
  parseNumber,
  weekdayOf,
} from './scorecard.values.ts';

/** A rule without its weights: which leads of one feature it matches. */
export type FeatureLevel =
  | { kind: 'category'; value: string }
  | { kind: 'range'; range: [number | null, number | null] }
  | { kind: 'missing' }
  | { kind: 'other' };

export interface EncodedFeature {
  spec: FeatureSpec;
  /** Exactly one level matches any cell. */
  levels: FeatureLevel[];
}

export interface FeatureOptions {
  /** A value seen on fewer rows than max(rareRows, rareShare × rows) is pooled into "(other)". */
  rareRows: number;
  rareShare: number;
  /** Most ranges a numeric column is cut into. */
  maxBins: number;
  /** Share of the filled-in cells that must read as numbers (or dates) for the column to count as such. */
  typeShare: number;
}

export const defaultFeatureOptions: FeatureOptions = {
  rareRows: 10,
  rareShare: 0.01,
  maxBins: 5,
  typeShare: 0.95,
};

/** Features learned from the training rows only (`cells(column)` gives a column's raw cells on those rows). */
export function buildFeatures(
  columns: readonly string[],
  cells: (column: string) => readonly string[],
  options: FeatureOptions = defaultFeatureOptions,
): { features: EncodedFeature[]; dropped: DroppedColumn[] } {
  const features: EncodedFeature[] = [];
  const dropped: DroppedColumn[] = [];
  for (const column of columns) {
    const result = featuresOfColumn(column, cells(column), options);
    if ('reason' in result) dropped.push({ column, reason: result.reason });
    else features.push(...result.features);
  }
  return { features, dropped };
}

function featuresOfColumn(
  column: string,
  raw: readonly string[],
  options: FeatureOptions,
): { features: EncodedFeature[] } | { reason: string } {
  const rows = raw.length;
  const values = raw.map(normaliseCell);
  const filled = values.filter((v): v is string => v !== undefined);
  const missing = rows - filled.length;
  if (filled.length === 0) return { reason: 'empty (or a placeholder such as "N/A") on every row' };
  const distinct = new Set(filled).size;
  if (distinct === 1 && missing === 0) return { reason: `constant: every row is "${filled[0]}"` };

  const numbers = filled.map(parseNumber).filter((n): n is number => n !== undefined);
  if (numbers.length >= options.typeShare * filled.length) {
    const distinctNumbers = new Set(numbers).size;
    const allIntegers = numbers.every(Number.isInteger);
    if (allIntegers && distinctNumbers === filled.length && looksLikeId(filled.length, rows)) {
      return { reason: 'id-like: a different whole number on every row' };
    }
    if (distinctNumbers > options.maxBins) {
      return usable(
        { spec: { name: column, column, type: 'numeric' }, levels: numericLevels(numbers, options) },
        values,
      );
    }
  } else {
    const dateFormat = detectDateFormat(filled, options.typeShare);
    if (dateFormat) {
      const dates = values.map((v) => (v === undefined ? undefined : parseDate(v, dateFormat)));
      const parts = (['month', 'weekday'] as const).map((part) => {
        const keys = dates.map((d) =>
          d === undefined ? undefined : part === 'month' ? monthOf(d) : weekdayOf(d),
        );
        const spec: FeatureSpec = { name: `${column} (${part})`, column, type: 'date', part, dateFormat };
        // Every month keeps its own rule (L2 shrinks the thin ones), so "(other)" has no training rows
        // and a month the data never saw, such as next month, scores as the typical lead.
        const pooling = part === 'month' ? { ...options, rareRows: 1, rareShare: 0 } : options;
        return usable({ spec, levels: categoryLevels(keys, pooling) }, keys);
      });
      const kept = parts.flatMap((part) => ('features' in part ? part.features : []));
      return kept.length > 0
        ? { features: kept }
        : { reason: 'a date column whose months and weekdays never vary' };
    }
    if (distinct >= 0.95 * filled.length && looksLikeId(filled.length, rows)) {
      return { reason: 'id-like: a different value on (almost) every row' };
    }
  }
  return usable(
    { spec: { name: column, column, type: 'categorical' }, levels: categoryLevels(values, options) },
    values,
  );
}

const looksLikeId = (filled: number, rows: number) => filled > 20 && filled >= 0.9 * rows;

/** Kept values by frequency, then "(other)" and "(missing)". */
function categoryLevels(values: readonly (string | undefined)[], options: FeatureOptions): FeatureLevel[] {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  const minimum = Math.max(options.rareRows, Math.ceil(options.rareShare * values.length));
  const kept = [...counts]
    .filter(([, count]) => count >= minimum)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([value]): FeatureLevel => ({ kind: 'category', value }));
  return [...kept, { kind: 'other' }, { kind: 'missing' }];
}

/** Up to maxBins ranges [min, max) at the quantiles of the training values, then "(missing)". */
function numericLevels(numbers: readonly number[], options: FeatureOptions): FeatureLevel[] {
  const sorted = [...numbers].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < options.maxBins; q++) {
    const edge = sorted[Math.floor((q * sorted.length) / options.maxBins)]!;
    if (edge > sorted[0]! && edge !== edges.at(-1)) edges.push(edge);
  }
  const bounds = [null, ...edges, null];
  const ranges = edges.length + 1;
  const levels: FeatureLevel[] = Array.from({ length: ranges }, (_, b) => ({
    kind: 'range',
    range: [bounds[b] ?? null, bounds[b + 1] ?? null],
  }));
  return [...levels, { kind: 'missing' }];
}

/** The feature if at least two of its levels occur on the training rows; a reason otherwise. */
function usable(
  feature: EncodedFeature,
  values: readonly (string | undefined)[],
): { features: EncodedFeature[] } | { reason: string } {
  const match = levelMatcher(feature);
  const seen = new Set(values.map(match));
  if (seen.size >= 2) return { features: [feature] };
  const only = feature.levels[[...seen][0] ?? 0];
  return {
    reason:
      only?.kind === 'other'
        ? 'no value is common enough to learn from (all pooled into "(other)")'
        : `constant: every row falls in ${describeLevel(feature.spec.name, only ?? { kind: 'missing' })}`,
  };
}

/**
 * Which level of the feature a normalised cell (for dates: its month or weekday key, for others:
 * the normalised cell) falls in, as an index into `levels`.
 */
export function levelMatcher(feature: EncodedFeature): (key: string | undefined) => number {
  const { levels } = feature;
  const missing = levels.findIndex((l) => l.kind === 'missing');
  if (feature.spec.type === 'numeric') {
    const ranges = levels.flatMap((l, index) => (l.kind === 'range' ? [{ range: l.range, index }] : []));
    return (key) => {
      const x = key === undefined ? undefined : parseNumber(key);
      if (x === undefined) return missing;
      const hit = ranges.find(
        ({ range: [min, max] }) => (min === null || x >= min) && (max === null || x < max),
      );
      return hit?.index ?? missing;
    };
  }
  const byValue = new Map(
    levels.flatMap((l, index) => (l.kind === 'category' ? [[l.value, index] as const] : [])),
  );
  const other = levels.findIndex((l) => l.kind === 'other');
  return (key) => (key === undefined ? missing : (byValue.get(key) ?? other));
}

/** The raw cell → the key `levelMatcher` expects (normalised; for a date, its month or weekday). */
export function cellKey(spec: FeatureSpec): (raw: string | undefined) => string | undefined {
  if (spec.type !== 'date') return normaliseCell;
  return (raw) => {
    const value = normaliseCell(raw);
    const date = value === undefined ? undefined : parseDate(value, spec.dateFormat);
    if (date === undefined) return undefined;
    return spec.part === 'month' ? monthOf(date) : weekdayOf(date);
  };
}

/** Level index of each feature for one record, given where each feature's column is in the record. */
export function recordEncoder(
  features: readonly EncodedFeature[],
  columnIndex: (column: string) => number,
): (record: readonly string[]) => Int32Array {
  const steps = features.map((feature) => {
    const at = columnIndex(feature.spec.column);
    const key = cellKey(feature.spec);
    const match = levelMatcher(feature);
    return (record: readonly string[]) => match(key(record[at]));
  });
  return (record) => Int32Array.from(steps, (step) => step(record));
}

const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))));

/** How a level reads in a summary or a reason: `origin=referral`, `amount in [10, 50)`, `origin=(missing)`. */
export function describeLevel(feature: string, level: FeatureLevel): string {
  switch (level.kind) {
    case 'category':
      return `${feature}=${level.value}`;
    case 'other':
      return `${feature}=(other)`;
    case 'missing':
      return `${feature}=(missing)`;
    case 'range': {
      const [min, max] = level.range;
      if (min === null && max !== null) return `${feature} < ${formatNumber(max)}`;
      if (max === null && min !== null) return `${feature} ≥ ${formatNumber(min)}`;
      return `${feature} in [${formatNumber(min ?? Number.NEGATIVE_INFINITY)}, ${formatNumber(max ?? Number.POSITIVE_INFINITY)})`;
    }
  }
}
