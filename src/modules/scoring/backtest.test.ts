// A backtest counts the leads a version would have made MQLs at any moment of the period, not by their
// score at its end: engagement decays, and a lead that asked for a demo in July scores little by October.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { fixedClock } from '../../shared/clock.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/databases.ts';
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import { backtestDefinition } from './backtest.service.ts';
import { leadDefinitionSchema } from './definition.schema.ts';

const at = (day: string) => new Date(`${day}T12:00:00Z`);
const period = { from: new Date('2026-07-01T00:00:00Z'), to: new Date('2026-10-01T00:00:00Z') };
const inForce = leadDefinitionSchema.parse({
  fit: {
    rules: [{ id: 'saas', field: 'account.industry', op: 'equals', value: 'SaaS', points: 30 }],
    gradeCutoffs: { A: 30, B: 20, C: 10 },
  },
  engagement: {
    rules: [
      { id: 'demo', activityType: 'form_submit', where: { property: 'form', contains: 'demo' }, points: 40 },
      { id: 'webinar', activityType: 'webinar', points: 30 },
      {
        id: 'careers',
        activityType: 'page_view',
        where: { property: 'path', contains: '/careers' },
        points: -40,
        withinDays: 14,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 25 },
});
const stricter = { ...inForce, mql: { minGrade: 'B' as const, minEngagement: 35 } };

describe.each(databaseKinds)('backtesting a version on %s', (kind) => {
  let testDatabase: TestDatabase;
  let database: Database;

  const addLead = async (
    email: string,
    createdAt: Date,
    activities: [type: string, properties: object, occurredAt: Date][],
    industry = 'SaaS',
  ) => {
    const [person] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO people (email, account_id, stage, created_at)
          SELECT ${email}, id, 'new', ${createdAt} FROM accounts WHERE industry = ${industry} RETURNING id`,
    );
    for (const [type, properties, occurredAt] of activities)
      await database.db.execute(sql`INSERT INTO activities (person_id, type, occurred_at, properties)
        VALUES (${person!.id}, ${type}, ${occurredAt}, ${JSON.stringify(properties)}::jsonb)`);
    return person!.id;
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config, 'test');
    await migrateDatabase(database);
    await database.db.execute(
      sql`INSERT INTO accounts (name, industry) VALUES ('Acme', 'SaaS'), ('Shop', 'Retail')`,
    );
    await database.db.execute(sql`
      INSERT INTO lead_definitions (version, rules, published_at, effective_from)
      VALUES (1, ${JSON.stringify(inForce)}::jsonb, ${at('2026-01-01')}, ${at('2026-01-01')}),
             (2, ${JSON.stringify(stricter)}::jsonb, NULL, NULL)`);

    // Asked for a demo on 5 July (40 points; 5.2 by October), and was won.
    const july = await addLead('july@acme.example', at('2026-07-05'), [
      ['form_submit', { form: 'demo_request' }, at('2026-07-05')],
    ]);
    for (const [to, day] of [
      ['mql', '2026-07-05'],
      ['sal', '2026-07-06'],
      ['sql', '2026-07-20'],
      ['opportunity', '2026-08-01'],
      ['won', '2026-09-10'],
    ] as const)
      await moveLead(
        { db: database.db, clock: fixedClock(at(day)), lifecycle: defaultLifecycle },
        { personId: july, to, actor: null, rule: 'test' },
      );
    // Two webinars and a look at the careers page on 1 August: 20 that day, 43.4 once the careers
    // view leaves its 14-day window, 14.6 by October.
    await addLead('careers@acme.example', at('2026-08-01'), [
      ['webinar', {}, at('2026-08-01')],
      ['webinar', {}, at('2026-08-01')],
      ['page_view', { path: '/careers' }, at('2026-08-01')],
    ]);
    // One webinar on 10 August: 30 that day (enough for version 1, not for 35), 9 by October.
    await addLead('webinar@acme.example', at('2026-08-10'), [['webinar', {}, at('2026-08-10')]]);
    // A demo request at a retailer (grade D): never an MQL.
    await addLead(
      'shop@shop.example',
      at('2026-08-12'),
      [['form_submit', { form: 'demo' }, at('2026-08-12')]],
      'Retail',
    );
    // Came in before the period: not one of its leads.
    await addLead('june@acme.example', at('2026-06-20'), [
      ['form_submit', { form: 'demo' }, at('2026-06-20')],
    ]);
    // A demo request after the period ends does not count.
    await addLead('late@acme.example', at('2026-09-30'), [
      ['form_submit', { form: 'demo' }, at('2026-10-02')],
    ]);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('counts every lead that met the version at some moment of the period, and what became of it', async () => {
    const deps = { db: database.db, clock: fixedClock(at('2026-11-15')), lifecycle: defaultLifecycle };
    const backtest = await backtestDefinition(deps, { version: 2, ...period });
    expect(backtest.leads).toBe(5);
    expect(backtest.inForce).toEqual({ version: 1, mqls: 3, accepted: 1, sql: 1, won: 1 });
    expect(backtest.candidate).toEqual({ version: 2, mqls: 2, accepted: 1, sql: 1, won: 1 });
    expect(backtest.movedIn).toEqual({ count: 0, sample: [] });
    expect(backtest.movedOut).toEqual({
      count: 1,
      sample: [{ id: expect.any(String), email: 'webinar@acme.example', stage: 'new' }],
    });
  });
});
