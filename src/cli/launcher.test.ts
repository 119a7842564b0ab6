// bin/lockstep.js on the embedded database: the command runs again in a child on V8's baseline compiler,
// and what happens to the launcher (a signal) happens to the command.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputOf } from '../test/cli.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/lockstep.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-launcher-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const childrenOf = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(fs.existsSync('/proc/self/task'))('the lockstep launcher', () => {
  it('runs the command on the baseline compiler in a child, and passes a SIGTERM on to it', async () => {
    // An import from a pipe nobody writes to waits for its first line for as long as it takes.
    const fifo = path.join(dir, 'people.csv');
    execFileSync('mkfifo', [fifo]);
    const launcher = spawn(process.execPath, [bin, 'import', 'csv', fifo], {
      env: { ...process.env, LOCKSTEP_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      launcher.on('exit', (_, signal) => resolve(signal)),
    );
    const output = outputOf(launcher);
    const pid = launcher.pid ?? 0;
    await expect.poll(() => childrenOf(pid).length).toBe(1);
    const [command] = childrenOf(pid);
    const argv = fs.readFileSync(`/proc/${command}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(1)).toEqual(['--liftoff-only', bin, 'import', 'csv', fifo, '']);

    launcher.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    await expect.poll(() => alive(command ?? 0)).toBe(false);
    expect((await output).stderr).toBe('');
  });
});
