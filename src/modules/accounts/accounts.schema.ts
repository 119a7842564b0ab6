import { z } from 'zod';
import { attributesSchema, pageQuery, timestamp } from '../../shared/schema.ts';

export const accountInput = z.strictObject({
  externalId: z.string().trim().min(1).max(255).optional(),
  name: z.string().trim().min(1).max(300),
  domain: z.string().trim().max(255).optional(),
  industry: z.string().trim().max(200).optional(),
  employees: z.number().int().min(0).max(10_000_000).optional(),
  country: z.string().trim().max(100).optional(),
  ownerId: z.uuid().optional(),
  attributes: attributesSchema.optional(),
});
export type AccountInput = z.infer<typeof accountInput>;

export const accountPatch = accountInput.partial();

export const accountSchema = z.object({
  id: z.uuid(),
  externalId: z.string().nullable(),
  name: z.string(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number().nullable(),
  country: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  peopleCount: z.number(),
  createdAt: timestamp,
});
export type Account = z.infer<typeof accountSchema>;

export const accountListQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(200).optional().describe('Matches name or domain'),
});

/** The list's filters, for a CSV export of every account they keep. */
export const accountExportQuery = accountListQuery.omit({ limit: true, cursor: true });
export type AccountFilters = z.infer<typeof accountExportQuery>;

export const accountIdParams = z.strictObject({ id: z.uuid() });
