import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../http/types.ts';
import { AppError } from '../../shared/errors.ts';
import { type Access, isAllowed } from './access.ts';
import { principalFromApiToken, principalFromSession } from './auth.service.ts';

export const SESSION_COOKIE = 'lockstep_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ApiRoute {
  method: string;
  url: string;
  access: Access;
}

/**
 * Refuses at start-up any /api route that does not say who may call it, and returns the
 * catalogue of routes with their access (the access tests walk it).
 */
export function requireAccessDeclarations(app: App): ApiRoute[] {
  const catalogue: ApiRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') catalogue.push({ method, url: route.url, access });
    }
  });
  return catalogue;
}

/** Authenticates (bearer token or session cookie), then checks the route's declared access. */
export function authenticate(deps: AppDeps) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = request.cookies[SESSION_COOKIE];
    if (bearer) {
      request.principal = await principalFromApiToken(deps, bearer);
      if (!request.principal) throw new AppError('not_signed_in', 'The API token is unknown or revoked.');
    } else if (cookie) {
      request.principal = await principalFromSession(deps, cookie);
      if (request.principal && !SAFE_METHODS.has(request.method)) assertSameOrigin(request);
    }
    if (isAllowed(access, request.principal)) return;
    if (!request.principal) {
      throw new AppError(
        'not_signed_in',
        'Sign in, or send an API token as "Authorization: Bearer <token>".',
      );
    }
    throw new AppError('forbidden', `Your role (${request.principal.role}) may not do this.`, {
      role: request.principal.role,
      allowed: access,
    });
  };
}

// A browser sends Origin on cross-site writes; a cookie alone must not be enough to change data.
function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return;
  if (new URL(origin).host !== request.headers.host) {
    throw new AppError('forbidden', 'Cross-site requests may not change data.');
  }
}
