// How V8 compiles PGlite's WebAssembly for a `lockstep` command (bin/lockstep.js says why), in one place
// for the launcher, the test workers and the benchmarks.

/** A function is optimised only after running about 150 times longer than V8's default budget allows. */
export const longTieringBudget = '--wasm-tiering-budget=2000000000';

/** The baseline compiler alone, for an import or an export: less memory for about the same time. */
export const baselineOnly = '--liftoff-only';

/** The flag for `command` (the first word after `lockstep`). */
export const tieringFlag = (command: string | undefined): string =>
  command === 'import' || command === 'export' ? baselineOnly : longTieringBudget;

/** Whether Node was started with one of them already. */
export const hasTieringFlag = (execArgv: readonly string[]): boolean =>
  execArgv.some((arg) => arg === baselineOnly || arg.startsWith('--wasm-tiering-budget'));
