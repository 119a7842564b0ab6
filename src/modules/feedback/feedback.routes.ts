import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canRead } from '../auth/access.ts';
import { personIdParams } from '../people/people.schema.ts';
import { feedbackReport } from './feedback.report.ts';
import {
  dispositionBody,
  dispositionSchema,
  feedbackReportQuery,
  feedbackReportSchema,
  insightInput,
  insightKinds,
  insightListQuery,
  insightSchema,
  queueQuery,
  queueSchema,
  reasonsSchema,
  rejectionReasons,
} from './feedback.schema.ts';
import {
  disposeLead,
  getDisposition,
  listInsights,
  logInsight,
  nextStageOf,
  salesQueue,
} from './feedback.service.ts';

const tags = ['feedback'];
const salesOrAdmin = ['admin', 'sales'] as const;

export async function feedbackRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/feedback/reasons',
    {
      config: { access: canRead },
      schema: { tags, summary: 'Rejection reasons and insight kinds', response: { 200: reasonsSchema } },
    },
    async () => ({
      rejectionReasons: Object.entries(rejectionReasons).map(([key, label]) => ({
        key,
        label,
        nextStage: nextStageOf('rejected', key),
      })),
      insightKinds: Object.entries(insightKinds).map(([key, label]) => ({ key, label })),
    }),
  );

  app.post(
    '/api/people/:id/disposition',
    {
      config: { access: salesOrAdmin, idempotent: true },
      schema: {
        tags,
        summary:
          'Accept (→ SAL) or reject an MQL with a reason (not_now → nurture, others → disqualified). ' +
          '403 unless it is your lead; 409 with the first verdict if already decided',
        params: personIdParams,
        body: dispositionBody,
        response: { 201: dispositionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await disposeLead(deps, request.params.id, request.body, request.principal!)),
  );

  app.get(
    '/api/people/:id/disposition',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Sales’ latest verdict on this lead (404 if none yet)',
        params: personIdParams,
        response: { 200: dispositionSchema },
      },
    },
    async (request) => getDisposition(deps, request.params.id),
  );

  app.post(
    '/api/insights',
    {
      config: { access: salesOrAdmin, idempotent: true },
      schema: {
        tags,
        summary: 'Log a field insight on a lead or an account',
        body: insightInput,
        response: { 201: insightSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await logInsight(deps, request.body, request.principal!)),
  );

  app.get(
    '/api/insights',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Field insights, latest first (an account’s include its people’s)',
        querystring: insightListQuery,
        response: { 200: z.object({ items: z.array(insightSchema) }) },
      },
    },
    async (request) => ({ items: await listInsights(deps, request.query) }),
  );

  app.get(
    '/api/feedback/report',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Rejection reasons by source/campaign/segment, acceptance rate over time, insights digest',
        querystring: feedbackReportQuery,
        response: { 200: feedbackReportSchema },
      },
    },
    async (request) => feedbackReport(deps, request.query),
  );

  app.get(
    '/api/queue',
    {
      config: { access: salesOrAdmin },
      schema: {
        tags,
        summary: 'My MQLs waiting for a verdict, most urgent first (SLA time left, then fit and engagement)',
        querystring: queueQuery,
        response: { 200: queueSchema },
      },
    },
    async (request) => salesQueue(deps, request.principal!, request.query.userId),
  );
}
