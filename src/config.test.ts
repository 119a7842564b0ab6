// Settings read from the environment: the reports' background recount threshold.
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
