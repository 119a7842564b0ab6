import type { Db } from '../../db/client.ts';
import { assertHappened, type Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import type { LifecycleConfig } from './lifecycle.config.ts';
import { assertTransitionAllowed, stageOf, stagesLeadingTo } from './lifecycle.rules.ts';
import * as store from './lifecycle.store.ts';

export interface LifecycleDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
  /** Routes new MQLs to sales (set by createDeps; absent in the CLI). */
  onBecameMql?: (personIds: string[]) => Promise<void>;
}

export interface MoveLeadInput {
  personId: string;
  to: string;
  reason?: string | null;
  rule?: string | null;
  occurredAt?: Date;
  /** Null when a rule or an import moves the lead rather than a person. */
  actor: Principal | null;
}

/**
 * A person may move a lead when their team owns the stage it is in or the stage it goes to
 * (sales accepts marketing's MQL; sales sends a "not now" back to marketing's nurture).
 */
function assertActorMayMove(
  config: LifecycleConfig,
  actor: Principal | null,
  from: string | null,
  to: string,
) {
  if (!actor || actor.role === 'admin') return;
  const owners = [to, from].flatMap((key) => (key === null ? [] : [stageOf(config, key).owner]));
  if (owners.some((owner) => owner === 'both' || owner === actor.team)) return;
  throw new AppError('forbidden', `The ${actor.team} team does not own the stages "${from}" or "${to}".`, {
    from,
    to,
    team: actor.team,
  });
}

/** Records one move in the lead's immutable history and updates its current stage in the same transaction. */
export async function moveLead(deps: LifecycleDeps, input: MoveLeadInput): Promise<store.TransitionRow> {
  const transition = await deps.db.transaction(async (tx) => {
    const person = await store.lockPersonStage(tx, input.personId);
    if (!person) throw new AppError('not_found', `There is no person ${input.personId}.`);
    assertTransitionAllowed(deps.lifecycle, person.stage, input.to);
    assertActorMayMove(deps.lifecycle, input.actor, person.stage, input.to);
    assertHappened(deps.clock, input.occurredAt, 'occurredAt');
    // The history is in time order: a move is never dated before the stage it leaves was entered.
    if (input.occurredAt && person.stageEnteredAt && input.occurredAt < person.stageEnteredAt) {
      throw new AppError(
        'validation_failed',
        `occurredAt: the lead entered "${person.stage}" at ${person.stageEnteredAt.toISOString()}; a move from it cannot be dated before that.`,
        { field: 'occurredAt', stageEnteredAt: person.stageEnteredAt },
      );
    }
    return store.insertTransition(tx, {
      personId: input.personId,
      fromStage: person.stage,
      toStage: input.to,
      occurredAt: input.occurredAt ?? deps.clock.now(),
      actorUserId: input.actor?.userId ?? null,
      actorTokenId: input.actor?.tokenId ?? null,
      rule: input.rule ?? null,
      reason: input.reason ?? null,
    });
  });
  // A lead moved to MQL by hand is routed to sales like one that scored its way there.
  if (transition.toStage === 'mql') await deps.onBecameMql?.([transition.personId]);
  return transition;
}

/**
 * Moves every lead that the lifecycle lets go to `to` there, by a rule (not a person), in one
 * statement; the others are left where they are. Returns the leads that moved.
 */
export async function moveLeadsByRule(
  deps: LifecycleDeps,
  input: { reasons: Map<string, string>; to: string; rule: string },
): Promise<string[]> {
  return store.moveByRule(deps.db, {
    reasons: [...input.reasons].map(([personId, reason]) => ({ personId, reason })),
    ...stagesLeadingTo(deps.lifecycle, input.to),
    to: input.to,
    rule: input.rule,
    at: deps.clock.now(),
  });
}

export const listTransitions = (deps: { db: Db }, personId: string) =>
  store.listTransitions(deps.db, personId);
export const rebuildStages = (deps: { db: Db }) => store.rebuildStagesFromHistory(deps.db);
export const countStageMismatches = (deps: { db: Db }) => store.countStageMismatches(deps.db);
