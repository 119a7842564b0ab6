import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canAdminister, canRead, canWriteRecords } from '../auth/access.ts';
import { personIdParams } from '../people/people.schema.ts';
import { backtestDefinition, getBacktestRun, startBacktest } from './backtest.service.ts';
import {
  diffVersions,
  getDefinition,
  listDefinitions,
  proposeDefinition,
  publishDefinition,
  signDefinition,
} from './definitions.service.ts';
import { explainLeadScore } from './lead-score.service.ts';
import { learnDefinition } from './learned.service.ts';
import {
  backtestQuery,
  backtestRunParams,
  backtestRunSchema,
  backtestSchema,
  definitionDiffSchema,
  definitionVersionSchema,
  diffQuery,
  leadScoreSchema,
  learnBody,
  learnedSchema,
  proposeBody,
  publishBody,
  versionParams,
} from './scoring.schema.ts';

const tags = ['lead definition'];

export async function scoringRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/lead-definitions',
    {
      config: { access: canRead },
      schema: { tags, response: { 200: z.object({ items: z.array(definitionVersionSchema) }) } },
    },
    async () => ({ items: await listDefinitions(deps) }),
  );

  app.get(
    '/api/lead-definitions/:version',
    {
      config: { access: canRead },
      schema: { tags, params: versionParams, response: { 200: definitionVersionSchema } },
    },
    async (request) => getDefinition(deps, request.params.version),
  );

  app.post(
    '/api/lead-definitions',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Propose a new version (a draft); refused with the rule and the reason when it cannot work',
        body: proposeBody,
        response: { 201: definitionVersionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await proposeDefinition(deps, request.body, request.principal!)),
  );

  app.post(
    '/api/lead-definitions/:version/signatures',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary: 'Sign this exact version for your team (one marketing and one sales signature are needed)',
        params: versionParams,
        response: { 201: definitionVersionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await signDefinition(deps, request.params.version, request.principal!)),
  );

  app.post(
    '/api/lead-definitions/:version/publish',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Publish a version both teams signed; it takes effect at effectiveFrom',
        params: versionParams,
        body: publishBody,
        response: { 200: definitionVersionSchema },
      },
    },
    async (request) =>
      publishDefinition(deps, { version: request.params.version, ...request.body }, request.principal!),
  );

  app.get(
    '/api/people/:id/score',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: "The lead's score under the definition in force, with each rule that gave points",
        params: personIdParams,
        response: { 200: leadScoreSchema },
      },
    },
    async (request) => explainLeadScore(deps, request.params.id),
  );

  app.get(
    '/api/lead-definitions/:version/diff',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'What changed between this version and another (default: the one in force)',
        params: versionParams,
        querystring: diffQuery,
        response: { 200: definitionDiffSchema },
      },
    },
    async (request) => diffVersions(deps, request.params.version, request.query.against),
  );

  app.get(
    '/api/lead-definitions/:version/backtest',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'How many MQLs this version would have made in a past period, and what became of them',
        params: versionParams,
        querystring: backtestQuery,
        response: { 200: backtestSchema },
      },
    },
    async (request) => backtestDefinition(deps, { version: request.params.version, ...request.query }),
  );

  app.post(
    '/api/lead-definitions/:version/backtests',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary:
          'Start the same backtest in the background, with progress (a period can hold a million leads); ' +
          'the run of this version over this period still going is returned instead of a second one',
        params: versionParams,
        body: backtestQuery,
        response: { 202: backtestRunSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(
        await startBacktest(deps, {
          version: request.params.version,
          ...request.body,
          requestedBy: request.principal!.userId,
        }),
      ),
  );

  app.get(
    '/api/backtests/:id',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'A backtest started in the background: its progress, then its result',
        params: backtestRunParams,
        response: { 200: backtestRunSchema },
      },
    },
    async (request) => getBacktestRun(deps, request.params.id),
  );

  app.post(
    '/api/lead-definitions/learned',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary:
          'Learn fit points from real outcomes and propose them as a draft, with held-out AUC and lift',
        body: learnBody,
        response: { 201: learnedSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await learnDefinition(deps, request.body, request.principal!)),
  );
}
