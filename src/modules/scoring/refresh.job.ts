// Engagement points lose value with time, but a stored score changes only when its lead does (an
// activity, an edit) or a new version takes effect. Once a day every lead is scored again as of then,
// so that the scores that lists, queues, SLA policies and reports read stay those of today, and a lead
// that now meets the definition (a negative signal that left its window) becomes an MQL as it would live.
import type { JobDefinition } from '../../jobs/queue.ts';
import { definitionInForce } from './definitions.service.ts';
import { MOVE_BATCH, moveSideBySide, type ScoringDeps } from './lead-score.service.ts';
import {
  buildScoresOfEveryLead,
  dropBuiltTables,
  newlyQualifiedInBuild,
  swapInBuiltScores,
} from './rescoring.sql.ts';
import { isRunUnderway } from './rescoring.store.ts';

export const REFRESH_LEAD_SCORES = 'refresh-lead-scores';

/**
 * Scores every lead under the version in force as of now, as a version's run does (every score built
 * beside lead_scores, then swapped in), and moves to MQL the leads that meet it now and did not before
 * (a lead recycled by marketing while it already qualified waits for a new activity, as it would
 * live). A score stored meanwhile that is newer (a new activity) is kept. The moves come before the
 * swap: a refresh stopped in between finds the same leads again when it runs again, and moves only
 * those not moved yet. Safe to run twice.
 */
export async function refreshLeadScores(deps: ScoringDeps): Promise<{ scored: number; madeMql: number }> {
  const definition = await definitionInForce(deps);
  // The version's own run over every lead, still going, does this work.
  if (!definition || (await isRunUnderway(deps.db, definition.version))) return { scored: 0, madeMql: 0 };
  const now = deps.clock.now();
  const { version } = definition;
  // What a refresh that stopped left behind, whatever its version.
  await dropBuiltTables(deps.db, 'refresh');
  const { scored } = await buildScoresOfEveryLead(deps.db, definition, now, { by: 'refresh' });
  // A newer version took effect during the build: its own run scores and moves everyone.
  if ((await definitionInForce(deps))?.version !== version) {
    await dropBuiltTables(deps.db, 'refresh', version);
    return { scored: 0, madeMql: 0 };
  }
  const newly = await newlyQualifiedInBuild(deps.db, version, now, 'refresh');
  let madeMql = 0;
  for (let from = 0; from < newly.length; from += MOVE_BATCH)
    madeMql += await moveSideBySide(deps, newly.slice(from, from + MOVE_BATCH), definition);
  await swapInBuiltScores(deps.db, version, now, async () => {}, 'refresh');
  return { scored, madeMql };
}

export function refreshLeadScoresJob(deps: ScoringDeps): JobDefinition<object> {
  // Every day at 03:30 UTC, outside working hours in most of Europe and the Americas.
  return {
    name: REFRESH_LEAD_SCORES,
    cron: '30 3 * * *',
    handle: async () => void (await refreshLeadScores(deps)),
  };
}
