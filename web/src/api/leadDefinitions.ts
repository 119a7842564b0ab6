import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost } from './client.ts';
import type {
  BacktestRun,
  DefinitionDiff,
  DefinitionDraft,
  DefinitionVersion,
  Learned,
  LearnInput,
} from './types.ts';

const definitionsKey = ['lead-definitions'] as const;

/** Every version of the lead definition, newest first. */
export function useLeadDefinitions() {
  return useQuery({
    queryKey: definitionsKey,
    queryFn: async () => (await apiGet<{ items: DefinitionVersion[] }>('/api/lead-definitions')).items,
    // While leads are re-scored under a new version, the page shows the progress as it goes.
    refetchInterval: (query) => (query.state.data?.some(isBeingRescored) ? 2000 : false),
  });
}

const rescoringStartsWithin = 10 * 60_000;

/** Re-scoring runs, or is about to: a version just put in force has no progress until its job starts. */
function isBeingRescored(version: DefinitionVersion): boolean {
  if (version.rescoring) return !version.rescoring.finishedAt;
  return (
    version.status === 'in force' &&
    version.publishedAt !== null &&
    Date.now() - Date.parse(version.publishedAt) < rescoringStartsWithin
  );
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

/** What a version changes against another; waits until there is another to compare with. */
export function useDefinitionDiff(version: number, against: number | undefined) {
  return useQuery({
    queryKey: [...definitionsKey, version, 'diff', against],
    queryFn: () => apiGet<DefinitionDiff>(`/api/lead-definitions/${version}/diff?against=${against}`),
    enabled: against !== undefined,
    // Another version picked keeps the changes on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/**
 * How a version would have done on the leads that entered in [from, to), next to the one in force.
 * A backtest of `version` over `period`, run in the background (a period can hold a million leads):
 * started once per version and period, then followed until it is done. `run` carries the progress;
 * nothing runs while there is no period.
 */
export function useBacktest(version: number, period: { from: string; to: string } | undefined) {
  const started = useQuery({
    queryKey: [...definitionsKey, version, 'backtest', period?.from, period?.to],
    queryFn: () =>
      apiPost<BacktestRun>(`/api/lead-definitions/${version}/backtests`, {
        from: period?.from,
        to: period?.to,
      }),
    // Days being chosen are not a period yet.
    enabled: period !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const id = started.data?.id;
  const followed = useQuery({
    queryKey: ['backtest-runs', id],
    queryFn: () => apiGet<BacktestRun>(`/api/backtests/${id}`),
    enabled: id !== undefined && started.data?.status === 'running',
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
  const run = followed.data ?? started.data;
  return {
    run,
    data: run?.status === 'done' ? (run.result ?? undefined) : undefined,
    error: started.error ?? followed.error,
    /** Starts the same backtest again (after a failure). */
    restart: () => started.refetch(),
  };
}

/** Fits fit points on real outcomes and saves them as a new draft, which then shows in the versions. */
export function useLearnDefinition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LearnInput) => apiPost<Learned>('/api/lead-definitions/learned', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: definitionsKey }),
  });
}
