// What talks to the outside world for notifications: an HTTP sender for webhooks and an SMTP mailer,
// plus the retry policy. Built once in deps.ts from the config; tests build their own.
import nodemailer from 'nodemailer';

export interface DeliveryPolicy {
  /** Longest wait for one HTTP request or one SMTP conversation. */
  timeoutMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is marked failed. */
  maxAttempts: number;
  /** Wait before the second attempt; each later wait is `backoffFactor` times longer. */
  firstRetryMs: number;
  backoffFactor: number;
  /** Random spread of each wait (0.1 = ±10%), so a receiver coming back is not hit all at once. */
  jitter: number;
  maxDelayMs: number;
  /** Added to twice the timeout to make a claim's lease (see `leaseUntil`). */
  leaseMarginMs: number;
}

// 10 s, 30 s, 1.5 min, 4.5 min, ... capped at 6 h: ten attempts span about a day and a half.
export const defaultDeliveryPolicy: DeliveryPolicy = {
  timeoutMs: 5_000,
  maxAttempts: 10,
  firstRetryMs: 10_000,
  backoffFactor: 3,
  jitter: 0.1,
  maxDelayMs: 6 * 3_600_000,
  leaseMarginMs: 5_000,
};

export interface WebhookResponse {
  status: number;
  /** The start of the response body, for the delivery log. */
  body: string;
  retryAfterSeconds: number | undefined;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Notifier {
  policy: DeliveryPolicy;
  /** Throws on network errors and timeouts; any HTTP answer comes back as a response. */
  postWebhook(url: string, body: string, headers: Record<string, string>): Promise<WebhookResponse>;
  /** Absent when SMTP is not configured (LOCKSTEP_SMTP_URL). Throws when the server refuses. */
  mail: { from: string; send(message: MailMessage): Promise<{ response: string }> } | undefined;
  /** Keeps track of first attempts running in the background of a request. */
  track(work: Promise<unknown>): void;
  /** Resolves once every tracked attempt has finished (tests, shutdown). */
  settled(): Promise<void>;
}

const RESPONSE_LOG_CHARS = 500;

export function createNotifier(
  options: { smtp?: { url: string; from: string }; policy?: Partial<DeliveryPolicy> } = {},
): Notifier {
  const policy = { ...defaultDeliveryPolicy, ...options.policy };
  const inFlight = new Set<Promise<unknown>>();
  return {
    policy,
    postWebhook: (url, body, headers) => postWebhook(url, body, headers, policy.timeoutMs),
    mail: options.smtp ? createMailer(options.smtp, policy.timeoutMs) : undefined,
    track(work) {
      const settled = work.catch(() => {}).finally(() => inFlight.delete(settled));
      inFlight.add(settled);
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<WebhookResponse> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'user-agent': 'Lockstep-Webhooks/1', ...headers },
    // A redirect is an answer, not a success: following it could post the payload somewhere else.
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    status: response.status,
    body: await readStart(response, RESPONSE_LOG_CHARS),
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  };
}

/** Reads only the beginning of a response body, so a huge answer cannot fill memory. */
async function readStart(response: Response, chars: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < chars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, chars);
}

function createMailer(smtp: { url: string; from: string }, timeoutMs: number): Notifier['mail'] {
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    from: smtp.from,
    async send(message) {
      const info = await transport.sendMail({ from: smtp.from, ...message });
      return { response: info.response };
    },
  };
}
