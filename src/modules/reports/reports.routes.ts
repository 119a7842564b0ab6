import type { App, AppDeps } from '../../http/types.ts';
import { canRead } from '../auth/access.ts';
import { funnelQuery, funnelReport as funnelReportSchema } from './funnel.schema.ts';
import { funnelReport } from './funnel.service.ts';

export async function reportRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/reports/funnel',
    {
      config: { access: canRead },
      schema: {
        tags: ['reports'],
        summary: 'People that reached each stage, and stage-to-stage conversion, optionally per group',
        querystring: funnelQuery,
        response: { 200: funnelReportSchema },
      },
    },
    async (request) => funnelReport(deps, request.query),
  );
}
