import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { createUser, type PublicUser } from '../auth/auth.service.ts';
import { deliverDue } from './delivery.ts';
import type { deliverySchema } from './notifications.schema.ts';
import { type Notification, notify } from './notifications.service.ts';
import { createNotifier, type DeliveryPolicy } from './notifier.ts';
import {
  type MailReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
  waitFor,
} from './test-receivers.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

/** A delivery as the API sends it (timestamps as ISO strings). */
type Delivery = z.input<typeof deliverySchema>;

const fastRetries: Partial<DeliveryPolicy> = {
  firstRetryMs: 600,
  backoffFactor: 3,
  jitter: 0,
  timeoutMs: 2000,
};

describe.each(databaseKinds)('notifications on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let receiver: WebhookReceiver;
  let smtp: MailReceiver;
  let rep: PublicUser;
  let otherRep: PublicUser;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    receiver = await startWebhookReceiver();
    smtp = await startSmtpReceiver();
    t.deps.notifier = createNotifier({
      smtp: { url: smtp.url, from: 'Lockstep <lockstep@test.dev>' },
      policy: fastRetries,
    });
    admin = await t.as('admin');
    rep = await createUser(t.deps, {
      name: 'Rita Rep',
      email: 'rita@test.dev',
      team: 'sales',
      role: 'sales',
    });
    otherRep = await createUser(t.deps, {
      name: 'Omar Other',
      email: 'omar@test.dev',
      team: 'sales',
      role: 'sales',
    });
  });
  afterAll(async () => {
    await t?.deps.notifier.settled();
    await t?.close();
    await receiver?.close();
    await smtp?.close();
  });

  async function addEndpoint(body: Record<string, unknown>) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: admin,
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { endpoint: { id: string }; secret: string };
  }

  async function deliveries(query: string): Promise<Delivery[]> {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/notifications/deliveries?${query}`,
      headers: admin,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  }

  function assignment(overrides: Partial<Notification> = {}): Notification {
    counter += 1;
    return {
      event: 'lead.assigned',
      recipientUserId: rep.id,
      subject: `New MQL #${counter}: Ada Lovelace (Analytical Engines)`,
      text: `Ada Lovelace is yours: fit A, score 87.`,
      data: { personId: `p-${counter}`, rule: 'account owner' },
      dedupeKey: `lead.assigned:${kind}:${counter}`,
      ...overrides,
    };
  }

  it('creates an endpoint, shows its secret only once, and deletes it', async () => {
    const { endpoint, secret } = await addEndpoint({ url: receiver.url('/crud'), events: ['sla.breached'] });
    expect(secret).toMatch(/^whsec_[\w-]{32}$/);
    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: admin });
    expect(list.json().items.map((e: { id: string }) => e.id)).toContain(endpoint.id);
    expect(list.body).not.toContain(secret);

    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: admin,
      payload: { url: 'ftp://example.com/x', events: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('url');
    expect(bad.body).toContain('events');

    const unknownRecipient = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: admin,
      payload: {
        url: receiver.url(),
        events: ['*'],
        recipientUserId: '7d3f6b0e-2c1a-4c8e-9a55-0c1d2e3f4a5b',
      },
    });
    expect(unknownRecipient.statusCode).toBe(400);
    expect(unknownRecipient.json().error.details.field).toBe('recipientUserId');

    const url = `/api/webhooks/${endpoint.id}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(404);
  });

  it('delivers a signed webhook and an email, and logs both', async () => {
    const { endpoint, secret } = await addEndpoint({
      url: receiver.url('/signed'),
      events: ['lead.assigned'],
    });
    const n = assignment();
    const before = Date.now();
    await notify(t.deps, n);
    const hook = await waitFor(() => receiver.received.find((r) => r.path === '/signed'));
    const mail = await waitFor(() => smtp.received.find((m) => m.subject === n.subject));
    await t.deps.notifier.settled();

    // The receiver's view: a body it can parse and a signature it can check, two ways.
    const body = JSON.parse(hook.rawBody);
    expect(body).toMatchObject({ event: 'lead.assigned', text: n.text, data: n.data });
    expect(Date.parse(body.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const header = String(hook.headers['lockstep-signature']);
    expect(verifyWebhookSignature(secret, header, hook.rawBody, { toleranceSeconds: 300 })).toBe(true);
    const [, t0, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(createHmac('sha256', secret).update(`${t0}.${hook.rawBody}`).digest('hex')).toBe(v1);
    expect(Math.abs(Number(t0) - before / 1000)).toBeLessThan(5);
    expect(verifyWebhookSignature('whsec_wrong', header, hook.rawBody)).toBe(false);
    expect(verifyWebhookSignature(secret, header, hook.rawBody.replace('Ada', 'Eve'))).toBe(false);

    expect(mail.to).toEqual(['rita@test.dev']);
    expect(mail.from).toBe('lockstep@test.dev');
    expect(mail.raw).toContain('Ada Lovelace is yours: fit A, score 87.');

    const log = (await deliveries(`endpointId=${endpoint.id}`)).filter((d) => d.notificationId === body.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      status: 'delivered',
      channel: 'webhook',
      attemptCount: 1,
      target: receiver.url('/signed'),
    });
    expect(hook.headers['lockstep-delivery']).toBe(log[0]!.id);
    expect(log[0]!.attempts).toHaveLength(1);
    expect(log[0]!.attempts[0]).toMatchObject({ attemptNo: 1, ok: true, httpStatus: 200, error: null });
    const email = (await deliveries('channel=email')).find((d) => d.notificationId === body.id);
    expect(email).toMatchObject({ status: 'delivered', target: 'rita@test.dev', recipientName: 'Rita Rep' });
    expect(email!.attempts[0]!.smtpResponse).toMatch(/^250/);
    const settings = await t.app.inject({
      method: 'GET',
      url: '/api/notifications/settings',
      headers: admin,
    });
    expect(settings.json()).toEqual({
      email: { configured: true, from: 'Lockstep <lockstep@test.dev>' },
      retries: { maxAttempts: 10, firstRetrySeconds: 0.6, backoffFactor: 3, timeoutSeconds: 2 },
    });
  });

  it('notifies once for the same dedupe key', async () => {
    await addEndpoint({ url: receiver.url('/dedupe'), events: ['*'] });
    const n = assignment();
    await notify(t.deps, n);
    await notify(t.deps, { ...n, subject: 'a second try' });
    await t.deps.notifier.settled();
    await waitFor(() => receiver.received.some((r) => r.path === '/dedupe'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.filter((r) => r.path === '/dedupe')).toHaveLength(1);
    expect(smtp.received.filter((m) => m.subject === n.subject)).toHaveLength(1);
    expect(smtp.received.filter((m) => m.subject === 'a second try')).toHaveLength(0);
    const [row] = await queryRows<{ count: number }>(
      t.deps.db,
      sql`SELECT count(*)::int AS count FROM notifications WHERE dedupe_key = ${n.dedupeKey}`,
    );
    expect(row!.count).toBe(1);
  });

  it('retries a failing receiver with growing delays and logs every attempt', async () => {
    const { endpoint } = await addEndpoint({ url: receiver.url('/flaky'), events: ['sla.breached'] });
    receiver.failNext('/flaky', [500, 503]);
    await notify(t.deps, assignment({ event: 'sla.breached' }));
    const [delivery] = await waitFor(async () => {
      const log = await deliveries(`endpointId=${endpoint.id}`);
      return log[0]?.status === 'delivered' && log;
    }, 10_000);
    expect(delivery!.attempts.map((a) => [a.attemptNo, a.httpStatus, a.ok])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 200, true],
    ]);
    expect(delivery!.attempts[0]!.error).toBe('The receiver answered HTTP 500: nope');
    const at = delivery!.attempts.map((a) => Date.parse(a.attemptedAt));
    const firstWait = at[1]! - at[0]!;
    const secondWait = at[2]! - at[1]!;
    // 600 ms then 1,800 ms (factor 3), each up to one job-polling interval (500 ms) late.
    expect(firstWait).toBeGreaterThanOrEqual(600);
    expect(secondWait).toBeGreaterThanOrEqual(1800);
    expect(secondWait).toBeGreaterThan(firstWait);
    expect(receiver.received.filter((r) => r.path === '/flaky')).toHaveLength(3);
    // Each retry carries the same delivery id, so the receiver can tell a retry from a new event.
    expect(
      new Set(receiver.received.filter((r) => r.path === '/flaky').map((r) => r.headers['lockstep-delivery']))
        .size,
    ).toBe(1);
  });

  it('gives up after the last attempt and marks the delivery failed', async () => {
    t.deps.notifier = createNotifier({
      smtp: { url: smtp.url, from: 'Lockstep <lockstep@test.dev>' },
      policy: { ...fastRetries, maxAttempts: 2 },
    });
    try {
      const { endpoint } = await addEndpoint({ url: receiver.url('/down'), events: ['sla.escalated'] });
      receiver.failNext('/down', [500, 500, 500, 500]);
      await notify(t.deps, assignment({ event: 'sla.escalated' }));
      const [delivery] = await waitFor(async () => {
        const log = await deliveries(`endpointId=${endpoint.id}&status=failed`);
        return log.length > 0 && log;
      }, 10_000);
      expect(delivery!.attempts).toHaveLength(2);
      expect(delivery!.nextAttemptAt).toBeNull();
      expect(delivery!.lastError).toContain('HTTP 500');
    } finally {
      t.deps.notifier = createNotifier({
        smtp: { url: smtp.url, from: 'Lockstep <lockstep@test.dev>' },
        policy: fastRetries,
      });
    }
  });

  it('sends only the events an endpoint subscribed to, and only its recipient’s', async () => {
    await addEndpoint({ url: receiver.url('/only-breaches'), events: ['sla.breached'] });
    await addEndpoint({ url: receiver.url('/omar'), events: ['*'], recipientUserId: otherRep.id });
    const n = assignment();
    await notify(t.deps, n);
    await notify(t.deps, assignment({ recipientUserId: otherRep.id, subject: 'for omar' }));
    await t.deps.notifier.settled();
    const forOmar = receiver.received.filter((r) => r.path === '/omar');
    expect(forOmar).toHaveLength(1);
    expect(JSON.parse(forOmar[0]!.rawBody).data.personId).toBeDefined();
    expect(
      receiver.received.filter((r) => r.path === '/only-breaches' && r.rawBody.includes(n.text)),
    ).toHaveLength(0);
  });

  it('skips email, saying why, when SMTP is not set up', async () => {
    t.deps.notifier = createNotifier({ policy: fastRetries });
    try {
      const n = assignment();
      await notify(t.deps, n);
      await t.deps.notifier.settled();
      const email = (await deliveries('channel=email&status=skipped')).find((d) => d.subject === n.subject);
      expect(email?.lastError).toBe('Email is not set up: set LOCKSTEP_SMTP_URL and LOCKSTEP_MAIL_FROM.');
      expect(email?.attempts).toEqual([]);
      const settings = await t.app.inject({
        method: 'GET',
        url: '/api/notifications/settings',
        headers: admin,
      });
      expect(settings.json().email).toEqual({ configured: false, from: null });
    } finally {
      t.deps.notifier = createNotifier({
        smtp: { url: smtp.url, from: 'Lockstep <lockstep@test.dev>' },
        policy: fastRetries,
      });
    }
  });

  it('attempts a due delivery once even when two workers reach for it together', async () => {
    t.deps.notifier = createNotifier({ policy: { ...fastRetries, firstRetryMs: 60_000 } });
    try {
      const { endpoint } = await addEndpoint({ url: receiver.url('/race'), events: ['sla.breached'] });
      receiver.failNext('/race', [500]);
      await notify(t.deps, assignment({ event: 'sla.breached' }));
      await t.deps.notifier.settled();
      const [first] = await deliveries(`endpointId=${endpoint.id}`);
      expect(first).toMatchObject({ status: 'pending', attemptCount: 1 });
      // Make the retry due now, then let two workers race for it.
      await t.deps.db.execute(
        sql`UPDATE notification_deliveries SET next_attempt_at = now() - interval '1 second' WHERE id = ${first!.id}`,
      );
      await Promise.all([
        deliverDue(t.deps, first!.notificationId),
        deliverDue(t.deps, first!.notificationId),
      ]);
      expect(receiver.received.filter((r) => r.path === '/race')).toHaveLength(2);
      const [after] = await deliveries(`endpointId=${endpoint.id}`);
      expect(after).toMatchObject({ status: 'delivered', attemptCount: 2 });
      expect(after!.attempts.map((a) => a.ok)).toEqual([false, true]);
      // A job delivered twice (pg-boss is at-least-once) finds nothing left to send.
      await t.deps.db.execute(
        sql`UPDATE notification_deliveries SET next_attempt_at = now() - interval '1 second' WHERE id = ${first!.id}`,
      );
      await deliverDue(t.deps, first!.notificationId);
      expect(receiver.received.filter((r) => r.path === '/race')).toHaveLength(2);
    } finally {
      t.deps.notifier = createNotifier({
        smtp: { url: smtp.url, from: 'Lockstep <lockstep@test.dev>' },
        policy: fastRetries,
      });
    }
  });

  it('still delivers when the process dies during the first attempt (the lease runs out, the job retries)', async () => {
    const working = createNotifier({ policy: { ...fastRetries, timeoutMs: 300, leaseMarginMs: 200 } });
    // A sender that never answers and is never awaited: as if the process died mid-attempt.
    t.deps.notifier = { ...working, postWebhook: () => new Promise(() => {}), track: () => {} };
    try {
      const { endpoint } = await addEndpoint({ url: receiver.url('/crash'), events: ['sla.breached'] });
      await notify(t.deps, assignment({ event: 'sla.breached' }));
      t.deps.notifier = working; // "the restarted process"
      const hook = await waitFor(() => receiver.received.find((r) => r.path === '/crash'), 10_000);
      const [delivery] = await waitFor(async () => {
        const log = await deliveries(`endpointId=${endpoint.id}`);
        return log[0]?.status === 'delivered' && log;
      });
      // Attempt 1 left no trace; attempt 2, made by the job once the lease ran out, did.
      expect(delivery).toMatchObject({ attemptCount: 2 });
      expect(delivery!.attempts.map((a) => [a.attemptNo, a.ok])).toEqual([[2, true]]);
      expect(hook.headers['lockstep-delivery']).toBe(delivery!.id);
    } finally {
      t.deps.notifier = createNotifier({
        smtp: { url: smtp.url, from: 'Lockstep <lockstep@test.dev>' },
        policy: fastRetries,
      });
    }
  });

  it('sends a test ping on request and pauses an endpoint that answers 410 Gone', async () => {
    const { endpoint, secret } = await addEndpoint({ url: receiver.url('/ping'), events: ['lead.assigned'] });
    const ping = await t.app.inject({
      method: 'POST',
      url: `/api/webhooks/${endpoint.id}/test`,
      headers: admin,
    });
    expect(ping.statusCode, ping.body).toBe(200);
    expect(ping.json()).toMatchObject({ event: 'webhook.test', status: 'delivered', attemptCount: 1 });
    const hook = receiver.received.find((r) => r.path === '/ping')!;
    expect(verifyWebhookSignature(secret, hook.headers['lockstep-signature'], hook.rawBody)).toBe(true);

    receiver.failNext('/ping', [410]);
    await notify(t.deps, assignment());
    await t.deps.notifier.settled();
    const [gone] = await deliveries(`endpointId=${endpoint.id}&event=lead.assigned`);
    expect(gone).toMatchObject({ status: 'failed', attemptCount: 1 });
    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: admin });
    const listed = list.json().items.find((e: { id: string }) => e.id === endpoint.id);
    expect(listed).toMatchObject({ active: false, lastDeliveryStatus: 'failed' });

    const resumed = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${endpoint.id}`,
      headers: admin,
      payload: { active: true },
    });
    expect(resumed.json().active).toBe(true);
  });

  it('pages through the delivery log', async () => {
    const all = await deliveries('limit=500');
    expect(all.length).toBeGreaterThan(4);
    const first = await t.app.inject({
      method: 'GET',
      url: '/api/notifications/deliveries?limit=3',
      headers: admin,
    });
    const page1 = first.json();
    expect(page1.items.map((d: Delivery) => d.id)).toEqual(all.slice(0, 3).map((d) => d.id));
    const page2 = await deliveries(`limit=3&cursor=${page1.nextCursor}`);
    expect(page2.map((d) => d.id)).toEqual(all.slice(3, 6).map((d) => d.id));
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/notifications/deliveries?status=lost',
      headers: admin,
    });
    expect(bad.statusCode).toBe(400);
  });
});
