import { describe, expect, it } from 'vitest';
import type { DeliveryFact } from './notifications.store.ts';
import { notificationOutcome, skipReasons } from './outcome.ts';

const email = (status: DeliveryFact['status'], error: string | null = null): DeliveryFact => ({
  channel: 'email',
  status,
  error,
});
const webhook = (status: DeliveryFact['status'], error: string | null = null): DeliveryFact => ({
  channel: 'webhook',
  status,
  error,
});

describe('how a notification went', () => {
  it('is delivered when one channel got through, whatever the others did', () => {
    expect(notificationOutcome([webhook('delivered'), email('delivered')])).toEqual({
      status: 'delivered',
      deliveredVia: ['email', 'webhook'],
      reason: null,
    });
    expect(notificationOutcome([email('failed', 'ECONNREFUSED'), webhook('delivered')])).toEqual({
      status: 'delivered',
      deliveredVia: ['webhook'],
      reason: null,
    });
  });

  it('is pending while any channel is still being tried, with the error a retry waits on', () => {
    expect(notificationOutcome([email('pending')])).toEqual({
      status: 'pending',
      deliveredVia: [],
      reason: null,
    });
    expect(
      notificationOutcome([email('failed', 'No answer within 5 s.'), webhook('pending', 'HTTP 503')]),
    ).toEqual({ status: 'pending', deliveredVia: [], reason: 'webhook: HTTP 503' });
  });

  it('failed, with every reason, once nothing is left to try', () => {
    expect(
      notificationOutcome([
        email('failed', '550 mailbox unavailable'),
        webhook('failed', 'The receiver answered HTTP 500'),
        webhook('skipped', skipReasons.endpointPaused),
      ]),
    ).toEqual({
      status: 'failed',
      deliveredVia: [],
      reason: 'email: 550 mailbox unavailable; webhook: The receiver answered HTTP 500',
    });
  });

  it('not sent, in a few words, when every channel was skipped or there was none', () => {
    expect(notificationOutcome([email('skipped', skipReasons.emailNotSetUp)]).reason).toBe(
      'email is off, no webhook',
    );
    expect(
      notificationOutcome([
        email('skipped', `Priya Nair${skipReasons.noEmailAddress}`),
        webhook('skipped', skipReasons.endpointPaused),
        webhook('skipped', skipReasons.endpointPaused),
      ]),
    ).toEqual({ status: 'not_sent', deliveredVia: [], reason: 'no email address, webhook paused' });
    expect(notificationOutcome([])).toEqual({ status: 'not_sent', deliveredVia: [], reason: 'no webhook' });
  });
});
