import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from './client.ts';
import type { ActivitiesPage, LeadScore, Lifecycle, Person, StageTransition } from './types.ts';

// Everything under ['lead', id] is read again when the lead definition changes.
export function usePerson(id: string) {
  return useQuery({ queryKey: ['lead', id, 'person'], queryFn: () => apiGet<Person>(`/api/people/${id}`) });
}

/** The score under the definition in force; null when no definition is in force yet. */
export function useLeadScore(id: string) {
  return useQuery({
    queryKey: ['lead', id, 'score'],
    queryFn: async (): Promise<LeadScore | null> => {
      try {
        return await apiGet<LeadScore>(`/api/people/${id}/score`);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'no_definition_in_force') return null;
        throw error;
      }
    },
  });
}

export function useStageHistory(id: string) {
  return useQuery({
    queryKey: ['lead', id, 'transitions'],
    queryFn: async () => (await apiGet<{ items: StageTransition[] }>(`/api/people/${id}/transitions`)).items,
  });
}

export function useRecentActivities(id: string, limit = 15) {
  return useQuery({
    queryKey: ['lead', id, 'activities', limit],
    queryFn: () => apiGet<ActivitiesPage>(`/api/people/${id}/activities`, { limit }),
  });
}

/** The stages with their labels, so a page can say "Sales-accepted" rather than "sal". */
export function useLifecycle() {
  return useQuery({
    queryKey: ['lifecycle'],
    queryFn: () => apiGet<Lifecycle>('/api/lifecycle'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
