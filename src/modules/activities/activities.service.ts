import { runBatch } from '../../shared/batch.ts';
import { assertHappened } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { decodeCursor, timestampPage } from '../../shared/pagination.ts';
import type { Principal } from '../auth/access.ts';
import { getPerson, type PeopleDeps, upsertPerson } from '../people/people.service.ts';
import { rescoreLead } from '../scoring/lead-score.service.ts';
import { type Activity, type ActivityInput, activityInput } from './activities.schema.ts';
import * as store from './activities.store.ts';

/** Records an activity on a person; an unknown email makes a new lead (a form fill from someone new). */
export async function recordActivity(
  deps: PeopleDeps,
  input: ActivityInput,
  actor: Principal | null,
): Promise<{ activity: Activity; created: boolean }> {
  assertHappened(deps.clock, input.occurredAt, 'occurredAt');
  let personId = await store.findPersonId(deps.db, input);
  if (!personId && input.personEmail && !input.personId && !input.personExternalId) {
    personId = (await upsertPerson(deps, { email: input.personEmail }, actor)).person.id;
  }
  if (!personId) {
    throw new AppError('not_found', 'No person matches personId / personExternalId / personEmail.', {
      personId: input.personId,
      personExternalId: input.personExternalId,
    });
  }
  const recorded = await store.insertActivity(deps.db, {
    externalId: input.externalId ?? null,
    personId,
    type: input.type,
    occurredAt: input.occurredAt,
    campaignId: input.campaignId ?? null,
    properties: input.properties ?? {},
  });
  // Scores update in the same request, so a lead becomes an MQL the moment it qualifies.
  if (recorded.created) await rescoreLead(deps, personId);
  return recorded;
}

export const recordActivityBatch = (deps: PeopleDeps, items: unknown[], actor: Principal | null) =>
  runBatch(items, activityInput, async (item) => {
    const { activity, created } = await recordActivity(deps, item, actor);
    return { id: activity.id, created };
  });

export async function listActivities(
  deps: PeopleDeps,
  query: { personId: string; limit: number; cursor?: string | undefined; type?: string | undefined },
) {
  await getPerson(deps, query.personId);
  const after = decodeCursor(query.cursor, ['occurredAt', 'id'] as const);
  return timestampPage(await store.listActivities(deps.db, { ...query, after }), query.limit, 'occurredAt');
}
