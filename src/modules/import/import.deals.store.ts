// Deals of an opportunities file: the per-batch SQL. Like people, an import writes deals and their
// history set-based; each deal's stage is written in the same statement as its transition.
import type { DbSession } from '../../db/client.ts';
import type { ImportProblem } from './import.report.ts';
import { count, existingDealSql } from './import.store.ts';

const OWNER = `(r.deal->>'owner')`;

/**
 * Finds, for each kept row of the batch, the deal it already is (by Lockstep ID, else external id), its owner (a user
 * by `<source>:<value>` external id, e-mail or name; an unknown owner becomes a sales user without
 * sign-in), its person (by external id, else e-mail) and its account (merged before; else the person's).
 */
export async function resolveDealRows(session: DbSession, batch: number, source: string): Promise<void> {
  await session.query('TRUNCATE import_deal_rows');
  const ownerMatches = (owner: string) => `
    u.external_id IN ($2 || ':' || ${owner}, $2 || ':owner:' || lower(${owner}))
    OR lower(u.email) = lower(${owner}) OR lower(u.name) = lower(${owner})`;
  await session.query(
    `INSERT INTO users (external_id, name, team, role)
     SELECT DISTINCT ON (lower(o.owner)) $2 || ':owner:' || lower(o.owner), o.owner, 'sales', 'sales'
     FROM (SELECT DISTINCT ${OWNER} AS owner FROM import_rows r
           WHERE r.batch = $1 AND r.superseded_by IS NULL AND ${OWNER} IS NOT NULL) o
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE ${ownerMatches('o.owner')})
     ORDER BY lower(o.owner), o.owner
     ON CONFLICT (external_id) DO NOTHING`,
    [batch, source],
  );
  // Owners are few: each distinct value is resolved once, then joined.
  await session.query('TRUNCATE import_deal_owners');
  await session.query(
    `INSERT INTO import_deal_owners (owner, user_id)
     SELECT o.owner, (
       SELECT u.id FROM users u WHERE ${ownerMatches('o.owner')}
       ORDER BY (u.external_id = $2 || ':' || o.owner) DESC, (lower(u.email) = lower(o.owner)) DESC NULLS LAST,
                u.created_at, u.id
       LIMIT 1)
     FROM (SELECT DISTINCT ${OWNER} AS owner FROM import_rows r
           WHERE r.batch = $1 AND r.superseded_by IS NULL AND ${OWNER} IS NOT NULL) o`,
    [batch, source],
  );
  // Equality joins rather than one OR, so that each uses its unique index.
  const deal = existingDealSql({ lockstepId: 'r.lockstep_id', externalId: 'r.external_id' });
  await session.query(
    `INSERT INTO import_deal_rows (line, new_id, opportunity_id, owner_id, person_id, account_id)
     SELECT r.line, r.new_id, ${deal.id}, ow.user_id, coalesce(px.id, pe.id),
            coalesce(a.account_id, px.account_id, pe.account_id)
     FROM import_rows r
     ${deal.joins}
     LEFT JOIN import_accounts a ON a.key = r.account_key
     LEFT JOIN import_deal_owners ow ON ow.owner = ${OWNER}
     LEFT JOIN people px ON px.external_id = r.deal->>'personExternalId'
     LEFT JOIN people pe ON pe.email = r.deal->>'personEmail'
     WHERE r.batch = $1 AND r.superseded_by IS NULL`,
    [batch],
  );
}

/** Rows kept without an account, or whose person Lockstep does not know: warnings, the deal still lands. */
export async function dealWarnings(
  session: DbSession,
  limit: number,
): Promise<{ count: number; firstFew: ImportProblem[] }> {
  const [row] = await session.query<{ n: number; first: string }>(
    `WITH found AS (
       SELECT d.line, CASE
           WHEN d.account_id IS NULL AND r.account_key IS NULL THEN 'no account (no company id, domain or name): kept without one'
           WHEN d.account_id IS NULL THEN 'its company is not in Lockstep and the row does not name it: kept without an account'
         END AS account_problem,
         CASE WHEN d.person_id IS NULL AND coalesce(r.deal->>'personExternalId', r.deal->>'personEmail') IS NOT NULL
           THEN 'no person ' || coalesce(r.deal->>'personExternalId', r.deal->>'personEmail') || ' in Lockstep: kept without a person'
         END AS person_problem
       FROM import_deal_rows d JOIN import_rows r ON r.line = d.line
     ), problems AS (
       SELECT line, account_problem AS reason FROM found WHERE account_problem IS NOT NULL
       UNION ALL
       SELECT line, person_problem FROM found WHERE person_problem IS NOT NULL
     )
     SELECT (SELECT count(*) FROM problems)::int AS n,
            coalesce((SELECT json_agg(x ORDER BY x.line) FROM (SELECT * FROM problems ORDER BY line LIMIT $1) x), '[]')::text AS first`,
    [limit],
  );
  const first = JSON.parse(row?.first ?? '[]') as { line: number; reason: string }[];
  return {
    count: row?.n ?? 0,
    firstFew: first.map((p) => ({ line: p.line, severity: 'warning', reason: p.reason })),
  };
}

