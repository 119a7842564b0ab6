// The report catalogue: every shared number by name, with one set of filters, one definition each.
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { loadPipeline } from '../opportunities/opportunities.pipeline.ts';
import { attributionOptions, attributionReport } from './attribution.query.ts';
import { breakdownOptions, breakdownReport } from './breakdown.query.ts';
import { cohortsOptions, cohortsReport } from './cohorts.query.ts';
import { costOptions, costReport } from './cost.query.ts';
import { refreshDealFacts } from './deals.refresh.ts';
import { type FunnelReport, funnelQuery } from './funnel.schema.ts';
import { funnelReport } from './funnel.service.ts';
import { pipelineOptions, pipelineReport } from './pipeline.query.ts';
import { listRecords, recordsCsv } from './records.query.ts';
import { decodeCell } from './reports.cells.ts';
import type { ReportContext } from './reports.dimensions.ts';
import type { DealOutcomes } from './reports.facts.ts';
import { filterNames, filterShape, resolveFilters } from './reports.filters.ts';
import {
  combineRecounting,
  type Recounting,
  refreshLeadStages,
  refreshOptions,
  withoutJit,
} from './reports.refresh.ts';
import { type RecordsResponse, type ReportName, reportNames, type TableReport } from './reports.schema.ts';
import { velocityOptions, velocityReport } from './velocity.query.ts';

export interface ReportsDeps {
  db: Db;
  lifecycle: LifecycleConfig;
  clock: Clock;
  /** The server's queue: a large first count then runs in the background instead of the request. */
  jobs?: JobQueue;
  config?: { recountInBackgroundFrom?: number | undefined };
}

type Options = Record<string, z.ZodType>;

/** Each report's run takes its own parsed options (checked by its zod options when parsed). */
type Run = (ctx: ReportContext, options: never) => Promise<TableReport>;

/** Every report by name: its own options (beyond the shared filters) and the query that answers it. */
const catalogue: Record<Exclude<ReportName, 'funnel'>, { options: Options; run: Run }> = {
  velocity: { options: velocityOptions, run: velocityReport },
  cohorts: { options: cohortsOptions, run: cohortsReport },
  breakdown: { options: breakdownOptions, run: breakdownReport },
  pipeline: { options: pipelineOptions, run: pipelineReport },
  attribution: { options: attributionOptions, run: attributionReport },
  cost: { options: costOptions, run: costReport },
};

let pipelineOutcomes: DealOutcomes | undefined;
/** Which deal stages count as won and lost (the deal pipeline's outcomes). */
export function dealOutcomes(): DealOutcomes {
  if (!pipelineOutcomes) {
    const pipeline = loadPipeline();
    const keys = (outcome: string) => pipeline.stages.filter((s) => s.outcome === outcome).map((s) => s.key);
    pipelineOutcomes = { won: keys('won'), lost: keys('lost') };
  }
  return pipelineOutcomes;
}

function checkName(name: string): ReportName {
  if (!(reportNames as readonly string[]).includes(name)) {
    throw new AppError(
      'validation_failed',
      `There is no report "${name}". Reports: ${reportNames.join(', ')}.`,
      {
        name,
        allowed: reportNames,
      },
    );
  }
  return name as ReportName;
}

/** Parses the flat query string of a report; unknown options and bad values name what is allowed. */
function parseQuery<T>(
  name: string,
  schema: z.ZodType<T>,
  allowed: string[],
  query: Record<string, unknown>,
): T {
  const repeated = Object.entries(query).find(([, value]) => Array.isArray(value));
  if (repeated) {
    throw new AppError('validation_failed', `querystring.${repeated[0]}: give it once`, {
      field: repeated[0],
    });
  }
  const unknown = Object.keys(query).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `The ${name} report has no option ${unknown.map((k) => `"${k}"`).join(', ')}. Allowed: ${allowed.join(', ')}.`,
      { unknown, allowed },
    );
  }
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    throw new AppError('validation_failed', `querystring.${field}: ${issue?.message}`, {
      issues: parsed.error.issues.map((i) => ({
        where: `querystring.${i.path.join('.')}`,
        message: i.message,
      })),
    });
  }
  return parsed.data;
}

/** What a report query needs, with the per-lead stage table brought up to date first (or recounting). */
async function context(
  deps: ReportsDeps,
  filters: ReportContext['filters'],
): Promise<{ ctx: ReportContext; recounting: Recounting | undefined }> {
  const stages = funnelStages(deps.lifecycle);
  const recounting = await refreshLeadStages(deps.db, stages, refreshOptions(deps));
  return { ctx: { db: deps.db, stages, outcomes: dealOutcomes(), filters }, recounting };
}

export async function runReport(
  deps: ReportsDeps,
  rawName: string,
  query: Record<string, unknown>,
): Promise<FunnelReport | TableReport> {
  const name = checkName(rawName);
  if (name === 'funnel') {
    const allowed = [...filterNames, 'by', 'limit'];
    return funnelReport(deps, parseQuery(name, funnelQuery, allowed, query));
  }
  const entry = catalogue[name];
  const schema = z.object({ ...filterShape, ...entry.options });
  const parsed = parseQuery(name, schema, [...filterNames, ...Object.keys(entry.options)], query) as Record<
    string,
    unknown
  >;
  const filters = resolveFilters(parsed, deps.clock);
  const { ctx, recounting: leads } = await context(deps, filters);
  // The deal reports read the deal pre-aggregates: brought up to date like the lead ones.
  const deals =
    name === 'pipeline' || name === 'attribution'
      ? await refreshDealFacts(deps.db, ctx.stages, ctx.outcomes, refreshOptions(deps))
      : undefined;
  const recounting = combineRecounting(leads, deals);
  const report = await withoutJit(deps.db, (db) => entry.run({ ...ctx, db }, parsed as never));
  return recounting ? { ...report, recounting } : report;
}

export async function reportRecords(
  deps: ReportsDeps,
  rawName: string,
  query: { cell: string; limit: number },
): Promise<RecordsResponse> {
  checkName(rawName);
  const spec = decodeCell(query.cell);
  const { filters: _, ...ctx } = (await context(deps, resolveFilters({}, deps.clock))).ctx;
  return withoutJit(deps.db, (db) => listRecords({ ...ctx, db }, spec, query.limit));
}

export { recordsCsv };
