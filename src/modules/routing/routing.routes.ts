import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canAdminister, canRead } from '../auth/access.ts';
import { personIdParams } from '../people/people.schema.ts';
import {
  assignBody,
  assignmentSchema,
  repSchema,
  repSettingsInput,
  routingRuleInput,
  routingRuleSchema,
  ruleIdParams,
  userIdParams,
} from './routing.schema.ts';
import {
  createRule,
  deleteRule,
  listAssignments,
  listReps,
  listRules,
  reassignLead,
  updateRepSettings,
  updateRule,
} from './routing.service.ts';

const tags = ['routing'];

export async function routingRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/routing/reps',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Sales reps with their calendar, capacity, weight, manager and current load',
        response: { 200: z.object({ items: z.array(repSchema) }) },
      },
    },
    async () => ({ items: await listReps(deps) }),
  );

  app.patch(
    '/api/routing/reps/:userId',
    {
      config: { access: ['admin', 'sales'] },
      schema: {
        tags,
        summary: 'Change a rep’s settings (admins: all; a rep: their own calendar and out-of-office)',
        params: userIdParams,
        body: repSettingsInput,
        response: { 200: repSchema },
      },
    },
    async (request) => updateRepSettings(deps, request.params.userId, request.body, request.principal!),
  );

  app.get(
    '/api/routing/rules',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Routing rules in the order they are tried (after the account owner, before round-robin)',
        response: { 200: z.object({ items: z.array(routingRuleSchema) }) },
      },
    },
    async () => ({ items: await listRules(deps) }),
  );

  app.post(
    '/api/routing/rules',
    {
      config: { access: canAdminister, idempotent: true },
      schema: {
        tags,
        summary: 'Add a routing rule',
        body: routingRuleInput,
        response: { 201: routingRuleSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createRule(deps, request.body)),
  );

  app.put(
    '/api/routing/rules/:id',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Replace a routing rule',
        params: ruleIdParams,
        body: routingRuleInput,
        response: { 200: routingRuleSchema },
      },
    },
    async (request) => updateRule(deps, request.params.id, request.body),
  );

  app.delete(
    '/api/routing/rules/:id',
    {
      config: { access: canAdminister },
      schema: { tags, summary: 'Delete a routing rule', params: ruleIdParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await deleteRule(deps, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/people/:id/assignments',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'Every rep this lead was assigned to, with the rule that chose them and the SLA due times',
        params: personIdParams,
        response: { 200: z.object({ items: z.array(assignmentSchema) }) },
      },
    },
    async (request) => ({ items: await listAssignments(deps, request.params.id) }),
  );

  app.post(
    '/api/people/:id/assignment',
    {
      config: { access: canAdminister, idempotent: true },
      schema: {
        tags,
        summary: 'Re-assign an MQL: to a named rep, or by the routing rules again (new SLA timers start)',
        params: personIdParams,
        body: assignBody,
        response: { 201: assignmentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await reassignLead(deps, request.params.id, {
          ...(request.body.userId ? { userId: request.body.userId } : {}),
          reason: request.body.reason ?? 're-assigned by an admin',
        }),
      ),
  );
}
