// Two app servers over one PostgreSQL database run the SLA scheduler side by side: each breach is
// alerted once, whether the queue hands the timer to one of them or both run it at the same moment.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { createDeps } from '../../deps.ts';
import type { AppDeps } from '../../http/types.ts';
import { type Clock, fixedClock, systemClock } from '../../shared/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import type { Principal } from '../auth/access.ts';
import { createUser } from '../auth/auth.service.ts';
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import type { Notification } from '../notifications/notifications.service.ts';
import { upsertPerson } from '../people/people.service.ts';
import { updateRepSettings } from '../routing/routing.service.ts';
import { createPolicy, SLA_TIMER_JOB, slaTimerJob } from './sla.service.ts';

const sent = vi.hoisted(() => [] as Notification[]);
vi.mock('../notifications/notifications.service.ts', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  notify: async (_deps: unknown, notification: Notification) => {
    sent.push(notification);
  },
}));

const admin: Principal = { kind: 'user', userId: null, name: 'Test', team: 'sales', role: 'admin' };

interface Instance {
  database: Database;
  deps: AppDeps;
}

async function startInstance(testDatabase: TestDatabase, clock: Clock): Promise<Instance> {
  const database = await openDatabase(testDatabase.config, 'test');
  await migrateDatabase(database);
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    database: testDatabase.config,
    seedDemo: false,
    demoAdminPassword: undefined,
    secureCookies: false,
    logLevel: 'silent',
  } as Config;
  const deps = await createDeps({ config, database, clock, lifecycle: defaultLifecycle });
  return { database, deps };
}

async function stopInstance(instance: Instance | undefined) {
  await instance?.deps.jobs.stop();
  await instance?.database.close();
}

/** A rep working around the clock (so working minutes are wall-clock minutes) and a policy. */
async function setUp(deps: AppDeps, minutes: number) {
  const rep = await createUser(deps, {
    name: 'Rita',
    email: `rita${Math.random()}@x.test`,
    team: 'sales',
    role: 'sales',
  });
  await updateRepSettings(
    deps,
    rep.id,
    { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], workStart: '00:00', workEnd: '24:00' },
    admin,
  );
  await createPolicy(deps, {
    name: 'Fast',
    grade: null,
    acceptWithinMinutes: minutes,
    firstTouchWithinMinutes: minutes,
    escalateAfterMinutes: 10_000,
    reassignOnEscalation: false,
  });
  return rep.id;
}

async function makeMqls(deps: AppDeps, count: number) {
  for (let i = 0; i < count; i++) {
    const { person } = await upsertPerson(deps, { email: `lead${i}.${Math.random()}@x.test` }, null);
    await moveLead(deps, { personId: person.id, to: 'mql', actor: null });
  }
}

const breachKeys = () => sent.filter((n) => n.event === 'sla.breached').map((n) => n.dedupeKey);

describe('two app instances on one PostgreSQL database', () => {
  describe('both run the timer handler at the same moment', () => {
    let testDatabase: TestDatabase;
    let a: Instance | undefined;
    let b: Instance | undefined;
    const clock = fixedClock(new Date('2027-03-02T10:00:00Z')); // future: the queue itself waits
    beforeAll(async () => {
      testDatabase = await createTestDatabase('postgres');
      a = await startInstance(testDatabase, clock);
      b = await startInstance(testDatabase, clock);
    });
    afterAll(async () => {
      await stopInstance(a);
      await stopInstance(b);
      await testDatabase?.drop();
    });

    it('alerts each breach once', async () => {
      await setUp(a!.deps, 30);
      await makeMqls(a!.deps, 4);
      const timers = await a!.database.rows<{ id: string }>(sql`SELECT id FROM sla_timers ORDER BY id`);
      expect(timers).toHaveLength(8);
      clock.advance(31 * 60_000);
      sent.length = 0;
      const onA = slaTimerJob(async () => a!.deps);
      const onB = slaTimerJob(async () => b!.deps);
      expect(onA.name).toBe(SLA_TIMER_JOB);
      await Promise.all(
        timers.flatMap((timer) => [onA.handle({ timerId: timer.id }), onB.handle({ timerId: timer.id })]),
      );
      // And once more each, as a redelivery would.
      await Promise.all(timers.map((timer) => onB.handle({ timerId: timer.id })));
      expect(breachKeys().sort()).toEqual(timers.map((timer) => `breach:${timer.id}`).sort());
    });
  });

  describe('the queue delivers due timers to either instance', () => {
    let testDatabase: TestDatabase;
    let a: Instance | undefined;
    let b: Instance | undefined;
    beforeAll(async () => {
      testDatabase = await createTestDatabase('postgres');
      a = await startInstance(testDatabase, systemClock);
      b = await startInstance(testDatabase, systemClock);
    });
    afterAll(async () => {
      await stopInstance(a);
      await stopInstance(b);
      await testDatabase?.drop();
    });

    it('fires every timer once on the real clock', async () => {
      sent.length = 0;
      await setUp(a!.deps, 0.05); // 3 seconds
      await makeMqls(b!.deps, 3);
      const deadline = Date.now() + 30_000;
      let fired = 0;
      while (Date.now() < deadline) {
        const [row] = await a!.database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM sla_timers WHERE notified_at IS NOT NULL`,
        );
        fired = row?.n ?? 0;
        if (fired === 6) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect(fired).toBe(6);
      const keys = breachKeys();
      expect(keys).toHaveLength(6);
      expect(new Set(keys).size).toBe(6);
    }, 60_000);
  });
});
