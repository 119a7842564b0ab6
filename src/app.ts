import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { errorHandler } from './http/error-handler.ts';
import type { App, AppDeps } from './http/types.ts';
import { accountRoutes } from './modules/accounts/accounts.routes.ts';
import { activityRoutes } from './modules/activities/activities.routes.ts';
import { authenticate, requireAccessDeclarations } from './modules/auth/auth.hooks.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { bottleneckRoutes } from './modules/bottlenecks/bottlenecks.routes.ts';
import { feedbackRoutes } from './modules/feedback/feedback.routes.ts';
import { registerIdempotency } from './modules/idempotency/idempotency.hooks.ts';
import { importRoutes } from './modules/import/import.routes.ts';
import { lifecycleRoutes } from './modules/lifecycle/lifecycle.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { opportunityRoutes } from './modules/opportunities/opportunities.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { reportRoutes } from './modules/reports/reports.routes.ts';
import { routingRoutes } from './modules/routing/routing.routes.ts';
import { scoringRoutes } from './modules/scoring/scoring.routes.ts';
import { slaRoutes } from './modules/sla/sla.routes.ts';
import { targetRoutes } from './modules/targets/targets.routes.ts';
import { AppError, errorBody } from './shared/errors.ts';

const webDist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

// Secrets must never reach the logs: these request parts are replaced before a line is written.
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyBaseLogger;
}

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const apiRoutes = requireAccessDeclarations(app);
  app.decorate('apiRoutes', apiRoutes);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Lockstep API',
        version: '0.1.0',
        description:
          'People, accounts, activities, the shared lead lifecycle and funnel reports. Authenticate with ' +
          'a session cookie (web app) or `Authorization: Bearer <token>` (`npx lockstep token create`). ' +
          'Writes accept an `Idempotency-Key` header.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'lockstep_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', authenticate(deps));
  registerIdempotency(app, deps);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get('/api/health', { config: { access: 'public' }, schema: { hide: true } }, async () => ({
    ok: true,
    database: deps.database.kind,
  }));

  for (const routes of [
    authRoutes,
    lifecycleRoutes,
    peopleRoutes,
    accountRoutes,
    activityRoutes,
    reportRoutes,
    scoringRoutes,
    routingRoutes,
    slaRoutes,
    feedbackRoutes,
    notificationRoutes,
    targetRoutes,
    bottleneckRoutes,
    opportunityRoutes,
    importRoutes,
  ]) {
    await app.register(async (scope) => routes(scope as App, deps));
  }

  await serveWebApp(app);
  return app;
}

async function serveWebApp(app: App): Promise<void> {
  const hasBuild = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasBuild) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      const error = new AppError(
        'route_not_found',
        `There is no ${request.method} ${request.url.split('?')[0]}.`,
      );
      return reply.status(404).send(errorBody(error));
    }
    if (!hasBuild) {
      return reply
        .type('text/plain')
        .send('The web app is not built yet: run `npm run build:web` (npm start does it for you).');
    }
    return reply.sendFile('index.html');
  });
}
