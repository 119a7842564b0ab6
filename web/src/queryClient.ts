import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client.ts';
import { sessionKeys } from './api/session.ts';

/** Server state for the whole app. A 4xx is an answer, not a hiccup: it is never retried. */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        // The session ended (expired or signed out elsewhere): show the sign-in page again.
        if (error instanceof ApiError && error.status === 401) {
          queryClient.setQueryData(sessionKeys.currentUser, null);
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
  return queryClient;
}
