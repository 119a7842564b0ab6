// A large import writes new people before their indexes and foreign keys are rebuilt. It must end
// with exactly the rows a batched import writes, and exactly the indexes and constraints it found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLeadsCsv } from '../../../bench/import.data.ts';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { deferIndexes, lockForBulkLoad, restoreIndexes } from './import.bulk.ts';
import { loadMappingFile } from './import.mapping.ts';
import type { ImportProgress, ProgressListener } from './import.report.ts';
import { importCsvFile } from './import.service.ts';
import { emptyImportTables, importTestTargets, query } from './import.test-support.ts';

const clock = fixedClock(new Date('2026-01-15T12:00:00Z'));
const mapping = loadMappingFile(path.resolve(import.meta.dirname, '../../../bench/import.mapping.json'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-import-bulk-'));
const first = path.join(tmp, 'first.csv');
const second = path.join(tmp, 'second.csv');
// The second file shares the first 300 record ids with other companies and stages, and adds 300.
await writeLeadsCsv(first, 300, 7);
await writeLeadsCsv(second, 600, 8);

const targets = await importTestTargets('bulk');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BULK = 1;
const NEVER = Number.POSITIVE_INFINITY;

/** Everything the two imports write, without generated ids. */
async function contents(database: Database) {
  const people = await query<Record<string, unknown>>(
    database,
    `SELECT p.external_id, p.email, p.first_name, p.last_name, p.title, p.phone, p.country, p.source,
            p.landing_page, p.attributes, p.stage, p.stage_entered_at, p.created_at,
            a.name AS account, a.domain, a.industry, a.employees,
            (SELECT string_agg(coalesce(t.from_stage, '·') || '→' || t.to_stage || ' ' || t.occurred_at::text, ', ' ORDER BY t.seq)
             FROM stage_transitions t WHERE t.person_id = p.id) AS history
     FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.external_id`,
  );
  const [totals] = await query<{ accounts: number; transitions: number }>(
    database,
    'SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM stage_transitions) AS transitions',
  );
  return { people, totals };
}

/** The indexes and constraints of the tables a bulk load sets aside. */
async function schema(database: Database) {
  return query<{ name: string; definition: string; valid: boolean | null }>(
    database,
    `SELECT indexname AS name, indexdef AS definition, NULL::boolean AS valid FROM pg_indexes
     WHERE tablename IN ('people', 'stage_transitions')
     UNION ALL
     SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint
     WHERE conrelid IN ('people'::regclass, 'stage_transitions'::regclass)
     ORDER BY 1, 2`,
  );
}

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(`bulk import on ${target.name}`, () => {
    let database: Database;
    let schemaBefore: Awaited<ReturnType<typeof schema>>;
    beforeAll(async () => {
      database = await target.open();
      schemaBefore = await schema(database);
    });
    afterAll(() => target.dispose());

    const load = (file: string, bulkMinRows: number, onProgress?: ProgressListener) =>
      importCsvFile(database, { file, mapping, clock, batchSize: 128, bulkMinRows, onProgress });

    it('writes the same people, accounts and history as the batched merge, and puts every index back', async () => {
      expect(schemaBefore.length).toBeGreaterThanOrEqual(12);
      await emptyImportTables(database);
      const batchedFirst = await load(first, NEVER);
      const batchedSecond = await load(second, NEVER);
      const batched = await contents(database);
      expect(batchedFirst.bulkLoaded).toBe(false);

      await emptyImportTables(database);
      const bulkFirst = await load(first, BULK);
      expect(bulkFirst.bulkLoaded).toBe(true);
      expect(await schema(database)).toEqual(schemaBefore);
      // 300 people already there, 300 new ones: still at least as many new people as stored ones.
      const bulkSecond = await load(second, BULK);
      expect(bulkSecond.bulkLoaded).toBe(true);
      expect(await schema(database)).toEqual(schemaBefore);

      const bulk = await contents(database);
      expect(bulk.people).toHaveLength(600);
      // Leads whose lifecycle stage is "other" (no stage) start at "new" when they were created.
      expect(bulk.people.filter((person) => person.stage === null || person.history === null)).toEqual([]);
      expect(bulk.totals).toEqual(batched.totals);
      expect(bulk.people).toEqual(batched.people);
      const counts = (report: typeof bulkFirst) => {
        const { runId, seconds, bulkLoaded, ...rest } = report;
        return rest;
      };
      expect(counts(bulkFirst)).toEqual(counts(batchedFirst));
      expect(counts(bulkSecond)).toEqual(counts(batchedSecond));
      expect(bulkSecond.created).toBe(300);
      expect(bulkSecond.updated).toBeGreaterThan(0);
    });

    it('takes fresh statistics of the tables a bulk load filled, for the plans of lists and reports', async () => {
      const analysed = async () =>
        (
          await query<{ at: string | null }>(
            database,
            `SELECT last_analyze::text AS at FROM pg_stat_user_tables WHERE relname = 'people'`,
          )
        )[0]?.at ?? null;
      await emptyImportTables(database);
      const before = await analysed();
      // 300 people merged batch by batch into the live indexes: too few to analyse again.
      await load(first, NEVER);
      expect(await analysed()).toBe(before);
      await emptyImportTables(database);
      await load(first, BULK);
      const after = await analysed();
      expect(after).not.toBeNull();
      expect(after).not.toBe(before);
    });

    it('leaves the indexes and the rows as they were when a rebuilt unique index finds a duplicate', async () => {
      const before = await contents(database);
      const failure = await database.withSession(async (session) => {
        await session.query('BEGIN');
        try {
          await lockForBulkLoad(session);
          const deferred = await deferIndexes(session);
          // Someone's e-mail again, which the dropped unique index no longer stops.
          await session.query(
            `INSERT INTO people (external_id, email) SELECT 'intruder', email FROM people WHERE email IS NOT NULL LIMIT 1`,
          );
          await restoreIndexes(session, deferred);
          await session.query('COMMIT');
          return null;
        } catch (error) {
          await session.query('ROLLBACK');
          return error as { code?: string };
        }
      });
      expect(failure?.code).toBe('23505');
      expect(await schema(database)).toEqual(schemaBefore);
      expect(await contents(database)).toEqual(before);
    });

    it('tells its progress in order, batch by batch, then the index building, never going back', async () => {
      // Each phase once, in order, with the rows written per phase, as a progress bar shows them.
      const steps = async (bulkMinRows: number) => {
        await emptyImportTables(database);
        const seen: ImportProgress[] = [];
        const report = await load(first, bulkMinRows, (p) => seen.push({ ...p }));
        const phases = seen.map((p) => p.phase).filter((phase, i, all) => phase !== all[i - 1]);
        const merged = seen.filter((p) => p.phase === 'merging').map((p) => p.rowsMerged);
        return { bulkLoaded: report.bulkLoaded, phases, merged, last: seen.at(-1) };
      };
      const bulk = await steps(BULK);
      expect(bulk.bulkLoaded).toBe(true);
      expect(bulk.phases).toEqual(['reading', 'merging', 'indexing', 'done']);
      // Matching first (0 written), then 128, 256, then the last 44 of the 300 rows.
      expect(bulk.merged).toEqual([0, 128, 256, 300]);
      expect(bulk.last).toMatchObject({ phase: 'done', rowsMerged: 300, rowsToMerge: 300 });

      const batched = await steps(NEVER);
      expect(batched.bulkLoaded).toBe(false);
      expect(batched.phases).toEqual(['reading', 'merging', 'done']);
      expect(batched.merged).toEqual([0, 128, 256, 300]);
    });

    it('inserts into the live indexes when the table is larger than what the file brings', async () => {
      const report = await load(first, 100);
      // All 300 rows of the first file are people already stored: nothing new, nothing to rebuild.
      expect(report.bulkLoaded).toBe(false);
      expect(report.created).toBe(0);
    });
  });
}
