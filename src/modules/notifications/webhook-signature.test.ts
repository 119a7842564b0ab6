import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { retryDelayMs } from './delivery.ts';
import { defaultDeliveryPolicy } from './notifier.ts';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'whsec_test-secret';
const body = '{"id":"1","event":"lead.assigned","text":"héllo"}';
const at = new Date('2026-03-02T10:00:00Z');
const unix = at.getTime() / 1000;

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256, as an independent computation does', () => {
    const expected = createHmac('sha256', secret).update(`${unix}.${body}`, 'utf8').digest('hex');
    expect(signWebhook(secret, body, at)).toBe(`t=${unix},v1=${expected}`);
  });

  it('verifies a good signature, from a string or the raw bytes', () => {
    const header = signWebhook(secret, body, at);
    expect(verifyWebhookSignature(secret, header, body, { now: at })).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), { now: at })).toBe(true);
  });

  it('rejects a changed body, another secret, a garbled header or none', () => {
    const header = signWebhook(secret, body, at);
    expect(verifyWebhookSignature(secret, header, body.replace('héllo', 'hello'), { now: at })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', header, body, { now: at })).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace('t=', 'x='), body, { now: at })).toBe(false);
    expect(verifyWebhookSignature(secret, `t=${unix},v1=abc`, body, { now: at })).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, { now: at })).toBe(false);
  });

  it('rejects a replay outside the tolerance, in either direction', () => {
    const header = signWebhook(secret, body, at);
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    expect(verifyWebhookSignature(secret, header, body, { now: later(299), toleranceSeconds: 300 })).toBe(
      true,
    );
    expect(verifyWebhookSignature(secret, header, body, { now: later(301), toleranceSeconds: 300 })).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, header, body, { now: later(-301), toleranceSeconds: 300 })).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, header, body, { now: later(61), toleranceSeconds: 60 })).toBe(
      false,
    );
  });

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const good = signWebhook(secret, body, at).split(',v1=')[1];
    const header = `t=${unix},v1=${'0'.repeat(64)},v1=${good}`;
    expect(verifyWebhookSignature(secret, header, body, { now: at })).toBe(true);
  });
});

describe('retry delays', () => {
  const policy = { ...defaultDeliveryPolicy, jitter: 0 };
  it('grow by the factor and stop at the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n))).toEqual([10_000, 30_000, 90_000, 270_000]);
    expect(retryDelayMs(policy, 30)).toBe(6 * 3_600_000);
  });
  it('wait at least as long as the receiver asks (Retry-After), within the cap', () => {
    expect(retryDelayMs(policy, 1, 120)).toBe(120_000);
    expect(retryDelayMs(policy, 1, 10 ** 9)).toBe(6 * 3_600_000);
  });
  it('spread by the jitter and no more', () => {
    const jittered = { ...defaultDeliveryPolicy, jitter: 0.1 };
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(jittered, 2);
      expect(delay).toBeGreaterThanOrEqual(27_000);
      expect(delay).toBeLessThanOrEqual(33_000);
    }
  });
});

describe('SMTP settings', () => {
  it('are read from the environment, and the From address is required with them', () => {
    const config = loadConfig({
      LOCKSTEP_SMTP_URL: 'smtp://u:p@mail.example.com:587',
      LOCKSTEP_MAIL_FROM: 'a@b.c',
    });
    expect(config.smtp).toEqual({ url: 'smtp://u:p@mail.example.com:587', from: 'a@b.c' });
    expect(loadConfig({}).smtp).toBeUndefined();
    expect(() => loadConfig({ LOCKSTEP_SMTP_URL: 'smtp://mail.example.com' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ LOCKSTEP_SMTP_URL: 'http://mail.example.com', LOCKSTEP_MAIL_FROM: 'a@b.c' }),
    ).toThrow(/LOCKSTEP_SMTP_URL/);
  });
});
