import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  createdEndpointSchema,
  deliveryListQuery,
  deliverySchema,
  endpointInput,
  endpointSchema,
  knownEvents,
  notificationSettingsSchema,
} from '../../../src/modules/notifications/notifications.schema.ts';
import { apiGet, apiPost, apiSend } from './client.ts';

export type WebhookEndpoint = z.input<typeof endpointSchema>;
export type NewEndpoint = z.input<typeof endpointInput>;
export type CreatedEndpoint = z.input<typeof createdEndpointSchema>;
export type Delivery = z.input<typeof deliverySchema>;
export type DeliveryAttempt = Delivery['attempts'][number];
export type DeliveryStatus = Delivery['status'];
export type DeliveryFilter = Pick<z.input<typeof deliveryListQuery>, 'status' | 'channel' | 'endpointId'>;
export type KnownEvent = keyof typeof knownEvents;
export type NotificationSettings = z.input<typeof notificationSettingsSchema>;

/** The events a person can subscribe to, in words (the server's list, checked by the type). */
export const eventLabels = {
  'lead.assigned': 'Lead assigned to a rep',
  'sla.breached': 'SLA breached',
  'sla.escalated': 'SLA breach escalated to the manager',
  'webhook.test': 'Test sent from this page',
} as const satisfies Record<KnownEvent, string>;

const endpointsKey = ['webhooks'] as const;
const deliveriesKey = ['notification-deliveries'] as const;

export function useWebhookEndpoints() {
  return useQuery({
    queryKey: endpointsKey,
    queryFn: async () => (await apiGet<{ items: WebhookEndpoint[] }>('/api/webhooks')).items,
  });
}

/** The delivery log, newest first; pending deliveries are read again every few seconds. */
export function useDeliveries(filter: DeliveryFilter, limit = 50) {
  return useQuery({
    queryKey: [...deliveriesKey, filter, limit],
    queryFn: () =>
      apiGet<{ items: Delivery[]; nextCursor: string | null }>('/api/notifications/deliveries', {
        ...filter,
        limit,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === 'pending') ? 3000 : false),
  });
}

export function useNotificationSettings() {
  return useQuery({
    queryKey: ['notification-settings'],
    queryFn: () => apiGet<NotificationSettings>('/api/notifications/settings'),
  });
}

function useEndpointMutation<Input, Output>(request: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: endpointsKey }),
        queryClient.invalidateQueries({ queryKey: deliveriesKey }),
      ]);
    },
  });
}

export function useCreateEndpoint() {
  return useEndpointMutation((input: NewEndpoint) => apiPost<CreatedEndpoint>('/api/webhooks', input));
}

export function useTestEndpoint() {
  return useEndpointMutation((id: string) => apiPost<Delivery>(`/api/webhooks/${id}/test`));
}

export function useDeleteEndpoint() {
  return useEndpointMutation((id: string) => apiSend<void>('DELETE', `/api/webhooks/${id}`));
}

export function useSetEndpointActive() {
  return useEndpointMutation((input: { id: string; active: boolean }) =>
    apiSend<WebhookEndpoint>('PATCH', `/api/webhooks/${input.id}`, { active: input.active }),
  );
}
