// Everything a module may use, assembled once: the same for the server, the tests and the CLI.
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { AppDeps } from './http/types.ts';
import { startJobQueue } from './jobs/queue.ts';
import type { LifecycleConfig } from './modules/lifecycle/lifecycle.config.ts';
import { rescoreAllLeadsJob } from './modules/scoring/rescoring.job.ts';
import type { Clock } from './shared/clock.ts';

export async function createDeps(input: {
  config: Config;
  database: Database;
  clock: Clock;
  lifecycle: LifecycleConfig;
  onJobError?: (error: Error) => void;
}): Promise<AppDeps> {
  const { config, database, clock, lifecycle } = input;
  const base = { config, database, db: database.db, clock, lifecycle };
  const jobs = await startJobQueue(database, [rescoreAllLeadsJob(base)], { onError: input.onJobError });
  return { ...base, jobs };
}
