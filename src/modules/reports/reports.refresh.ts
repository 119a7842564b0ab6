// Keeps analytics_lead_stages (each lead's furthest funnel stage and when it entered each stage) up to
// date with stage_transitions, so that reports read one row per lead instead of aggregating the whole
// history on every request, and the rollups of reports.rollup.ts. Every report calls
// refreshLeadStages first: when nothing was recorded since the last refresh that costs three index
// lookups; otherwise only the leads with new transitions, or whose report dimensions changed
// (analytics_lead_changes, written by triggers on people and accounts), are recomputed. Another
// lifecycle (other funnel stages), or a bulk load that changed more than a seventh of the leads,
// rebuilds everything.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { AppError } from '../../shared/errors.ts';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import { rebuildRollups, rollupStatements } from './reports.rollup.ts';

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

/**
 * The per-lead aggregate, for the people `scope` selects from stage_transitions `t`; `null` for every
 * lead, into an emptied table (a plain insert in key order: 10 s against 15 s for an upsert at a
 * million leads, whose every row checks the key against the deleted ones).
 */
function upsertLeadStages(stages: StageConfig[], scope: ReturnType<typeof sql> | null) {
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
    ${scope ? sql`WHERE ${scope}` : sql``}
    GROUP BY t.person_id
    ${
      scope
        ? sql`ON CONFLICT (person_id) DO UPDATE SET reached = excluded.reached, entered = excluded.entered`
        : sql`ORDER BY t.person_id`
    }`;
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

interface State {
  seq: number | string | null;
  counted_seq: number | string | null;
  counted_changes_seq: number | string | null;
  refreshed_at: Date | null;
  changes_seq: number | string | null;
  signature: string | null;
  top: number | string | null;
  changes_top: number | string | null;
}

const readState = async (from: Db | Tx): Promise<State | undefined> => {
  const [row] = await queryRows<State>(
    from as Db,
    sql`SELECT s.seq, s.changes_seq, s.counted_seq, s.counted_changes_seq, s.signature, s.refreshed_at,
               (SELECT max(seq) FROM stage_transitions) AS top,
               (SELECT max(seq) FROM analytics_lead_changes) AS changes_top
        FROM (SELECT 1) one LEFT JOIN analytics_state s ON s.name = ${STATE}`,
  );
  return row;
};

/**
 * How far `table` (stage_transitions or analytics_lead_changes, each with an identity `seq` and a
 * `recorded_at`) is complete between `from` and `max`: up to the first gap that a transaction in
 * flight may still fill.
 */
export async function watermark(tx: Tx, table: string, from: number, max: number): Promise<number> {
  const t = sql.raw(table);
  const [gap] = await queryRows<{ before: number | string | null }>(
    tx as unknown as Db,
    // One ordered pass over the numbers (0.5 s for 1,700,000 rows, against 5 s for a lookup of the
    // next number per row).
    sql`SELECT min(g.seq) AS before
        FROM (SELECT t.seq, lead(t.seq) OVER (ORDER BY t.seq) AS next FROM ${t} t
              WHERE t.seq >= ${from} AND t.seq <= ${max}) g
        WHERE g.seq < ${max} AND g.next > g.seq + 1
          AND (SELECT n.recorded_at FROM ${t} n WHERE n.seq = g.next) > now() - ${IN_FLIGHT_FOR}`,
  );
  return gap?.before === null || gap?.before === undefined ? max : Number(gap.before);
}

/**
 * After a bulk load, recounting the changed leads one delta at a time (~1.7 ms a lead, measured) costs
 * more than rebuilding everything (~0.25 ms a lead): rebuild when more than a seventh of the rows of
 * `facts` are in `changed` (the deal refresh uses it the same way).
 */
export async function cheaperToRebuild(tx: Tx, changed: string, facts: string): Promise<boolean> {
  const count = async (table: string) =>
    Number(
      (
        await queryRows<{ n: number | string }>(
          tx as unknown as Db,
          sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`,
        )
      )[0]?.n ?? 0,
    );
  const changes = await count(changed);
  if (changes <= 1000) return false;
  return changes * 7 > (await count(facts));
}

/** The job that counts in the background (analytics-rebuild.job.ts). */
export const ANALYTICS_REBUILD = 'analytics-rebuild';

