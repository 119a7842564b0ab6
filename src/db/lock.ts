// PGlite takes no lock of its own, and two processes on one data directory silently lose data
// (see docs/adr/0002-embedded-database-lock.md). This lock file beside the directory is the guard.
import fs from 'node:fs';
import os from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  purpose: string;
  startedAt: string;
  url?: string;
}

export class DatabaseLockedError extends Error {
  readonly holder: LockHolder;
  constructor(dataDir: string, holder: LockHolder) {
    const who =
      holder.purpose === 'server'
        ? `the Lockstep server (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})`
        : `another Lockstep command (pid ${holder.pid}: ${holder.purpose})`;
    super(
      `The embedded database at ${dataDir} is in use by ${who}.\n` +
        'Only one process can open the embedded database. Stop that process first, or run the ' +
        'server and the CLI on PostgreSQL by setting DATABASE_URL.',
    );
    this.holder = holder;
  }
}

/** Whether a process with this id runs (one of another user's still counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

export interface DataDirLock {
  path: string;
  update(extra: Partial<LockHolder>): void;
  release(): void;
}

export function lockPathFor(dataDir: string): string {
  return `${dataDir.replace(/[/\\]+$/, '')}.lock`;
}

/** Takes the lock or throws DatabaseLockedError naming the live holder. Never steals a live lock. */
export function acquireDataDirLock(dataDir: string, purpose: string): DataDirLock {
  const lockPath = lockPathFor(dataDir);
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    purpose,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(holder), { flag: 'wx' });
      return {
        path: lockPath,
        update(extra) {
          Object.assign(holder, extra);
          fs.writeFileSync(lockPath, JSON.stringify(holder));
        },
        release() {
          const current = readHolder(lockPath);
          if (current?.pid === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readHolder(lockPath);
      const sameHost = current?.host === undefined || current.host === os.hostname();
      if (current && sameHost && isAlive(current.pid)) {
        throw new DatabaseLockedError(dataDir, current);
      }
      if (current && !sameHost) throw new DatabaseLockedError(dataDir, current);
      // The holder is gone (killed, or the machine restarted): the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; remove it if no Lockstep process is running.`);
}
