import type { App, AppDeps } from '../../http/types.ts';
import { canRead } from '../auth/access.ts';
import {
  bottleneckQuery,
  bottleneckReportSchema,
  stuckListSchema,
  stuckQuery,
} from './bottlenecks.schema.ts';
import { bottleneckReport, listStuckItems } from './bottlenecks.service.ts';

const tags = ['bottlenecks'];

export async function bottleneckRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/bottlenecks',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary:
          'Where the funnel leaks most: each step against its own baseline (with a significance test) and ' +
          'against what the target needs, stuck leads and deals, and the revenue trapped there',
        querystring: bottleneckQuery,
        response: { 200: bottleneckReportSchema },
      },
    },
    async (request) => bottleneckReport(deps, request.query),
  );

  app.get(
    '/api/bottlenecks/stuck',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary:
          "Leads and deals in their stage longer than the stage's p90 time, longest first, with owner and age",
        querystring: stuckQuery,
        response: { 200: stuckListSchema },
      },
    },
    async (request) => listStuckItems(deps, request.query),
  );
}
