import { Readable } from 'node:stream';
import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { batchBody, batchResult } from '../../shared/batch.ts';
import { csvFileName } from '../../shared/csv.ts';
import { canRead, canWriteRecords } from '../auth/access.ts';
import { peopleCsv } from './people.export.ts';
import {
  personExportQuery,
  personIdParams,
  personInput,
  personListQuery,
  personPatch,
  personSchema,
} from './people.schema.ts';
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
    '/api/people/export',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: "Everyone the list's filters keep, as a CSV file (streamed, any number of people)",
        description:
          'One row per person, oldest first: ids, contact fields, account, source, campaign, owner, stage (its ' +
          'lifecycle key), dates in ISO 8601 UTC, the stored score, then one column per custom field. Text a ' +
          'spreadsheet would run as a formula starts with an apostrophe.',
        querystring: personExportQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFileName('people', deps.clock.now())}"`)
        // A stream is piped as it is (Fastify serializes only other payloads); the schema documents it.
        .send(Readable.from(peopleCsv(deps.db, request.query)) as unknown as string),
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
