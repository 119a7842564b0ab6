// Runs the real `lockstep` command in a child process, as a person at a terminal would.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../bin/lockstep.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runLockstep(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  return outputOf(spawn(process.execPath, [bin, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** What a child process started with piped output wrote, and its exit code, once it has closed. */
export function outputOf(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
