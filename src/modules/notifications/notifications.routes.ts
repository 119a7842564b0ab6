import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canAdminister } from '../auth/access.ts';
import {
  createdEndpointSchema,
  deliveryListQuery,
  deliveryPage,
  deliverySchema,
  endpointIdParams,
  endpointInput,
  endpointPatch,
  endpointSchema,
  notificationSettingsSchema,
} from './notifications.schema.ts';
import { listDeliveries, notificationSettings } from './notifications.service.ts';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  pingEndpoint,
  setEndpointActive,
} from './webhooks.service.ts';

const tags = ['notifications'];

export async function notificationRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/webhooks',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Webhook endpoints (their secrets are never listed)',
        response: { 200: z.object({ items: z.array(endpointSchema) }) },
      },
    },
    async () => ({ items: await listEndpoints(deps) }),
  );

  app.post(
    '/api/webhooks',
    {
      config: { access: canAdminister, idempotent: true },
      schema: {
        tags,
        summary: 'Add a webhook endpoint; the answer holds its signing secret, shown only this once',
        body: endpointInput,
        response: { 201: createdEndpointSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEndpoint(deps, request.body, request.principal ?? null)),
  );

  app.patch(
    '/api/webhooks/:id',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Pause or resume an endpoint',
        params: endpointIdParams,
        body: endpointPatch,
        response: { 200: endpointSchema },
      },
    },
    async (request) => setEndpointActive(deps, request.params.id, request.body.active),
  );

  app.delete(
    '/api/webhooks/:id',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Delete an endpoint (its deliveries stay in the log)',
        params: endpointIdParams,
      },
    },
    async (request, reply) => {
      await deleteEndpoint(deps, request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/webhooks/:id/test',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Send a signed test event to the endpoint now and return what happened',
        params: endpointIdParams,
        response: { 200: deliverySchema },
      },
    },
    async (request) => pingEndpoint(deps, request.params.id, request.principal ?? null),
  );

  app.get(
    '/api/notifications/deliveries',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'The delivery log, newest first, with every attempt',
        querystring: deliveryListQuery,
        response: { 200: deliveryPage },
      },
    },
    async (request) => listDeliveries(deps, request.query),
  );

  app.get(
    '/api/notifications/settings',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Whether email is set up, and the retry policy for failed deliveries',
        response: { 200: notificationSettingsSchema },
      },
    },
    async () => notificationSettings(deps),
  );
}
