// SLA timers are durable: a server killed with SIGKILL before its timers were due starts again and
// fires every one of them, each exactly once (one breach alert per timer at a webhook receiver).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../notifications/test-receivers.ts';

const mainFile = path.resolve(import.meta.dirname, '../../main.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-sla-crash-'));
const port = 40_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];
let receiver: WebhookReceiver | undefined;

function startServer(): ChildProcess {
  const child = spawn(process.execPath, [mainFile], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOCKSTEP_DATA_DIR: path.join(dir, 'data'),
      LOCKSTEP_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

async function waitUntilUp(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SLA timers across a SIGKILL of the server', () => {
  it('fires every due timer exactly once after a restart', async () => {
    receiver = await startWebhookReceiver();
    const first = startServer();
    await waitUntilUp(first);
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

    const second = startServer();
    await waitUntilUp(second);
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
