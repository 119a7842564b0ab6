import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost } from './client.ts';
import type { DefinitionDraft, DefinitionVersion } from './types.ts';

const definitionsKey = ['lead-definitions'] as const;

/** Every version of the lead definition, newest first. */
export function useLeadDefinitions() {
  return useQuery({
    queryKey: definitionsKey,
    queryFn: async () => (await apiGet<{ items: DefinitionVersion[] }>('/api/lead-definitions')).items,
    // While leads are re-scored under a new version, the page shows the progress as it goes.
    refetchInterval: (query) =>
      query.state.data?.some((version) => version.rescoring && !version.rescoring.finishedAt) ? 2000 : false,
  });
}

/** After a change the versions are read again, and so is every score (a version in force changes them). */
function useDefinitionMutation<Input>(request: (input: Input) => Promise<DefinitionVersion>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: definitionsKey }),
        queryClient.invalidateQueries({ queryKey: ['lead'] }),
      ]);
    },
  });
}

export function useProposeDefinition() {
  return useDefinitionMutation((draft: DefinitionDraft) =>
    apiPost<DefinitionVersion>('/api/lead-definitions', draft),
  );
}

/** Signs the version for the signed-in person's team (the server takes the team from the session). */
export function useSignDefinition() {
  return useDefinitionMutation((version: number) =>
    apiPost<DefinitionVersion>(`/api/lead-definitions/${version}/signatures`),
  );
}

export function usePublishDefinition() {
  return useDefinitionMutation((input: { version: number; effectiveFrom?: string }) =>
    apiPost<DefinitionVersion>(`/api/lead-definitions/${input.version}/publish`, {
      effectiveFrom: input.effectiveFrom,
    }),
  );
}
