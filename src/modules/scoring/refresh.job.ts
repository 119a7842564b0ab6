// Engagement points lose value with time, but a stored score changes only when its lead does (an
// activity, an edit) or a new version takes effect. Once a day every lead is scored again as of then,
// so that the scores that lists, queues, SLA policies and reports read stay those of today, and a lead
// that now meets the definition (a negative signal that left its window) becomes an MQL as it would live.
import type { JobDefinition } from '../../jobs/queue.ts';
import { definitionInForce } from './definitions.service.ts';
import { moveQualifiedLeads, type ScoringDeps } from './lead-score.service.ts';
import { nextLeadIds, qualifiedUnder } from './lead-score.store.ts';
import { isRunUnderway } from './rescoring.store.ts';
import { rescoreInDatabase } from './score.sql.ts';

export const REFRESH_LEAD_SCORES = 'refresh-lead-scores';
// Measured at a million leads: 26–29 s a night in batches of 1,000, 39–41 s in batches of 5,000.
const BATCH = 1_000;

/**
 * Scores every lead under the version in force as of now, in batches, and moves to MQL the leads
 * that meet it now and did not before (a lead recycled by marketing while it already qualified waits
 * for a new activity, as it would live). A score stored meanwhile that is newer (a new activity) is kept. Safe to
 * run twice.
 */
export async function refreshLeadScores(deps: ScoringDeps): Promise<{ scored: number; madeMql: number }> {
  const definition = await definitionInForce(deps);
  // The version's own run over every lead, still going, does this work.
  if (!definition || (await isRunUnderway(deps.db, definition.version))) return { scored: 0, madeMql: 0 };
  const now = deps.clock.now();
  let scored = 0;
  let madeMql = 0;
  let after: string | null = null;
  for (;;) {
    const ids = await nextLeadIds(deps.db, after, BATCH);
    if (ids.length === 0) break;
    const before = await qualifiedUnder(deps.db, ids, definition.version);
    const qualifying = await rescoreInDatabase(deps.db, ids, definition, now);
    const newly = qualifying.filter((lead) => !before.has(lead.personId));
    madeMql += await moveQualifiedLeads(deps, newly, definition);
    scored += ids.length;
    after = ids.at(-1)!;
  }
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
