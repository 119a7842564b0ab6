// Settings read from the environment: the reports' background recount threshold, the data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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
