// A large import into a small table: write the rows first and build the secondary indexes and
// foreign keys afterwards, the way PostgreSQL's "Populating a Database" advises. Inserting a
// million people into live indexes costs three times as much as building those indexes once
// (BENCHMARKS.md). Everything happens in the import's one transaction, so a failure or a crash
// leaves the tables, their indexes and their constraints exactly as they were.
import type { DbSession } from '../../db/client.ts';

/** The tables a people import writes in bulk. Their primary keys stay: other tables refer to them. */
const BULK_TABLES = ['people', 'stage_transitions'];

/** Below this many new people an import is quick anyway, and not worth locking the tables for. */
export const BULK_MIN_ROWS = 50_000;

/**
 * Bulk mode pays off when the file brings at least as many new people as the table holds:
 * rebuilding the indexes then costs less than inserting into them one row at a time. Call it once
 * the staged rows are matched to existing people.
 */
export async function worthBulkLoading(session: DbSession, minRows = BULK_MIN_ROWS): Promise<boolean> {
  const [fresh] = await session.query<{ n: number }>(
    `SELECT count(*)::float8 AS n FROM import_rows r
     WHERE r.superseded_by IS NULL AND NOT EXISTS (SELECT 1 FROM import_matches m WHERE m.line = r.line)`,
  );
  const newPeople = fresh?.n ?? 0;
  if (newPeople < minRows) return false;
  // The planner's estimate is enough to compare sizes; it is -1 before a table was ever analysed.
  const [row] = await session.query<{ estimate: number }>(
    `SELECT reltuples::float8 AS estimate FROM pg_class WHERE oid = 'people'::regclass`,
  );
  const estimate = row?.estimate ?? -1;
  if (estimate >= 0) return estimate <= newPeople;
  const [exact] = await session.query<{ n: number }>('SELECT count(*)::float8 AS n FROM people');
  return (exact?.n ?? 0) <= newPeople;
}

interface Deferred {
  drop: string;
  create: string;
}

/**
 * Takes the tables until the transaction ends, before anything is written to them. Readers wait
 * until the import commits: a bulk load is for filling a workspace, not for busy hours.
 */
export async function lockForBulkLoad(session: DbSession): Promise<void> {
  await session.query(`LOCK TABLE ${BULK_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

/**
 * Drops the tables' secondary indexes, unique constraints and foreign keys, returning the
 * statements that put them back exactly as they were defined.
 */
export async function deferIndexes(session: DbSession): Promise<Deferred[]> {
  const constraints = await session.query<{ table_name: string; name: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c
     WHERE c.conrelid = ANY($1::regclass[]) AND c.contype IN ('u', 'f')
     ORDER BY c.contype DESC, c.conname`,
    [BULK_TABLES],
  );
  const indexes = await session.query<{ table_name: string; name: string; definition: string }>(
    `SELECT i.indrelid::regclass::text AS table_name, i.indexrelid::regclass::text AS name,
            pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 2`,
    [BULK_TABLES],
  );
  const deferred: Deferred[] = [
    ...constraints.map((c) => ({
      drop: `ALTER TABLE ${c.table_name} DROP CONSTRAINT ${quoteIdent(c.name)}`,
      create: `ALTER TABLE ${c.table_name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
    })),
    ...indexes.map((i) => ({ drop: `DROP INDEX ${i.name}`, create: i.definition })),
  ];
  for (const item of deferred) await session.query(item.drop);
  return deferred;
}

/**
 * Builds the indexes and unique constraints by sorting once, then checks every foreign key with
 * one join each. A duplicate that slipped in fails here with a unique violation, and the caller's
 * rollback restores everything.
 */
export async function restoreIndexes(session: DbSession, deferred: Deferred[]): Promise<void> {
  await session.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  const foreignKeys = (statement: string) => statement.includes(' FOREIGN KEY ');
  for (const item of deferred.filter((d) => !foreignKeys(d.create))) await session.query(item.create);
  for (const item of deferred.filter((d) => foreignKeys(d.create))) await session.query(item.create);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
