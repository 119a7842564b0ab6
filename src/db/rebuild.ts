// Rebuilding large derived tables beside the live ones, then swapping them in. Rewriting a table in
// place (delete everything, insert everything) makes every new row check its key against the
// deleted ones, which the same transaction still holds; a table written fresh, its keys built once
// at the end, takes half the time. Readers keep reading the live tables meanwhile and wait only for
// the swap, at the end of the rebuilding transaction.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { type Db, databaseErrorCode, queryRows } from './client.ts';

/** The name a table is rebuilt under until the swap. */
export const rebuiltName = (table: string): string => `${table}_next`;

const LOCK_NOT_AVAILABLE = '55P03';
/** How long the swap retries taking its locks without waiting before it queues for them. */
const LOCK_ATTEMPTS = 100;
const LOCK_RETRY_MS = 100;

/** Creates each table's empty rebuild: its columns, defaults and checks, without keys or indexes. */
export async function createRebuilt(tx: Db, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await tx.execute(
      sql`CREATE TABLE ${sql.identifier(rebuiltName(table))}
          (LIKE ${sql.identifier(table)} INCLUDING ALL EXCLUDING INDEXES)`,
    );
  }
}

interface Index {
  name: string;
  /** The constraint's definition (a key), or null for an index alone. */
  constraint: string | null;
  definition: string;
}

/** The keys and indexes of the live `table`, as they are defined. */
function indexesOf(tx: Db, table: string): Promise<Index[]> {
  return queryRows<Index>(
    tx,
    sql`SELECT coalesce(k.conname, c.relname) AS name, pg_get_constraintdef(k.oid) AS constraint,
               pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
        WHERE i.indrelid = ${table}::regclass
        ORDER BY c.relname`,
  );
}

/** The live tables rebuilt, each with its keys and indexes as they are defined. */
export type Rebuilt = Map<string, Index[]>;

/**
 * Gives each rebuilt table the keys and indexes of its live one, under rebuilt names (the live
 * names are taken until the swap); what it returns names them for swapInRebuilt.
 */
export async function indexRebuilt(tx: Db, tables: readonly string[]): Promise<Rebuilt> {
  const rebuilt: Rebuilt = new Map();
  for (const table of tables) {
    const next = sql.identifier(rebuiltName(table));
    const indexes = await indexesOf(tx, table);
    rebuilt.set(table, indexes);
    for (const index of indexes) {
      const name = sql.identifier(rebuiltName(index.name));
      if (index.constraint) {
        await tx.execute(sql`ALTER TABLE ${next} ADD CONSTRAINT ${name} ${sql.raw(index.constraint)}`);
      } else {
        // "CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING …": the same on the rebuilt table.
        const using = index.definition.slice(index.definition.indexOf(' USING '));
        const unique = index.definition.startsWith('CREATE UNIQUE') ? sql`UNIQUE ` : sql``;
        await tx.execute(sql`CREATE ${unique}INDEX ${name} ON ${next}${sql.raw(using)}`);
      }
    }
  }
  return rebuilt;
}

/** Statistics of rebuilt tables: for the plans of what reads them next, in the rebuild or after the swap. */
export async function analyzeRebuilt(tx: Db, tables: readonly string[]): Promise<void> {
  await tx.execute(
    sql`ANALYZE ${sql.join(
      tables.map((table) => sql.identifier(rebuiltName(table))),
      sql`, `,
    )}`,
  );
}

/**
 * Puts each rebuilt table in place of its live one, with the live one's key and index names. The
 * live tables are locked all at once without waiting (retried for about ten seconds, then queued
 * for): a swap that held one while it waited for another could deadlock with a reader that holds
 * that other and then asks for the first. Readers wait from the lock to the end of the transaction.
 */
export async function swapInRebuilt(tx: Db, rebuilt: Rebuilt): Promise<void> {
  const tables = [...rebuilt.keys()];
  const live = sql.join(
    tables.map((table) => sql.identifier(table)),
    sql`, `,
  );
  for (let attempt = 1; ; attempt++) {
    const last = attempt > LOCK_ATTEMPTS;
    try {
      await tx.transaction(async (savepoint) => {
        await savepoint.execute(
          sql`LOCK TABLE ${live} IN ACCESS EXCLUSIVE MODE ${last ? sql`` : sql`NOWAIT`}`,
        );
      });
      break;
    } catch (error) {
      if (last || databaseErrorCode(error) !== LOCK_NOT_AVAILABLE) throw error;
      await sleep(LOCK_RETRY_MS);
    }
  }
  await tx.execute(sql`DROP TABLE ${live}`);
  for (const table of tables) {
    await tx.execute(
      sql`ALTER TABLE ${sql.identifier(rebuiltName(table))} RENAME TO ${sql.identifier(table)}`,
    );
    for (const index of rebuilt.get(table) ?? []) {
      const [from, to] = [sql.identifier(rebuiltName(index.name)), sql.identifier(index.name)];
      await tx.execute(
        index.constraint
          ? sql`ALTER TABLE ${sql.identifier(table)} RENAME CONSTRAINT ${from} TO ${to}`
          : sql`ALTER INDEX ${from} RENAME TO ${to}`,
      );
    }
  }
}
