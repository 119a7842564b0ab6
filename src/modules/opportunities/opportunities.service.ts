import { type Db, isUniqueViolation } from '../../db/client.ts';
import { runBatch } from '../../shared/batch.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { decodeCursor, timestampPage } from '../../shared/pagination.ts';
import type { Principal } from '../auth/access.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { moveLeadsByRule } from '../lifecycle/lifecycle.service.ts';
import { getPerson } from '../people/people.service.ts';
import { assertDealMoveAllowed, dealStage, type PipelineConfig } from './opportunities.pipeline.ts';
import {
  type DealTransition,
  type MoveDealBody,
  type Opportunity,
  type OpportunityFilters,
  type OpportunityInput,
  type OpportunityListQuery,
  type OpportunityPatch,
  opportunityInput,
  type StageSummaryQuery,
} from './opportunities.schema.ts';
import * as store from './opportunities.store.ts';

export interface OpportunityDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
  pipeline: PipelineConfig;
}

/**
 * The rule that links a deal to its person's lead journey (recorded as stage_transitions.rule):
 * opening a deal moves the person to `opportunity`, winning it to `won`, losing it to `lost` (only
 * when the person has no other open deal), each only when the lead lifecycle allows that move.
 */
export const LEAD_JOURNEY_RULE = 'opportunity';

async function followLeadJourney(
  deps: OpportunityDeps,
  db: Db,
  deal: { id: string; name: string; personId: string | null },
  outcome: 'open' | 'won' | 'lost',
  at: Date,
): Promise<void> {
  if (!deal.personId) return;
  const leadDeps = { db, lifecycle: deps.lifecycle, clock: { now: () => at } };
  const move = (to: string, why: string) =>
    moveLeadsByRule(leadDeps, {
      reasons: new Map([[deal.personId!, `deal "${deal.name}" ${why}`]]),
      to,
      rule: LEAD_JOURNEY_RULE,
    });
  // A deal created already closed still means the person reached the opportunity stage.
  await move('opportunity', 'opened');
  if (outcome === 'won') await move('won', 'won');
  if (outcome === 'lost' && (await store.countOtherOpenDeals(db, deal.personId, deal.id)) === 0) {
    await move('lost', 'lost');
  }
}

/**
 * Creates the deal, or updates the one with the same external id (never its stage: stages move
 * only through moveDeal). A new deal's history starts with its first stage, and its person follows.
 */
