// Re-scores every lead once a new lead definition takes effect, in the background, with progress.
import type { JobDefinition } from '../../jobs/queue.ts';
import { definitionInForce } from './definitions.service.ts';
import { rescoreLeads, type ScoringDeps } from './lead-score.service.ts';
import * as store from './rescoring.store.ts';

export const RESCORE_ALL_LEADS = 'rescore-all-leads';
// Large enough that per-statement costs vanish, small enough to keep memory and transactions short.
const BATCH = 5000;

/** Idempotent and resumable: a second delivery finds the run finished, a retry resumes at its cursor. */
export async function rescoreAllLeads(deps: ScoringDeps, version: number): Promise<void> {
  const inForce = await definitionInForce(deps);
  // A newer version took over before this job ran: its own job re-scores everyone.
  if (!inForce || inForce.version !== version) return;
  const run = await store.startRun(deps.db, version, deps.clock.now());
  if (run.finishedAt) return;
  let cursor = run.cursor;
  for (;;) {
    const batch = await store.nextPeople(deps.db, cursor, BATCH);
    if (batch.length === 0) break;
    const madeMql = await rescoreLeads(deps, batch, inForce);
    cursor = batch.at(-1)!;
    await store.advanceRun(deps.db, version, { cursor, done: batch.length, madeMql });
  }
  await store.finishRun(deps.db, version, deps.clock.now());
}

export function rescoreAllLeadsJob(deps: ScoringDeps): JobDefinition<{ version: number }> {
  return { name: RESCORE_ALL_LEADS, handle: ({ version }) => rescoreAllLeads(deps, version) };
}
