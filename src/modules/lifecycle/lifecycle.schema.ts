import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';

export const transitionSchema = z.object({
  seq: z.number(),
  personId: z.uuid(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  occurredAt: timestamp,
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorTokenName: z.string().nullable().describe('The API token a script made the move with'),
  rule: z.string().nullable(),
  reason: z.string().nullable(),
  recordedAt: timestamp,
});

export const moveLeadBody = z.strictObject({
  to: z.string().min(1).max(64).describe('The stage key to move to, e.g. "sal".'),
  reason: z.string().trim().max(2000).optional(),
  occurredAt: timestamp.optional().describe('When it happened; defaults to now.'),
});

export const lifecycleResponse = z.object({
  entry: z.array(z.string()),
  stages: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      owner: z.enum(['marketing', 'sales', 'both']),
      funnelRank: z.number().optional(),
      next: z.array(z.string()),
    }),
  ),
});

export const personIdParams = z.strictObject({ id: z.uuid() });
