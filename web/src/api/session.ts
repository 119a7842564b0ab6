import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, apiPost } from './client.ts';
import type { FirstAdminInput, SetupStatus, User } from './types.ts';

export const sessionKeys = {
  setup: ['setup'] as const,
  currentUser: ['current-user'] as const,
};

export function useSetupStatus() {
  return useQuery({ queryKey: sessionKeys.setup, queryFn: () => apiGet<SetupStatus>('/api/setup') });
}

/** The signed-in user, or null when nobody is signed in (a 401 is an answer here, not an error). */
export function useCurrentUser() {
  return useQuery({
    queryKey: sessionKeys.currentUser,
    queryFn: async (): Promise<User | null> => {
      try {
        return (await apiGet<{ user: User }>('/api/auth/me')).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  });
}

export interface SignInInput {
  email: string;
  password: string;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInInput) => apiPost<{ user: User }>('/api/auth/sign-in', input),
    onSuccess: ({ user }) => queryClient.setQueryData(sessionKeys.currentUser, user),
  });
}

export function useCreateFirstAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: FirstAdminInput) => apiPost<{ user: User }>('/api/setup', input),
    onSuccess: ({ user }) => {
      queryClient.setQueryData<SetupStatus>(sessionKeys.setup, { needsSetup: false, demoAdminEmail: null });
      queryClient.setQueryData(sessionKeys.currentUser, user);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiPost<void>('/api/auth/sign-out'),
    onSettled: () => {
      // Show the sign-in page, and forget everything the previous user could see.
      queryClient.setQueryData(sessionKeys.currentUser, null);
      const kept: unknown[] = [sessionKeys.setup[0], sessionKeys.currentUser[0]];
      queryClient.removeQueries({ predicate: (query) => !kept.includes(query.queryKey[0]) });
    },
  });
}
