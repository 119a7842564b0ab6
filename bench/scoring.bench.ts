// The scoring benchmarks, on PostgreSQL, in one run on one machine (writes BENCHMARKS.md):
// 1. re-scoring every lead after a definition change, against one aggregate scan of the activities;
// 2. activities per second through the API with scoring on, against the same endpoint with no
//    definition in force; and the same with every new MQL routed to a rep in the request, as the
//    server does.
//
//   npm exec -- node bench/scoring.bench.ts [--leads 1000000] [--activities 10000000] [--events 3000]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.ts';
import type { Config } from '../src/config.ts';
import { openDatabase, queryRows } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import type { AppDeps } from '../src/http/types.ts';
import { createApiToken, createUser } from '../src/modules/auth/auth.service.ts';
import { defaultLifecycle } from '../src/modules/lifecycle/lifecycle.config.ts';
import { createNotifier } from '../src/modules/notifications/notifier.ts';
import { routeNewMqlsInWaves } from '../src/modules/routing/routing.service.ts';
import { backtestDefinition } from '../src/modules/scoring/backtest.service.ts';
import {
  proposeDefinition,
  publishDefinition,
  signDefinition,
} from '../src/modules/scoring/definitions.service.ts';
import { refreshLeadScores } from '../src/modules/scoring/refresh.job.ts';
import { rescoreAllLeads } from '../src/modules/scoring/rescoring.job.ts';
import { fixedClock, systemClock } from '../src/shared/clock.ts';
import { createTestDatabase } from '../src/test/databases.ts';
import { writeBenchmarkSection } from './benchmarks-file.ts';

const { values: args } = parseArgs({
  options: {
    leads: { type: 'string', default: '1000000' },
    activities: { type: 'string', default: '10000000' },
    events: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const leads = Number(args.leads);
const activityCount = Number(args.activities);
const events = Number(args.events);
const concurrency = Number(args.concurrency);
const LIVE_ROUNDS = 3;
const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await work();
  return [(performance.now() - start) / 1000, value];
}

const definition = {
  fit: {
    rules: [
      {
        id: 'software',
        field: 'account.industry',
        op: 'in' as const,
        values: ['Software', 'Fintech'],
        points: 25,
      },
      { id: 'mid-market', field: 'account.employees', op: 'range' as const, min: 200, max: 5000, points: 15 },
      { id: 'leader', field: 'person.title', op: 'contains' as const, value: 'Head', points: 10 },
      { id: 'paid', field: 'person.source', op: 'equals' as const, value: 'paid_search', points: 5 },
    ],
    gradeCutoffs: { A: 40, B: 25, C: 10 },
  },
  engagement: {
    rules: [
      {
        id: 'pricing',
        activityType: 'page_view',
        where: { property: 'path', contains: '/pricing' },
        points: 15,
        maxCount: 3,
      },
      { id: 'webinar', activityType: 'webinar', points: 30, maxCount: 2 },
      { id: 'click', activityType: 'email_click', points: 5, maxCount: 5 },
      {
        id: 'careers',
        activityType: 'page_view',
        where: { property: 'path', contains: '/careers' },
        points: -20,
      },
    ],
    halfLifeDays: 45,
  },
  mql: { minGrade: 'B' as const, minEngagement: 40 },
};

// Deterministic pseudo-random data made by PostgreSQL itself (fast, and the same every run).
async function generate(deps: AppDeps) {
  await deps.db.execute(sql`
    INSERT INTO accounts (name, domain, industry, employees)
    SELECT 'Account ' || i, 'account' || i || '.example',
           (ARRAY['Software', 'Fintech', 'Retail', 'Manufacturing', 'Health'])[1 + i % 5], (i * 37) % 10000
    FROM generate_series(1, 10000) i`);
  await deps.db.execute(sql`
    INSERT INTO people (email, title, source, account_id, stage, stage_entered_at, created_at)
    SELECT 'lead' || i || '@account' || (1 + i % 10000) || '.example',
           (ARRAY['Head of Sales', 'Engineer', 'CFO', 'Marketing Manager'])[1 + i % 4],
           (ARRAY['paid_search', 'organic_search', 'webinar', 'referral', 'social'])[1 + (i / 7) % 5],
           a.id, 'new', now() - interval '200 days', now() - interval '200 days'
    FROM generate_series(1, ${leads}) i
    JOIN accounts a ON a.domain = 'account' || (1 + i % 10000) || '.example'`);
  await deps.db.execute(sql`
    INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule)
    SELECT id, NULL, 'new', created_at, 'bench' FROM people`);
  await deps.db.execute(sql`
    WITH ids AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM people)
    INSERT INTO activities (person_id, type, occurred_at, properties)
    SELECT ids.id,
           (ARRAY['page_view', 'page_view', 'email_open', 'email_click', 'webinar', 'form_submit'])[1 + (g * 7 + g / 3) % 6],
           now() - ((g * 7919) % 180) * interval '1 day',
           jsonb_build_object('path', (ARRAY['/pricing', '/blog', '/careers', '/docs'])[1 + (g * 13) % 4])
    FROM generate_series(0::bigint, ${activityCount - 1}::bigint) g
    JOIN ids ON ids.n = 1 + (g * 2654435761 % ${leads})`);
  // Settle the fresh tables (visibility map, hint bits, statistics) and flush, so that neither the
  // baseline nor the re-scoring pays for the load that made the data.
  await deps.database.withSession((session) => session.query('VACUUM ANALYZE'));
  await deps.database.withSession((session) => session.query('CHECKPOINT'));
}

async function aggregateScan(deps: AppDeps): Promise<number> {
  const scan = () =>
    queryRows(deps.db, sql`SELECT count(*), sum(extract(epoch FROM occurred_at)) FROM activities`);
  await scan(); // warm the cache, as the re-scoring run will find it
  const [seconds] = await timed(scan);
  return seconds;
}

async function postActivities(
  url: string,
  token: string,
  personIds: string[],
  count: number,
): Promise<number> {
  let next = 0;
  const [seconds] = await timed(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          const response = await fetch(`${url}/api/activities`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              personId: personIds[i % personIds.length],
              type: i % 2 ? 'webinar' : 'page_view',
              occurredAt: new Date().toISOString(),
              properties: { path: '/pricing' },
            }),
          });
          if (response.status !== 201) throw new Error(`POST /api/activities answered ${response.status}`);
        }
      }),
    ),
  );
  return count / seconds;
}

