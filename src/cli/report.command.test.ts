// `lockstep report <name>` as a person runs it: the same numbers as the API, on a known workspace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import type { FunnelReport } from '../modules/reports/funnel.schema.ts';
import type { TableReport } from '../modules/reports/reports.schema.ts';
import { buildKnownWorkspace } from '../modules/reports/reports.test-data.ts';
import { runLockstep } from '../test/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-report-'));
const env = { ...process.env, LOCKSTEP_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
const lockstep = (...args: string[]) => runLockstep(args, { env });

beforeAll(async () => {
  const database = await openDatabase(loadConfig(env).database, 'test');
  await migrateDatabase(database);
  await buildKnownWorkspace(database);
  await database.close();
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('lockstep report', () => {
  it('prints each report as JSON with the filters, and lists the records behind a number', async () => {
    const breakdown = await lockstep('report', 'breakdown', '--by', 'source', '--json');
    expect(breakdown.code, breakdown.stderr).toBe(0);
    const report = JSON.parse(breakdown.stdout) as TableReport;
    expect(report.rows.map((row) => [row.key, row.values.leads, row.values.mqls, row.values.won])).toEqual([
      ['web', 3, 3, 1],
      ['ads', 2, 2, 1],
      [null, 1, 0, 0],
    ]);

    const february = await lockstep(
      'report',
      'funnel',
      '--from',
      '2026-02-01',
      '--to',
      '2026-03-01',
      '--json',
    );
    expect((JSON.parse(february.stdout) as FunnelReport).total.counts).toEqual([2, 2, 1, 1, 1, 1]);

    const attribution = await lockstep('report', 'attribution', '--json');
    expect((JSON.parse(attribution.stdout) as TableReport).total?.values.w_shaped).toBe(4200);

    const table = await lockstep('report', 'pipeline', '--by', 'product');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Pro\s+0\s+0\s+3\s+4,200/);

    const cell = report.rows[0]?.cells.mqls ?? '';
    const csv = await lockstep('report', 'breakdown', '--records', cell, '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(1 + 3);
  });

  it('keeps `lockstep funnel` working', async () => {
    const funnel = await lockstep('funnel', '--json');
    expect((JSON.parse(funnel.stdout) as FunnelReport).total.counts).toEqual([6, 5, 3, 3, 3, 2]);
  });

  it('says which reports, options and periods there are when given a wrong one', async () => {
    const unknown = await lockstep('report', 'forecast');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/funnel, velocity, cohorts/)]);
    const period = await lockstep('report', 'cohorts', '--period', 'yesterday');
    expect([period.code, period.stderr]).toEqual([2, expect.stringMatching(/last-quarter/)]);
    const by = await lockstep('report', 'pipeline', '--by', 'colour');
    expect([by.code, by.stderr]).toEqual([2, expect.stringMatching(/rep, team, product, sector/)]);
  });
});
