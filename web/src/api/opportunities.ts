import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  opportunityFacets,
  opportunityList,
  opportunityWithHistory,
  pipelineResponse,
  stageSummary,
} from '../../../src/modules/opportunities/opportunities.schema.ts';
import { apiGet, apiUrl } from './client.ts';

// `z.input` is the JSON on the wire (timestamps are ISO strings there).
export type OpportunityList = z.input<typeof opportunityList>;
export type Opportunity = OpportunityList['items'][number];
export type OpportunityTotals = OpportunityList['totals'];
export type OpportunityWithHistory = z.input<typeof opportunityWithHistory>;
export type DealTransition = OpportunityWithHistory['history'][number];
export type Pipeline = z.input<typeof pipelineResponse>;
export type OpportunityFacets = z.input<typeof opportunityFacets>;
export type StageSummary = z.input<typeof stageSummary>;

export interface OpportunityFilter {
  status?: 'open' | 'won' | 'lost';
  stage?: string;
  ownerId?: string;
  product?: string;
  personId?: string;
  q?: string;
  /** ISO time: deals in their current stage since before it. */
  stageEnteredBefore?: string;
}

const pageSize = 50;

export function useOpportunities(filter: OpportunityFilter, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: ['opportunities', filter],
    queryFn: ({ pageParam }) =>
      apiGet<OpportunityList>('/api/opportunities', {
        limit: pageSize,
        ...filter,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** The totals (count and amount per currency) of everything a filter matches. */
export function useOpportunityTotals(filter: OpportunityFilter) {
  return useQuery({
    queryKey: ['opportunities', 'totals', filter],
    queryFn: async () =>
      (await apiGet<OpportunityList>('/api/opportunities', { limit: 1, ...filter })).totals,
  });
}

export function useOpportunity(id: string | null) {
  return useQuery({
    queryKey: ['opportunities', 'one', id],
    queryFn: () => apiGet<OpportunityWithHistory>(`/api/opportunities/${id}`),
    enabled: id !== null,
  });
}

export function usePipeline() {
  return useQuery({
    queryKey: ['opportunities', 'pipeline'],
    queryFn: () => apiGet<Pipeline>('/api/opportunities/pipeline'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useOpportunityFacets() {
  return useQuery({
    queryKey: ['opportunities', 'facets'],
    queryFn: () => apiGet<OpportunityFacets>('/api/opportunities/facets'),
  });
}

/** The address of the CSV of every deal the filter keeps (the browser sends the session cookie). */
export const opportunitiesCsvUrl = (filter: OpportunityFilter): string =>
  apiUrl('/api/opportunities/export', { ...filter });

/** Deals and amounts in each stage, for the filter without its stage. */
export function useDealsByStage(filter: Omit<OpportunityFilter, 'stage'>) {
  return useQuery({
    queryKey: ['opportunities', 'by-stage', filter],
    queryFn: () => apiGet<StageSummary>('/api/opportunities/by-stage', { ...filter }),
    placeholderData: keepPreviousData,
  });
}
