import { describe, expect, test } from 'vitest';
import type { Breach } from './promisesApi.ts';
import { alertWords, unheardAlertsSentence } from './words.ts';

const breach = (alertedUserName: string | null, alert: Breach['alert']) => ({ alertedUserName, alert });
const delivered = breach('Priya Nair', { status: 'delivered', deliveredVia: ['email'], reason: null });
const emailOff = breach('Priya Nair', {
  status: 'not_sent',
  deliveredVia: [],
  reason: 'email is off, no webhook',
});

describe('the Alerted cell', () => {
  test('says whom the breach was for and whether they were told', () => {
    expect(alertWords(delivered)).toEqual({
      who: 'Priya Nair',
      what: 'by email',
      color: 'teal.8',
      title: 'Priya Nair · by email',
    });
    expect(
      alertWords(
        breach('Priya Nair', { status: 'delivered', deliveredVia: ['email', 'webhook'], reason: null }),
      ).title,
    ).toBe('Priya Nair · by email and webhook');
    expect(alertWords(emailOff)).toMatchObject({
      what: 'not sent (email is off, no webhook)',
      color: 'dimmed',
    });
    expect(
      alertWords(
        breach('Priya Nair', {
          status: 'failed',
          deliveredVia: [],
          reason: 'webhook: The receiver answered HTTP 500',
        }),
      ),
    ).toMatchObject({ what: 'failed: webhook: The receiver answered HTTP 500', color: 'red.8' });
    expect(
      alertWords(breach('Priya Nair', { status: 'pending', deliveredVia: [], reason: 'webhook: HTTP 503' })),
    ).toEqual({
      who: 'Priya Nair',
      what: 'sending…',
      color: 'dimmed',
      title: 'Priya Nair · sending…; trying again after: webhook: HTTP 503',
    });
    expect(
      alertWords(breach(null, { status: 'not_sent', deliveredVia: [], reason: 'the rep has no manager' }))
        .title,
    ).toBe('Nobody · not sent (the rep has no manager)');
  });

  test('sums up the alerts that reached nobody, and what would fix it', () => {
    expect(unheardAlertsSentence([delivered, delivered])).toBeNull();
    expect(unheardAlertsSentence([delivered, emailOff, emailOff])).toBe(
      '2 of these 3 alerts reached nobody: an admin can set up email or a webhook under Integrations.',
    );
    const demo = breach('Leo Martins', {
      status: 'not_sent',
      deliveredVia: [],
      reason: 'no message on record',
    });
    expect(unheardAlertsSentence([demo, demo])).toBe('All 2 alerts reached nobody.');
    expect(unheardAlertsSentence([demo])).toBe('This alert reached nobody.');
  });
});
