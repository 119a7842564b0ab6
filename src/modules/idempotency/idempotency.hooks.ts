// Idempotency keys as Stripe does them: the first response is stored under the key and replayed
// for retries; the same key with another body is an error; a failed request stores nothing.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../http/types.ts';
import { AppError } from '../../shared/errors.ts';
import { claimKey, releaseKey, saveResponse } from './idempotency.store.ts';

const KEEP_MS = 24 * 3600 * 1000;
// A claim with no response after this long belongs to a request that died (a crash, a restart).
const ABANDONED_MS = 60 * 1000;
// Requests that claimed a key and still owe it a response.
const claims = new WeakMap<FastifyRequest, { principal: string; key: string }>();

function keyOf(request: FastifyRequest): { principal: string; key: string } | undefined {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !request.routeOptions.config.idempotent || !request.principal)
    return undefined;
  if (key.length === 0 || key.length > 255) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 characters.');
  }
  const who = request.principal.userId ?? request.principal.name;
  return { principal: `${request.principal.kind}:${who}`, key: `${request.method} ${request.url} ${key}` };
}

export function registerIdempotency(app: App, deps: AppDeps): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const id = keyOf(request);
    if (!id) return;
    const requestHash = createHash('sha256')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');
    const now = deps.clock.now().getTime();
    const earlier = await claimKey(deps.db, {
      ...id,
      requestHash,
      expiredBefore: new Date(now - KEEP_MS),
      abandonedBefore: new Date(now - ABANDONED_MS),
    });
    if (!earlier) {
      claims.set(request, id);
      return;
    }
    if (earlier.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
    }
    if (earlier.statusCode === 0) {
      throw new AppError(
        'idempotency_key_in_flight',
        'A request with this Idempotency-Key is still running.',
      );
    }
    reply.header('idempotent-replayed', 'true');
    // Sent as text, as first serialised: the stored body is already the wire format.
    return reply
      .status(earlier.statusCode)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(earlier.responseBody));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const id = claims.get(request);
    if (!id) return payload;
    claims.delete(request);
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      await saveResponse(deps.db, { ...id, statusCode: reply.statusCode, body: payload });
    } else {
      await releaseKey(deps.db, id);
    }
    return payload;
  });
}
