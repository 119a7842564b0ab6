import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HalfCreatedDatabaseError, openDatabase } from './client.ts';
import { acquireDataDirLock, DatabaseLockedError, lockPathFor } from './lock.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the embedded database lock', () => {
  it('refuses a second holder and names the first one', () => {
    const dataDir = path.join(dir, 'data');
    const lock = acquireDataDirLock(dataDir, 'server');
    lock.update({ url: 'http://localhost:3000' });
    let refused: unknown;
    try {
      acquireDataDirLock(dataDir, 'cli: funnel');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DatabaseLockedError);
    expect((refused as DatabaseLockedError).holder.pid).toBe(process.pid);
    expect((refused as Error).message).toContain(
      `the Lockstep server (pid ${process.pid}, http://localhost:3000)`,
    );
    lock.release();
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
    acquireDataDirLock(dataDir, 'cli: funnel').release();
  });

  it('takes over a lock whose holder is dead', () => {
    const dataDir = path.join(dir, 'data');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    fs.writeFileSync(
      lockPathFor(dataDir),
      JSON.stringify({
        pid: deadPid,
        host: os.hostname(),
        purpose: 'server',
        startedAt: '2026-01-01T00:00:00Z',
      }),
    );
    const lock = acquireDataDirLock(dataDir, 'server');
    expect(JSON.parse(fs.readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses to open a half-created data directory, says what to do, and keeps no lock', async () => {
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'PG_VERSION'), '17');
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(HalfCreatedDatabaseError);
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(`rm -rf ${dataDir}`);
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
  });
});
