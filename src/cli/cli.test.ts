// The `lockstep` command as a person runs it, as a separate process on an embedded database on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { acquireDataDirLock } from '../db/lock.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createDeps } from '../deps.ts';
import { createApiToken } from '../modules/auth/auth.service.ts';
import { defaultLifecycle } from '../modules/lifecycle/lifecycle.config.ts';
import type { FunnelReport } from '../modules/reports/funnel.schema.ts';
import { systemClock } from '../shared/clock.ts';
import { runLockstep } from '../test/cli.ts';
import { OLIST_DIR, olistExpectations } from '../test/olist.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-cli-'));
const dataDir = path.join(dir, 'data');
const env = { ...process.env, LOCKSTEP_DATA_DIR: dataDir, DATABASE_URL: '' };

const lockstep = (...args: string[]) => runLockstep(args, { env });
const EXAMPLES = path.resolve(import.meta.dirname, '../../docs/examples');

/** [group, MQLs, won] per source, from a funnel report (stage 1 is MQL, the last is won). */
const perSource = (report: FunnelReport) =>
  report.rows
    .map((row) => [row.group, row.counts[1], row.counts.at(-1)])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('lockstep on the Olist data', () => {
  const expected = olistExpectations();
  const expectedPerSource = [...expected.mqlByOrigin.entries()]
    .map(([origin, mqls]) => [origin, mqls, expected.wonByOrigin.get(origin) ?? 0])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it("imports the files and gives the analyst's funnel by source, in the CLI and the API", async () => {
    const imported = await lockstep('import', 'olist', OLIST_DIR);
    expect(imported.stderr).not.toContain('Error');
    expect(imported.code).toBe(0);

    const funnel = await lockstep('funnel', '--by', 'source', '--json');
    expect(funnel.code).toBe(0);
    const report = JSON.parse(funnel.stdout) as FunnelReport;
    expect(report.total.counts[1]).toBe(8000);
    expect(report.total.counts.at(-1)).toBe(842);
    expect(perSource(report)).toEqual(expectedPerSource);
    expect(perSource(report)).toContainEqual(['organic_search', 2296, 271]);

    const table = await lockstep('funnel', '--by', 'source');
    expect(table.stdout).toMatch(/TOTAL\s+8,000\s+8,000\s+842\s+842\s+842\s+842/);

    // The API answers from the same database with the same numbers.
    const database = await openDatabase(loadConfig(env).database, 'test');
    try {
      await migrateDatabase(database);
      const deps = await createDeps({
        config: loadConfig(env),
        database,
        clock: systemClock,
        lifecycle: defaultLifecycle,
      });
      const app = await buildApp(deps);
      const { token } = await createApiToken(deps, {
        name: 't',
        role: 'viewer',
        team: 'sales',
        createdBy: null,
      });
      const response = await app.inject({
        method: 'GET',
        url: '/api/reports/funnel?by=source',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      expect(perSource(response.json())).toEqual(expectedPerSource);
      await app.close();
      await deps.jobs.stop();
    } finally {
      await database.close();
    }

    const again = await lockstep('import', 'olist', OLIST_DIR, '--json');
    expect(again.code).toBe(0);
    const second = await lockstep('funnel', '--json');
    expect((JSON.parse(second.stdout) as FunnelReport).total.counts).toEqual(report.total.counts);
  }, 240_000);

  it('exports the people it imported, to a file or to standard output', async () => {
    const file = path.join(dir, 'won.csv');
    const exported = await lockstep('export', 'people', '--stage', 'won', '--out', file);
    expect(exported.stderr).toContain(`842 people written to ${file}`);
    expect(exported.code).toBe(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const wonPeople = parse(fs.readFileSync(file), { columns: true }) as Record<string, string>[];
    expect(wonPeople).toHaveLength(842);
    expect(wonPeople.every((row) => row.Stage === 'won' && row['External ID']?.startsWith('olist:'))).toBe(
      true,
    );
    expect(new Set(wonPeople.map((row) => row['Lockstep ID'])).size).toBe(842);

    const organic = await lockstep('export', 'people', '--source', 'organic_search');
    expect(organic.code).toBe(0);
    expect(parse(organic.stdout, { columns: true })).toHaveLength(
      expected.mqlByOrigin.get('organic_search')!,
    );

    const wrong = await lockstep('export', 'people', '--grade', 'Z');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^--grade: /);

    // Every closed deal of the Olist files is a won opportunity.
    const deals = await lockstep('export', 'opportunities', '--status', 'won');
    expect(deals.code).toBe(0);
    const won = parse(deals.stdout, { columns: true }) as Record<string, string>[];
    expect(won).toHaveLength(expected.won);
    expect(won.every((row) => row.Stage === 'won' && row.Closed !== '')).toBe(true);
    const noStage = await lockstep('export', 'opportunities', '--stage', 'nowhere');
    expect(noStage.code).toBe(2);
    expect(noStage.stderr).toContain('nowhere');
  });

  it('stops with a clear message while the server holds the embedded database', async () => {
    const lock = acquireDataDirLock(dataDir, 'server');
    lock.update({ url: 'http://localhost:3000' });
    try {
      const refused = await lockstep('funnel');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `is in use by the Lockstep server (pid ${process.pid}, http://localhost:3000)`,
      );
      expect(refused.stderr).toContain('DATABASE_URL');
      expect(refused.stderr).not.toContain('    at ');
      // An import is pointed to the running server, which can take the file.
      const importing = await lockstep('import', 'csv', path.join(EXAMPLES, 'hubspot-contacts.csv'));
      expect(importing.code).toBe(2);
      expect(importing.stderr).toContain('use its Import page: http://localhost:3000/import');
      // So is an export.
      const exporting = await lockstep('export', 'people', '--stage', 'won');
      expect(exporting.code).toBe(2);
      expect(exporting.stderr).toContain('"Download all as CSV" on http://localhost:3000/people');
      expect(exporting.stderr).toContain('GET http://localhost:3000/api/people/export');
    } finally {
      lock.release();
    }
  });

  it('explains a lead score, or says plainly why it cannot', async () => {
    const noDefinition = await lockstep('lead', 'score', 'nobody@nowhere.dev');
    expect(noDefinition.code).toBe(2);
    expect(noDefinition.stderr.trim()).toBe('No lead has the email nobody@nowhere.dev.');
  });

  it('prints a new API token once, and rejects an unknown role clearly', async () => {
    const created = await lockstep('token', 'create', '--role', 'admin', '--name', 'ci');
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^lsk_[\w-]{43}$/);
    const bad = await lockstep('token', 'create', '--role', 'owner');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Allowed choices are admin, marketing, sales, viewer');
  });

  it('lists and revokes tokens, and adds and changes teammates', async () => {
    await lockstep('token', 'create', '--role', 'marketing', '--team', 'marketing', '--name', 'forms');
    const before = await lockstep('token', 'list');
    const forms = before.stdout.split('\n').find((line) => / forms +marketing/.test(line));
    expect(forms).toMatch(
      /^[0-9a-f-]{36} {2}forms +marketing +marketing +\(command line\) +\d{4}-\d\d-\d\d +live$/,
    );
    const revoked = await lockstep('token', 'revoke', forms!.slice(0, 36));
    expect(revoked.stdout).toMatch(/^Token "forms" is revoked since \d{4}-/);

    const added = await lockstep(
      'user',
      'create',
      '--email',
      'Maya@Team.dev',
      '--name',
      'Maya M',
      '--role',
      'marketing',
      '--team',
      'marketing',
      '--approver',
    );
    expect(added.stdout).toMatch(
      /^Created Maya M <maya@team\.dev> \(marketing, marketing, approver\)\.\nPassword \(shown once\): [\w-]{16}\n$/,
    );
    const changed = await lockstep('user', 'update', 'maya@team.dev', '--no-approver', '--deactivate');
    expect(changed.stdout).toBe('Now: Maya M <maya@team.dev> (marketing, marketing, turned off).\n');
    const nothing = await lockstep('user', 'update', 'maya@team.dev');
    expect([nothing.code, nothing.stderr.trim()]).toEqual([
      2,
      'Say what to change: --role, --team, --approver, --no-approver, --deactivate or --reactivate.',
    ]);
    // An admin locked out gets a new password from the server's terminal.
    const reset = await lockstep('user', 'reset-password', 'maya@team.dev');
    expect(reset.stdout).toMatch(
      /^New password for Maya M <maya@team\.dev> \(marketing, marketing, turned off\) \(shown once\): [\w-]{16}\n$/,
    );
    const after = await lockstep('token', 'list');
    expect(after.stdout).toMatch(/ forms +marketing .* revoked \d{4}-\d\d-\d\d\n/);
  });
});
