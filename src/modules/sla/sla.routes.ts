import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canAdminister, canRead } from '../auth/access.ts';
import { repCalendar } from '../routing/routing.service.ts';
import { slaReport } from './sla.report.ts';
import {
  breachQuery,
  breachSchema,
  dueAtQuery,
  marketingPromiseInput,
  marketingPromiseSchema,
  policyIdParams,
  slaPolicyInput,
  slaPolicySchema,
  slaReportQuery,
  slaReportSchema,
} from './sla.schema.ts';
import {
  createPolicy,
  deletePolicy,
  listBreaches,
  listPolicies,
  listPromises,
  setPromise,
  updatePolicy,
} from './sla.service.ts';
import { addWorkingMinutes } from './working-hours.ts';

const tags = ['sla'];

export async function slaRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/sla/policies',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Sales SLA policies (per fit grade; grade null is the default)',
        response: { 200: z.object({ items: z.array(slaPolicySchema) }) },
      },
    },
    async () => ({ items: await listPolicies(deps) }),
  );

  app.post(
    '/api/sla/policies',
    {
      config: { access: canAdminister, idempotent: true },
      schema: {
        tags,
        summary: 'Add an SLA policy',
        body: slaPolicyInput,
        response: { 201: slaPolicySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createPolicy(deps, request.body)),
  );

  app.put(
    '/api/sla/policies/:id',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Replace an SLA policy (applies to MQLs assigned from now on)',
        params: policyIdParams,
        body: slaPolicyInput,
        response: { 200: slaPolicySchema },
      },
    },
    async (request) => updatePolicy(deps, request.params.id, request.body),
  );

  app.delete(
    '/api/sla/policies/:id',
    {
      config: { access: canAdminister },
      schema: { tags, summary: 'Delete an SLA policy', params: policyIdParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await deletePolicy(deps, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/sla/promises',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Marketing’s promises: MQL volume and minimum MQL→SQL rate per period',
        response: { 200: z.object({ items: z.array(marketingPromiseSchema) }) },
      },
    },
    async () => ({ items: await listPromises(deps) }),
  );

  app.put(
    '/api/sla/promises',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Set marketing’s promise for a period kind (week, month or quarter)',
        body: marketingPromiseInput,
        response: { 200: marketingPromiseSchema },
      },
    },
    async (request) => setPromise(deps, request.body),
  );

  app.get(
    '/api/sla/report',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'SLA compliance for both teams (same numbers as `lockstep sla report --json`)',
        querystring: slaReportQuery,
        response: { 200: slaReportSchema },
      },
    },
    async (request) => slaReport(deps, request.query),
  );

  app.get(
    '/api/sla/breaches',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Breaches and escalations, latest first: who is late, on which lead',
        querystring: breachQuery,
        response: { 200: z.object({ items: z.array(breachSchema) }) },
      },
    },
    async (request) => ({ items: await listBreaches(deps, request.query) }),
  );

  app.get(
    '/api/sla/due-at',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'When `minutes` working minutes from `at` end in this rep’s calendar',
        querystring: dueAtQuery,
        response: { 200: z.object({ dueAt: z.iso.datetime({ offset: true }), timeZone: z.string() }) },
      },
    },
    async (request) => {
      const calendar = await repCalendar(deps, request.query.userId);
      const dueAt = addWorkingMinutes(request.query.at, request.query.minutes, calendar);
      return { dueAt: dueAt.toISOString(), timeZone: calendar.timeZone };
    },
  );
}
