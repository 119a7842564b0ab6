import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  BottleneckPeriod,
  bottleneckReportSchema,
  stuckListSchema,
} from '../../../src/modules/bottlenecks/bottlenecks.schema.ts';
import type {
  createTargetBody,
  currentTargetSchema,
  targetListSchema,
  targetViewSchema,
} from '../../../src/modules/targets/targets.schema.ts';
import { apiGet, apiPost } from './client.ts';

export type TargetView = z.input<typeof targetViewSchema>;
export type TargetSummary = z.input<typeof targetListSchema>['items'][number];
export type NewTarget = z.input<typeof createTargetBody>;
export type BottleneckReport = z.input<typeof bottleneckReportSchema>;
export type BottleneckStep = BottleneckReport['steps'][number];
export type StuckGroup = BottleneckReport['stuck'][number];
export type StuckItem = z.input<typeof stuckListSchema>['items'][number];
export type { BottleneckPeriod };

const targetsKey = ['targets'] as const;

export function useTargets() {
  return useQuery({
    queryKey: targetsKey,
    queryFn: async () => (await apiGet<z.input<typeof targetListSchema>>('/api/targets')).items,
  });
}

/** The target holding today (confirmed first), or null. */
export function useCurrentTarget() {
  return useQuery({
    queryKey: [...targetsKey, 'current'],
    queryFn: async () => (await apiGet<z.input<typeof currentTargetSchema>>('/api/targets/current')).current,
  });
}

/** One target as measured; the page recomputes scenarios itself from `input`. */
export function useTarget(period: string | undefined) {
  return useQuery({
    queryKey: [...targetsKey, period],
    queryFn: () => apiGet<TargetView>(`/api/targets/${encodeURIComponent(period ?? '')}`),
    enabled: period !== undefined,
    placeholderData: keepPreviousData,
  });
}

function useTargetMutation<Input>(request: (input: Input) => Promise<TargetView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: targetsKey }),
        queryClient.invalidateQueries({ queryKey: ['bottlenecks'] }),
      ]);
    },
  });
}

export function useCreateTarget() {
  return useTargetMutation((target: NewTarget) => apiPost<TargetView>('/api/targets', target));
}

/** Confirms for the signed-in person's team (the server takes the team from the session). */
export function useConfirmTarget() {
  return useTargetMutation((period: string) =>
    apiPost<TargetView>(`/api/targets/${encodeURIComponent(period)}/confirmations`),
  );
}

export function useBottlenecks(period: BottleneckPeriod = 'this-month') {
  return useQuery({
    queryKey: ['bottlenecks', period],
    queryFn: () => apiGet<BottleneckReport>('/api/bottlenecks', { period }),
    placeholderData: keepPreviousData,
  });
}

export function useStuckItems(input: { period: BottleneckPeriod; kind?: 'lead' | 'deal'; stage?: string }) {
  return useQuery({
    queryKey: ['bottlenecks', input.period, 'stuck', input.kind ?? null, input.stage ?? null],
    queryFn: () =>
      apiGet<z.input<typeof stuckListSchema>>('/api/bottlenecks/stuck', { ...input, limit: 1000 }),
    placeholderData: keepPreviousData,
  });
}
