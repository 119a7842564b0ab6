import { Readable } from 'node:stream';
import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { batchBody, batchResult } from '../../shared/batch.ts';
import { csvFileName } from '../../shared/csv.ts';
import { type Access, canRead } from '../auth/access.ts';
import { opportunitiesCsv } from './opportunities.export.ts';
import { loadPipeline } from './opportunities.pipeline.ts';
import {
  dealTransitionSchema,
  moveDealBody,
  opportunityExportQuery,
  opportunityFacets,
  opportunityIdParams,
  opportunityInput,
  opportunityList,
  opportunityListQuery,
  opportunityPatch,
  opportunitySchema,
  opportunityWithHistory,
  pipelineResponse,
  stageSummary,
  stageSummaryQuery,
} from './opportunities.schema.ts';
import {
  dealFacets,
  dealFilterOf,
  dealsByStage,
  getDealWithHistory,
  listDeals,
  moveDeal,
  updateDeal,
  upsertDeal,
  upsertDealsBatch,
} from './opportunities.service.ts';

const tags = ['opportunities'];
/** Deals are sales' records; marketing reads them like everyone else. */
const canWriteDeals: Access = ['admin', 'sales'];

export async function opportunityRoutes(app: App, appDeps: AppDeps) {
  // LOCKSTEP_OPPORTUNITY_STAGES is read once, when the app starts: a bad file stops the start.
  const deps = { ...appDeps, pipeline: loadPipeline() };

  app.get(
    '/api/opportunities/pipeline',
    { config: { access: canRead }, schema: { tags, response: { 200: pipelineResponse } } },
    async () => deps.pipeline,
  );

  app.get(
    '/api/opportunities/facets',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Owners and products that deals have, for filters',
        response: { 200: opportunityFacets },
      },
    },
    async () => dealFacets(deps),
  );

  app.get(
    '/api/opportunities/by-stage',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Deals and amounts in each stage of the pipeline (same filters as the list)',
        querystring: stageSummaryQuery,
        response: { 200: stageSummary },
      },
    },
    async (request) => dealsByStage(deps, request.query),
  );

  app.get(
    '/api/opportunities',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Deals, newest opened first, with the totals of everything the filters match',
        querystring: opportunityListQuery,
        response: { 200: opportunityList },
      },
    },
    async (request) => listDeals(deps, request.query),
  );

  app.get(
    '/api/opportunities/export',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: "Every deal the list's filters keep, as a CSV file (streamed, any number of deals)",
        description:
          'One row per deal, in the order they opened: ids, name, account, person, owner, amount and currency, ' +
          'product, stage (its pipeline key), dates in ISO 8601 UTC, lost reason, then one column per custom ' +
          'field. Text a spreadsheet would run as a formula starts with an apostrophe.',
        querystring: opportunityExportQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (request, reply) => {
      const filter = dealFilterOf(deps, request.query);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${csvFileName('opportunities', deps.clock.now())}"`,
          )
          // A stream is piped as it is (Fastify serializes only other payloads); the schema documents it.
          .send(Readable.from(opportunitiesCsv(deps.db, filter)) as unknown as string)
      );
    },
  );

  app.get(
    '/api/opportunities/:id',
    {
      config: { access: canRead },
      schema: { tags, params: opportunityIdParams, response: { 200: opportunityWithHistory } },
    },
    async (request) => getDealWithHistory(deps, request.params.id),
  );

  app.post(
    '/api/opportunities',
    {
      config: { access: canWriteDeals, idempotent: true },
      schema: {
        tags,
        summary: 'Create a deal, or update the one with the same external id',
        body: opportunityInput,
        response: { 200: opportunitySchema, 201: opportunitySchema },
      },
    },
    async (request, reply) => {
      const { opportunity, created } = await upsertDeal(deps, request.body, request.principal ?? null);
      return reply.status(created ? 201 : 200).send(opportunity);
    },
  );

  app.post(
    '/api/opportunities/batch',
    {
      config: { access: canWriteDeals, idempotent: true },
      schema: {
        tags,
        summary: 'Create or update up to 1,000 deals; each item succeeds or is rejected on its own',
        body: batchBody('deals, each shaped like POST /api/opportunities'),
        response: { 200: batchResult },
      },
    },
    async (request) => upsertDealsBatch(deps, request.body.items, request.principal ?? null),
  );

  app.patch(
    '/api/opportunities/:id',
    {
      config: { access: canWriteDeals },
      schema: {
        tags,
        summary: "Change a deal's fields (stages move through POST /api/opportunities/{id}/transitions)",
        params: opportunityIdParams,
        body: opportunityPatch,
        response: { 200: opportunitySchema },
      },
    },
    async (request) => updateDeal(deps, request.params.id, request.body),
  );

  app.post(
    '/api/opportunities/:id/transitions',
    {
      config: { access: canWriteDeals, idempotent: true },
      schema: {
        tags,
        summary:
          'Move a deal to another stage (409 naming the allowed moves when the pipeline does not allow it)',
        params: opportunityIdParams,
        body: moveDealBody,
        response: { 201: dealTransitionSchema },
      },
    },
    async (request, reply) => {
      const transition = await moveDeal(deps, request.params.id, request.body, request.principal ?? null);
      return reply.status(201).send(transition);
    },
  );
}
