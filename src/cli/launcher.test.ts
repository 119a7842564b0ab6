// bin/lockstep.js on the embedded database: the command runs again in a child with the V8 flags that suit
// it, and what happens to the launcher (a signal) happens to the command.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../db/lock.ts';
import { outputOf } from '../test/cli.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/lockstep.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-launcher-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// A command that reads a pipe nobody writes to waits for its first line for as long as it takes.
const fifo = path.join(dir, 'people.csv');
execFileSync('mkfifo', [fifo]);

const childrenOf = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

/** Starts `lockstep …args` on the embedded database; what it wrote comes with its end. */
function launch(args: string[]) {
  const launcher = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, LOCKSTEP_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended = new Promise<NodeJS.Signals | null>((resolve) =>
    launcher.on('exit', (_, signal) => resolve(signal)),
  );
  return { launcher, pid: launcher.pid ?? 0, ended, output: outputOf(launcher) };
}

/** The command's arguments after `node`, once it has started (before, the child is a copy of the launcher). */
function argvOf(pid: number): string[] | undefined {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1, -1);
  return argv[0]?.startsWith('--') ? argv : undefined;
}

/** Starts `lockstep …args` and stops it with SIGTERM once it runs: the command's argv, and how both ended. */
async function commandLine(args: string[]) {
  const { launcher, pid, ended, output } = launch(args);
  await expect.poll(() => childrenOf(pid).length).toBe(1);
  const [command = 0] = childrenOf(pid);
  await expect.poll(() => argvOf(command)).toBeDefined();
  const argv = argvOf(command);
  launcher.kill('SIGTERM');
  const signal = await ended;
  await expect.poll(() => isAlive(command)).toBe(false);
  return { argv, signal, stderr: (await output).stderr };
}

describe.runIf(fs.existsSync('/proc/self/task'))('the lockstep launcher', () => {
  it('runs an import on the baseline compiler in a child, and passes a SIGTERM on to it', async () => {
    expect(await commandLine(['import', 'csv', fifo])).toEqual({
      argv: ['--liftoff-only', bin, 'import', 'csv', fifo],
      signal: 'SIGTERM',
      stderr: '',
    });
  });

  it('runs other commands with a long tiering budget', async () => {
    const args = [
      'scorecard',
      'fit',
      '--csv',
      fifo,
      '--outcome',
      'won',
      '--out',
      path.join(dir, 'model.json'),
    ];
    expect(await commandLine(args)).toEqual({
      argv: ['--wasm-tiering-budget=2000000000', bin, ...args],
      signal: 'SIGTERM',
      stderr: '',
    });
  });

  it('passes on a SIGTERM that comes the moment the command is started', async () => {
    // Listening only after starting the command left it running 29 times in 30 here.
    for (let round = 0; round < 10; round++) {
      const { launcher, pid, ended } = launch(['import', 'csv', fifo]);
      let children: number[] = [];
      const deadline = Date.now() + 15_000;
      while (children.length === 0 && Date.now() < deadline) children = childrenOf(pid);
      launcher.kill('SIGTERM');
      expect(await ended).toBe('SIGTERM');
      for (const command of children) await expect.poll(() => isAlive(command)).toBe(false);
    }
  });
});
