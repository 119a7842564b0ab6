// People and their stage history: the per-batch merges of an import.
import type { DbSession } from '../../db/client.ts';
import { count } from './import.store.ts';

/** Rows whose person exists and whose file stage differs from the stored one (locked until commit). */
export async function stageChangeCandidates(session: DbSession, batch: number) {
  return session.query<{
    line: number;
    person_id: string;
    current: string | null;
    /** When the person entered `current`, as ISO text. */
    current_since: string | null;
    stage: string;
    step_to: string | null;
    step_at: string;
    step_actor: string | null;
  }>(
    `SELECT r.line, m.person_id, p.stage AS current, to_json(p.stage_entered_at) #>> '{}' AS current_since, r.stage, to_json(r.step_to)::text AS step_to,
            to_json(r.step_at)::text AS step_at, to_json(r.step_actor)::text AS step_actor
     FROM import_rows r
     JOIN import_matches m ON m.line = r.line
     JOIN people p ON p.id = m.person_id
     WHERE r.batch = $1 AND r.superseded_by IS NULL AND r.stage IS NOT NULL AND p.stage IS DISTINCT FROM r.stage
     ORDER BY r.line
     FOR UPDATE OF p`,
    [batch],
  );
}

export async function clearSteps(session: DbSession): Promise<void> {
  await session.query('TRUNCATE import_steps');
}

/**
 * Updates the batch's existing people where something differs: blank cells keep what is stored,
 * attributes are added to, and the stage follows the steps appended for this batch (import_steps).
 * An e-mail already used by someone else is not taken over.
 */
export async function updateExistingPeople(session: DbSession, batch: number): Promise<number> {
  const columns = [
    'external_id',
    'email',
    'first_name',
    'last_name',
    'title',
    'phone',
    'country',
    'source',
    'landing_page',
    'owner_id',
    'account_id',
    'attributes',
    'stage',
    'stage_entered_at',
    'created_at',
  ];
  return count(
    session,
    `WITH final_step AS (
       SELECT DISTINCT ON (line) line, to_stage, occurred_at FROM import_steps ORDER BY line, ord DESC
     ), target AS (
       SELECT p.id,
         coalesce(p.external_id, r.external_id) AS external_id,
         CASE WHEN r.email IS NULL OR p.email = r.email
                OR EXISTS (SELECT 1 FROM people other WHERE other.email = r.email) THEN p.email
              ELSE r.email END AS email,
         coalesce(r.first_name, p.first_name) AS first_name,
         coalesce(r.last_name, p.last_name) AS last_name,
         coalesce(r.title, p.title) AS title,
         coalesce(r.phone, p.phone) AS phone,
         coalesce(r.country, p.country) AS country,
         coalesce(r.source, p.source) AS source,
         coalesce(r.landing_page, p.landing_page) AS landing_page,
         coalesce(r.owner_id, p.owner_id) AS owner_id,
         coalesce(a.account_id, p.account_id) AS account_id,
         -- A file's values are text: one that reads as the stored value (40 and "40") keeps it.
         p.attributes || coalesce((
           SELECT jsonb_object_agg(e.key, CASE WHEN p.attributes ->> e.key = e.value #>> '{}'
                                               THEN p.attributes -> e.key ELSE e.value END)
           FROM jsonb_each(r.attributes) e), '{}'::jsonb) AS attributes,
         coalesce(f.to_stage, p.stage) AS stage,
         CASE WHEN f.line IS NULL THEN p.stage_entered_at ELSE f.occurred_at END AS stage_entered_at,
         -- A file's times are to the millisecond; a stored one within it is the same time.
         CASE WHEN r.created_at IS NULL OR abs(extract(epoch FROM p.created_at - r.created_at)) < 0.001
              THEN p.created_at ELSE r.created_at END AS created_at
       FROM import_rows r
       JOIN import_matches m ON m.line = r.line
       JOIN people p ON p.id = m.person_id
       LEFT JOIN import_accounts a ON a.key = r.account_key
       LEFT JOIN final_step f ON f.line = r.line
       WHERE r.batch = $1 AND r.superseded_by IS NULL
     ), changed AS (
       UPDATE people p SET ${columns.map((c) => `${c} = t.${c}`).join(', ')}
       FROM target t
       WHERE p.id = t.id
         AND (${columns.map((c) => `p.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `t.${c}`).join(', ')})
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM changed`,
    [batch],
  );
}

/** Appends the steps computed for existing people, in order, so seq follows the history. */
export async function appendSteps(session: DbSession, rule: string, reason: string): Promise<number> {
  return count(
    session,
    `WITH inserted AS (
       INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, actor_user_id, rule, reason)
       SELECT person_id, from_stage, to_stage, occurred_at, actor, $1, $2 FROM import_steps ORDER BY line, ord
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [rule, reason],
  );
}

