// The hand-off benchmark, on PostgreSQL (writes BENCHMARKS.md): for each lead, the time from POSTing
// the activity that makes it an MQL to the routed rep's `lead.assigned` webhook arriving at a local
// receiver (scoring → MQL → routing → SLA timers → notify → signed POST). Baseline in the same run:
// the same activity POST on other leads with no webhook endpoint, request to response.
//
//   npm exec -- node bench/handoff.bench.ts [--leads 1000] [--concurrency 1] [--dry-run]
// (--dry-run: measure and print, but leave BENCHMARKS.md alone)
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/client.ts';
import type { Principal } from '../src/modules/auth/access.ts';
import { createUser } from '../src/modules/auth/auth.service.ts';
import { startWebhookReceiver } from '../src/modules/notifications/test-receivers.ts';
import { verifyWebhookSignature } from '../src/modules/notifications/webhook-signature.ts';
import type { LeadDefinition } from '../src/modules/scoring/definition.schema.ts';
import {
  proposeDefinition,
  publishDefinition,
  signDefinition,
} from '../src/modules/scoring/definitions.service.ts';
import { createTestApp } from '../src/test/harness.ts';
import { writeBenchmarkSection } from './benchmarks-file.ts';

const { values: args } = parseArgs({
  options: {
    leads: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '1' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const leads = Number(args.leads);
const concurrency = Number(args.concurrency);
const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1)} ms`;

// Everyone is at least grade D; one webinar (50 points) crosses the MQL line (40).
const definition: LeadDefinition = {
  fit: {
    rules: [{ id: 'leader', field: 'person.title', op: 'contains', value: 'Head', points: 10 }],
    gradeCutoffs: { A: 40, B: 25, C: 10 },
  },
  engagement: {
    rules: [{ id: 'webinar', activityType: 'webinar', points: 50, maxCount: 2 }],
    halfLifeDays: 45,
  },
  mql: { minGrade: 'D', minEngagement: 40 },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summarise(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const t = await createTestApp('postgres');
const receiver = await startWebhookReceiver();
try {
  const url = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  const admin = await t.as('admin');
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...admin, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };

  // A rep who takes every MQL (a rule sends all leads to her), a published definition.
  const rep = await createUser(t.deps, {
    name: 'Rita Rep',
    email: 'rita@bench.dev',
    team: 'sales',
    role: 'sales',
  });
  await call('PATCH', `/api/routing/reps/${rep.id}`, { timeZone: 'UTC', capacity: 10_000 });
  await call('POST', '/api/routing/rules', {
    name: 'Everything to Rita',
    conditions: [],
    assignToUserId: rep.id,
  });
  const users = await Promise.all(
    (['marketing', 'sales'] as const).map((team) =>
      createUser(t.deps, {
        name: `Signer ${team}`,
        email: `${team}@bench.dev`,
        team,
        role: 'admin',
        approver: true,
      }),
    ),
  );
  const principal = (u: (typeof users)[number]): Principal => ({
    kind: 'user',
    userId: u.id,
    name: u.name,
    team: u.team,
    role: u.role,
  });
  const draft = await proposeDefinition(t.deps, { rules: definition }, principal(users[0]!));
  for (const u of users) await signDefinition(t.deps, draft.version, principal(u));
  await publishDefinition(t.deps, { version: draft.version }, principal(users[0]!));

  async function makeLeads(count: number, tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 1000) {
      const items = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
        email: `${tag}${start + i}@lead.bench`,
        title: 'Engineer',
      }));
      const result = await call('POST', '/api/people/batch', { items });
      ids.push(...result.results.map((r: { id: string }) => r.id));
    }
    return ids;
  }

  /** POSTs one webinar per lead, `concurrency` at a time; returns when each was sent and answered. */
  async function postActivities(personIds: string[]) {
    const sentAt = new Map<string, number>();
    const answeredIn: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < personIds.length) {
          const personId = personIds[next++]!;
          const started = performance.now();
          sentAt.set(personId, started);
          await call('POST', '/api/activities', {
            personId,
            type: 'webinar',
            occurredAt: new Date().toISOString(),
          });
          answeredIn.push(performance.now() - started);
        }
      }),
    );
    return { sentAt, answeredIn };
  }

  // Baseline first (no endpoint exists, so no webhook is sent), after a warm-up.
  await postActivities(await makeLeads(20, 'warm'));
  const baseline = await postActivities(await makeLeads(leads, 'base'));

  const { secret } = await call('POST', '/api/webhooks', {
    url: receiver.url('/rep'),
    events: ['lead.assigned'],
  });
  const arrivedAt = new Map<string, number>();
  let badSignatures = 0;
  receiver.onReceive = (hook) => {
    const body = JSON.parse(hook.rawBody) as { data: { personId: string } };
    if (!verifyWebhookSignature(secret, hook.headers['lockstep-signature'], hook.rawBody)) badSignatures++;
    arrivedAt.set(body.data.personId, hook.receivedAt);
  };
  const targets = await makeLeads(leads, 'hook');
  const run = await postActivities(targets);
  const deadline = Date.now() + 30_000;
  while (arrivedAt.size < targets.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await t.deps.notifier.settled();
  const missing = targets.filter((id) => !arrivedAt.has(id)).length;
  const latencies = targets.flatMap((id) => {
    const arrived = arrivedAt.get(id);
    const sent = run.sentAt.get(id);
    return arrived !== undefined && sent !== undefined ? [arrived - sent] : [];
  });
  const ours = summarise(latencies);
  const base = summarise(baseline.answeredIn);
  const answered = summarise(run.answeredIn);
  const [counts] = await queryRows<{ assigned: number; delivered: number }>(
    t.deps.db,
    sql`SELECT (SELECT count(*)::int FROM lead_assignments) AS assigned,
               (SELECT count(*)::int FROM notification_deliveries WHERE channel = 'webhook' AND status = 'delivered') AS delivered`,
  );
  log(
    `webhook arrival after the activity POST: p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)}, max ${ms(ours.max)} over ${fmt(latencies.length)} leads (${missing} missing, ${badSignatures} bad signatures)`,
  );
  log(
    `baseline POST (no webhook): p50 ${ms(base.p50)}, p99 ${ms(base.p99)}; POST with webhook: p50 ${ms(answered.p50)}, p99 ${ms(answered.p99)}`,
  );
  log(`assignments ${counts?.assigned}, webhook deliveries delivered ${counts?.delivered}`);
  if (missing > 0 || badSignatures > 0)
    throw new Error('some webhooks did not arrive, or arrived badly signed');

  const [pgVersion] = await queryRows<{ server_version: string }>(t.deps.db, sql`SHOW server_version`);
  const command = `npm exec -- node bench/handoff.bench.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  if (args['dry-run']) log('dry run: BENCHMARKS.md left alone');
  else
    writeBenchmarkSection(
      'handoff-bench',
      [
        '## Hand-off: from the activity that makes an MQL to the rep’s webhook',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, PostgreSQL ${pgVersion?.server_version} (default settings).`,
        `Command: \`${command}\`. One process holds the app, the HTTP client and the receiver (node:http on loopback). Each lead gets one \`POST /api/activities\` (a webinar, 50 points; the MQL line is 40), ${concurrency} in flight: the request scores the lead, records the move to MQL, routes it by a rule to one rep, starts the SLA timers and calls \`notify\`, which stores the delivery and sends the signed webhook. Email is not configured in the run (its delivery is logged as skipped). All ${fmt(latencies.length)} webhooks arrived with valid signatures.`,
        '',
        '| measure | p50 | p99 | baseline p50 | baseline p99 | ratio p50 / p99 | target |',
        '|---|---|---|---|---|---|---|',
        `| activity POST sent → \`lead.assigned\` webhook received (${fmt(latencies.length)} leads) | ${ms(ours.p50)} | **${ms(ours.p99)}** | ${ms(base.p50)} | ${ms(base.p99)} | ${(ours.p50 / base.p50).toFixed(2)} / ${(ours.p99 / base.p99).toFixed(2)} | p99 < 1 s |`,
        `| the same POST, request → response, with the webhook endpoint | ${ms(answered.p50)} | ${ms(answered.p99)} | ${ms(base.p50)} | ${ms(base.p99)} | ${(answered.p50 / base.p50).toFixed(2)} / ${(answered.p99 / base.p99).toFixed(2)} | |`,
        '',
        'Baseline: the same activity POST on as many other leads (each also becomes an MQL and is routed) before any webhook endpoint exists, request → response.',
      ].join('\n'),
    );
  if (!args['dry-run']) log('BENCHMARKS.md updated');
} finally {
  await t.deps.notifier.settled();
  await t.close();
  await receiver.close();
}
