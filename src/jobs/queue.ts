// Background work: pg-boss queues in the same database (embedded or PostgreSQL), so a job that was
// accepted survives a crash, and several app servers share the work without a broker.
import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '../db/client.ts';

export interface JobDefinition<T extends object> {
  name: string;
  /** Runs once per job; must be idempotent, since a job can be delivered twice. */
  handle(data: T): Promise<void>;
  /** Also run on this cron schedule (UTC; pg-boss starts it on one server at a time). */
  cron?: string;
  /** How many of its jobs one server runs at once (default 1). */
  concurrency?: number;
}

export interface JobOptions {
  startAfter?: Date;
  /** At most one job with this key is queued (pg-boss's singleton key). */
  singletonKey?: string;
}

export interface JobQueue {
  send<T extends object>(name: string, data: T, options?: JobOptions): Promise<void>;
  /** Many jobs of one queue in one statement. */
  sendMany<T extends object>(name: string, jobs: (JobOptions & { data: T })[]): Promise<void>;
  stop(): Promise<void>;
}

// A job whose handler throws is tried again, five times, waiting longer each time.
const retries = { retryLimit: 5, retryBackoff: true } as const;

export async function startJobQueue(
  database: Database,
  jobs: JobDefinition<object>[],
  options: { onError?: (error: Error) => void } = {},
): Promise<JobQueue> {
  const boss =
    database.connection.kind === 'pglite'
      ? new PgBoss({ backend: 'pglite', db: fromPglite(database.connection.client) })
      : new PgBoss({ connectionString: database.connection.url, max: 4 });
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name);
    if (job.cron) await boss.schedule(job.name, job.cron, {});
    const options = { pollingIntervalSeconds: 0.5, localConcurrency: job.concurrency ?? 1 };
    await boss.work<object>(job.name, options, async (batch) => {
      for (const item of batch) await job.handle(item.data);
    });
  }
  return {
    async send(name, data, sendOptions = {}) {
      await boss.send(name, data, { ...definedOptions(sendOptions), ...retries });
    },
    async sendMany(name, many) {
      if (many.length === 0) return;
      await boss.insert(
        name,
        many.map(({ data, ...options }) => ({ data, ...definedOptions(options), ...retries })),
      );
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}

const definedOptions = ({ startAfter, singletonKey }: JobOptions) => ({
  ...(startAfter ? { startAfter } : {}),
  ...(singletonKey ? { singletonKey } : {}),
});
