import type { App, AppDeps } from '../../http/types.ts';
import { canAdminister, canRead, canWriteRecords } from '../auth/access.ts';
import {
  createTargetBody,
  currentTargetSchema,
  periodParams,
  scenarioQuery,
  targetListSchema,
  targetViewSchema,
} from './targets.schema.ts';
import { confirmTarget, createTarget, currentTarget, getTarget, listTargets } from './targets.service.ts';

const tags = ['targets'];

export async function targetRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/targets',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Every revenue target, with whether both teams confirmed it',
        response: { 200: targetListSchema },
      },
    },
    async () => listTargets(deps),
  );

  app.get(
    '/api/targets/current',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary:
          'The target whose period holds today, with its plan, pacing and forecast (null when there is none)',
        response: { 200: currentTargetSchema },
      },
    },
    async () => ({ current: await currentTarget(deps) }),
  );

  app.post(
    '/api/targets',
    {
      config: { access: canAdminister, idempotent: true },
      schema: {
        tags,
        summary:
          'Set the revenue target of a quarter or month (a draft until marketing and sales confirm it)',
        body: createTargetBody,
        response: { 201: targetViewSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTarget(deps, request.body, request.principal!)),
  );

  app.get(
    '/api/targets/:period',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'A target as a reverse funnel, with pacing and forecast; scenario overrides in the query',
        params: periodParams,
        querystring: scenarioQuery,
        response: { 200: targetViewSchema },
      },
    },
    async (request) => getTarget(deps, request.params.period, request.query),
  );

  app.post(
    '/api/targets/:period/confirmations',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary: 'Confirm the target for your team (one marketing and one sales confirmation make it count)',
        params: periodParams,
        response: { 201: targetViewSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await confirmTarget(deps, request.params.period, request.principal!)),
  );
}
