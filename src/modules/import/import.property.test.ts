// "Import twice = import once", on small files with duplicates, bad rows and every stage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { loadPreset } from './import.presets.ts';
import { importCsvFile } from './import.service.ts';
import { emptyImportTables, importTestTargets, query } from './import.test-support.ts';

const row = fc.record({
  id: fc.constantFrom('', '1', '2', '3', '4'),
  email: fc.constantFrom('', 'a@acme.example', 'B@acme.example', 'c@gmail.com', 'd@beta.example', 'bad@'),
  name: fc.constantFrom('Ada Lovelace', 'Grace', '', 'Hopper, Grace'),
  stage: fc.constantFrom(
    '',
    'new',
    'mql',
    'sal',
    'sql',
    'opportunity',
    'won',
    'lost',
    'nurture',
    'recycled',
    'bogus',
  ),
  created: fc.constantFrom('', '2024-01-01', '2024-02-30', '2024-03-05 10:00'),
  company: fc.constantFrom('', 'Acme', 'Beta Corp', '"Comma, Inc"'),
  website: fc.constantFrom('', 'acme.example', 'https://www.beta.example/'),
});

const csv = (rows: Record<string, string>[]) =>
  ['id,email,name,stage,created at,company,website', ...rows.map((r) => Object.values(r).join(','))].join(
    '\n',
  );

async function snapshot(database: Database) {
  return {
    people: await query(
      database,
      `SELECT p.external_id, p.email, p.first_name, p.last_name, p.stage, p.stage_entered_at, p.created_at, a.name AS account
       FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.external_id, p.email`,
    ),
    accounts: await query(database, 'SELECT name, domain, external_id FROM accounts ORDER BY name, domain'),
    history: await query(
      database,
      `SELECT p.external_id, p.email, t.from_stage, t.to_stage, t.occurred_at, t.rule
       FROM stage_transitions t JOIN people p ON p.id = t.person_id ORDER BY t.seq`,
    ),
  };
}

const targets = await importTestTargets('property');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-property-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(`import twice = import once, on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => target.dispose());

    it('holds for generated files, whatever the batch size', async () => {
      const mapping = loadPreset('generic');
      const clock = fixedClock(new Date('2026-01-15T12:00:00Z'));
      await fc.assert(
        fc.asyncProperty(
          fc.array(row, { minLength: 1, maxLength: 12 }),
          fc.constantFrom(1, 2, 5, 1000),
          async (rows, batchSize) => {
            await emptyImportTables(database);
            const file = path.join(dir, 'people.csv');
            fs.writeFileSync(file, csv(rows));
            const first = await importCsvFile(database, { file, mapping, clock, batchSize });
            expect(first.created + first.updated + first.unchanged + first.rejected + first.superseded).toBe(
              rows.length,
            );
            const once = await snapshot(database);

            const second = await importCsvFile(database, { file, mapping, clock, batchSize });
            expect(second).toMatchObject({
              created: 0,
              updated: 0,
              accountsCreated: 0,
              transitionsCreated: 0,
              rejected: first.rejected,
              superseded: first.superseded,
            });
            expect(await snapshot(database)).toEqual(once);

            const [drift] = await query<{ n: number }>(
              database,
              `SELECT count(*)::int AS n FROM people p
             WHERE p.stage IS DISTINCT FROM (SELECT t.to_stage FROM stage_transitions t WHERE t.person_id = p.id ORDER BY t.seq DESC LIMIT 1)`,
            );
            expect(drift?.n).toBe(0);
          },
        ),
        { numRuns: 40 },
      );
      // Forty whole imports: on a busy two-core machine this takes about a minute.
    }, 180_000);
  });
}
