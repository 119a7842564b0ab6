// Everything a module may use, assembled once: the same for the server, the tests and the CLI.
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { AppDeps } from './http/types.ts';
import { startJobQueue } from './jobs/queue.ts';
import type { LifecycleConfig } from './modules/lifecycle/lifecycle.config.ts';
import { deliverNotificationJob } from './modules/notifications/delivery.job.ts';
import { createNotifier } from './modules/notifications/notifier.ts';
import { analyticsRebuildJob } from './modules/reports/analytics-rebuild.job.ts';
import { routeNewMqlsInWaves } from './modules/routing/routing.service.ts';
import { runBacktestJob } from './modules/scoring/backtest.service.ts';
import { refreshLeadScoresJob } from './modules/scoring/refresh.job.ts';
import { rescoreAllLeadsJob } from './modules/scoring/rescoring.job.ts';
import { slaTimerJob, slaTimerSweepJob } from './modules/sla/sla.service.ts';
import type { Clock } from './shared/clock.ts';

export async function createDeps(input: {
  config: Config;
  database: Database;
  clock: Clock;
  lifecycle: LifecycleConfig;
  onJobError?: (error: Error) => void;
}): Promise<AppDeps> {
  const { config, database, clock, lifecycle } = input;
  // Routing and SLA timers need the finished deps (the queue); they wait for them.
  let assembled: (deps: AppDeps) => void = () => {};
  const finished = new Promise<AppDeps>((resolve) => {
    assembled = resolve;
  });
  const onBecameMql = routeNewMqlsInWaves(() => finished);
  const base = {
    config,
    database,
    db: database.db,
    clock,
    lifecycle,
    notifier: createNotifier(config),
    onBecameMql,
  };
  // Delivery jobs schedule their own retries, so they reach the queue through the finished deps.
  const built: { deps?: AppDeps } = {};
  const jobs = await startJobQueue(
    database,
    [
      rescoreAllLeadsJob(base),
      refreshLeadScoresJob(base),
      runBacktestJob(base),
      deliverNotificationJob(() => built.deps),
      slaTimerJob(() => finished),
      slaTimerSweepJob(() => finished),
      analyticsRebuildJob(base),
    ],
    { onError: input.onJobError },
  );
  built.deps = { ...base, jobs };
  assembled(built.deps);
  return built.deps;
}
