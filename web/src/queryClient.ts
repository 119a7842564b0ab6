import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isRebuilding } from './api/client.ts';
import { sessionKeys } from './api/session.ts';

/**
 * Server state for the whole app. A 4xx is an answer, not a hiccup: it is never retried; nor is a
 * report's "being counted" (503 reports_rebuilding), which the page says at once and polls for.
 */
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
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) &&
          !isRebuilding(error) &&
          failures < 2,
      },
    },
  });
  return queryClient;
}