export async function upsertDeal(
  deps: OpportunityDeps,
  input: OpportunityInput,
  actor: Principal | null,
): Promise<{ opportunity: Opportunity; created: boolean }> {
  const stage = input.stage ?? deps.pipeline.entry[0]!;
  assertDealMoveAllowed(deps.pipeline, null, stage);
  const { outcome } = dealStage(deps.pipeline, stage);
  const openedAt = input.openedAt ?? deps.clock.now();
  const closedAt = outcome === 'open' ? null : (input.closedAt ?? openedAt);
  if (closedAt && closedAt < openedAt) {
    throw new AppError('validation_failed', 'closedAt: a deal cannot close before it was opened.', {
      field: 'closedAt',
    });
  }
  const accountId =
    input.accountId ?? (input.personId ? (await getPerson(deps, input.personId)).accountId : null);
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await deps.db.transaction(async (tx) => {
        const existing = input.externalId ? await store.findByExternalId(tx, input.externalId) : undefined;
        if (existing) {
          const { stage: _stage, closedAt: _closed, ...patch } = input;
          await store.updateDeal(tx, existing.id, patch);
          return { id: existing.id, created: false };
        }
        const id = await store.insertDeal(tx, {
          externalId: input.externalId ?? null,
          name: input.name,
          accountId: accountId ?? null,
          personId: input.personId ?? null,
          ownerId: input.ownerId ?? null,
          amount: input.amount ?? null,
          currency: input.currency ?? 'USD',
          product: input.product ?? null,
          stage,
          stageEnteredAt: closedAt ?? openedAt,
          openedAt,
          closedAt,
          lostReason: outcome === 'lost' ? (input.lostReason ?? null) : null,
          attributes: input.attributes ?? {},
          actorUserId: actor?.userId ?? null,
          actorTokenId: actor?.tokenId ?? null,
          reason: null,
        });
        const deal = { id, name: input.name, personId: input.personId ?? null };
        await followLeadJourney(deps, tx, deal, outcome, closedAt ?? openedAt);
        return { id, created: true };
      });
      return { opportunity: await getDeal(deps, result.id), created: result.created };
    } catch (error) {
      // Two requests for the same new external id raced; the loser finds the winner's row on the retry.
      if (attempt === 0 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

export const upsertDealsBatch = (deps: OpportunityDeps, items: unknown[], actor: Principal | null) =>
  runBatch(items, opportunityInput, async (item) => {
    const { opportunity, created } = await upsertDeal(deps, item, actor);
    return { id: opportunity.id, created };
  });

/** Records one move in the deal's immutable history; closing it won or lost moves its person along. */
export async function moveDeal(
  deps: OpportunityDeps,
  id: string,
  input: MoveDealBody,
  actor: Principal | null,
): Promise<DealTransition> {
  return deps.db.transaction(async (tx) => {
    const deal = await store.lockDeal(tx, id);
    if (!deal) throw new AppError('not_found', `There is no opportunity ${id}.`);
    assertDealMoveAllowed(deps.pipeline, deal.stage, input.to);
    const { outcome } = dealStage(deps.pipeline, input.to);
    const occurredAt = input.occurredAt ?? deps.clock.now();
    const transition = await store.insertDealTransition(tx, {
      opportunityId: id,
      fromStage: deal.stage,
      toStage: input.to,
      occurredAt,
      actorUserId: actor?.userId ?? null,
      actorTokenId: actor?.tokenId ?? null,
      reason: input.reason ?? null,
      outcome,
    });
    if (outcome !== 'open') await followLeadJourney(deps, tx, { id, ...deal }, outcome, occurredAt);
    return transition;
  });
}

export async function getDeal(deps: { db: Db }, id: string): Promise<Opportunity> {
  const deal = await store.findOpportunity(deps.db, id);
  if (!deal) throw new AppError('not_found', `There is no opportunity ${id}.`);
  return deal;
}

export async function getDealWithHistory(deps: { db: Db }, id: string) {
  const deal = await getDeal(deps, id);
  return { ...deal, history: await store.listDealTransitions(deps.db, id) };
}

export async function updateDeal(
  deps: OpportunityDeps,
  id: string,
  patch: OpportunityPatch,
): Promise<Opportunity> {
  await getDeal(deps, id);
  try {
    await store.updateDeal(deps.db, id, patch);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('duplicate', 'Another opportunity already has that external id.');
    throw error;
  }
  return getDeal(deps, id);
}

/** A list's query as the store's filter: the status as its stages; an unknown stage is a 400. */
export function dealFilterOf<Q extends OpportunityFilters>(
  deps: Pick<OpportunityDeps, 'pipeline'>,
  query: Q,
): Q & { stages: string[] | undefined } {
  if (query.stage) dealStage(deps.pipeline, query.stage);
  const byStatus = query.status
    ? deps.pipeline.stages.filter((stage) => stage.outcome === query.status).map((stage) => stage.key)
    : undefined;
  const stages = query.stage ? [query.stage].filter((s) => !byStatus || byStatus.includes(s)) : byStatus;
  return { ...query, stages: stages?.length === 0 ? ['-'] : stages };
}

export async function listDeals(deps: OpportunityDeps, query: OpportunityListQuery) {
  const filter = dealFilterOf(deps, query);
  const after = decodeCursor(query.cursor, ['openedAt', 'id'] as const);
  const { items, nextCursor } = timestampPage(
    await store.listDeals(deps.db, { ...filter, after }),
    query.limit,
    'openedAt',
  );
  const amounts = await store.dealTotals(deps.db, filter);
  return { items, nextCursor, totals: { count: amounts.reduce((sum, a) => sum + a.count, 0), amounts } };
}

/** The pipeline stage by stage: how many deals and how much money sit in each (the filters apply). */
export async function dealsByStage(deps: OpportunityDeps, query: StageSummaryQuery) {
  const stages = query.status
    ? deps.pipeline.stages.filter((stage) => stage.outcome === query.status).map((stage) => stage.key)
    : undefined;
  const rows = await store.dealsByStage(deps.db, { ...query, stages });
  return {
    stages: deps.pipeline.stages
      .filter((stage) => !stages || stages.includes(stage.key))
      .map((stage) => {
        const amounts = rows
          .filter((row) => row.stage === stage.key)
          .map(({ currency, amount, count }) => ({ currency, amount, count }));
        const count = amounts.reduce((sum, a) => sum + a.count, 0);
        return { key: stage.key, label: stage.label, outcome: stage.outcome, count, amounts };
      }),
  };
}

export const dealFacets = (deps: { db: Db }) => store.dealFacets(deps.db);
export const countDealStageMismatches = (deps: { db: Db }) => store.countDealStageMismatches(deps.db);
