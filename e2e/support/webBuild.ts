import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const builtPage = path.join(repoRoot, 'web/dist/index.html');
const sources = [path.join(repoRoot, 'web/index.html'), path.join(repoRoot, 'vite.config.ts')];
// Browser test files run in parallel workers: only one of them may rebuild web/dist at a time.
const buildLock = path.join(repoRoot, 'node_modules/.cache/lockstep-web-build.lock');

/**
 * Builds web/dist when it is missing or older than the web app's sources, so the browser tests never
 * click through a stale build (`npm test` builds first; `npx vitest run e2e` alone may not).
 */
export async function ensureWebAppBuilt(): Promise<void> {
  await acquireBuildLock();
  try {
    if (fs.existsSync(builtPage) && fs.statSync(builtPage).mtimeMs >= newestSourceChange()) return;
    // The same build as `npm run build:web`, in its own process: vitest's NODE_ENV=test would ship React's dev build.
    execFileSync(path.join(repoRoot, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
  } finally {
    fs.rmSync(buildLock, { recursive: true, force: true });
  }
}

async function acquireBuildLock(): Promise<void> {
  fs.mkdirSync(path.dirname(buildLock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(buildLock);
      return;
    } catch {
      // A lock left behind by a killed run is older than any real build.
      const age = Date.now() - (fs.statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(buildLock, { recursive: true, force: true });
      await sleep(200);
    }
  }
}

function newestSourceChange(): number {
  const srcDir = path.join(repoRoot, 'web/src');
  const files = fs
    .readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  return Math.max(...[...sources, ...files].map((file) => fs.statSync(file).mtimeMs));
}
