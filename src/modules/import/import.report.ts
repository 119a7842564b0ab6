// What an import tells the person who ran it: counts, and the problems with their line numbers.
import type { VariantGroup } from './import.variants.ts';

export type ProblemSeverity = 'error' | 'warning';

export interface ImportProblem {
  /** The physical line in the file (the header is line 1). */
  line: number;
  severity: ProblemSeverity;
  /** A sentence a person understands, without the line number. */
  reason: string;
  /** Set when one import reads several files (Olist). */
  file?: string;
}

export interface ImportReport {
  runId: string;
  kind: string;
  file: string;
  /** Data rows read (the header is not a row). */
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows not written at all (severity error). */
  rejected: number;
  /** Earlier rows that a later row with the same key replaced (each also a warning). */
  superseded: number;
  warnings: number;
  accountsCreated: number;
  transitionsCreated: number;
  /** The first 1,000 problems, in file order. */
  problems: ImportProblem[];
  problemsTruncated: boolean;
  /** The Olist import also makes each closed deal a won opportunity. */
  opportunities?: { created: number; updated: number; unchanged: number; warnings: number };
  /** Values that name one thing with different spacing, case or punctuation; merge them with valueMaps. */
  variants: VariantGroup[];
  /** The date pattern the file's first rows are written in, when the mapping let the file say (dateFormat "auto"). */
  guessedDateFormat?: string;
  /** How amounts are written, when the mapping let the file say (numberFormat "auto"). */
  guessedNumberFormat?: string;
  /** Wall-clock seconds: reading (parse, check, COPY to staging), preparing (duplicates, matching), merging. */
  seconds: { reading: number; preparing: number; merging: number };
  /** Every lead scored again after the import, under the lead definition in force (the CLI; the server does it in the background). */
  scoring?: { scored: number; madeMql: number };
  /** True when the new people were written before their indexes were rebuilt (import.bulk.ts). */
  bulkLoaded?: boolean;
}

export interface ImportProgress {
  /**
   * Reading the file; merging the rows (with rowsMerged 0 while they are matched with the records
   * already there); in a bulk load, building the indexes and checking the keys of the rows written.
   */
  phase: 'reading' | 'merging' | 'indexing' | 'done';
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
  /** Rows written to people/accounts so far (merging happens after reading). */
  rowsMerged: number;
  rowsToMerge: number;
}

export type ProgressListener = (progress: ImportProgress) => void;

export const PROBLEMS_KEPT = 1_000;

export interface ProblemLog {
  readonly rejected: number;
  readonly warnings: number;
  reject(line: number, reason: string, file?: string): void;
  warn(line: number, reason: string, file?: string): void;
  /** Counts problems found in bulk (in SQL) of which only the first few were fetched. */
  addCounted(severity: ProblemSeverity, count: number, firstFew: ImportProblem[]): void;
  firstProblems(): { problems: ImportProblem[]; truncated: boolean };
}

/**
 * Keeps counts exactly and the first PROBLEMS_KEPT problems by (file, line). Problems arrive from
 * several passes, each in line order, so trimming to the smallest lines never loses one that belongs.
 */
export function createProblemLog(fileOrder: string[] = []): ProblemLog {
  let rejected = 0;
  let warnings = 0;
  let kept: ImportProblem[] = [];
  const rank = (problem: ImportProblem) => (problem.file ? fileOrder.indexOf(problem.file) : 0);
  const byPosition = (a: ImportProblem, b: ImportProblem) => rank(a) - rank(b) || a.line - b.line;
  const keep = (problem: ImportProblem) => {
    kept.push(problem);
    if (kept.length >= PROBLEMS_KEPT * 2) kept = kept.sort(byPosition).slice(0, PROBLEMS_KEPT);
  };
  return {
    get rejected() {
      return rejected;
    },
    get warnings() {
      return warnings;
    },
    reject(line, reason, file) {
      rejected++;
      keep({ line, severity: 'error', reason, ...(file ? { file } : {}) });
    },
    warn(line, reason, file) {
      warnings++;
      keep({ line, severity: 'warning', reason, ...(file ? { file } : {}) });
    },
    addCounted(severity, count, firstFew) {
      if (severity === 'error') rejected += count;
      else warnings += count;
      for (const problem of firstFew) keep(problem);
    },
    firstProblems() {
      const total = rejected + warnings;
      return { problems: kept.sort(byPosition).slice(0, PROBLEMS_KEPT), truncated: total > PROBLEMS_KEPT };
    },
  };
}

/** `line 17: email "bob@" is not an email address` */
export function formatProblem(problem: ImportProblem): string {
  const where = problem.file ? `${problem.file} line ${problem.line}` : `line ${problem.line}`;
  return `${where}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.reason}`;
}