/**
 * What a request passes to the refresh: with a job queue (the server), large counts go to the job;
 * `from` (LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM) sets how large.
 */
export function refreshOptions(deps: {
  jobs?: JobQueue | undefined;
  config?: { recountInBackgroundFrom?: number | undefined };
  onLargeCount?: ((pending: number) => void) | undefined;
}): RefreshOptions {
  const { jobs } = deps;
  if (!jobs) return deps.onLargeCount ? { onWait: deps.onLargeCount } : {};
  const from = deps.config?.recountInBackgroundFrom;
  return {
    background: () => jobs.send(ANALYTICS_REBUILD, {}, { singletonKey: ANALYTICS_REBUILD }),
    ...(from ? { backgroundFrom: from } : {}),
  };
}

/** From this many leads (a first build) or new stage moves and changes (a backlog), a request does not wait. */
export const BACKGROUND_FROM = 100_000;

export interface RefreshOptions {
  /**
   * Starts the count in the background (the `analytics-rebuild` job). Given, a first build or a
   * backlog of `backgroundFrom` or more is not counted in the caller's request: a backlog is
   * answered from the counts as they were (the refresh says so, see Recounting); a first build,
   * with nothing to show yet, gets a `reports_rebuilding` error (503) saying so. Without it (the job
   * itself, the CLI) the caller waits.
   */
  background?: () => Promise<void>;
  backgroundFrom?: number;
  /** Without `background`: told the size of a large count before the caller waits for it (the CLI says so). */
  onWait?: (pending: number) => void;
}

/** How many rows `table` holds: the planner's estimate, or a count before it was ever analysed. */
export async function estimatedRows(db: Db, table: 'people' | 'opportunities'): Promise<number> {
  const [row] = await queryRows<{ estimate: number; exact: number | null }>(
    db,
    sql`SELECT c.reltuples::float8 AS estimate,
               CASE WHEN c.reltuples < 0 THEN (SELECT count(*)::float8 FROM ${sql.identifier(table)}) END AS exact
        FROM pg_class c WHERE c.oid = ${table}::regclass`,
  );
  return row?.exact ?? row?.estimate ?? 0;
}

/**
 * How much a refresh has to count: every lead when nothing was built yet (or the lifecycle changed),
 * else the stage moves and dimension changes recorded since the last refresh counted (not since its
 * watermark: rows past a gap were counted, and are only recounted once the gap is passed).
 */
async function backlog(db: Db, state: State | undefined, signature: string): Promise<number> {
  if (state?.seq === null || state?.seq === undefined || state.signature !== signature) {
    return estimatedRows(db, 'people');
  }
  return (
    Math.max(0, Number(state.top ?? 0) - Number(state.counted_seq ?? 0)) +
    Math.max(0, Number(state.changes_top ?? 0) - Number(state.counted_changes_seq ?? 0))
  );
}

/** A report answered from the counts of `countedAt` while `pending` moves and changes are counted in the background. */
export interface Recounting {
  countedAt: string;
  pending: number;
}

/**
 * With a job queue (`options.background`) and a backlog of `threshold` or more: starts the job and
 * returns what the reports are behind by, or, with nothing counted yet (`countedAt` null), throws
 * `reports_rebuilding`. Otherwise null: the caller counts in its request (told first by `onWait`
 * when the count is large).
 */
export async function deferLargeCount(
  options: RefreshOptions,
  threshold: number,
  backlog: () => Promise<number>,
  countedAt: Date | null,
): Promise<Recounting | null> {
  if (!options.background && !options.onWait) return null;
  const pending = Math.round(await backlog());
  if (pending < threshold) return null;
  if (!options.background) {
    options.onWait?.(pending);
    return null;
  }
  await options.background();
  if (countedAt) return { countedAt: new Date(countedAt).toISOString(), pending };
  throw new AppError(
    'reports_rebuilding',
    `The reports are being counted after a large change (${pending.toLocaleString('en-US')} records or changes to count). This runs in the background and takes a minute or two for a million leads: try again shortly.`,
    { pending },
  );
}

/** Both recountings as one: the older counts, and everything pending. */
export function combineRecounting(
  a: Recounting | undefined,
  b: Recounting | undefined,
): Recounting | undefined {
  if (!a || !b) return a ?? b;
  const [older] = [a.countedAt, b.countedAt].sort();
  return { countedAt: older!, pending: a.pending + b.pending };
}

