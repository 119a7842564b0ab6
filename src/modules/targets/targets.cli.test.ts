// `lockstep target …` and `lockstep bottlenecks` as a person runs them, on an embedded database on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLockstep } from '../../test/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-targets-cli-'));
const env = { ...process.env, LOCKSTEP_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
const lockstep = (...args: string[]) => runLockstep(args, { env });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each command opens and migrates the embedded database in its own process: a few seconds each.
describe('lockstep target', { timeout: 300_000 }, () => {
  it('creates a target, confirms it for both teams and shows it', async () => {
    for (const [email, team, role] of [
      ['maya@test.dev', 'marketing', 'marketing'],
      ['dana@test.dev', 'sales', 'admin'],
    ]) {
      const user = await lockstep(
        'user',
        'create',
        '--email',
        email!,
        '--name',
        email!,
        '--team',
        team!,
        '--role',
        role!,
      );
      expect(user.code).toBe(0);
    }
    const created = await lockstep('target', 'create', '2026-Q4', '--amount', '500000', '--json');
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ status: 'draft', amount: 500_000, pacing: null });

    const marketing = await lockstep('target', 'confirm', '2026-Q4', '--as', 'maya@test.dev', '--json');
    expect(JSON.parse(marketing.stdout).missingConfirmations).toEqual(['sales']);
    const sales = await lockstep('target', 'confirm', '2026-Q4', '--as', 'dana@test.dev');
    expect(sales.code).toBe(0);
    expect(sales.stdout).toContain('2026-Q4 (2026-10-01 … 2026-12-31): $500,000 — confirmed');

    const shown = await lockstep('target', 'show', '2026-Q4', '--scenario', 'dealSize=25000', '--json');
    // Nothing was ever won here, so only the won deals can be planned: 500,000 / 25,000 = 20.
    expect(JSON.parse(shown.stdout).plan.stages.map((s: { needed: number | null }) => s.needed)).toEqual([
      null,
      null,
      null,
      null,
      null,
      20,
    ]);
  });

  it('tells what is wrong with the input, exit code 2', async () => {
    const period = await lockstep('target', 'show', '2026-Q9');
    expect(period.code).toBe(2);
    expect(period.stderr).toContain(
      'Use YYYY-Qn (a quarter, e.g. 2026-Q4) or YYYY-MM (a month, e.g. 2026-11)',
    );
    const key = await lockstep('target', 'show', '2026-Q4', '--scenario', 'mqlToWon=0.5');
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('Allowed: lookbackDays, dealSize, newToMql, mqlToSal');
    const who = await lockstep('target', 'confirm', '2026-Q4', '--as', 'nobody@test.dev');
    expect(who.stderr.trim()).toBe('No Lockstep user has the email nobody@test.dev.');
  });

  it('reports bottlenecks as JSON', async () => {
    const report = await lockstep('bottlenecks', '--json');
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).headline).toContain(
      'No stage converts significantly worse than normal this month',
    );
    const bad = await lockstep('bottlenecks', '--period', 'next-year');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('this-month');
  });
});
