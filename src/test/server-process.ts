// A Lockstep server as a separate process on an embedded database in a temporary directory, for the
// tests that kill it (SIGKILL) and start it again on the same data.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const mainFile = path.resolve(import.meta.dirname, '../main.ts');
const resolutionHooks = path.resolve(import.meta.dirname, '../shared/module-resolution.ts');

export interface ServerProcesses {
  /** http://127.0.0.1:<port>, the same for every start. */
  base: string;
  /** Starts a server on the shared data directory and resolves once it answers /api/health. */
  start(): Promise<ChildProcess>;
  /** Kills every server still running and removes the data directory. */
  cleanUp(): void;
}

export function serverProcesses(name: string): ServerProcesses {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lockstep-${name}-`));
  const port = 39_000 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  return {
    base,
    async start() {
      // As `npm start` runs it.
      const child = spawn(process.execPath, ['--import', resolutionHooks, mainFile], {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOCKSTEP_DATA_DIR: path.join(dir, 'data'),
          LOCKSTEP_DEMO: 'false',
          LOG_LEVEL: 'warn',
          DATABASE_URL: '',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      await waitUntilUp(child, base);
      return child;
    },
    cleanUp() {
      for (const child of children) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilUp(child: ChildProcess, base: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}

/** Resolves once the process has ended (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
