// How one notification went, for those who count on it having been sent (the SLA breaches list says
// whether the person alerted was actually told): delivered and through which channels, still being
// sent, failed, or never sent, with the reason in a few words.
import type { NotificationOutcome } from './notifications.schema.ts';
import type { DeliveryFact } from './notifications.store.ts';

/** Why a delivery was skipped, as the delivery log records it (and as `notificationOutcome` reads it). */
export const skipReasons = {
  emailNotSetUp: 'Email is not set up: set LOCKSTEP_SMTP_URL and LOCKSTEP_MAIL_FROM.',
  /** After the recipient's name. */
  noEmailAddress: ' has no email address.',
  endpointPaused: 'The webhook endpoint is paused.',
} as const;

const channels = ['email', 'webhook'] as const;

/** A notification's outcome from its deliveries: one channel that got through is enough. */
export function notificationOutcome(deliveries: readonly DeliveryFact[]): NotificationOutcome {
  const deliveredVia = channels.filter((channel) =>
    deliveries.some((d) => d.channel === channel && d.status === 'delivered'),
  );
  if (deliveredVia.length > 0) return { status: 'delivered', deliveredVia, reason: null };
  for (const status of ['pending', 'failed'] as const) {
    const these = deliveries.filter((d) => d.status === status);
    if (these.length > 0) {
      // A pending delivery with an error is waiting for its retry: the error says why.
      const errors = these.flatMap((d) => (d.error ? [`${d.channel}: ${d.error}`] : []));
      return { status, deliveredVia, reason: errors.length > 0 ? errors.join('; ') : null };
    }
  }
  const words = deliveries.map(skippedWords);
  if (!deliveries.some((d) => d.channel === 'webhook')) words.push('no webhook');
  return { status: 'not_sent', deliveredVia, reason: [...new Set(words)].join(', ') };
}

function skippedWords(d: DeliveryFact): string {
  if (d.error === skipReasons.emailNotSetUp) return 'email is off';
  if (d.channel === 'email' && d.error?.endsWith(skipReasons.noEmailAddress)) return 'no email address';
  if (d.error === skipReasons.endpointPaused) return 'webhook paused';
  return `${d.channel}: ${d.error ?? 'skipped'}`;
}