/** Updates existing deals where the file says something else (an empty cell keeps what is stored). */
export async function updateExistingDeals(session: DbSession): Promise<number[]> {
  const columns = [
    'name',
    'account_id',
    'person_id',
    'owner_id',
    'amount',
    'currency',
    'product',
    'opened_at',
    'lost_reason',
    'attributes',
  ];
  const rows = await session.query<{ line: number }>(
    `WITH target AS (
       SELECT d.line, o.id,
         coalesce(r.deal->>'name', o.name) AS name,
         coalesce(d.account_id, o.account_id) AS account_id,
         coalesce(d.person_id, o.person_id) AS person_id,
         coalesce(d.owner_id, o.owner_id) AS owner_id,
         coalesce((r.deal->>'amount')::numeric, o.amount) AS amount,
         coalesce(r.deal->>'currency', o.currency) AS currency,
         coalesce(r.deal->>'product', o.product) AS product,
         -- A file's times are to the millisecond; a stored one within it is the same time.
         CASE WHEN r.deal->>'openedAt' IS NULL
                OR abs(extract(epoch FROM o.opened_at - (r.deal->>'openedAt')::timestamptz)) < 0.001
              THEN o.opened_at ELSE (r.deal->>'openedAt')::timestamptz END AS opened_at,
         coalesce(r.deal->>'lostReason', o.lost_reason) AS lost_reason,
         o.attributes || coalesce(r.deal->'attributes', '{}'::jsonb) AS attributes
       FROM import_deal_rows d JOIN import_rows r ON r.line = d.line JOIN opportunities o ON o.id = d.opportunity_id
     ), changed AS (
       UPDATE opportunities o SET ${columns.map((c) => `${c} = t.${c}`).join(', ')}
       FROM target t
       WHERE o.id = t.id
         AND (${columns.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `t.${c}`).join(', ')})
       RETURNING t.line
     )
     SELECT line FROM changed`,
  );
  return rows.map((row) => row.line);
}

export interface DealStageChange {
  line: number;
  opportunity_id: string;
  current: string;
  to: string;
  closed_at: string | null;
  lost_reason: string | null;
}

/** Existing deals whose file stage differs from the stored one (locked until commit). */
export async function dealStageChanges(session: DbSession): Promise<DealStageChange[]> {
  return session.query<DealStageChange>(
    `SELECT d.line, o.id AS opportunity_id, o.stage AS current, r.deal->>'stage' AS to,
            r.deal->>'closedAt' AS closed_at, r.deal->>'lostReason' AS lost_reason
     FROM import_deal_rows d JOIN import_rows r ON r.line = d.line JOIN opportunities o ON o.id = d.opportunity_id
     WHERE o.stage <> r.deal->>'stage'
     ORDER BY d.line
     FOR UPDATE OF o`,
  );
}

