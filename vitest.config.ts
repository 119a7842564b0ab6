import { defineConfig } from 'vitest/config';
import { longTieringBudget } from './src/cli/v8-tiering.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    // Tests that start servers or commands as processes took up to 55 s on a busy two-core machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A page in a browser on a busy two-core machine can take seconds to show what a poll waits for; the
    // default of one second made e2e tests fail on load, not on behaviour.
    expect: { poll: { timeout: 15_000 } },
    // As `lockstep` runs a command (bin/lockstep.js): PGlite's WebAssembly is optimised only after a long
    // run, so a test file that ran a few queries does not wait for V8's optimising compiler to exit.
    execArgv: [longTieringBudget],
    // PGlite instances are large (a few hundred MB each): keep parallelism modest on small machines.
    maxWorkers: 2,
  },
});
