// One batch of an opportunities file, in the batch's transaction: accounts (merged before), then
// deals, their stage moves, and the lead journey of their people (the rule in opportunities.service.ts).
import type { DbSession } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { allowedNext } from '../lifecycle/lifecycle.rules.ts';
import {
  assertDealMoveAllowed,
  dealStage,
  type PipelineConfig,
} from '../opportunities/opportunities.pipeline.ts';
import { LEAD_JOURNEY_RULE } from '../opportunities/opportunities.service.ts';
import * as store from './import.deals.store.ts';
import { type ImportProblem, PROBLEMS_KEPT } from './import.report.ts';

export interface DealBatchOptions {
  pipeline: PipelineConfig;
  lifecycle: LifecycleConfig;
  now: Date;
  /** The CRM name that prefixes external ids (owners are matched as `<source>:<value>`). */
  source: string;
  reason: string;
}

export interface DealBatchOutcome {
  created: number;
  updated: number;
  transitions: number;
  warnings: [number, string][];
  counted: { count: number; firstFew: ImportProblem[] };
}

export async function mergeDealBatch(
  session: DbSession,
  batch: number,
  options: DealBatchOptions,
): Promise<DealBatchOutcome> {
  const warnings: [number, string][] = [];
  await store.resolveDealRows(session, batch, options.source);
  const counted = await store.dealWarnings(session, PROBLEMS_KEPT);
  const changedLines = new Set(await store.updateExistingDeals(session));

  const moves: Parameters<typeof store.moveExistingDeals>[1] = [];
  const closedLines: number[] = [];
  for (const change of await store.dealStageChanges(session)) {
    try {
      assertImportedMoveAllowed(options.pipeline, change.current, change.to);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      warnings.push([
        change.line,
        `deal stage not changed: ${error.message} (the rest of the row was imported)`,
      ]);
      continue;
    }
    const { outcome } = dealStage(options.pipeline, change.to);
    const at =
      outcome === 'open' ? options.now.toISOString() : (change.closed_at ?? options.now.toISOString());
    moves.push({
      id: change.opportunity_id,
      from: change.current,
      to: change.to,
      at,
      closes: outcome !== 'open',
      lostReason: outcome === 'lost' ? change.lost_reason : null,
    });
    changedLines.add(change.line);
    if (outcome !== 'open') closedLines.push(change.line);
  }
  let transitions = await store.moveExistingDeals(session, moves, options.reason);
  const created = await store.insertNewDeals(session, options.reason, options.now);
  transitions += created;
  transitions += await followLeadJourneys(session, closedLines, options);
  return { created, updated: changedLines.size, transitions, warnings, counted };
}

/**
 * The importer's set-based form of the lead-journey rule: a new deal takes its person to
 * `opportunity`, a won deal to `won`, a lost one to `lost` when no other deal is open, each only
 * when the lifecycle allows the move from where the person is.
 */
async function followLeadJourneys(
  session: DbSession,
  closedLines: number[],
  options: DealBatchOptions,
): Promise<number> {
  const candidates = await store.journeyCandidates(session, closedLines);
  const stageOf = new Map<string, string | null>();
  const steps: Parameters<typeof store.movePeopleByDeals>[1] = [];
  for (const deal of candidates) {
    let current = stageOf.has(deal.person_id) ? stageOf.get(deal.person_id)! : deal.current;
    let ord = 0;
    const move = (to: string, at: string, why: string) => {
      if (!allowedNext(options.lifecycle, current).includes(to)) return;
      steps.push({
        line: deal.line,
        ord: ord++,
        person: deal.person_id,
        from: current,
        to,
        at,
        reason: `deal "${deal.name}" ${why}`,
      });
      current = to;
    };
    move('opportunity', deal.opened_at, 'opened');
    const closedAt = deal.closed_at ?? deal.opened_at;
    if (deal.outcome === 'won') move('won', closedAt, 'won');
    if (deal.outcome === 'lost' && deal.open_deals === 0) move('lost', closedAt, 'lost');
    stageOf.set(deal.person_id, current);
  }
  return store.movePeopleByDeals(session, steps, LEAD_JOURNEY_RULE);
}

/**
 * A CRM closes a deal from whatever stage it is in (a won deal dragged from "Appointment
 * scheduled" is common), and the export is the record of what happened: an open deal may close,
 * won or lost, from any stage. Every other move follows the pipeline.
 */
function assertImportedMoveAllowed(pipeline: PipelineConfig, from: string, to: string): void {
  const closes = dealStage(pipeline, from).outcome === 'open' && dealStage(pipeline, to).outcome !== 'open';
  if (!closes) assertDealMoveAllowed(pipeline, from, to);
}
