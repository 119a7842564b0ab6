// One attempt at one delivery, and what happens after it: delivered, retried later by a durable job
// (exponential backoff), or failed for good. Every attempt is logged with what the other side said.
import type { AppDeps } from '../../http/types.ts';
import type { Clock } from '../../shared/clock.ts';
import * as store from './notifications.store.ts';
import type { DeliveryPolicy } from './notifier.ts';
import { skipReasons } from './outcome.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature.ts';

export const DELIVER_NOTIFICATION = 'deliver-notification';

export type NotificationDeps = Pick<AppDeps, 'db' | 'clock' | 'jobs' | 'notifier'>;

/** 'notification': retried on failure; 'test': one attempt (a ping from the Integrations page). */
export type AttemptMode = 'notification' | 'test';

/**
 * How long a claimed delivery belongs to its claimer: longer than any attempt can take, so a
 * delivery whose sender crashed becomes due again by itself, and no one else attempts it meanwhile.
 */
export function leaseUntil(clock: Clock, policy: DeliveryPolicy): Date {
  return new Date(clock.now().getTime() + 2 * policy.timeoutMs + policy.leaseMarginMs);
}

/** The wait after failed attempt `attemptNo`: firstRetry × factor^(n−1), capped, with jitter. */
export function retryDelayMs(policy: DeliveryPolicy, attemptNo: number, retryAfterSeconds?: number): number {
  const base = Math.min(policy.maxDelayMs, policy.firstRetryMs * policy.backoffFactor ** (attemptNo - 1));
  const spread = 1 + policy.jitter * (2 * Math.random() - 1);
  const asked = retryAfterSeconds ? Math.min(retryAfterSeconds * 1000, policy.maxDelayMs) : 0;
  return Math.round(Math.max(base * spread, asked));
}

/** The JSON body every webhook receives; `text` makes it a valid Slack incoming-webhook message. */
export function webhookBody(d: store.ClaimedDelivery): string {
  return JSON.stringify({
    id: d.notificationId,
    event: d.event,
    createdAt: d.createdAt.toISOString(),
    text: d.text,
    data: d.data,
  });
}

interface AttemptResult {
  ok: boolean;
  httpStatus: number | null;
  smtpResponse: string | null;
  error: string | null;
  retryAfterSeconds?: number | undefined;
  /** The receiver said 410 Gone: stop sending to it. */
  gone?: boolean;
}

export async function attemptDelivery(
  deps: NotificationDeps,
  d: store.ClaimedDelivery,
  mode: AttemptMode,
): Promise<void> {
  if (d.channel === 'webhook' && d.endpointId === null) {
    return store.closeDelivery(deps.db, d.id, 'failed', 'The webhook endpoint was deleted.');
  }
  if (d.channel === 'webhook' && d.endpointActive === false && mode === 'notification') {
    return store.closeDelivery(deps.db, d.id, 'skipped', skipReasons.endpointPaused);
  }
  if (d.channel === 'email' && !deps.notifier.mail) {
    return store.closeDelivery(deps.db, d.id, 'skipped', skipReasons.emailNotSetUp);
  }
  const attemptedAt = deps.clock.now();
  const started = performance.now();
  const result = d.channel === 'webhook' ? await sendWebhook(deps, d, attemptedAt) : await sendEmail(deps, d);
  const durationMs = Math.round(performance.now() - started);
  const policy = deps.notifier.policy;
  const finished = deps.clock.now();
  let outcome: store.DeliveryOutcome;
  if (result.ok) outcome = { status: 'delivered', at: finished };
  else if (mode === 'test' || result.gone || d.attemptNo >= policy.maxAttempts)
    outcome = { status: 'failed' };
  else {
    const nextAttemptAt = new Date(
      finished.getTime() + retryDelayMs(policy, d.attemptNo, result.retryAfterSeconds),
    );
    outcome = { status: 'pending', nextAttemptAt };
    // The retry is scheduled before the failure is written: if this process dies in between, the
    // delivery's lease runs out and that job (or the lease job) still finds it due.
    await deps.jobs.send(
      DELIVER_NOTIFICATION,
      { notificationId: d.notificationId },
      { startAfter: nextAttemptAt },
    );
  }
  await store.recordAttempt(
    deps.db,
    {
      deliveryId: d.id,
      attemptNo: d.attemptNo,
      attemptedAt,
      durationMs,
      ok: result.ok,
      httpStatus: result.httpStatus,
      smtpResponse: result.smtpResponse,
      error: result.error,
    },
    outcome,
  );
  if (result.gone && d.endpointId) await store.setEndpointActive(deps.db, d.endpointId, false);
}

async function sendWebhook(
  deps: NotificationDeps,
  d: store.ClaimedDelivery,
  at: Date,
): Promise<AttemptResult> {
  const body = webhookBody(d);
  try {
    const response = await deps.notifier.postWebhook(d.target, body, {
      [SIGNATURE_HEADER]: signWebhook(d.secret ?? '', body, at),
      [DELIVERY_HEADER]: d.id,
      'Lockstep-Event': d.event,
    });
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      httpStatus: response.status,
      smtpResponse: null,
      error: ok ? null : `The receiver answered HTTP ${response.status}${snippet(response.body)}`,
      retryAfterSeconds: response.retryAfterSeconds,
      gone: response.status === 410,
    };
  } catch (error) {
    return { ok: false, httpStatus: null, smtpResponse: null, error: describeNetworkError(error, deps) };
  }
}

async function sendEmail(deps: NotificationDeps, d: store.ClaimedDelivery): Promise<AttemptResult> {
  try {
    const info = await deps.notifier.mail!.send({ to: d.target, subject: d.subject, text: d.text });
    return { ok: true, httpStatus: null, smtpResponse: info.response, error: null };
  } catch (error) {
    const response = (error as { response?: unknown }).response;
    return {
      ok: false,
      httpStatus: null,
      smtpResponse: typeof response === 'string' ? response : null,
      error: describeNetworkError(error, deps),
    };
  }
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text ? `: ${text.slice(0, 300)}` : '';
}

function describeNetworkError(error: unknown, deps: NotificationDeps): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return `No answer within ${deps.notifier.policy.timeoutMs / 1000} s.`;
  }
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: string } | undefined)?.code ?? (error as { code?: string }).code;
  const detail = cause instanceof Error ? cause.message : error.message;
  return code && !detail.includes(code) ? `${code}: ${detail}` : detail;
}

/** The job: attempts the notification's deliveries that are due (and not claimed by anyone else). */
export async function deliverDue(deps: NotificationDeps, notificationId: string): Promise<void> {
  const claimed = await store.claimDueDeliveries(
    deps.db,
    notificationId,
    deps.clock.now(),
    leaseUntil(deps.clock, deps.notifier.policy),
  );
  await Promise.all(claimed.map((d) => attemptDelivery(deps, d, 'notification')));
}