const FRESH_ROWS = `import_rows r
  WHERE r.batch = $1 AND r.superseded_by IS NULL
    AND NOT EXISTS (SELECT 1 FROM import_matches m WHERE m.line = r.line)`;

/**
 * Inserts the batch's new people, then their whole staged history; the stage columns are the last
 * step, in the same transaction as the transitions. A person the file gives no stage (or one no one
 * starts in) starts at `start`, the lifecycle's starting stage, at their creation, as over the API.
 * No ON CONFLICT (it costs a third of the insert): a person someone else created meanwhile fails the
 * batch with a unique violation, and the caller matches the batch again and retries.
 */
export async function insertNewPeople(
  session: DbSession,
  batch: number,
  history: { rule: string; reason: string; start: string },
  now: Date,
): Promise<{ created: number; transitions: number }> {
  const created = await count(
    session,
    `WITH inserted AS (
       INSERT INTO people (id, external_id, email, first_name, last_name, title, phone, country, account_id,
                           source, landing_page, owner_id, attributes, stage, stage_entered_at, created_at)
       SELECT r.new_id, r.external_id, r.email, r.first_name, r.last_name, r.title, r.phone, r.country,
              a.account_id, r.source, r.landing_page, r.owner_id, coalesce(r.attributes, '{}'::jsonb),
              coalesce(r.step_to[cardinality(r.step_to)], $3),
              coalesce(r.step_at[cardinality(r.step_at)], r.created_at, $2), coalesce(r.created_at, $2)
       FROM ${FRESH_ROWS.replace('import_rows r', 'import_rows r LEFT JOIN import_accounts a ON a.key = r.account_key')}
       ORDER BY r.line
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [batch, now, history.start],
  );
  if (created === 0) return { created: 0, transitions: 0 };
  const transitions = await count(
    session,
    `WITH inserted AS (
       INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, actor_user_id, rule, reason)
       SELECT r.new_id, CASE WHEN s.ord = 1 THEN NULL ELSE r.step_to[s.ord - 1] END, s.to_stage, s.at, s.actor, $2, $3
       FROM ${FRESH_ROWS.replace(
         'import_rows r',
         `import_rows r CROSS JOIN LATERAL unnest(coalesce(r.step_to, ARRAY[$4::text]),
            coalesce(r.step_at, ARRAY[coalesce(r.created_at, $5::timestamptz)]), r.step_actor)
            WITH ORDINALITY AS s(to_stage, at, actor, ord)`,
       )}
       ORDER BY r.line, s.ord
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [batch, history.rule, history.reason, history.start, now],
  );
  return { created, transitions };
}

/** The batch's new people whose file names a stage no one starts in (staged without steps). */
export function newPeopleWithLaterStage(session: DbSession, batch: number) {
  return session.query<{ line: number; stage: string }>(
    `SELECT r.line, r.stage FROM ${FRESH_ROWS} AND r.stage IS NOT NULL AND r.step_to IS NULL ORDER BY r.line`,
    [batch],
  );
}

/** After a unique violation: find the people that others created while this batch waited. */
export async function matchBatchAgain(session: DbSession, batch: number): Promise<void> {
  for (const key of ['external_id', 'email']) {
    await session.query(
      `INSERT INTO import_matches (line, person_id)
       SELECT r.line, p.id FROM import_rows r JOIN people p ON p.${key} = r.${key}
       WHERE r.batch = $1 AND r.superseded_by IS NULL
       ON CONFLICT (line) DO NOTHING`,
      [batch],
    );
  }
}

/** Kept rows of a batch (after duplicates were set aside), to tell unchanged rows from the rest. */
export async function keptRowCount(session: DbSession, batch: number): Promise<number> {
  return count(
    session,
    'SELECT count(*)::int AS n FROM import_rows WHERE batch = $1 AND superseded_by IS NULL',
    [batch],
  );
}
