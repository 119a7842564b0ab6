/**
 * The hand-off between marketing and sales: a rep's queue, their verdict on each MQL, field insights, and
 * who a lead is assigned to. Types come type-only from the server's zod schemas.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  dispositionBody,
  dispositionSchema,
  insightInput,
  insightSchema,
  queueItemSchema,
  queueSchema,
  reasonsSchema,
} from '../../../src/modules/feedback/feedback.schema.ts';
import type { assignmentSchema, repSchema } from '../../../src/modules/routing/routing.schema.ts';
import { ApiError, apiGet, apiPost } from './client.ts';

export type Queue = z.input<typeof queueSchema>;
export type QueueItem = z.input<typeof queueItemSchema>;
export type Disposition = z.input<typeof dispositionSchema>;
export type DispositionInput = z.input<typeof dispositionBody>;
export type Reasons = z.input<typeof reasonsSchema>;
export type RejectionReasonOption = Reasons['rejectionReasons'][number];
export type Insight = z.input<typeof insightSchema>;
export type InsightInput = z.input<typeof insightInput>;
export type Assignment = z.input<typeof assignmentSchema>;
export type Rep = z.input<typeof repSchema>;

export const queueKeys = {
  queue: (userId: string | null) => ['queue', userId] as const,
  reasons: ['feedback-reasons'] as const,
  reps: ['routing-reps'] as const,
};

/** A rep's MQLs waiting for a verdict, most urgent first; read again every minute so countdowns stay true. */
export function useQueue(userId: string | null) {
  return useQuery({
    queryKey: queueKeys.queue(userId),
    queryFn: () => apiGet<Queue>('/api/queue', { userId: userId ?? undefined }),
    refetchInterval: 60_000,
  });
}

export function useReasons() {
  return useQuery({
    queryKey: queueKeys.reasons,
    queryFn: () => apiGet<Reasons>('/api/feedback/reasons'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useReps() {
  return useQuery({
    queryKey: queueKeys.reps,
    queryFn: async () => (await apiGet<{ items: Rep[] }>('/api/routing/reps')).items,
  });
}

export interface DisposeInput extends DispositionInput {
  personId: string;
}

/** Accept or reject an MQL; the queue, the lead and the reports are read again afterwards. */
export function useDispose() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ personId, ...body }: DisposeInput) =>
      apiPost<Disposition>(`/api/people/${personId}/disposition`, body),
    onSettled: async (_data, _error, input) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['queue'] }),
        queryClient.invalidateQueries({ queryKey: ['lead', input.personId] }),
        queryClient.invalidateQueries({ queryKey: ['handoff'] }),
      ]);
    },
  });
}

export function useLogInsight() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InsightInput) => apiPost<Insight>('/api/insights', input),
    onSuccess: async (insight) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['handoff'] }),
        insight.personId ? queryClient.invalidateQueries({ queryKey: ['lead', insight.personId] }) : null,
      ]);
    },
  });
}

/** Every rep this lead was assigned to (latest last, as the API lists them). */
export function useAssignments(personId: string) {
  return useQuery({
    queryKey: ['lead', personId, 'assignments'],
    queryFn: async () => (await apiGet<{ items: Assignment[] }>(`/api/people/${personId}/assignments`)).items,
  });
}

/** Field insights logged on this lead, latest first. */
export function useLeadInsights(personId: string) {
  return useQuery({
    queryKey: ['lead', personId, 'insights'],
    queryFn: async () => (await apiGet<{ items: Insight[] }>('/api/insights', { personId, limit: 20 })).items,
  });
}

/** Sales' verdict on the lead, or null while there is none (a 404 is an answer here). */
export function useDisposition(personId: string) {
  return useQuery({
    queryKey: ['lead', personId, 'disposition'],
    queryFn: async (): Promise<Disposition | null> => {
      try {
        return await apiGet<Disposition>(`/api/people/${personId}/disposition`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** The first verdict a 409 carries, so the page can say who decided first and what. */
export function firstDispositionOf(error: unknown): Disposition | null {
  if (!(error instanceof ApiError) || error.code !== 'already_disposed') return null;
  const first = error.details?.first;
  return typeof first === 'object' && first !== null && 'decision' in first ? (first as Disposition) : null;
}
