// Builds the real app on a fresh test database, with helpers to act as each role.
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createDeps } from '../deps.ts';
import type { App, AppDeps } from '../http/types.ts';
import type { Role } from '../modules/auth/access.ts';
import { createApiToken, createUser } from '../modules/auth/auth.service.ts';
import { defaultLifecycle } from '../modules/lifecycle/lifecycle.config.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { createTestDatabase, type TestDatabaseKind } from './databases.ts';

export interface TestApp {
  app: App;
  deps: AppDeps;
  database: Database;
  /** Authorization headers for a token of this role (made once per role). */
  as(role: Role, team?: 'marketing' | 'sales'): Promise<Record<string, string>>;
  /** A session cookie for a new person with this role, signed in through the API as the web app does. */
  signedIn(
    role: Role,
    team: 'marketing' | 'sales',
    name: string,
    options?: { approver?: boolean },
  ): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function createTestApp(
  kind: TestDatabaseKind,
  options: { clock?: Clock; importMaxBytes?: number } = {},
): Promise<TestApp> {
  const testDatabase = await createTestDatabase(kind);
  const database = await openDatabase(testDatabase.config, 'test');
  await migrateDatabase(database);
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    database: testDatabase.config,
    seedDemo: false,
    demoDefinition: true,
    demoAdminPassword: undefined,
    secureCookies: false,
    logLevel: 'silent',
    importMaxBytes: options.importMaxBytes ?? 1_073_741_824,
  };
  const deps = await createDeps({
    config,
    database,
    clock: options.clock ?? systemClock,
    lifecycle: defaultLifecycle,
  });
  const app = await buildApp(deps, { logger: process.env.TEST_LOG ? { level: 'error' } : false });
  const tokens = new Map<string, string>();
  return {
    app,
    deps,
    database,
    async as(role, team = role === 'marketing' ? 'marketing' : 'sales') {
      const key = `${role}/${team}`;
      if (!tokens.has(key)) {
        const user = await createUser(deps, {
          name: `Test ${key}`,
          email: `${role}.${team}@test.dev`,
          team,
          role,
        });
        const { token } = await createApiToken(deps, { name: `test ${key}`, role, team, createdBy: user.id });
        tokens.set(key, token);
      }
      return { authorization: `Bearer ${tokens.get(key)}` };
    },
    async signedIn(role, team, name, { approver = false } = {}) {
      const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.dev`;
      await createUser(deps, { name, email, team, role, approver, password: 'a-test-password' });
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email, password: 'a-test-password' },
      });
      const cookie = response.cookies.find((c) => c.name === 'lockstep_session');
      if (!cookie) throw new Error(`sign-in failed: ${response.body}`);
      return { cookie: `lockstep_session=${cookie.value}` };
    },
    async close() {
      await app.close();
      await deps.jobs.stop();
      await database.close();
      await testDatabase.drop();
    },
  };
}
