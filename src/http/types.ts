import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/client.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Access, Principal } from '../modules/auth/access.ts';
import type { LifecycleConfig } from '../modules/lifecycle/lifecycle.config.ts';
import type { Notifier } from '../modules/notifications/notifier.ts';
import type { Clock } from '../shared/clock.ts';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every module's routes and services may use; nothing reaches for globals. */
export interface AppDeps {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
  jobs: JobQueue;
  /** Hands leads that just became MQLs to sales (routing + SLA timers, src/modules/routing). */
  onBecameMql?: (personIds: string[]) => Promise<void>;
  /** Sends webhooks and email for notifications (src/modules/notifications). */
  notifier: Notifier;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Required on every /api route: the app refuses to start without it. */
    access?: Access;
    /** Honour an Idempotency-Key header: a retried request replays the first response. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every /api route with the access it declares. */
    apiRoutes: { method: string; url: string; access: Access }[];
  }
}
