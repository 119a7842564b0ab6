// The breaches list says whether the person alerted was actually told, from the delivery log: with
// the real notify, a real webhook receiver and no SMTP (as on a fresh server).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { deliverDue } from '../notifications/delivery.ts';
import { createNotifier } from '../notifications/notifier.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../notifications/test-receivers.ts';
import { call, makeLead, makeRep, type TestRep, toMql } from '../routing/handoff.test-support.ts';
import type { Breach } from './sla.schema.ts';
import { fireSlaTimer } from './sla.service.ts';

const T0 = new Date('2027-01-05T10:00:00Z'); // Tuesday 10:00 UTC, in the future of the real clock
const at = (hhmm: string) => new Date(`2027-01-05T${hhmm}:00Z`);

describe.each(databaseKinds)('what the breaches list says about each alert, on %s', (kind) => {
  let t: TestApp;
  let clock: ReturnType<typeof fixedClock>;
  let admin: Record<string, string>;
  let receiver: WebhookReceiver;
  let rita: TestRep;

  const timerOf = async (personId: string, timerKind: string) => {
    const [row] = await t.database.rows<{ id: string }>(
      sql`SELECT id FROM sla_timers WHERE person_id = ${personId} AND kind = ${timerKind}`,
    );
    return row!.id;
  };
  /** A new MQL for Rita whose first-touch timer has breached, at `hhmm`; returns that timer. */
  const breachedLead = async (hhmm: string) => {
    const personId = await makeLead(t, { firstName: `Lead ${hhmm}` });
    await toMql(t, personId);
    clock.set(at(hhmm));
    const timerId = await timerOf(personId, 'first_touch');
    expect(await fireSlaTimer(t.deps, timerId)).toBe('breached');
    await t.deps.notifier.settled();
    return { personId, timerId };
  };
  const breach = async (timerId: string): Promise<Breach> => {
    const response = await call(t, 'GET', '/api/sla/breaches', admin);
    expect(response.statusCode, response.body).toBe(200);
    const found = response.json().items.find((b: Breach) => b.timerId === timerId);
    expect(found, `breach ${timerId} listed`).toBeDefined();
    return found;
  };

  beforeAll(async () => {
    clock = fixedClock(T0);
    t = await createTestApp(kind, { clock });
    receiver = await startWebhookReceiver();
    // No SMTP; one retry a minute after a failed attempt, then the delivery fails for good.
    t.deps.notifier = createNotifier({
      policy: { maxAttempts: 2, firstRetryMs: 60_000, jitter: 0, timeoutMs: 2000 },
    });
    admin = await t.as('admin');
    rita = await makeRep(t, 'Rita'); // no manager
    const policy = await call(t, 'POST', '/api/sla/policies', admin, {
      name: 'Default',
      grade: null,
      acceptWithinMinutes: 240,
      firstTouchWithinMinutes: 60,
      escalateAfterMinutes: 60,
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => {
    await t?.deps.notifier.settled();
    await t?.close();
    await receiver?.close();
  });

  it('says not sent when email is off and no webhook is set up, and nobody for a rep with no manager', async () => {
    const { personId, timerId } = await breachedLead('11:01');
    expect(await breach(timerId)).toMatchObject({
      kind: 'first_touch',
      alertedUserId: rita.id,
      alertedUserName: 'Rita',
      alert: { status: 'not_sent', deliveredVia: [], reason: 'email is off, no webhook' },
    });
    // The escalation goes to Rita's manager, and she has none: nobody was alerted.
    clock.set(at('12:01'));
    const escalationId = await timerOf(personId, 'first_touch_escalation');
    expect(await fireSlaTimer(t.deps, escalationId)).toBe('breached');
    expect(await breach(escalationId)).toMatchObject({
      alertedUserId: null,
      alertedUserName: null,
      alert: { status: 'not_sent', deliveredVia: [], reason: 'the rep has no manager' },
    });
  });

  it('says delivered by webhook when the webhook got through (email still off)', async () => {
    const endpoint = await call(t, 'POST', '/api/webhooks', admin, {
      url: receiver.url('/sla'),
      events: ['sla.breached'],
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    const { timerId } = await breachedLead('13:02');
    const received = receiver.received.filter((w) => w.path === '/sla');
    expect(received.map((w) => JSON.parse(w.rawBody).data.timerId)).toEqual([timerId]);
    expect((await breach(timerId)).alert).toEqual({
      status: 'delivered',
      deliveredVia: ['webhook'],
      reason: null,
    });
  });

  it('says pending while the webhook is retried, then failed with what the receiver answered', async () => {
    receiver.failNext('/sla', [503, 500]);
    const { timerId } = await breachedLead('14:03');
    expect((await breach(timerId)).alert).toEqual({
      status: 'pending',
      deliveredVia: [],
      reason: 'webhook: The receiver answered HTTP 503: nope',
    });
    const [notification] = await t.database.rows<{ id: string }>(
      sql`SELECT id FROM notifications WHERE dedupe_key = ${`breach:${timerId}`}`,
    );
    clock.advance(61_000);
    await deliverDue(t.deps, notification!.id);
    expect((await breach(timerId)).alert).toEqual({
      status: 'failed',
      deliveredVia: [],
      reason: 'webhook: The receiver answered HTTP 500: nope',
    });
  });
});
