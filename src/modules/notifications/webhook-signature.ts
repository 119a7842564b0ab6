// The signature on every webhook: `Lockstep-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` of
// "<t>.<raw body>" keyed with the endpoint's secret. The timestamp inside the signed text is what
// stops a captured request from being replayed later. docs/webhooks.md shows a receiver.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Lockstep-Signature';
export const DELIVERY_HEADER = 'Lockstep-Delivery';

export function signWebhook(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

/**
 * True when `header` carries a valid signature of `rawBody` made with `secret` no more than
 * `toleranceSeconds` away from now. Pass the body exactly as received (before JSON parsing).
 * Several `v1=` entries are accepted (any one matching is enough), for rotating secrets.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | string[] | undefined,
  rawBody: string | Buffer,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const text = rest.join('=');
    if (key === 't' && /^\d+$/.test(text)) timestamp = Number(text);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(text)) signatures.push(text);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  return signatures.some((signature) => timingSafeEqual(expected, Buffer.from(signature, 'hex')));
}

function hmacHex(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}
