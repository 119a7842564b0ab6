// Re-scores every lead once a new lead definition takes effect, in the background, with progress.
import type { JobDefinition } from '../../jobs/queue.ts';
import { definitionInForce } from './definitions.service.ts';
import { MOVE_BATCH, moveSideBySide, type ScoringDeps } from './lead-score.service.ts';
import { buildScoresOfEveryLead, dropBuiltTables, swapInBuiltScores } from './rescoring.sql.ts';
import * as store from './rescoring.store.ts';

export const RESCORE_ALL_LEADS = 'rescore-all-leads';

/**
 * Idempotent and resumable: a second delivery finds the run finished; a retry rebuilds the scores if
 * they were not stored yet, and otherwise resumes the MQL moves at its cursor.
 */
export async function rescoreAllLeads(deps: ScoringDeps, version: number): Promise<void> {
  const inForce = await definitionInForce(deps);
  // A newer version took over before this job ran (or before it ran again): its own job re-scores
  // everyone, and what this one built, if anything, is of no use.
  if (!inForce || inForce.version !== version) {
    await dropBuiltTables(deps.db, 'rescoring', version);
    return;
  }
  const run = await store.startRun(deps.db, version, deps.clock.now());
  if (run.finishedAt) return;
  let scoredAt = run.scoredAt;
  if (!scoredAt) {
    // Every lead's score built beside lead_scores, then swapped in for the old scores at once.
    scoredAt = deps.clock.now();
    const { qualified } = await buildScoresOfEveryLead(deps.db, inForce, scoredAt, {
      onStep: (step) => store.startStep(deps.db, version, step),
    });
    const at = scoredAt;
    await swapInBuiltScores(deps.db, version, at, (tx) => store.markScored(tx, version, at, qualified));
  }
  let cursor = run.cursor;
  for (;;) {
    const leads = await store.nextQualifiedLeads(deps.db, {
      version,
      scoredAt,
      after: cursor,
      limit: MOVE_BATCH,
    });
    if (leads.length === 0) break;
    const madeMql = await moveSideBySide(deps, leads, inForce);
    cursor = leads.at(-1)!.personId;
    await store.advanceRun(deps.db, version, { cursor, checked: leads.length, madeMql });
  }
  await store.finishRun(deps.db, version, deps.clock.now());
}

export function rescoreAllLeadsJob(deps: ScoringDeps): JobDefinition<{ version: number }> {
  return { name: RESCORE_ALL_LEADS, handle: ({ version }) => rescoreAllLeads(deps, version) };
}