const testDatabase = await createTestDatabase('postgres');
const database = await openDatabase(testDatabase.config, 'bench');
try {
  await migrateDatabase(database);
  const config = {
    port: 0,
    host: '127.0.0.1',
    database: testDatabase.config,
    seedDemo: false,
    logLevel: 'silent',
  } as Config;
  // Jobs are run by hand here so that the re-scoring itself is what is timed. New MQLs are routed
  // (as src/deps.ts wires it) only in the measure that says so.
  let routing = false;
  const deps: AppDeps = {
    config,
    database,
    db: database.db,
    clock: systemClock,
    lifecycle: defaultLifecycle,
    jobs: { send: async () => {}, sendMany: async () => {}, stop: async () => {} },
    notifier: createNotifier(),
  };
  const route = routeNewMqlsInWaves(async () => deps);
  deps.onBecameMql = async (personIds) => {
    if (routing) await route(personIds);
  };
  const [genSeconds] = await timed(() => generate(deps));
  log(`generated ${fmt(leads)} leads and ${fmt(activityCount)} activities in ${genSeconds.toFixed(0)} s`);

  // Live scoring first: the same endpoint with no definition in force, then with one.
  const app = await buildApp(deps);
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  const admin = await createUser(deps, {
    name: 'Bench Admin',
    email: 'admin@bench.dev',
    team: 'sales',
    role: 'admin',
    // Signs the definition for sales.
    approver: true,
  });
  const { token } = await createApiToken(deps, {
    name: 'bench',
    role: 'admin',
    team: 'sales',
    createdBy: admin.id,
  });
  // Each measure posts to its own 2,000 leads, so that every one finds its leads with the same
  // history: leads that had gathered the activities of earlier measures would cost more to score.
  const LEADS_PER_MEASURE = 2000;
  const sampled = (
    await queryRows<{ id: string }>(
      deps.db,
      sql`SELECT id FROM people ORDER BY id LIMIT ${LEADS_PER_MEASURE * (1 + 3 * LIVE_ROUNDS)}`,
    )
  ).map((r) => r.id);
  const leadsOf = (measure: number) =>
    sampled.slice(measure * LEADS_PER_MEASURE, (measure + 1) * LEADS_PER_MEASURE);

  // Five reps with room for every lead the measures make MQLs, so that each routing assigns.
  for (let i = 0; i < 5; i++) {
    const rep = await createUser(deps, {
      name: `Rep ${i}`,
      email: `rep${i}@bench.dev`,
      team: 'sales',
      role: 'sales',
    });
    await deps.db.execute(sql`INSERT INTO rep_settings (user_id, capacity) VALUES (${rep.id}, 100000)`);
  }
  const maya = await createUser(deps, {
    name: 'Maya',
    email: 'maya@bench.dev',
    team: 'marketing',
    role: 'marketing',
    approver: true,
  });
  const principal = (user: typeof admin) => ({
    kind: 'user' as const,
    userId: user.id,
    name: user.name,
    team: user.team,
    role: user.role,
  });
  const draft = await proposeDefinition(deps, { rules: definition }, principal(admin));
  await signDefinition(deps, draft.version, principal(maya));
  await signDefinition(deps, draft.version, principal(admin));
  await publishDefinition(deps, { version: draft.version }, principal(admin));
  // Scoring off and on in turns, the definition moved out of force and back (its effective time),
  // so that both sides of each ratio see the machine in the same state; the median ratio is kept.
  const inForce = (on: boolean) =>
    deps.db.execute(sql`
      UPDATE lead_definitions SET effective_from = ${on ? sql`now() - interval '1 minute'` : sql`'infinity'::timestamptz`}
      WHERE version = ${draft.version}`);
  // Both paths warmed up first (compiled code, every pooled connection's caches and prepared
  // statements), on leads of their own, in turns: with 500 requests each, the baseline was still
  // getting faster two rounds later (709 → 1,100 /s), which made the first ratios look better.
  for (let warm = 0; warm < 2; warm++) {
    await inForce(false);
    await postActivities(url, token, leadsOf(0), events);
    await inForce(true);
    await postActivities(url, token, leadsOf(0), events);
    routing = true;
    await postActivities(url, token, leadsOf(0), events);
    routing = false;
  }
  const rounds: { off: number; on: number; ratio: number; routed: number; routedRatio: number }[] = [];
  for (let round = 0; round < LIVE_ROUNDS; round++) {
    await inForce(false);
    const off = await postActivities(url, token, leadsOf(1 + 3 * round), events);
    await inForce(true);
    const on = await postActivities(url, token, leadsOf(2 + 3 * round), events);
    routing = true;
    const routed = await postActivities(url, token, leadsOf(3 + 3 * round), events);
    routing = false;
    rounds.push({ off, on, ratio: on / off, routed, routedRatio: routed / off });
    log(
      `round ${round + 1}: ${fmt(off)} /s without scoring, ${fmt(on)} with, ${fmt(routed)} with routing too`,
    );
  }
  await app.close();
  const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!;
  const [offRate, onRate] = [median.off, median.on];
  const ratios = rounds.map((r) => r.ratio.toFixed(2)).join(', ');
  const routedMedian = [...rounds].sort((a, b) => a.routedRatio - b.routedRatio)[
    Math.floor(rounds.length / 2)
  ]!;
  const routedRatios = rounds.map((r) => r.routedRatio.toFixed(2)).join(', ');
  const [assigned] = await queryRows<{ n: number }>(
    deps.db,
    sql`SELECT count(*)::int AS n FROM lead_assignments`,
  );
  log(
    `live: ${fmt(offRate)} activities/s without scoring, ${fmt(onRate)} with (median ratio ${median.ratio.toFixed(2)} of ${ratios}); with routing ${fmt(routedMedian.routed)} (median ratio ${routedMedian.routedRatio.toFixed(2)} of ${routedRatios}, ${fmt(assigned!.n)} leads assigned)`,
  );

  const scanSeconds = await aggregateScan(deps);
  const [rescoreSeconds] = await timed(() => rescoreAllLeads(deps, draft.version));
  const [run] = await queryRows<{ total: number; madeMql: number }>(
    deps.db,
    sql`SELECT total, made_mql AS "madeMql" FROM rescoring_runs WHERE version = ${draft.version}`,
  );
  log(
    `re-scoring: ${rescoreSeconds.toFixed(1)} s for ${fmt(run!.total)} leads (${fmt(run!.madeMql)} became MQLs); scan ${scanSeconds.toFixed(2)} s; ratio ${(rescoreSeconds / scanSeconds).toFixed(1)}`,
  );
  // The daily refresh (the next day, so every score is stored again), and a backtest over a period
  // holding every lead (in batches of 1,000 with the batch query).
  const nextDay = { ...deps, clock: fixedClock(new Date(Date.now() + 86_400_000)) };
  const [refreshSeconds, refreshed] = await timed(() => refreshLeadScores(nextDay));
  const [backtestSeconds, backtest] = await timed(() =>
    backtestDefinition(deps, { version: draft.version, from: new Date(0), to: new Date() }),
  );
  log(
    `refresh: ${refreshSeconds.toFixed(1)} s for ${fmt(refreshed.scored)} leads; backtest: ${backtestSeconds.toFixed(1)} s over ${fmt(backtest.leads)} leads`,
  );

  const [pgVersion] = await queryRows<{ server_version: string }>(deps.db, sql`SHOW server_version`);
  const command = `npm exec -- node bench/scoring.bench.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  writeBenchmarkSection(
    'scoring-bench',
    [
      '## Scoring: re-scoring every lead, and live scoring through the API',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, PostgreSQL ${pgVersion?.server_version} (default settings).`,
      `Command: \`${command}\`. Data made by PostgreSQL in the run: ${fmt(leads)} leads over 10,000 accounts, ${fmt(activityCount)} activities over 180 days; a definition of 4 fit and 4 engagement rules (caps, a negative rule, 45-day half-life).`,
      '',
      '| measure | ours | baseline | ratio | target |',
      '|---|---|---|---|---|',
      `| re-score every lead after a definition change (\`rescore-all-leads\`: engagement staged in one hash aggregate, every score built in a new table and swapped in, ${fmt(run!.madeMql)} leads moved to MQL) | ${rescoreSeconds.toFixed(1)} s | one \`SELECT count(*), sum(…)\` over activities: ${scanSeconds.toFixed(2)} s | **${(rescoreSeconds / scanSeconds).toFixed(1)}×** | ≤ 10× |`,
      `| the daily refresh (\`refresh-lead-scores\`: every lead scored again the next day, built and swapped in as the re-scoring does; ${fmt(refreshed.madeMql)} moved) | ${refreshSeconds.toFixed(1)} s | the same scan | ${(refreshSeconds / scanSeconds).toFixed(1)}× | (none; nightly) |`,
      `| a backtest of the version against the one in force over a period holding all ${fmt(backtest.leads)} leads (\`GET /api/lead-definitions/:version/backtest\`) | ${backtestSeconds.toFixed(1)} s | the same scan | ${(backtestSeconds / scanSeconds).toFixed(1)}× | (none) |`,
      `| \`POST /api/activities\` with the lead re-scored in the request (${concurrency} in flight, ${fmt(events)} requests per measure; scoring off and on in turns, ${LIVE_ROUNDS} times: ratios ${ratios}, the median shown) | ${fmt(onRate)} /s | same endpoint, no definition in force: ${fmt(offRate)} /s | **${median.ratio.toFixed(2)}** | ≥ 0.5 |`,
      `| the same, with each new MQL also routed to one of 5 reps in the request, as the server does (the third measure of each round: ratios ${routedRatios}, the median shown; ${fmt(assigned!.n)} leads assigned in all, SLA timers and notifications written, jobs not run) | ${fmt(routedMedian.routed)} /s | the same baseline: ${fmt(routedMedian.off)} /s | **${routedMedian.routedRatio.toFixed(2)}** | (≥ 0.5) |`,
    ].join('\n'),
  );
  log('BENCHMARKS.md updated');
} finally {
  await database.close();
  await testDatabase.drop();
}
