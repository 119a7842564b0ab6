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
// Before anything else: the rest is resolved through it (src/shared/module-resolution.ts).
await import('../src/shared/module-resolution.ts');
await import('../src/cli/main.ts');
