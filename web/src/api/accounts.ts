import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from './client.ts';
import type { Account, AccountsPage } from './types.ts';

const pageSize = 50;

/** Accounts by name, 50 at a time; `q` matches the name or the domain. */
export function useAccounts(q: string) {
  return useInfiniteQuery({
    queryKey: ['accounts', q],
    queryFn: ({ pageParam }) =>
      apiGet<AccountsPage>('/api/accounts', { limit: pageSize, q, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useAccount(id: string | null) {
  return useQuery({
    queryKey: ['account', id],
    queryFn: () => apiGet<Account>(`/api/accounts/${id}`),
    enabled: id !== null,
  });
}

/** The address of the CSV of every account the search keeps (the browser sends the session cookie). */
export const accountsCsvUrl = (q: string): string => apiUrl('/api/accounts/export', { q });
