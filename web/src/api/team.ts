/**
 * The team: who signs in, their role and team, who approves lead definitions, and the API tokens
 * scripts call with. Types come type-only from the server's zod schemas.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  createdToken,
  createdUser,
  createTokenBody,
  createUserBody,
  resetPassword,
  tokenSchema,
  updateUserBody,
} from '../../../src/modules/auth/auth.schema.ts';
import { apiGet, apiPost, apiSend } from './client.ts';
import { sessionKeys } from './session.ts';
import type { User } from './types.ts';

export type NewTeammate = z.input<typeof createUserBody>;
export type AddedTeammate = z.input<typeof createdUser>;
export type TeammateChange = z.input<typeof updateUserBody>;
export type ApiToken = z.input<typeof tokenSchema>;
export type NewApiToken = z.input<typeof createTokenBody>;
export type CreatedApiToken = z.input<typeof createdToken>;
export type NewPassword = z.input<typeof resetPassword>;

export const teamKeys = {
  users: ['team-users'] as const,
  tokens: ['api-tokens'] as const,
};

/** Everyone on the team: active first, admins first, then by name (the server's order). */
export function useTeam() {
  return useQuery({
    queryKey: teamKeys.users,
    queryFn: async () => (await apiGet<{ items: User[] }>('/api/users')).items,
  });
}

/**
 * After a change the team is read again, and so is the signed-in person: an admin may have changed
 * their own role, team or approver mark, and what the pages offer them follows.
 */
function useTeamMutation<Input, Output>(request: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: teamKeys.users }),
        queryClient.invalidateQueries({ queryKey: sessionKeys.currentUser }),
      ]);
    },
  });
}

/** Adds a teammate; without a password the answer carries the generated one, shown once. */
export function useAddTeammate() {
  return useTeamMutation((input: NewTeammate) => apiPost<AddedTeammate>('/api/users', input));
}

/** Changes a teammate's team, role or approver mark, or turns their account off (active: false) and on. */
export function useChangeTeammate() {
  return useTeamMutation(({ id, change }: { id: string; change: TeammateChange }) =>
    apiSend<User>('PATCH', `/api/users/${id}`, change),
  );
}

/** An admin gives a teammate a new password (the answer is the only time it is seen); their sessions end. */
export function useResetPassword() {
  return useMutation({
    mutationFn: (id: string) => apiPost<NewPassword>(`/api/users/${id}/password`),
  });
}

/** The signed-in person changes their own password; their other sessions end. */
export function useChangeOwnPassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      apiPost<null>('/api/auth/password', input),
  });
}

/** Every API token, live first (admins only). */
export function useApiTokens() {
  return useQuery({
    queryKey: teamKeys.tokens,
    queryFn: async () => (await apiGet<{ items: ApiToken[] }>('/api/tokens')).items,
  });
}

function useTokenMutation<Input, Output>(request: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.tokens }),
  });
}

/** Creates a token; the answer is the only time its secret is seen. */
export function useCreateApiToken() {
  return useTokenMutation((input: NewApiToken) => apiPost<CreatedApiToken>('/api/tokens', input));
}

/** Revokes a token: its next request answers 401. */
export function useRevokeApiToken() {
  return useTokenMutation((id: string) => apiSend<ApiToken>('DELETE', `/api/tokens/${id}`));
}
