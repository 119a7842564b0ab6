// Keeps the deal pre-aggregates (deals.rollup.ts) up to date before the pipeline and attribution
// reports: when nothing changed that costs two index lookups; otherwise only the deals recorded in
// analytics_deal_changes (by triggers on opportunities and on what their numbers and credits depend
// on) are recounted, under the same lock-free watermark as the lead refresh (reports.refresh.ts).
// Another funnel or deal pipeline, or a bulk load that changed more than a seventh of the deals,
// rebuilds everything; in the server a large count runs in the analytics-rebuild job, as for leads.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import { dealRollupStatements, rebuildDealRollups } from './deals.rollup.ts';
import type { DealOutcomes } from './reports.facts.ts';
import {
  cheaperToRebuild,
  deferLargeCount,
  estimatedRows,
  type Recounting,
  type RefreshOptions,
  type Tx,
  watermark,
} from './reports.refresh.ts';

/** Renamed when what the refresh keeps grows, so that existing workspaces rebuild it once. */
const STATE = 'deal_facts';
const REFRESH_LOCK = 7_340_118;

/** Credits depend on the funnel (the MQL touch), outcomes on the deal pipeline. */
const signatureOf = (stages: StageConfig[], outcomes: DealOutcomes) =>
  `${stages.map((stage) => stage.key).join('>')}|won:${outcomes.won.join(',')}|lost:${outcomes.lost.join(',')}`;

interface State {
  seq: number | string | null;
  signature: string | null;
  counted_seq: number | string | null;
  refreshed_at: Date | null;
  top: number | string | null;
}

/** From this many deals (a first build) or deal changes (a backlog), a request does not wait. */
export const DEAL_BACKGROUND_FROM = 20_000;

const readState = async (from: Db | Tx): Promise<State | undefined> => {
  const [row] = await queryRows<State>(
    from as Db,
    sql`SELECT s.seq, s.signature, s.counted_seq, s.refreshed_at, (SELECT max(seq) FROM analytics_deal_changes) AS top
        FROM (SELECT 1) one LEFT JOIN analytics_state s ON s.name = ${STATE}`,
  );
  return row;
};

/**
 * Brings the deal pre-aggregates up to date; with a job queue, a first build or backlog of
 * DEAL_BACKGROUND_FROM or more goes to the job as for leads (see RefreshOptions).
 */
export async function refreshDealFacts(
  db: Db,
  stages: StageConfig[],
  outcomes: DealOutcomes,
  options: RefreshOptions = {},
): Promise<Recounting | undefined> {
  const signature = signatureOf(stages, outcomes);
  const counted = (state: State | undefined): state is State & { seq: number | string } =>
    state?.seq !== null && state?.seq !== undefined && state.signature === signature;
  const upToDate = (state: State | undefined) =>
    counted(state) && Number(state.seq) >= Number(state.top ?? 0);
  const before = await readState(db);
  if (upToDate(before)) return undefined;
  const deferred = await deferLargeCount(
    options,
    options.backgroundFrom ?? DEAL_BACKGROUND_FROM,
    async () =>
      counted(before)
        ? Math.max(0, Number(before.top ?? 0) - Number(before.counted_seq ?? 0))
        : estimatedRows(db, 'opportunities'),
    counted(before) ? before.refreshed_at : null,
  );
  if (deferred) return deferred;
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`);
    const current = await readState(tx);
    if (upToDate(current)) return; // another refresh just did it
    const max = Number(current?.top ?? 0);
    const fresh = current?.seq === null || current?.seq === undefined || current.signature !== signature;
    const from = fresh ? 0 : Number(current.seq);
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    // Every change up to the watermark is committed: the deals read below include it.
    const seq = await watermark(tx, 'analytics_deal_changes', from, max);
    let rebuild = fresh;
    if (!fresh) {
      await tx.execute(sql`
        CREATE TEMP TABLE analytics_changed_deals ON COMMIT DROP AS
        SELECT DISTINCT opportunity_id AS deal_id FROM analytics_deal_changes WHERE seq > ${from} AND seq <= ${max}`);
      // Its size, for the planner: a few deals are looked up by index, many are joined.
      await tx.execute(sql`ANALYZE analytics_changed_deals`);
      // Like the lead refresh: recounting many deals one delta at a time costs more than a rebuild.
      rebuild = await cheaperToRebuild(tx, 'analytics_changed_deals', 'analytics_deal_facts');
    }
    if (rebuild) {
      await rebuildDealRollups(tx as unknown as Db, stages, outcomes);
    } else {
      for (const statement of dealRollupStatements(stages, outcomes, sql`analytics_changed_deals`)) {
        await tx.execute(statement);
      }
    }
    // Passed changes are no longer needed (the last one stays: the gap rule starts from it).
    await tx.execute(sql`DELETE FROM analytics_deal_changes WHERE seq < ${seq}`);
    await tx.execute(sql`
      INSERT INTO analytics_state (name, seq, counted_seq, signature, refreshed_at)
      VALUES (${STATE}, ${seq}, ${max}, ${signature}, now())
      ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, counted_seq = excluded.counted_seq,
                                       signature = excluded.signature, refreshed_at = excluded.refreshed_at`);
  });
  return undefined;
}
