import { Readable } from 'node:stream';
import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { csvFileName } from '../../shared/csv.ts';
import { canRead, canWriteRecords } from '../auth/access.ts';
import { accountsCsv } from './accounts.export.ts';
import {
  accountExportQuery,
  accountIdParams,
  accountInput,
  accountListQuery,
  accountPatch,
  accountSchema,
} from './accounts.schema.ts';
import { getAccount, listAccounts, updateAccount, upsertAccount } from './accounts.service.ts';

const tags = ['accounts'];

export async function accountRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/accounts',
    {
      config: { access: canRead },
      schema: {
        tags,
        querystring: accountListQuery,
        response: { 200: z.object({ items: z.array(accountSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => listAccounts(deps, request.query),
  );

  app.get(
    '/api/accounts/export',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: "Every account the list's filters keep, as a CSV file (streamed, by name)",
        description:
          'One row per account: ids, name, domain, industry, employees, country, owner, how many people, the ' +
          'date created (ISO 8601 UTC), then one column per custom field. Text a spreadsheet would run as a ' +
          'formula starts with an apostrophe.',
        querystring: accountExportQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFileName('accounts', deps.clock.now())}"`)
        // A stream is piped as it is (Fastify serializes only other payloads); the schema documents it.
        .send(Readable.from(accountsCsv(deps.db, request.query)) as unknown as string),
  );

  app.get(
    '/api/accounts/:id',
    {
      config: { access: canRead },
      schema: { tags, params: accountIdParams, response: { 200: accountSchema } },
    },
    async (request) => getAccount(deps, request.params.id),
  );

  app.post(
    '/api/accounts',
    {
      config: { access: canWriteRecords, idempotent: true },
      schema: {
        tags,
        summary: 'Create an account, or update the one with the same external id or domain',
        body: accountInput,
        response: { 200: accountSchema, 201: accountSchema },
      },
    },
    async (request, reply) => {
      const { account, created } = await upsertAccount(deps, request.body);
      return reply.status(created ? 201 : 200).send(account);
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      config: { access: canWriteRecords },
      schema: { tags, params: accountIdParams, body: accountPatch, response: { 200: accountSchema } },
    },
    async (request) => updateAccount(deps, request.params.id, request.body),
  );
}
