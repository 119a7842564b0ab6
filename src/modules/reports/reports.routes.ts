import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canRead } from '../auth/access.ts';
import { funnelQuery, funnelReport as funnelReportSchema } from './funnel.schema.ts';
import { funnelReport } from './funnel.service.ts';
import {
  recordsQuery,
  recordsResponse,
  reportNameParams,
  reportNames,
  reportQuery,
  tableReport,
} from './reports.schema.ts';
import { recordsCsv, reportRecords, runReport } from './reports.service.ts';

const tags = ['reports'];

export async function reportRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/reports/funnel',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'People that reached each stage, and stage-to-stage conversion, optionally per group',
        querystring: funnelQuery,
        response: { 200: funnelReportSchema },
      },
    },
    async (request) => funnelReport(deps, request.query),
  );

  app.get(
    '/api/reports/:name',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: `A named report (${reportNames.join(', ')}) with the shared filters: period or from/to, segment, source, campaign, team, rep`,
        params: reportNameParams,
        querystring: reportQuery,
        response: { 200: z.union([funnelReportSchema, tableReport]) },
      },
    },
    async (request) => runReport(deps, request.params.name, request.query),
  );

  app.get(
    '/api/reports/:name/records',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'The leads or deals behind one number of a report (its `cell`), as JSON or CSV',
        params: reportNameParams,
        querystring: recordsQuery,
        response: { 200: z.union([recordsResponse, z.string().describe('text/csv when format=csv')]) },
      },
    },
    async (request, reply) => {
      const records = await reportRecords(deps, request.params.name, request.query);
      if (request.query.format !== 'csv') return records;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.name}-records.csv"`)
        .send(recordsCsv(records));
    },
  );
}
