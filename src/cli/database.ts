import { ConfigError, loadConfig } from '../config.ts';
import { type Database, HalfCreatedDatabaseError, openDatabase } from '../db/client.ts';
import { DatabaseLockedError } from '../db/lock.ts';
import { migrateDatabase } from '../db/migrate.ts';

/** A problem the person at the terminal can fix: printed as is, without a stack trace. */
export class CliError extends Error {}

/** Opens the same database as the server (LOCKSTEP_DATA_DIR or DATABASE_URL), migrated. */
export async function openForCli(purpose: string): Promise<Database> {
  try {
    const database = await openDatabase(loadConfig().database, purpose);
    await migrateDatabase(database);
    return database;
  } catch (error) {
    if (
      error instanceof ConfigError ||
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
