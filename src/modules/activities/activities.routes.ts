import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { batchBody, batchResult } from '../../shared/batch.ts';
import { canRead, canWriteRecords } from '../auth/access.ts';
import { personIdParams } from '../people/people.schema.ts';
import { activityInput, activityListQuery, activitySchema } from './activities.schema.ts';
import { listActivities, recordActivity, recordActivityBatch } from './activities.service.ts';

const tags = ['activities'];

export async function activityRoutes(app: App, deps: AppDeps) {
  app.post(
    '/api/activities',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Record an activity (page view, form submit, email open, meeting, …) on a person',
        body: activityInput,
        response: { 200: activitySchema, 201: activitySchema },
      },
    },
    async (request, reply) => {
      const { activity, created } = await recordActivity(deps, request.body, request.principal ?? null);
      return reply.status(created ? 201 : 200).send(activity);
    },
  );

  app.post(
    '/api/activities/batch',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Record up to 1,000 activities; each succeeds or is rejected on its own',
        body: batchBody('activities, each shaped like POST /api/activities'),
        response: { 200: batchResult },
      },
    },
    async (request) => recordActivityBatch(deps, request.body.items, request.principal ?? null),
  );

  app.get(
    '/api/people/:id/activities',
    {
      config: { access: canRead },
      schema: {
        tags,
        params: personIdParams,
        querystring: activityListQuery,
        response: { 200: z.object({ items: z.array(activitySchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => listActivities(deps, { personId: request.params.id, ...request.query }),
  );
}
