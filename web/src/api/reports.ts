import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { recountingRefetch } from '../components/RecountingNotice.tsx';
import { apiGet } from './client.ts';
import type { FunnelBreakdown, FunnelReport } from './types.ts';

export interface FunnelFilter {
  by: FunnelBreakdown;
  /** ISO timestamp: only people who entered the funnel on or after it. */
  from?: string;
}

export function useFunnelReport({ by, from }: FunnelFilter) {
  return useQuery({
    queryKey: ['reports', 'funnel', by, from ?? null],
    // The largest limit the API allows, so the table and its CSV export hold every group there is.
    queryFn: () =>
      apiGet<FunnelReport>('/api/reports/funnel', { by, from, limit: by === 'none' ? undefined : 1000 }),
    placeholderData: keepPreviousData,
    refetchInterval: recountingRefetch,
  });
}