/**
 * Brings analytics_lead_stages and the rollups up to date, or, for a large backlog with a job queue
 * (see RefreshOptions), starts the job and returns what the reports are behind by.
 */
export async function refreshLeadStages(
  db: Db,
  stages: StageConfig[],
  options: RefreshOptions = {},
): Promise<Recounting | undefined> {
  const signature = signatureOf(stages);
  const upToDate = (state: State | undefined) =>
    state?.seq !== null &&
    state?.seq !== undefined &&
    state.signature === signature &&
    Number(state.seq) >= Number(state.top ?? 0) &&
    Number(state.changes_seq ?? 0) >= Number(state.changes_top ?? 0);
  const before = await readState(db);
  if (upToDate(before)) return undefined;
  const counted = before?.seq !== null && before?.seq !== undefined && before.signature === signature;
  const deferred = await deferLargeCount(
    options,
    options.backgroundFrom ?? BACKGROUND_FROM,
    () => backlog(db, before, signature),
    counted ? (before.refreshed_at ?? null) : null,
  );
  if (deferred) return deferred;
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`);
    const current = await readState(tx);
    if (upToDate(current)) return; // another refresh just did it
    const max = Number(current?.top ?? 0);
    const changesMax = Number(current?.changes_top ?? 0);
    const fresh = current?.seq === null || current?.seq === undefined || current.signature !== signature;
    const from = fresh ? 0 : Number(current.seq);
    const changesFrom = fresh ? 0 : Number(current.changes_seq ?? 0);
    // Big one-off aggregates: JIT compiling costs more than it saves, and sorts fit in memory.
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    // First how far each log is complete: every row up to the watermark is committed now, so the
    // people read below (once, into a temporary table) include every change up to it. Rows past a gap
    // are recounted now too (fresh numbers) and again once the gap is passed.
    const seq = await watermark(tx, 'stage_transitions', from, max);
    const changesSeq = await watermark(tx, 'analytics_lead_changes', changesFrom, changesMax);
    let rebuild = fresh;
    if (!fresh) {
      await tx.execute(sql`
        CREATE TEMP TABLE analytics_changed ON COMMIT DROP AS
        SELECT person_id FROM stage_transitions WHERE seq > ${from} AND seq <= ${max}
        UNION SELECT person_id FROM analytics_lead_changes WHERE seq > ${changesFrom} AND seq <= ${changesMax}`);
      rebuild = await cheaperToRebuild(tx, 'analytics_changed', 'analytics_lead_facts');
    }
    if (rebuild) {
      await tx.execute(sql`DELETE FROM analytics_lead_stages`);
      await tx.execute(upsertLeadStages(stages, null));
      await rebuildRollups(tx as unknown as Db, stages);
    } else {
      await tx.execute(
        upsertLeadStages(stages, sql`t.person_id IN (SELECT person_id FROM analytics_changed)`),
      );
      // The rollups (reports.rollup.ts) recount the same leads, and those whose dimensions changed.
      for (const statement of rollupStatements(stages, sql`analytics_changed`)) {
        await tx.execute(statement);
      }
    }
    // Passed changes are no longer needed (the last one stays: the gap rule starts from it).
    await tx.execute(sql`DELETE FROM analytics_lead_changes WHERE seq < ${changesSeq}`);
    await tx.execute(sql`
      INSERT INTO analytics_state (name, seq, changes_seq, counted_seq, counted_changes_seq, signature, refreshed_at)
      VALUES (${STATE}, ${seq}, ${changesSeq}, ${max}, ${changesMax}, ${signature}, now())
      ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, changes_seq = excluded.changes_seq,
        counted_seq = excluded.counted_seq, counted_changes_seq = excluded.counted_changes_seq,
        signature = excluded.signature, refreshed_at = excluded.refreshed_at`);
  });
  return undefined;
}

/**
 * Runs report queries in one read-only snapshot (a report that reads twice, such as an exact median
 * from its bins, sees one state of the rollups) with PostgreSQL's JIT compiler off: on big tables
 * the planner's estimates switch it on, and compiling costs more (100 ms and up) than the queries
 * it would speed up.
 */
export function withoutJit<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`SET LOCAL jit = off`);
      return work(tx as unknown as Db);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
