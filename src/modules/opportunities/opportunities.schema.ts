import { z } from 'zod';
import { attributesSchema, pageQuery, timestamp } from '../../shared/schema.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const opportunityInput = z.strictObject({
  externalId: text(255).optional().describe("Your CRM's id; a retried or re-sent deal never duplicates"),
  name: text(500),
  accountId: z.uuid().optional(),
  personId: z.uuid().optional().describe('The primary person: whose lead journey this deal continues'),
  ownerId: z.uuid().optional().describe('The sales rep who owns the deal'),
  amount: z.number().min(0).max(999_999_999_999).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as "USD"')
    .optional(),
  product: text(300).optional(),
  stage: z.string().min(1).max(64).optional().describe('Starting stage (default: the first entry stage)'),
  openedAt: timestamp.optional().describe('When the deal was opened in the CRM; defaults to now'),
  closedAt: timestamp.optional().describe('For a deal created already won or lost; defaults to openedAt'),
  lostReason: text(500).optional(),
  attributes: attributesSchema.optional(),
});
export type OpportunityInput = z.infer<typeof opportunityInput>;

export const opportunityPatch = opportunityInput
  .omit({ stage: true, openedAt: true, closedAt: true })
  .partial()
  .extend({ openedAt: timestamp.optional() });
export type OpportunityPatch = z.infer<typeof opportunityPatch>;

export const opportunitySchema = z.object({
  id: z.uuid(),
  externalId: z.string().nullable(),
  name: z.string(),
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  amount: z.number().nullable(),
  currency: z.string(),
  product: z.string().nullable(),
  stage: z.string(),
  stageEnteredAt: timestamp,
  openedAt: timestamp,
  closedAt: timestamp.nullable(),
  lostReason: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: timestamp,
});
export type Opportunity = z.infer<typeof opportunitySchema>;

export const dealTransitionSchema = z.object({
  seq: z.number(),
  opportunityId: z.uuid(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  occurredAt: timestamp,
  actorUserId: z.string().nullable(),
  actorTokenName: z.string().nullable().describe('The API token a script made the move with'),
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  recordedAt: timestamp,
});
export type DealTransition = z.infer<typeof dealTransitionSchema>;

export const opportunityWithHistory = opportunitySchema.extend({ history: z.array(dealTransitionSchema) });

export const moveDealBody = z.strictObject({
  to: z.string().min(1).max(64).describe('The deal stage to move to, e.g. "proposal"'),
  reason: z.string().trim().max(2000).optional().describe('Why; for a lost deal, the lost reason'),
  occurredAt: timestamp.optional().describe('When it happened; defaults to now'),
});
export type MoveDealBody = z.infer<typeof moveDealBody>;

export const opportunityListQuery = z.strictObject({
  ...pageQuery,
  stage: z.string().max(64).optional(),
  status: z.enum(['open', 'won', 'lost']).optional().describe('By the outcome of the current stage'),
  ownerId: z.uuid().optional(),
  product: z.string().max(300).optional(),
  accountId: z.uuid().optional(),
  personId: z.uuid().optional(),
  q: z.string().trim().max(200).optional().describe('Matches the deal or account name'),
  stageEnteredBefore: timestamp
    .optional()
    .describe('Deals in their current stage since before this time (with status=open: the stuck ones)'),
});
export type OpportunityListQuery = z.infer<typeof opportunityListQuery>;

/** The list's filters, for a CSV export of every deal they keep. */
export const opportunityExportQuery = opportunityListQuery.omit({ limit: true, cursor: true });
export type OpportunityFilters = z.infer<typeof opportunityExportQuery>;

export const opportunityTotals = z.object({
  count: z.number(),
  /** Sum of amounts per currency, largest first (deals in different currencies are never added up). */
  amounts: z.array(z.object({ currency: z.string(), amount: z.number(), count: z.number() })),
});

export const opportunityList = z.object({
  items: z.array(opportunitySchema),
  nextCursor: z.string().nullable(),
  totals: opportunityTotals,
});

export const pipelineResponse = z.object({
  entry: z.array(z.string()),
  stages: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      outcome: z.enum(['open', 'won', 'lost']),
      next: z.array(z.string()),
    }),
  ),
});

export const opportunityIdParams = z.strictObject({ id: z.uuid() });

export const opportunityFacets = z.object({
  owners: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
  products: z.array(z.object({ product: z.string(), count: z.number() })),
});

export const stageSummaryQuery = opportunityListQuery.omit({ limit: true, cursor: true, stage: true });
export type StageSummaryQuery = z.infer<typeof stageSummaryQuery>;

export const stageSummary = z.object({
  /** Every stage of the pipeline in order, with its deals' count and amount per currency. */
  stages: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      outcome: z.enum(['open', 'won', 'lost']),
      count: z.number(),
      amounts: z.array(z.object({ currency: z.string(), amount: z.number(), count: z.number() })),
    }),
  ),
});
