import { z } from 'zod';
import { pageQuery, timestamp } from '../../shared/schema.ts';

/** The events Lockstep sends today; endpoints may also subscribe to '*' (everything). */
export const knownEvents = {
  'lead.assigned': 'A lead became an MQL and was routed to a rep',
  'sla.breached': 'A rep did not act on an MQL in time',
  'sla.escalated': "A breach was escalated to the rep's manager",
  'webhook.test': 'A test sent from the Integrations page',
} as const;

const eventName = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/, "an event name such as 'lead.assigned', or '*'");

export const endpointInput = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2000)
    .describe('Where to POST; a Slack incoming-webhook URL works as it is'),
  events: z
    .array(eventName)
    .min(1)
    .max(50)
    .describe(`Events to receive, '*' for all. Known: ${Object.keys(knownEvents).join(', ')}`),
  description: z.string().trim().max(300).default(''),
  recipientUserId: z
    .uuid()
    .nullable()
    .default(null)
    .describe("Only this user's notifications (a rep's own channel); null for everyone's"),
});
export type EndpointInput = z.infer<typeof endpointInput>;

export const endpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  recipientUserId: z.string().nullable(),
  recipientName: z.string().nullable(),
  active: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: timestamp,
  lastDeliveryAt: timestamp.nullable(),
  lastDeliveryStatus: z.string().nullable(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

export const createdEndpointSchema = z.object({
  endpoint: endpointSchema,
  secret: z.string().describe('Signs every request (Lockstep-Signature). Shown only now: keep it.'),
});

export const endpointIdParams = z.strictObject({ id: z.uuid() });
export const endpointPatch = z.strictObject({ active: z.boolean() });

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'skipped'] as const;

export const attemptSchema = z.object({
  attemptNo: z.number().int(),
  attemptedAt: timestamp,
  durationMs: z.number().int(),
  ok: z.boolean(),
  httpStatus: z.number().int().nullable(),
  smtpResponse: z.string().nullable(),
  error: z.string().nullable(),
});

export const deliverySchema = z.object({
  id: z.uuid(),
  notificationId: z.uuid(),
  event: z.string(),
  subject: z.string(),
  recipientUserId: z.string().nullable(),
  recipientName: z.string().nullable(),
  channel: z.enum(['webhook', 'email']),
  endpointId: z.string().nullable(),
  target: z.string().describe('The URL or email address'),
  status: z.enum(deliveryStatuses),
  attemptCount: z.number().int(),
  nextAttemptAt: timestamp.nullable(),
  deliveredAt: timestamp.nullable(),
  lastError: z.string().nullable().describe('Why it failed or was skipped'),
  createdAt: timestamp,
  attempts: z.array(attemptSchema),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const notificationOutcomeSchema = z.object({
  status: z
    .enum(['delivered', 'pending', 'failed', 'not_sent'])
    .describe(
      'delivered: at least one channel reached the person; pending: being sent, or waiting for a retry; ' +
        'failed: every channel tried failed for good; not_sent: nothing went out (email off or no address, no webhook, …)',
    ),
  deliveredVia: z
    .array(z.enum(['email', 'webhook']))
    .describe('The channels that got through: the mail server accepted the email, the webhook answered 2xx'),
  reason: z
    .string()
    .nullable()
    .describe(
      'Why it is not delivered (yet), in words: "email is off, no webhook", "webhook: The receiver answered HTTP 500"; null when delivered',
    ),
});
export type NotificationOutcome = z.infer<typeof notificationOutcomeSchema>;

export const deliveryListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(deliveryStatuses).optional(),
  channel: z.enum(['webhook', 'email']).optional(),
  event: z.string().max(100).optional(),
  endpointId: z.uuid().optional(),
});
export type DeliveryListQuery = z.infer<typeof deliveryListQuery>;

export const deliveryPage = z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() });

export const notificationSettingsSchema = z.object({
  email: z.object({
    configured: z.boolean().describe('LOCKSTEP_SMTP_URL and LOCKSTEP_MAIL_FROM are set'),
    from: z.string().nullable(),
  }),
  retries: z.object({
    maxAttempts: z.number().int(),
    firstRetrySeconds: z.number(),
    backoffFactor: z.number(),
    timeoutSeconds: z.number(),
  }),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
