import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canRead, canWriteRecords } from '../auth/access.ts';
import { lifecycleResponse, moveLeadBody, personIdParams, transitionSchema } from './lifecycle.schema.ts';
import { listTransitions, moveLead } from './lifecycle.service.ts';

const tags = ['lifecycle'];

export async function lifecycleRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/lifecycle',
    { config: { access: canRead }, schema: { tags, response: { 200: lifecycleResponse } } },
    async () => deps.lifecycle,
  );

  app.get(
    '/api/people/:id/transitions',
    {
      config: { access: canRead },
      schema: {
        tags,
        params: personIdParams,
        response: { 200: z.object({ items: z.array(transitionSchema) }) },
      },
    },
    async (request) => ({ items: await listTransitions(deps, request.params.id) }),
  );

  app.post(
    '/api/people/:id/transitions',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Move a lead to another stage (refused with 409 when the lifecycle does not allow it)',
        params: personIdParams,
        body: moveLeadBody,
        response: { 201: transitionSchema },
      },
    },
    async (request, reply) => {
      const transition = await moveLead(deps, {
        personId: request.params.id,
        ...request.body,
        actor: request.principal ?? null,
      });
      return reply.status(201).send(transition);
    },
  );
}
