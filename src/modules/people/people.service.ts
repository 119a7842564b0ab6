import { type Db, isUniqueViolation } from '../../db/client.ts';
import { runBatch } from '../../shared/batch.ts';
import { assertHappened, type Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { decodeCursor, timestampPage } from '../../shared/pagination.ts';
import { findAccountIdByKey } from '../accounts/accounts.service.ts';
import { companyDomainOf } from '../accounts/email-domain.ts';
import type { Principal } from '../auth/access.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { assertTransitionAllowed, startingStage } from '../lifecycle/lifecycle.rules.ts';
import { insertTransition } from '../lifecycle/lifecycle.store.ts';
import { rescoreLead } from '../scoring/lead-score.service.ts';
import {
  type Person,
  type PersonInput,
  type PersonListQuery,
  type PersonPatch,
  personInput,
} from './people.schema.ts';
import * as store from './people.store.ts';

export interface PeopleDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
  /** Routes new MQLs to sales (set by createDeps; absent in the CLI). */
  onBecameMql?: (personIds: string[]) => Promise<void>;
}

/**
 * Creates the person, or updates the one with the same external id or email: a retried or
 * re-sent record never makes a duplicate. A new person starts in `stage` (default: the lifecycle's
 * starting stage, "new"), recorded as the first transition of their history.
 */
export async function upsertPerson(
  deps: PeopleDeps,
  input: PersonInput,
  actor: Principal | null,
): Promise<{ person: Person; created: boolean }> {
  const email = input.email?.toLowerCase();
  const stage = input.stage ?? startingStage(deps.lifecycle);
  assertTransitionAllowed(deps.lifecycle, null, stage);
  assertHappened(deps.clock, input.createdAt, 'createdAt');
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await deps.db.transaction(async (tx) => {
        const existing = await store.findPersonByKey(tx, { externalId: input.externalId, email });
        const accountId =
          input.accountId ??
          (existing?.accountId
            ? undefined
            : await findAccountIdByKey(tx, { domain: companyDomainOf(email) }));
        if (existing) {
          if (input.externalId && existing.externalId && existing.externalId !== input.externalId) {
            throw new AppError(
              'duplicate',
              `The email ${email} already belongs to the person with external id "${existing.externalId}".`,
              { personId: existing.id, externalId: existing.externalId },
            );
          }
          const { stage: _ignored, createdAt: _created, ...patch } = input;
          await store.updatePerson(tx, existing.id, { ...patch, email, accountId });
          return { id: existing.id, created: false };
        }
        const createdAt = input.createdAt ?? deps.clock.now();
        const id = await store.insertPerson(tx, { ...input, email, accountId, createdAt });
        await insertTransition(tx, {
          personId: id,
          fromStage: null,
          toStage: stage,
          occurredAt: createdAt,
          actorUserId: actor?.userId ?? null,
          actorTokenId: actor?.tokenId ?? null,
          rule: actor ? null : 'api',
          reason: null,
        });
        return { id, created: true };
      });
      await rescoreLead(deps, result.id);
      // A live lead sent in as an MQL goes to sales like one that scored its way there (not a historical load).
      if (result.created && stage === 'mql' && !input.createdAt) await deps.onBecameMql?.([result.id]);
      return { person: (await store.findPerson(deps.db, result.id))!, created: result.created };
    } catch (error) {
      // Two requests for the same new person raced; the loser finds the winner's row on the retry.
      if (attempt === 0 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

export const upsertPeopleBatch = (deps: PeopleDeps, items: unknown[], actor: Principal | null) =>
  runBatch(items, personInput, async (item) => {
    const { person, created } = await upsertPerson(deps, item, actor);
    return { id: person.id, created };
  });

export async function getPerson(deps: { db: Db }, id: string): Promise<Person> {
  const person = await store.findPerson(deps.db, id);
  if (!person) throw new AppError('not_found', `There is no person ${id}.`);
  return person;
}

export async function updatePerson(deps: PeopleDeps, id: string, patch: PersonPatch): Promise<Person> {
  await getPerson(deps, id);
  try {
    await store.updatePerson(deps.db, id, { ...patch, email: patch.email?.toLowerCase() });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('duplicate', 'Another person already has that email or external id.');
    throw error;
  }
  await rescoreLead(deps, id);
  return getPerson(deps, id);
}

export async function listPeople(deps: { db: Db }, query: PersonListQuery) {
  const after = decodeCursor(query.cursor, ['createdAt', 'id'] as const);
  return timestampPage(await store.listPeople(deps.db, { ...query, after }), query.limit, 'createdAt');
}

export async function findPersonIdByEmail(deps: { db: Db }, email: string): Promise<string | undefined> {
  return (await store.findPersonByKey(deps.db, { email: email.toLowerCase() }))?.id;
}
