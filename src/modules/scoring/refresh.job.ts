// Engagement points lose value with time, but a stored score changes only when its lead does (an
// activity, an edit) or a new version takes effect. Once a day every lead is scored again as of then,
// so that the scores that lists, queues, SLA policies and reports read stay those of today, and a lead
// that now meets the definition (a negative point that faded) becomes an MQL as it would live.
import { sql } from 'drizzle-orm';
import { type Db, queryRows, uuidArray } from '../../db/client.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { definitionInForce } from './definitions.service.ts';
import { moveQualifiedLeads, type ScoringDeps } from './lead-score.service.ts';
import { rescoreInDatabase } from './score.sql.ts';

export const REFRESH_LEAD_SCORES = 'refresh-lead-scores';
// Measured at a million leads: 26–29 s a night in batches of 1,000, 39–41 s in batches of 5,000.
const BATCH = 1_000;

/** The next leads in id order after `after`. */
async function nextLeads(db: Db, after: string | null): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM people WHERE (${after}::uuid IS NULL OR id > ${after}::uuid) ORDER BY id LIMIT ${BATCH}`,
  );
  return rows.map((row) => row.id);
}

/** Of these leads, those whose stored score under this version already made them MQLs. */
async function alreadyQualified(db: Db, ids: string[], version: number): Promise<Set<string>> {
  const rows = await queryRows<{ personId: string }>(
    db,
    sql`SELECT person_id AS "personId" FROM lead_scores
        WHERE person_id = ANY(${uuidArray(ids)}) AND version = ${version} AND is_mql`,
  );
  return new Set(rows.map((row) => row.personId));
}

/** Whether the version's own run over every lead (after it took effect) is still going: it does this work. */
async function runUnderway(db: Db, version: number): Promise<boolean> {
  const [run] = await queryRows<{ finished: boolean }>(
    db,
    sql`SELECT finished_at IS NOT NULL AS finished FROM rescoring_runs WHERE version = ${version}`,
  );
  return run !== undefined && !run.finished;
}

/**
 * Scores every lead under the version in force as of now, in batches, and moves to MQL the leads
 * that meet it now and did not before (a lead that sales sent back to nurture and whose score did
 * not change stays there). A score stored meanwhile that is newer (a new activity) is kept. Safe to
 * run twice.
 */
export async function refreshLeadScores(deps: ScoringDeps): Promise<{ scored: number; madeMql: number }> {
  const definition = await definitionInForce(deps);
  if (!definition || (await runUnderway(deps.db, definition.version))) return { scored: 0, madeMql: 0 };
  const now = deps.clock.now();
  let scored = 0;
  let madeMql = 0;
  let after: string | null = null;
  for (;;) {
    const ids = await nextLeads(deps.db, after);
    if (ids.length === 0) break;
    const before = await alreadyQualified(deps.db, ids, definition.version);
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
