// Webhook endpoints: where notifications are POSTed, each with its own signing secret.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../http/types.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import { attemptDelivery, leaseUntil } from './delivery.ts';
import type { Delivery, Endpoint, EndpointInput } from './notifications.schema.ts';
import { listDeliveries } from './notifications.service.ts';
import * as store from './notifications.store.ts';

type EndpointDeps = Pick<AppDeps, 'db' | 'clock'>;

/** Creates an endpoint; its secret is returned now and never again (the API never lists it). */
export async function createEndpoint(
  deps: EndpointDeps,
  input: EndpointInput,
  principal: Principal | null,
): Promise<{ endpoint: Endpoint; secret: string }> {
  if (input.recipientUserId && !(await store.userExists(deps.db, input.recipientUserId))) {
    throw new AppError('validation_failed', 'recipientUserId is not a user of this workspace.', {
      field: 'recipientUserId',
    });
  }
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const endpoint = await store.insertEndpoint(deps.db, {
    url: input.url,
    description: input.description,
    secret,
    events: [...new Set(input.events)],
    recipientUserId: input.recipientUserId,
    createdBy: principal?.userId ?? null,
    createdAt: deps.clock.now(),
  });
  return { endpoint, secret };
}

export async function listEndpoints(deps: EndpointDeps): Promise<Endpoint[]> {
  return await store.listEndpoints(deps.db);
}

export async function setEndpointActive(deps: EndpointDeps, id: string, active: boolean): Promise<Endpoint> {
  if (!(await store.setEndpointActive(deps.db, id, active))) throw endpointNotFound(id);
  return (await store.findEndpoint(deps.db, id))!;
}

export async function deleteEndpoint(deps: EndpointDeps, id: string): Promise<void> {
  if (!(await store.deleteEndpoint(deps.db, id))) throw endpointNotFound(id);
}

/** Sends a signed test event to one endpoint now, once, and returns the logged delivery. */
export async function pingEndpoint(
  deps: AppDeps,
  id: string,
  principal: Principal | null,
): Promise<Delivery> {
  const endpoint = await store.findEndpoint(deps.db, id);
  if (!endpoint) throw endpointNotFound(id);
  const notificationId = randomUUID();
  const claimed = await store.insertNotification(
    deps.db,
    {
      id: notificationId,
      dedupeKey: `webhook.test:${notificationId}`,
      event: 'webhook.test',
      recipientUserId: principal?.userId ?? null,
      subject: 'Test from Lockstep',
      text: `Test from Lockstep: this endpoint (${endpoint.url}) receives ${endpoint.events.join(', ')}.`,
      data: { endpointId: id, sentBy: principal?.name ?? null },
      createdAt: deps.clock.now(),
    },
    { leaseUntil: leaseUntil(deps.clock, deps.notifier.policy), emailReadiness: 'none', onlyEndpointId: id },
  );
  await Promise.all(claimed.map((d) => attemptDelivery(deps, d, 'test')));
  const { items } = await listDeliveries(deps, { limit: 1, notificationId });
  return items[0]!;
}

function endpointNotFound(id: string): AppError {
  return new AppError('not_found', `There is no webhook endpoint ${id}.`, { id });
}
