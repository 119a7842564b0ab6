import { z } from 'zod';
import { attributesSchema, keyName, pageQuery, timestamp } from '../../shared/schema.ts';

export const activityTypes = [
  'page_view',
  'form_submit',
  'email_open',
  'email_click',
  'webinar',
  'meeting',
  'call',
  'content_download',
] as const;

export const activityInput = z
  .strictObject({
    externalId: z.string().trim().min(1).max(255).optional().describe('Makes a re-sent activity a no-op'),
    personId: z.uuid().optional(),
    personExternalId: z.string().trim().min(1).max(255).optional(),
    personEmail: z.email().max(320).optional().describe('An unknown email creates a new lead'),
    type: keyName.describe(`One of ${activityTypes.join(', ')}, or your own lower_snake type`),
    occurredAt: timestamp,
    campaignId: z.uuid().optional(),
    properties: attributesSchema.optional(),
  })
  .refine((a) => a.personId || a.personExternalId || a.personEmail, {
    message: 'name the person: personId, personExternalId or personEmail',
    path: ['personId'],
  });
export type ActivityInput = z.infer<typeof activityInput>;

export const activitySchema = z.object({
  id: z.uuid(),
  externalId: z.string().nullable(),
  personId: z.uuid(),
  type: z.string(),
  occurredAt: timestamp,
  campaignId: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  createdAt: timestamp,
});
export type Activity = z.infer<typeof activitySchema>;

export const activityListQuery = z.strictObject({
  ...pageQuery,
  type: keyName.optional(),
});
