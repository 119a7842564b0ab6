import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * The path with its symbolic links resolved, as far as it exists: the embedded database cannot
 * open a directory through a link (a data directory moved to another disk and linked back).
 */
function withoutLinks(dir: string): string {
  const parent = path.dirname(dir);
  if (fs.existsSync(dir)) return fs.realpathSync(dir);
  return parent === dir ? dir : path.join(withoutLinks(parent), path.basename(dir));
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('0 picks a free port'),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  LOCKSTEP_DATA_DIR: z.string().min(1).default('./data'),
  LOCKSTEP_DEMO: booleanFromEnv.optional(),
  LOCKSTEP_DEMO_DEFINITION: booleanFromEnv.default(true),
  LOCKSTEP_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  LOCKSTEP_SECURE_COOKIES: booleanFromEnv.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOCKSTEP_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'must look like smtp://user:password@host:port (or smtps://)')
    .optional(),
  LOCKSTEP_MAIL_FROM: z.string().min(3).optional().describe('the From address of notification emails'),
  LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('changes (or records, on a first count) from which reports recount in the background'),
  LOCKSTEP_IMPORT_MAX_MB: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024)
    .describe('the largest CSV file the web app and the API accept for an import, in MB'),
});

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  seedDemo: boolean;
  /** The demo comes with a lead definition in force; false starts it with none agreed yet. */
  demoDefinition: boolean;
  demoAdminPassword: string | undefined;
  secureCookies: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Where notification emails go out; without it email is skipped and the delivery log says so. */
  smtp?: { url: string; from: string };
  /**
   * From how many stage moves and changes (or records, on a first count) the reports recount in the
   * background job; unset: 100,000 for leads, 20,000 for deals.
   */
  recountInBackgroundFrom?: number;
  /** The largest file an upload may bring (the CLI has no limit). */
  importMaxBytes: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as shells and .env files use it.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Lockstep cannot start: some settings are wrong.\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : {
        kind: 'pglite',
        // memory:// is an in-memory database (tests); anything else is a directory.
        dataDir: e.LOCKSTEP_DATA_DIR.startsWith('memory://')
          ? e.LOCKSTEP_DATA_DIR
          : withoutLinks(path.resolve(e.LOCKSTEP_DATA_DIR)),
      };
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    // The demo workspace is for trying Lockstep: on by default on the embedded database only.
    seedDemo: e.LOCKSTEP_DEMO ?? database.kind === 'pglite',
    demoDefinition: e.LOCKSTEP_DEMO_DEFINITION,
    demoAdminPassword: e.LOCKSTEP_ADMIN_PASSWORD,
    secureCookies: e.LOCKSTEP_SECURE_COOKIES,
    logLevel: e.LOG_LEVEL,
    importMaxBytes: e.LOCKSTEP_IMPORT_MAX_MB * 1_048_576,
    ...(e.LOCKSTEP_SMTP_URL ? { smtp: { url: e.LOCKSTEP_SMTP_URL, from: mailFrom(e) } } : {}),
    ...(e.LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM
      ? { recountInBackgroundFrom: e.LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM }
      : {}),
  };
}

function mailFrom(e: z.infer<typeof envSchema>): string {
  if (e.LOCKSTEP_MAIL_FROM) return e.LOCKSTEP_MAIL_FROM;
  throw new ConfigError(
    'Lockstep cannot start: some settings are wrong.\n  LOCKSTEP_MAIL_FROM: required with LOCKSTEP_SMTP_URL, e.g. "Lockstep <lockstep@example.com>"',
  );
}

/** Where a person should look, in words, for the database a config points at. */
/** Why PostgreSQL cannot be reached or entered with DATABASE_URL: a setting to fix, not a bug. */
export class DatabaseUnreachableError extends Error {}

/** Connection refused, unknown host, no such database, wrong password, starting up. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '3D000',
  '28P01',
  '28000',
  '57P03',
]);

/** `error`, as thrown while opening `database`, in words when it says PostgreSQL cannot be reached. */
export function unreachableDatabase(
  error: unknown,
  database: DatabaseConfig,
): DatabaseUnreachableError | undefined {
  const cause = ((error as { cause?: unknown })?.cause ?? error) as { code?: unknown; message?: unknown };
  if (database.kind !== 'postgres' || typeof cause?.code !== 'string' || !UNREACHABLE.has(cause.code))
    return undefined;
  return new DatabaseUnreachableError(
    `Lockstep cannot use the ${describeDatabase(database)}: ${String(cause.message)}.\n` +
      'Check DATABASE_URL (host, port, database name, user and password) and that PostgreSQL is running; ' +
      '`npx lockstep doctor` checks the whole set-up.',
    { cause: error },
  );
}

export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'pglite') return `embedded database at ${database.dataDir}`;
  const url = new URL(database.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
