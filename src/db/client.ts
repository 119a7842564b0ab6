import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseConfig } from '../config.ts';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** One connection held for a sequence of statements (temporary tables, COPY, a transaction). */
export interface DbSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Streams CSV text into `COPY <target> FROM STDIN (FORMAT csv)`; chunks should be a few MB at most. */
  copyCsv(target: string, chunks: AsyncIterable<string>): Promise<void>;
  /**
   * Runs `work` in one transaction on this connection: committed when it returns, rolled back when
   * it throws. On PGlite nobody else's statements run until it ends (they would land in it).
   */
  transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  /** The underlying connection, for libraries that bring their own SQL (the job queue). */
  connection: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; url: string };
  db: Db;
  rows<T>(query: SQL): Promise<T[]>;
  withSession<T>(work: (session: DbSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  lock?: DataDirLock;
}

// A file written once the embedded database was created and migrated completely.
const READY_MARKER = '.lockstep-ready';

export class HalfCreatedDatabaseError extends Error {}

export async function openDatabase(config: DatabaseConfig, purpose = 'server'): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config.url) : openPglite(config.dataDir, purpose);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A process that dies while a statement of its waits (for a lock, on a long count) has that
    // statement ended within seconds, instead of when the lock is free or the count done: PostgreSQL
    // otherwise notices a closed connection only when it next writes to it. Version 14 and later.
    // pg-pool waits for this before it hands the connection out; a server that refuses it only
    // goes without the check.
    onConnect: async (client) => {
      await client
        .query(
          `SELECT CASE WHEN current_setting('server_version_num')::int >= 140000
                  THEN set_config('client_connection_check_interval', '2s', false) END`,
        )
        .catch(() => {});
    },
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    connection: { kind: 'postgres', url },
    db,
    rows: async <T>(query: SQL) => await queryRows<T>(db, query),
    async withSession(work) {
      const client = await pool.connect();
      const session: DbSession = {
        query: async <T>(text: string, params?: unknown[]) =>
          (await client.query(text, params as unknown[])).rows as T[],
        copyCsv: async (target, chunks) => {
          const sink = client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT csv)`));
          await pipeline(Readable.from(chunks), sink);
        },
        async transaction(work) {
          await client.query('BEGIN');
          try {
            const result = await work(session);
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        },
      };
      try {
        return await work(session);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string, purpose: string): Promise<Database> {
  const isMemory = dataDir.startsWith('memory://');
  const lock = isMemory ? undefined : acquireDataDirLock(dataDir, purpose);
  let client: PGlite;
  try {
    if (!isMemory) assertNotHalfCreated(dataDir);
    client = await PGlite.create(isMemory ? undefined : dataDir);
    if (!isMemory) fs.writeFileSync(path.join(dataDir, READY_MARKER), new Date().toISOString());
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    connection: { kind: 'pglite', client },
    db,
    lock,
    rows: async <T>(query: SQL) => await queryRows<T>(db, query),
    // PGlite has one connection, so a session is that connection. Outside a transaction, statements
    // of other callers may interleave, which is harmless for the temporary tables and COPYs sessions
    // are used for; a session's transaction holds PGlite's transaction lock, so others wait for it.
    withSession: (work) => work(pgliteSession(client)),
    async close() {
      try {
        if (!client.closed) {
          await client.exec('CHECKPOINT');
          await client.close();
        }
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * A session on PGlite's one connection, or (with `tx`) inside one of its transactions. PGlite runs
 * each statement on this thread, so a session's long chain of statements (an import, a re-scoring)
 * would keep the server from answering anyone until it ends: after each statement it lets the
 * requests waiting meanwhile in.
 */
function pgliteSession(client: PGlite, tx?: Transaction): DbSession {
  const connection = tx ?? client;
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      const { rows } = await connection.query<T>(text, params as unknown[]);
      await setImmediatePromise();
      return rows;
    },
    copyCsv: async (target, chunks) => {
      for await (const chunk of chunks) {
        await connection.query(`COPY ${target} FROM '/dev/blob' (FORMAT csv)`, [], {
          blob: new Blob([chunk]),
        });
      }
    },
    transaction: (work) => {
      if (tx) throw new Error('A session transaction cannot be nested.');
      return client.transaction((inner) => work(pgliteSession(client, inner)));
    },
  };
}

function assertNotHalfCreated(dataDir: string): void {
  if (!fs.existsSync(dataDir)) return;
  const entries = fs.readdirSync(dataDir);
  if (entries.length === 0 || entries.includes(READY_MARKER)) return;
  throw new HalfCreatedDatabaseError(
    `The embedded database at ${dataDir} was never completely created (the first start was ` +
      'interrupted), so it cannot be opened safely.\n' +
      `If you have no data in it yet, remove it and start again:  rm -rf ${dataDir}`,
  );
}

const TIMESTAMP_TYPES = new Set([1114, 1184]); // timestamp, timestamptz

/** The SQLSTATE of a database error (as thrown, or as the cause of a query builder's error). */
export function databaseErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown }).cause ?? error;
  return (cause as { code?: string }).code;
}

/** Whether a database error is a unique-key violation (two writers raced for the same key). */
export function isUniqueViolation(error: unknown): boolean {
  return databaseErrorCode(error) === '23505';
}

/**
 * Runs SQL and returns its rows, the same on PGlite and node-postgres. Drizzle hands raw
 * queries' timestamps back as text; they are turned into Dates here, by column type.
 */
export async function queryRows<T = unknown>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as QueryResult;
  return withDates(result) as T[];
}

const dialect = new PgDialect();

/** Ids as one uuid[] parameter: one text of ids joined by commas, however many ids there are. */
export const uuidArray = (ids: string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

/** Texts as one text[] parameter, whatever they contain (commas too). */
export const textArray = (values: readonly string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/**
 * A statement run for every request (live scoring), built once: its text, and where the values that
 * change from one run to the next go among its parameters.
 */
export interface CompiledStatement {
  name: string;
  text: string;
  params: unknown[];
  /** For each parameter that changes per run, which of the run's values it takes. */
  slots: [param: number, value: number][];
}

/**
 * Compiles a statement once. `standIns` are the values the query was built with in place of those
 * that change per run (compared by identity: a unique string or object each); runCompiled puts the
 * run's values in their place.
 */
export function compileStatement(query: SQL, standIns: unknown[]): CompiledStatement {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const slots = params.flatMap((param, i) => {
    const value = standIns.indexOf(param);
    return value === -1 ? [] : [[i, value] as [number, number]];
  });
  const name = `lockstep_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  return { name, text, params, slots };
}

/**
 * Runs a compiled statement with this run's values. On PostgreSQL it is prepared once per connection,
 * named by its text, so PostgreSQL does not plan it again each time: meant for statements whose best
 * plan does not depend on the values (one lead, not a batch of thousands).
 */
export async function runCompiled<T = unknown>(
  db: Db,
  statement: CompiledStatement,
  values: unknown[],
): Promise<T[]> {
  const params = [...statement.params];
  for (const [param, value] of statement.slots) params[param] = values[value];
  const client = (db as unknown as { $client: unknown }).$client;
  const result =
    client instanceof pg.Pool
      ? await client.query({ name: statement.name, text: statement.text, values: params })
      : await (client as PGlite).query(statement.text, params, { rowMode: 'object' });
  return withDates(result as unknown as QueryResult) as T[];
}

interface QueryResult {
  rows: Record<string, unknown>[];
  fields?: { name: string; dataTypeID: number }[];
}

function withDates(result: QueryResult): Record<string, unknown>[] {
  const timestampColumns = (result.fields ?? [])
    .filter((f) => TIMESTAMP_TYPES.has(f.dataTypeID))
    .map((f) => f.name);
  if (timestampColumns.length > 0) {
    for (const row of result.rows) {
      for (const column of timestampColumns) {
        const value = row[column];
        if (typeof value === 'string')
          row[column] = new Date(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
      }
    }
  }
  return result.rows;
}
