#!/usr/bin/env node
// The `lockstep` command. Node 24 runs the TypeScript sources directly (type stripping), and
// the project brings its own Node 24 (the `node` npm package): `npx lockstep` uses it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Lockstep needs Node.js 24; this is ${process.version}. Run it through npm so that the project's ` +
      'own Node 24 is used: `npx lockstep ...` (after `npm install`).',
  );
  process.exit(1);
}

// On the embedded database, PostgreSQL runs as WebAssembly. V8 compiles its hottest function again with
// its optimising compiler in the background once it has run a while, and a process cannot exit while
// such a compile runs: a command that ran a few queries took twice the time and memory (3.9 s and
// 670 MB for `lockstep funnel` on 100,000 people, against 1.9 s and 320 MB). So a command asks V8 to
// optimise only a function that has run about 150 times longer than by default: a short command never
// does, and a long count still gets the optimising compiler (the first count of the reports after
// importing 100,000 people: 28 s, against 24 s by default and 49 s on the baseline compiler alone).
// An import or an export runs on the baseline compiler alone: at 100,000 rows it takes the same time
// and 450 MB less; at a million, a third more time and a third less memory (BENCHMARKS.md). These
// flags can only be given when Node starts, so the command starts itself again with them. The server
// keeps V8's defaults.
const { hasTieringFlag, tieringFlag } = await import('../src/cli/v8-tiering.ts');
const tiering = tieringFlag(process.argv.slice(2).find((arg) => !arg.startsWith('-')));
// Started with its flags already (the child below, or a benchmark), or under a debugger, which should
// stop in the command itself: it runs here.
const runsHere =
  hasTieringFlag(process.execArgv) || process.execArgv.some((arg) => arg.startsWith('--inspect'));
if (!process.env.DATABASE_URL && !runsHere) {
  const { spawn } = await import('node:child_process');
  // Ctrl-C reaches both processes; the command decides what to do with it, and this one waits for it.
  // Listening before the command starts: a signal that came while it was starting would otherwise end
  // this process alone and leave the command running. A listener runs after the spawn below returns.
  let child;
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child = spawn(process.execPath, [...process.execArgv, tiering, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
} else {
  // Before anything else: the rest is resolved through it (src/shared/module-resolution.ts).
  await import('../src/shared/module-resolution.ts');
  await import('../src/cli/main.ts');
}
