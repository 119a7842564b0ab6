import { z } from 'zod';
import { attributesSchema, pageQuery, timestamp } from '../../shared/schema.ts';
import { grades } from '../scoring/definition.schema.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const personInput = z.strictObject({
  externalId: text(255).optional().describe("Your system's id; a retried or re-sent record never duplicates"),
  email: z.email().max(320).optional(),
  firstName: text(200).optional(),
  lastName: text(200).optional(),
  title: text(300).optional(),
  phone: text(100).optional(),
  country: text(100).optional(),
  accountId: z.uuid().optional().describe('Defaults to the account whose domain matches the email'),
  source: text(200).optional().describe('Lead source / channel, e.g. organic_search'),
  campaignId: z.uuid().optional(),
  landingPage: text(1000).optional(),
  ownerId: z.uuid().optional(),
  attributes: attributesSchema.optional(),
  stage: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Starting stage for a new person (default: the lifecycle\'s first stage, "new")'),
  createdAt: timestamp.optional().describe('When the person first appeared (for historical loads)'),
});
export type PersonInput = z.infer<typeof personInput>;

export const personPatch = personInput.omit({ stage: true, createdAt: true }).partial();
export type PersonPatch = z.infer<typeof personPatch>;

export const personSchema = z.object({
  id: z.uuid(),
  externalId: z.string().nullable(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  country: z.string().nullable(),
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  source: z.string().nullable(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  landingPage: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  stage: z.string().nullable(),
  stageEnteredAt: timestamp.nullable(),
  createdAt: timestamp,
  score: z
    .object({
      grade: z.enum(grades),
      engagementPoints: z.number(),
      isMql: z.boolean(),
      version: z.number().describe('The lead definition version that gave it'),
    })
    .nullable()
    .describe('The stored score under the lead definition; null before any definition scored this person'),
});
export type Person = z.infer<typeof personSchema>;

export const personListQuery = z.strictObject({
  ...pageQuery,
  stage: z.string().max(64).optional(),
  source: z.string().max(200).optional(),
  ownerId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  grade: z.enum(grades).optional().describe('Fit grade of the stored score'),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe(
      'A whole e-mail address finds that person; anything else matches part of the e-mail or the name',
    ),
});
export type PersonListQuery = z.infer<typeof personListQuery>;

/** The list's filters, for a CSV export of everyone they keep. */
export const personExportQuery = personListQuery.omit({ limit: true, cursor: true });
export type PersonFilters = z.infer<typeof personExportQuery>;

export const personIdParams = z.strictObject({ id: z.uuid() });