/** Appends the allowed moves and sets each deal's stage, close date and lost reason in one statement. */
export async function moveExistingDeals(
  session: DbSession,
  moves: { id: string; from: string; to: string; at: string; closes: boolean; lostReason: string | null }[],
  reason: string,
): Promise<number> {
  if (moves.length === 0) return 0;
  return count(
    session,
    `WITH m AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS m(id uuid, "from" text, "to" text, at timestamptz, closes boolean, "lostReason" text)
     ), inserted AS (
       INSERT INTO opportunity_transitions (opportunity_id, from_stage, to_stage, occurred_at, reason)
       SELECT id, "from", "to", at, $2 FROM m
       RETURNING 1
     ), moved AS (
       UPDATE opportunities o SET stage = m."to", stage_entered_at = m.at,
         closed_at = CASE WHEN m.closes THEN m.at END, lost_reason = m."lostReason"
       FROM m WHERE o.id = m.id
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [JSON.stringify(moves), reason],
  );
}

/** Inserts the batch's new deals and the first transition of each one's history, in one statement. */
export async function insertNewDeals(session: DbSession, reason: string, now: Date): Promise<number> {
  return count(
    session,
    `WITH fresh AS (
       SELECT d.line, d.new_id, d.account_id, d.person_id, d.owner_id, r.external_id, r.deal,
         (r.deal->>'openedAt')::timestamptz AS opened, (r.deal->>'closedAt')::timestamptz AS closed
       FROM import_deal_rows d JOIN import_rows r ON r.line = d.line
       WHERE d.opportunity_id IS NULL
     ), inserted AS (
       INSERT INTO opportunities (id, external_id, name, account_id, person_id, owner_id, amount, currency, product,
                                  stage, stage_entered_at, opened_at, closed_at, lost_reason, attributes)
       SELECT new_id, external_id, deal->>'name', account_id, person_id, owner_id, (deal->>'amount')::numeric,
              deal->>'currency', deal->>'product', deal->>'stage', coalesce(closed, opened, $2),
              coalesce(opened, closed, $2), closed, deal->>'lostReason', deal->'attributes'
       FROM fresh ORDER BY line
       RETURNING id, stage, stage_entered_at
     ), history AS (
       INSERT INTO opportunity_transitions (opportunity_id, from_stage, to_stage, occurred_at, reason)
       SELECT id, NULL, stage, stage_entered_at, $1 FROM inserted
     )
     SELECT count(*)::int AS n FROM inserted`,
    [reason, now],
  );
}

export interface JourneyCandidate {
  line: number;
  person_id: string;
  current: string | null;
  outcome: 'open' | 'won' | 'lost';
  name: string;
  opened_at: string;
  closed_at: string | null;
  open_deals: number;
}

/** The people of the batch's new deals and of deals that closed now, with their stage (locked). */
export async function journeyCandidates(
  session: DbSession,
  closedLines: number[],
): Promise<JourneyCandidate[]> {
  return session.query<JourneyCandidate>(
    `WITH candidates AS (
       SELECT d.line, d.person_id, coalesce(d.opportunity_id, d.new_id) AS opportunity_id,
              r.deal->>'outcome' AS outcome
       FROM import_deal_rows d JOIN import_rows r ON r.line = d.line
       WHERE d.person_id IS NOT NULL AND (d.opportunity_id IS NULL OR d.line = ANY($1::int[]))
     ), open_deals AS (
       SELECT x.person_id, count(*)::int AS n FROM opportunities x
       WHERE x.closed_at IS NULL AND x.person_id IN (SELECT person_id FROM candidates)
       GROUP BY x.person_id
     )
     SELECT c.line, c.person_id, p.stage AS current, o.name, to_json(o.opened_at) #>> '{}' AS opened_at,
            to_json(o.closed_at) #>> '{}' AS closed_at, c.outcome, coalesce(od.n, 0) AS open_deals
     FROM candidates c
     JOIN opportunities o ON o.id = c.opportunity_id
     JOIN people p ON p.id = c.person_id
     LEFT JOIN open_deals od ON od.person_id = c.person_id
     ORDER BY c.line
     FOR UPDATE OF p`,
    [closedLines],
  );
}

/** Records the people's moves by the deal rule, and sets their stage in the same statement. */
export async function movePeopleByDeals(
  session: DbSession,
  steps: {
    line: number;
    ord: number;
    person: string;
    from: string | null;
    to: string;
    at: string;
    reason: string;
  }[],
  rule: string,
): Promise<number> {
  if (steps.length === 0) return 0;
  return count(
    session,
    `WITH s AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS s(line int, ord int, person uuid, "from" text, "to" text, at timestamptz, reason text)
     ), inserted AS (
       INSERT INTO stage_transitions (person_id, from_stage, to_stage, occurred_at, rule, reason)
       SELECT person, "from", "to", at, $2, reason FROM s ORDER BY line, ord
       RETURNING 1
     ), final AS (
       SELECT DISTINCT ON (person) person, "to", at FROM s ORDER BY person, line DESC, ord DESC
     ), moved AS (
       UPDATE people p SET stage = final."to", stage_entered_at = final.at FROM final WHERE p.id = final.person
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [JSON.stringify(steps), rule],
  );
}
