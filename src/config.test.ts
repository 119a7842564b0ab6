// Settings read from the environment: the reports' background recount threshold, the data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, unreachableDatabase } from './config.ts';

describe('LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM', () => {
  it('is a whole number of changes, unset by default', () => {
    expect(loadConfig({}).recountInBackgroundFrom).toBeUndefined();
    expect(loadConfig({ LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM: '5000' }).recountInBackgroundFrom).toBe(5000);
  });

  it('refuses what is not one, naming the setting', () => {
    for (const value of ['0', 'many', '2.5']) {
      expect(() => loadConfig({ LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM: value })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM: 'many' })).toThrow(
      /LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM/,
    );
  });
});

describe('LOCKSTEP_DATA_DIR', () => {
  it('is opened through its symbolic links, existing or not (the embedded database cannot follow one)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-link-'));
    try {
      fs.mkdirSync(path.join(root, 'disk'));
      fs.symlinkSync(path.join(root, 'disk'), path.join(root, 'data'));
      const real = fs.realpathSync(path.join(root, 'disk'));
      const dataDir = (value: string) => {
        const { database } = loadConfig({ LOCKSTEP_DATA_DIR: value });
        return database.kind === 'pglite' ? database.dataDir : undefined;
      };
      expect(dataDir(path.join(root, 'data'))).toBe(real);
      expect(dataDir(path.join(root, 'data', 'lockstep'))).toBe(path.join(real, 'lockstep'));
      expect(dataDir('memory://')).toBe('memory://');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a DATABASE_URL that leads nowhere', () => {
  it('is told in words with what to check, without the password', async () => {
    const url = 'postgres://postgres:s3cret@127.0.0.1:5432/lockstep_no_such_database';
    const { database } = loadConfig({ DATABASE_URL: url });
    const client = new pg.Client(url);
    const error = await client.connect().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await client.end().catch(() => {});
    const explained = unreachableDatabase(error, database);
    expect(explained?.message).toBe(
      'Lockstep cannot use the PostgreSQL at 127.0.0.1:5432/lockstep_no_such_database: database "lockstep_no_such_database" does not exist.\n' +
        'Check DATABASE_URL (host, port, database name, user and password) and that PostgreSQL is running; `npx lockstep doctor` checks the whole set-up.',
    );
    expect(unreachableDatabase(new Error('a bug'), database)).toBeUndefined();
  });
});
