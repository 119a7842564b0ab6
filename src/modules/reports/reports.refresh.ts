// Keeps analytics_lead_stages (each lead's furthest funnel stage and when it entered each stage) up to
// date with stage_transitions, so that reports read one row per lead instead of aggregating the whole
// history on every request. Every report calls refreshLeadStages first: when nothing was recorded
// since the last refresh that costs two index lookups; otherwise only the leads with new
// transitions are recomputed. Another lifecycle (other funnel stages) rebuilds the table.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import { rollupStatements } from './reports.rollup.ts';

/** Renamed when what the refresh keeps grows, so that existing workspaces rebuild it once. */
const STATE = 'lead_facts';
const REFRESH_LOCK = 7_340_117;

/**
 * A gap in stage_transitions.seq may be a transaction still writing (its rows appear later with
 * lower numbers than rows already seen) or one that rolled back. The watermark stops before a gap
 * until the row after it is this old; after that the gap is taken for a rollback.
 */
const IN_FLIGHT_FOR = sql`interval '1 hour'`;

const signatureOf = (stages: StageConfig[]) => stages.map((stage) => stage.key).join('>');

/** The per-lead aggregate, for the people `scope` selects from stage_transitions `t`. */
function upsertLeadStages(stages: StageConfig[], scope: ReturnType<typeof sql>) {
  const rankValues = sql.join(
    stages.map((stage, i) => sql`(${stage.key}::text, ${i}::int)`),
    sql`, `,
  );
  const entered = sql.join(
    stages.slice(1).map(
      (_, k) =>
        sql`coalesce(min(t.occurred_at) FILTER (WHERE r.idx = ${k + 1}),
                     min(t.occurred_at) FILTER (WHERE r.idx > ${k + 1}))`,
    ),
    sql`, `,
  );
  return sql`
    WITH ranks(stage, idx) AS (VALUES ${rankValues})
    INSERT INTO analytics_lead_stages (person_id, reached, entered)
    SELECT t.person_id, max(r.idx), ARRAY[${stages.length > 1 ? entered : sql`NULL::timestamptz`}]::timestamptz[]
    FROM stage_transitions t JOIN ranks r ON r.stage = t.to_stage
    WHERE ${scope}
    GROUP BY t.person_id
    ON CONFLICT (person_id) DO UPDATE SET reached = excluded.reached, entered = excluded.entered`;
}

export async function refreshLeadStages(db: Db, stages: StageConfig[]): Promise<void> {
  const signature = signatureOf(stages);
  const readState = async (from: Db | Parameters<Parameters<Db['transaction']>[0]>[0]) => {
    const [row] = await queryRows<{ seq: number | string; signature: string; top: number | string | null }>(
      from as Db,
      sql`SELECT s.seq, s.signature, (SELECT max(seq) FROM stage_transitions) AS top
          FROM (SELECT 1) one LEFT JOIN analytics_state s ON s.name = ${STATE}`,
    );
    return row;
  };
  const state = await readState(db);
  const top = Number(state?.top ?? 0);
  if (
    state?.seq !== null &&
    state?.seq !== undefined &&
    state.signature === signature &&
    Number(state.seq) >= top
  ) {
    return;
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`);
    const current = await readState(tx);
    const max = Number(current?.top ?? 0);
    const fresh = current?.seq === null || current?.seq === undefined || current.signature !== signature;
    const from = fresh ? 0 : Number(current.seq);
    if (!fresh && from >= max) return; // another refresh just did it
    const changed = sql`SELECT person_id FROM stage_transitions WHERE seq > ${from} AND seq <= ${max}`;
    if (fresh) {
      await tx.execute(sql`DELETE FROM analytics_lead_stages`);
      await tx.execute(upsertLeadStages(stages, sql`TRUE`));
    } else {
      await tx.execute(upsertLeadStages(stages, sql`t.person_id IN (${changed})`));
    }
    // The rollups (reports.rollup.ts) follow the same leads in the same transaction.
    for (const statement of rollupStatements(stages, fresh ? null : changed)) await tx.execute(statement);
    // Complete up to the first gap that may still be filled by a transaction in flight.
    const [gap] = await queryRows<{ before: number | string | null }>(
      tx as unknown as Db,
      sql`SELECT min(t.seq) AS before FROM stage_transitions t
          WHERE t.seq >= ${from} AND t.seq < ${max}
            AND NOT EXISTS (SELECT 1 FROM stage_transitions n WHERE n.seq = t.seq + 1)
            AND (SELECT n.recorded_at FROM stage_transitions n WHERE n.seq > t.seq ORDER BY n.seq LIMIT 1)
                > now() - ${IN_FLIGHT_FOR}`,
    );
    const watermark = gap?.before === null || gap?.before === undefined ? max : Number(gap.before);
    await tx.execute(sql`
      INSERT INTO analytics_state (name, seq, signature, refreshed_at)
      VALUES (${STATE}, ${watermark}, ${signature}, now())
      ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, signature = excluded.signature,
                                       refreshed_at = excluded.refreshed_at`);
  });
}

/**
 * Runs report queries with PostgreSQL's JIT compiler off: on big tables the planner's estimates
 * switch it on, and compiling costs more (100 ms and up) than the queries it would speed up.
 */
export function withoutJit<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return work(tx as unknown as Db);
  });
}
