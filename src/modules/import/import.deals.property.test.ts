// "Import twice = import once" for deals files: duplicates, bad rows, every stage, people and accounts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { parseMapping } from './import.mapping.ts';
import { importCsvFile } from './import.service.ts';
import { emptyImportTables, importTestTargets, query } from './import.test-support.ts';

const row = fc.record({
  id: fc.constantFrom('', 'd1', 'd2', 'd3', 'd4'),
  stage: fc.constantFrom('', 'prospecting', 'qualified', 'proposal', 'negotiation', 'won', 'lost', 'bogus'),
  amount: fc.constantFrom('', '1000', '"2,500.50"', '$300', 'lots'),
  company: fc.constantFrom('', 'Acme', 'Beta Corp'),
  owner: fc.constantFrom('', 'Ann Rep', 'ann rep', 'Bob Rep'),
  contact: fc.constantFrom('', 'p1', 'p2', 'nobody'),
  opened: fc.constantFrom('', '2024-01-01', '2024-02-30'),
  closed: fc.constantFrom('', '2024-03-01'),
});

const csv = (rows: Record<string, string>[]) =>
  [
    'id,stage,amount,company,owner,contact,opened,closed',
    ...rows.map((r) => Object.values(r).join(',')),
  ].join('\n');

const mapping = parseMapping(
  {
    entity: 'opportunities',
    source: 'crm',
    columns: {
      externalId: 'id',
      stage: 'stage',
      amount: 'amount',
      companyName: 'company',
      owner: 'owner',
      personExternalId: 'contact',
      openedAt: 'opened',
      closedAt: 'closed',
    },
  },
  'property.json',
);

async function snapshot(database: Database) {
  return {
    deals: await query(
      database,
      `SELECT o.external_id, o.stage, o.amount, o.opened_at, o.closed_at, o.stage_entered_at, a.name AS account,
              u.name AS owner, p.external_id AS person
       FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id LEFT JOIN users u ON u.id = o.owner_id
       LEFT JOIN people p ON p.id = o.person_id ORDER BY o.external_id`,
    ),
    dealHistory: await query(
      database,
      `SELECT o.external_id, t.from_stage, t.to_stage, t.occurred_at FROM opportunity_transitions t
       JOIN opportunities o ON o.id = t.opportunity_id ORDER BY t.seq`,
    ),
    leadHistory: await query(
      database,
      'SELECT person_id, from_stage, to_stage, occurred_at, rule FROM stage_transitions ORDER BY seq',
    ),
    users: await query(database, 'SELECT name FROM users ORDER BY name'),
  };
}

const targets = await importTestTargets('deals_property');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-deals-property-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(
    `deals: import twice = import once, on ${target.name}`,
    () => {
      let database: Database;
      beforeAll(async () => {
        database = await target.open();
      });
      afterAll(() => target.dispose());

      it('holds for generated files, whatever the batch size', async () => {
        const clock = fixedClock(new Date('2026-01-15T12:00:00Z'));
        const people = path.join(dir, 'people.csv');
        fs.writeFileSync(people, 'id,email,stage\np1,p1@acme.example,sql\np2,p2@beta.example,opportunity\n');
        const peopleMapping = parseMapping(
          { entity: 'people', source: 'crm', columns: { externalId: 'id', email: 'email', stage: 'stage' } },
          'people.json',
        );
        await fc.assert(
          fc.asyncProperty(
            fc.array(row, { minLength: 1, maxLength: 10 }),
            fc.constantFrom(1, 3, 1000),
            async (rows, batchSize) => {
              await emptyImportTables(database);
              await importCsvFile(database, { file: people, mapping: peopleMapping, clock });
              const file = path.join(dir, 'deals.csv');
              fs.writeFileSync(file, csv(rows));
              const first = await importCsvFile(database, { file, mapping, clock, batchSize });
              expect(
                first.created + first.updated + first.unchanged + first.rejected + first.superseded,
              ).toBe(rows.length);
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
                `SELECT count(*)::int AS n FROM opportunities o
               WHERE o.stage IS DISTINCT FROM (SELECT t.to_stage FROM opportunity_transitions t
                                               WHERE t.opportunity_id = o.id ORDER BY t.seq DESC LIMIT 1)`,
              );
              expect(drift?.n).toBe(0);
            },
          ),
          { numRuns: 30 },
        );
      });
    },
  );
}
