import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from './client.ts';
import type { PeoplePage } from './types.ts';

export interface PeopleFilter {
  q?: string;
  stage?: string;
  source?: string;
  grade?: string;
  accountId?: string;
}

const pageSize = 50;

/** The address of the CSV of everyone the filters keep (the browser sends the session cookie). */
export const peopleCsvUrl = (filter: PeopleFilter): string => apiUrl('/api/people/export', { ...filter });

export function usePeople(filter: PeopleFilter) {
  return useInfiniteQuery({
    queryKey: ['people', filter],
    queryFn: ({ pageParam }) =>
      apiGet<PeoplePage>('/api/people', { limit: pageSize, ...filter, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
