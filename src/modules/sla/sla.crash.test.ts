// SLA timers are durable: a server killed with SIGKILL before its timers were due starts again and
// fires every one of them, each exactly once (one breach alert per timer at a webhook receiver).
import { afterAll, describe, expect, it } from 'vitest';
import { exited, serverProcesses } from '../../test/server-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../notifications/test-receivers.ts';

const servers = serverProcesses('sla-crash');
const { base } = servers;
let receiver: WebhookReceiver | undefined;

afterAll(async () => {
  await receiver?.close();
  servers.cleanUp();
});

describe('SLA timers across a SIGKILL of the server', () => {
  it('fires every due timer exactly once after a restart', async () => {
    receiver = await startWebhookReceiver();
    const first = await servers.start();
    const setup = await fetch(`${base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Ops',
        email: 'ops@sla-crash.dev',
        password: 'a-long-password',
        team: 'sales',
      }),
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    const api = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 400) throw new Error(`${method} ${url}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const me = await api('GET', '/api/auth/me');
    const adminId = (me.user ?? me).id as string;
    // The admin works around the clock, so the SLA counts wall-clock time: 0.25 working minutes = 15 s.
    await api('PATCH', `/api/routing/reps/${adminId}`, {
      timeZone: 'UTC',
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      workStart: '00:00',
      workEnd: '24:00',
    });
    await api('POST', '/api/sla/policies', {
      name: 'Fast',
      grade: null,
      acceptWithinMinutes: 0.25,
      firstTouchWithinMinutes: 0.25,
      escalateAfterMinutes: 600,
    });
    await api('POST', '/api/webhooks', { url: receiver.url('/sla'), events: ['sla.breached'] });
    const leads = 5;
    for (let i = 0; i < leads; i++) {
      const person = await api('POST', '/api/people', { email: `lead${i}@sla-crash.dev` });
      await api('POST', `/api/people/${person.id}/transitions`, { to: 'mql' });
    }
    // Killed well before the timers are due: all that is left of them is in the database.
    first.kill('SIGKILL');
    await exited(first);
    expect(receiver.received).toHaveLength(0);

    const second = await servers.start();
    const expected = leads * 2; // an accept and a first-touch timer per lead
    const deadline = Date.now() + 90_000;
    while (receiver.received.length < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 3_000)); // room for a duplicate to show up
    const timerIds = receiver.received.map(
      (w) => (JSON.parse(w.rawBody) as { data: { timerId: string } }).data.timerId,
    );
    expect(timerIds).toHaveLength(expected);
    expect(new Set(timerIds).size).toBe(expected);

    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@sla-crash.dev', password: 'a-long-password' }),
    });
    const cookie2 = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const breaches = await (await fetch(`${base}/api/sla/breaches`, { headers: { cookie: cookie2 } })).json();
    expect(new Set(breaches.items.map((b: { timerId: string }) => b.timerId))).toEqual(new Set(timerIds));
    second.kill('SIGTERM');
    await exited(second);
  }, 180_000);
});
