import { ConfigError, DatabaseUnreachableError, loadConfig, unreachableDatabase } from '../config.ts';
import { type Database, HalfCreatedDatabaseError, openDatabase } from '../db/client.ts';
import { DatabaseLockedError } from '../db/lock.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { loadLifecycle } from '../modules/lifecycle/lifecycle.config.ts';
import { systemClock } from '../shared/clock.ts';

/** A problem the person at the terminal can fix: printed as is, without a stack trace. */
export class CliError extends Error {}

/** Opens the same database as the server (LOCKSTEP_DATA_DIR or DATABASE_URL), migrated. */
export async function openForCli(purpose: string): Promise<Database> {
  try {
    const config = loadConfig();
    try {
      const database = await openDatabase(config.database, purpose);
      await migrateDatabase(database);
      return database;
    } catch (error) {
      throw unreachableDatabase(error, config.database) ?? error;
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof DatabaseUnreachableError ||
      error instanceof DatabaseLockedError ||
      error instanceof HalfCreatedDatabaseError
    ) {
      throw new CliError(error.message, { cause: error });
    }
    throw error;
  }
}

/** The address of the running server that holds the embedded database, when that is why `error` was thrown. */
export function serverHolding(error: unknown): string | undefined {
  const cause = error instanceof CliError ? error.cause : undefined;
  return cause instanceof DatabaseLockedError && cause.holder.purpose === 'server'
    ? cause.holder.url
    : undefined;
}

export async function withDatabase<T>(purpose: string, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openForCli(purpose);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/**
 * What the reports need from the CLI: the database, the lifecycle and the clock. The CLI has no job
 * queue to leave a large count to (a first count after a bulk import: minutes for a million leads),
 * so it counts and waits, and says so first.
 */
export function reportDeps(database: Database) {
  return {
    db: database.db,
    lifecycle: loadLifecycle(),
    clock: systemClock,
    onLargeCount: (pending: number) =>
      process.stderr.write(
        `Counting the reports first, after a large change (${pending.toLocaleString('en-US')} records or changes ` +
          'to count): a minute or two for a million, once; the reports after it are quick.\n',
      ),
  };
}
