import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { batchBody, batchResult } from '../../shared/batch.ts';
import { canRead, canWriteRecords } from '../auth/access.ts';
import { personIdParams, personInput, personListQuery, personPatch, personSchema } from './people.schema.ts';
import { getPerson, listPeople, updatePerson, upsertPeopleBatch, upsertPerson } from './people.service.ts';

const tags = ['people'];

export async function peopleRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/people',
    {
      config: { access: canRead },
      schema: {
        tags,
        querystring: personListQuery,
        response: { 200: z.object({ items: z.array(personSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => listPeople(deps, request.query),
  );

  app.get(
    '/api/people/:id',
    {
      config: { access: canRead },
      schema: { tags, params: personIdParams, response: { 200: personSchema } },
    },
    async (request) => getPerson(deps, request.params.id),
  );

  app.post(
    '/api/people',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Create a person, or update the one with the same external id or email',
        body: personInput,
        response: { 200: personSchema, 201: personSchema },
      },
    },
    async (request, reply) => {
      const { person, created } = await upsertPerson(deps, request.body, request.principal ?? null);
      return reply.status(created ? 201 : 200).send(person);
    },
  );

  app.post(
    '/api/people/batch',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Create or update up to 1,000 people; each item succeeds or is rejected on its own',
        body: batchBody('people, each shaped like POST /api/people'),
        response: { 200: batchResult },
      },
    },
    async (request) => upsertPeopleBatch(deps, request.body.items, request.principal ?? null),
  );

  app.patch(
    '/api/people/:id',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary: "Change a person's fields (stages move through POST /api/people/{id}/transitions)",
        params: personIdParams,
        body: personPatch,
        response: { 200: personSchema },
      },
    },
    async (request) => updatePerson(deps, request.params.id, request.body),
  );
}
