// Re-scores every lead once a new lead definition takes effect, in the background, with progress.
import type { JobDefinition } from '../../jobs/queue.ts';
import { definitionInForce } from './definitions.service.ts';
import { rescoreLeads, type ScoringDeps } from './lead-score.service.ts';
import * as store from './rescoring.store.ts';
import { dropStagedEngagement, stageEngagementOfEveryLead } from './score.sql.ts';

export const RESCORE_ALL_LEADS = 'rescore-all-leads';
// Large enough that per-statement costs vanish, small enough to keep transactions short and the
// progress moving.
const BATCH = 20_000;

/** Idempotent and resumable: a second delivery finds the run finished, a retry resumes at its cursor. */
export async function rescoreAllLeads(deps: ScoringDeps, version: number): Promise<void> {
  const inForce = await definitionInForce(deps);
  // A newer version took over before this job ran: its own job re-scores everyone.
  if (!inForce || inForce.version !== version) return;
  const run = await store.startRun(deps.db, version, deps.clock.now());
  if (run.finishedAt) return;
  // Engagement of everyone in one pass over the activities; then scores are stored batch by batch.
  const stagedAt = deps.clock.now();
  await stageEngagementOfEveryLead(deps.db, inForce, stagedAt);
  let cursor = run.cursor;
  for (;;) {
    const batch = await store.nextPeople(deps.db, cursor, BATCH);
    if (batch.length === 0) break;
    const madeMql = await rescoreLeads(deps, batch, inForce, { stagedAt });
    cursor = batch.at(-1)!;
    await store.advanceRun(deps.db, version, { cursor, done: batch.length, madeMql });
  }
  await store.finishRun(deps.db, version, deps.clock.now());
  await dropStagedEngagement(deps.db, version);
}

export function rescoreAllLeadsJob(deps: ScoringDeps): JobDefinition<{ version: number }> {
  return { name: RESCORE_ALL_LEADS, handle: ({ version }) => rescoreAllLeads(deps, version) };
}
