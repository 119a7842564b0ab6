import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  repSettingsInput,
  routingRuleInput,
  routingRuleSchema,
} from '../../../src/modules/routing/routing.schema.ts';
import type {
  breachSchema,
  marketingPromiseInput,
  marketingPromiseSchema,
  slaPolicyInput,
  slaPolicySchema,
  slaReportQuery,
  slaReportSchema,
} from '../../../src/modules/sla/sla.schema.ts';
import { apiGet, apiPost, apiSend } from '../api/client.ts';
import { queueKeys, type Rep } from '../api/queue.ts';

export type SlaReport = z.input<typeof slaReportSchema>;
export type ComplianceRow = SlaReport['sales']['total'];
export type MarketingRow = SlaReport['marketing']['rows'][number];
export type SlaReportBy = NonNullable<z.input<typeof slaReportQuery>['by']>;
export type PromisePeriod = NonNullable<z.input<typeof slaReportQuery>['period']>;
export type Breach = z.input<typeof breachSchema>;
export type SlaPolicy = z.input<typeof slaPolicySchema>;
export type SlaPolicyInput = z.input<typeof slaPolicyInput>;
export type MarketingPromise = z.input<typeof marketingPromiseSchema>;
export type MarketingPromiseInput = z.input<typeof marketingPromiseInput>;
export type RoutingRule = z.input<typeof routingRuleSchema>;
export type RoutingRuleInput = z.input<typeof routingRuleInput>;
export type RoutingCondition = RoutingRuleInput['conditions'][number];
export type RepSettingsInput = z.input<typeof repSettingsInput>;

const keys = {
  report: ['handoff', 'sla-report'] as const,
  breaches: ['handoff', 'sla-breaches'] as const,
  policies: ['sla-policies'] as const,
  promises: ['sla-promises'] as const,
  rules: ['routing-rules'] as const,
};

export function useSlaReport(query: { by: SlaReportBy; period: PromisePeriod; from: string }) {
  return useQuery({
    queryKey: [...keys.report, query],
    queryFn: () => apiGet<SlaReport>('/api/sla/report', query),
    placeholderData: keepPreviousData,
  });
}

export function useBreaches(limit = 50) {
  return useQuery({
    queryKey: [...keys.breaches, limit],
    queryFn: async () => (await apiGet<{ items: Breach[] }>('/api/sla/breaches', { limit })).items,
  });
}

export function useSlaPolicies() {
  return useQuery({
    queryKey: keys.policies,
    queryFn: async () => (await apiGet<{ items: SlaPolicy[] }>('/api/sla/policies')).items,
  });
}

export function useMarketingPromises() {
  return useQuery({
    queryKey: keys.promises,
    queryFn: async () => (await apiGet<{ items: MarketingPromise[] }>('/api/sla/promises')).items,
  });
}

export function useRoutingRules() {
  return useQuery({
    queryKey: keys.rules,
    queryFn: async () => (await apiGet<{ items: RoutingRule[] }>('/api/routing/rules')).items,
  });
}

/** A settings change; afterwards the settings and both teams' numbers are read again. */
function useSettingsMutation<Input, Output>(request: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      await Promise.all(
        [keys.policies, keys.promises, keys.rules, queueKeys.reps, ['handoff']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      );
    },
  });
}

export function useSavePolicy() {
  return useSettingsMutation(({ id, input }: { id: string | null; input: SlaPolicyInput }) =>
    id
      ? apiSend<SlaPolicy>('PUT', `/api/sla/policies/${id}`, input)
      : apiPost<SlaPolicy>('/api/sla/policies', input),
  );
}

export function useDeletePolicy() {
  return useSettingsMutation((id: string) => apiSend<void>('DELETE', `/api/sla/policies/${id}`));
}

export function useSetPromise() {
  return useSettingsMutation((input: MarketingPromiseInput) =>
    apiSend<MarketingPromise>('PUT', '/api/sla/promises', input),
  );
}

export function useSaveRule() {
  return useSettingsMutation(({ id, input }: { id: string | null; input: RoutingRuleInput }) =>
    id
      ? apiSend<RoutingRule>('PUT', `/api/routing/rules/${id}`, input)
      : apiPost<RoutingRule>('/api/routing/rules', input),
  );
}

export function useDeleteRule() {
  return useSettingsMutation((id: string) => apiSend<void>('DELETE', `/api/routing/rules/${id}`));
}

export function useUpdateRep() {
  return useSettingsMutation(({ userId, input }: { userId: string; input: RepSettingsInput }) =>
    apiSend<Rep>('PATCH', `/api/routing/reps/${userId}`, input),
  );
}
