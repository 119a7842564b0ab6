// Reads config, opens the database, builds the app, starts serving; nothing else.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp, redactedPaths } from './app.ts';
import {
  ConfigError,
  DatabaseUnreachableError,
  describeDatabase,
  loadConfig,
  unreachableDatabase,
} from './config.ts';
import { HalfCreatedDatabaseError, openDatabase } from './db/client.ts';
import { DatabaseLockedError } from './db/lock.ts';
import { migrateDatabase } from './db/migrate.ts';
import { createDeps } from './deps.ts';
import type { AppDeps } from './http/types.ts';
import { needsSetup } from './modules/auth/auth.service.ts';
import { hashPassword } from './modules/auth/password.ts';
import { DEMO_ADMIN_EMAIL } from './modules/demo/demo.constants.ts';
import { seedDemoWorkspace } from './modules/demo/demo.seed.ts';
import { loadLifecycle } from './modules/lifecycle/lifecycle.config.ts';
import { systemClock } from './shared/clock.ts';
import { PortInUseError, portIsFree } from './shared/port.ts';

export interface RunningLockstep {
  url: string;
  stop(): Promise<void>;
}

export async function startLockstep(options: { env?: NodeJS.ProcessEnv } = {}): Promise<RunningLockstep> {
  const config = loadConfig(options.env ?? process.env);
  // Before the database is opened or the demo seeded (and its password made, to be shown once).
  if (!(await portIsFree(config.port, config.host))) throw new PortInUseError(config.port, config.host);
  const database = await openDatabase(config.database, 'server');
  let deps: AppDeps | undefined;
  try {
    await migrateDatabase(database).catch((error: unknown) => {
      throw unreachableDatabase(error, config.database) ?? error;
    });
    const logger = pino({ level: config.logLevel, redact: { paths: redactedPaths, censor: '[redacted]' } });
    deps = await createDeps({
      config,
      database,
      clock: systemClock,
      lifecycle: loadLifecycle(),
      onJobError: (error) => logger.error({ err: error }, 'background job failed'),
    });
    const demo = config.seedDemo ? await seedDemo(deps) : undefined;
    const app = await buildApp(deps, { loggerInstance: logger });
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    database.lock?.update({ url });
    app.log.info({ url, database: describeDatabase(config.database) }, 'Lockstep is running');
    process.stdout.write(await greeting(deps, url, demo));
    return {
      url,
      async stop() {
        await app.close();
        // Webhooks and emails already on their way finish before the queue and database close.
        await deps?.notifier.settled();
        await deps?.jobs.stop();
        await database.close();
      },
    };
  } catch (error) {
    await deps?.jobs.stop();
    await database.close();
    throw error;
  }
}

/** Seeds the demo workspace into an empty database; whether it was seeded, and the password to show if it was made. */
async function seedDemo(deps: Pick<AppDeps, 'database' | 'config' | 'clock' | 'lifecycle'>) {
  const password = deps.config.demoAdminPassword ?? randomBytes(12).toString('base64url');
  const result = await seedDemoWorkspace(deps.database, {
    now: deps.clock.now(),
    passwordHash: await hashPassword(password),
    lifecycle: deps.lifecycle,
    definition: deps.config.demoDefinition,
  });
  return { seeded: result.seeded, password: deps.config.demoAdminPassword ? undefined : password };
}

/** What the terminal says once the server listens: how to get in. Never the log: a password may be in it. */
async function greeting(
  deps: AppDeps,
  url: string,
  demo: { seeded: boolean; password: string | undefined } | undefined,
) {
  if (demo?.seeded) {
    const password = demo.password
      ? `${demo.password}   (the same for every demo user)\nThis password is shown only now; keep it.`
      : 'the one in LOCKSTEP_ADMIN_PASSWORD (the same for every demo user)';
    return (
      `\nThe demo workspace is ready. Open ${url} and sign in as\n` +
      `  email:    ${DEMO_ADMIN_EMAIL}   (admin; or maya.lindqvist@demo.lockstep.dev for marketing,\n` +
      '            rachel.kim@demo.lockstep.dev for the sales manager, leo.martins@demo.lockstep.dev for\n' +
      '            a sales rep with MQLs in My queue, alex.morgan@demo.lockstep.dev to only read)\n' +
      `  password: ${password}\n\n`
    );
  }
  if (await needsSetup(deps)) return `\nLockstep is running. Open ${url} to create the first admin.\n\n`;
  return `\nLockstep is running at ${url}\n\n`;
}

async function main() {
  try {
    const running = await startLockstep();
    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof DatabaseUnreachableError ||
      error instanceof PortInUseError ||
      error instanceof DatabaseLockedError ||
      error instanceof HalfCreatedDatabaseError
    ) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
