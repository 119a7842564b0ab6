// The SQL of an import's staging: tables for one session, duplicates set aside, existing people found.
// The merges are in import.accounts.store.ts and import.people.store.ts; nothing loops over rows in JavaScript.
import type { DbSession } from '../../db/client.ts';
import type { ImportProblem } from './import.report.ts';
import { stagingColumns } from './import.staging.ts';

// Temporary tables: private to the session, never logged, gone if the process dies.
const STAGING_TABLES = [
  'import_rows',
  'import_matches',
  'import_accounts',
  'import_batch_accounts',
  'import_steps',
  'import_deal_rows',
  'import_deal_owners',
];

export async function createStagingTables(session: DbSession): Promise<void> {
  await dropStagingTables(session);
  await session.query(`
    CREATE TEMP TABLE import_rows (
      line integer NOT NULL,
      batch integer NOT NULL,
      external_id text, email text, first_name text, last_name text, title text, phone text,
      country text, source text, landing_page text, owner_id uuid, created_at timestamptz,
      stage text, step_to text[], step_at timestamptz[], step_actor uuid[],
      attributes jsonb,
      account_key text, company_external_id text, company_domain text, company_name text,
      industry text, employees integer, company_country text, account_can_create boolean,
      new_id uuid NOT NULL,
      deal jsonb,
      lockstep_id uuid,
      superseded_by integer
    )`);
  await session.query('CREATE TEMP TABLE import_matches (line integer PRIMARY KEY, person_id uuid NOT NULL)');
  await session.query('CREATE TEMP TABLE import_accounts (key text PRIMARY KEY, account_id uuid)');
  await session.query(`
    CREATE TEMP TABLE import_batch_accounts (
      key text PRIMARY KEY, external_id text, domain text, name text, industry text, employees integer,
      country text, attributes jsonb, lockstep_id uuid, can_create boolean NOT NULL, account_id uuid, created boolean NOT NULL DEFAULT false,
      new_id uuid NOT NULL DEFAULT gen_random_uuid()
    )`);
  await session.query(`
    CREATE TEMP TABLE import_steps (
      line integer NOT NULL, person_id uuid NOT NULL, ord integer NOT NULL, from_stage text,
      to_stage text NOT NULL, occurred_at timestamptz NOT NULL, actor uuid
    )`);
  await session.query(`
    CREATE TEMP TABLE import_deal_rows (
      line integer PRIMARY KEY, new_id uuid NOT NULL, opportunity_id uuid, owner_id uuid, person_id uuid,
      account_id uuid
    )`);
  await session.query('CREATE TEMP TABLE import_deal_owners (owner text PRIMARY KEY, user_id uuid)');
}

export async function dropStagingTables(session: DbSession): Promise<void> {
  await session.query(`DROP TABLE IF EXISTS ${STAGING_TABLES.join(', ')}`);
}

export const stagingCopyTarget = `import_rows (${stagingColumns.join(', ')})`;
export const stepsCopyTarget =
  'import_steps (line, person_id, ord, from_stage, to_stage, occurred_at, actor)';

/**
 * Rows arrive in batch order, so a BRIN index finds a batch's pages for almost nothing. Temporary
 * tables are never analysed automatically, and without statistics the merge plans are poor.
 */
export async function indexStagedRows(session: DbSession): Promise<void> {
  await session.query('CREATE INDEX ON import_rows USING brin (batch)');
  await session.query('ANALYZE import_rows');
}

export interface SetAside {
  count: number;
  firstFew: ImportProblem[];
}

const KEY_WORDS: Record<string, string> = {
  lockstep_id: 'Lockstep ID',
  external_id: 'external id',
  email: 'email',
  account_key: 'company',
};

/**
 * Marks every row that a later row of the same file replaces. People: same Lockstep ID, else same
 * external id, else same e-mail. Accounts: same account key. Returns the count and the first
 * `limit` as warnings.
 */
export async function markSupersededRows(
  session: DbSession,
  entity: 'people' | 'accounts' | 'opportunities',
  limit: number,
): Promise<SetAside> {
  const result: SetAside = { count: 0, firstFew: [] };
  const keys = {
    people: ['lockstep_id', 'external_id', 'email'],
    accounts: ['account_key'],
    opportunities: ['lockstep_id', 'external_id'],
  };
  for (const key of keys[entity]) {
    const found = await setAside(
      session,
      `UPDATE import_rows r SET superseded_by = d.next_line
       FROM (
         SELECT line, lead(line) OVER (PARTITION BY ${key} ORDER BY line) AS next_line
         FROM import_rows
         WHERE superseded_by IS NULL AND ${key} IN (
           SELECT ${key} FROM import_rows WHERE ${key} IS NOT NULL AND superseded_by IS NULL
           GROUP BY ${key} HAVING count(*) > 1)
       ) d
       WHERE r.line = d.line AND d.next_line IS NOT NULL
       RETURNING r.line, r.superseded_by AS kept, r.${key} AS value`,
      limit,
      (row) =>
        `line ${row.kept} has the same ${KEY_WORDS[key]}${key === 'account_key' ? '' : ` "${row.value}"`}`,
    );
    result.count += found.count;
    result.firstFew.push(...found.firstFew);
  }
  return result;
}

async function setAside(
  session: DbSession,
  update: string,
  limit: number,
  why: (row: { kept: number; value: string }) => string,
): Promise<SetAside> {
  const { count, first } = await firstOf<{ line: number; kept: number; value: string }>(
    session,
    update,
    limit,
  );
  return {
    count,
    firstFew: first.map((item) => ({
      line: item.line,
      severity: 'warning',
      reason: `skipped: ${why(item)} and comes later in the file, so line ${item.kept} is imported instead`,
    })),
  };
}

/** How many rows a statement returns (or changes), and the first `limit` of them by line. */
async function firstOf<T extends { line: number }>(
  session: DbSession,
  statement: string,
  limit: number,
): Promise<{ count: number; first: T[] }> {
  const [row] = await session.query<{ n: number; first: string }>(
    `WITH found AS (${statement})
     SELECT (SELECT count(*) FROM found)::int AS n,
            coalesce((SELECT json_agg(x ORDER BY x.line) FROM (SELECT * FROM found ORDER BY line LIMIT $1) x), '[]')::text AS first`,
    [limit],
  );
  return { count: row?.n ?? 0, first: JSON.parse(row?.first ?? '[]') as T[] };
}

/**
 * Finds the person each row already is: by Lockstep ID, else by external id, else by e-mail
 * (stored lower-case). Two rows that turn out to be one existing person: the later one is kept.
 */
export async function matchExistingPeople(session: DbSession, limit: number): Promise<SetAside> {
  await session.query(`
    INSERT INTO import_matches (line, person_id)
    SELECT r.line, p.id FROM import_rows r JOIN people p ON p.id = r.lockstep_id
    WHERE r.superseded_by IS NULL`);
  await session.query(`
    INSERT INTO import_matches (line, person_id)
    SELECT r.line, p.id FROM import_rows r JOIN people p ON p.external_id = r.external_id
    WHERE r.superseded_by IS NULL
      AND NOT EXISTS (SELECT 1 FROM import_matches m WHERE m.line = r.line)`);
  await session.query(`
    INSERT INTO import_matches (line, person_id)
    SELECT r.line, p.id FROM import_rows r JOIN people p ON p.email = r.email
    WHERE r.superseded_by IS NULL AND r.email IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM import_matches m WHERE m.line = r.line)`);
  const samePerson = await setAside(
    session,
    `UPDATE import_rows r SET superseded_by = d.kept
     FROM (
       SELECT line, max(line) OVER (PARTITION BY person_id) AS kept FROM import_matches
       WHERE person_id IN (SELECT person_id FROM import_matches GROUP BY person_id HAVING count(*) > 1)
     ) d
     WHERE r.line = d.line AND d.line <> d.kept
     RETURNING r.line, r.superseded_by AS kept, '' AS value`,
    limit,
    (row) =>
      `line ${row.kept} is the same person already in Lockstep (matched by another of Lockstep ID, external id and email)`,
  );
  return samePerson;
}

/**
 * The deal Lockstep has that a row names: by Lockstep ID, else by external id. One rule for setting
 * aside two rows that are one deal and for resolving a batch's deals.
 */
export function existingDealSql(row: { lockstepId: string; externalId: string }): {
  joins: string;
  id: string;
} {
  return {
    joins: `LEFT JOIN opportunities deal_by_id ON deal_by_id.id = ${row.lockstepId}
     LEFT JOIN opportunities deal_by_external_id ON deal_by_external_id.external_id = ${row.externalId}`,
    id: 'coalesce(deal_by_id.id, deal_by_external_id.id)',
  };
}

/**
 * How an import finds the account Lockstep has that a row names, strongest clue first: the columns
 * of `accounts` matched in turn (Lockstep ID, external id, domain); then, only when the row gives no
 * domain (the weakest clue), its name, the oldest such account first. For setting aside two rows
 * that are one account (setAsideSameAccount) and for resolving a batch's accounts
 * (import.accounts.store.ts).
 */
export const ACCOUNT_KEYS = ['id', 'external_id', 'domain'] as const;
export const ACCOUNT_BY_NAME_ORDER = 'created_at, id';

/**
 * Two rows of an opportunities file that are one deal Lockstep has, one found by Lockstep ID and
 * the other by external id: the later one is kept, as for people.
 */
export function setAsideSameDeal(session: DbSession, limit: number): Promise<SetAside> {
  const deal = existingDealSql({ lockstepId: 'r.lockstep_id', externalId: 'r.external_id' });
  return setAsideSameRecord(
    session,
    `SELECT r.line, ${deal.id} AS record_id FROM import_rows r ${deal.joins}
     WHERE r.superseded_by IS NULL`,
    limit,
    'deal already in Lockstep (one found by Lockstep ID, the other by external id)',
  );
}

/**
 * Two rows of an accounts file that are one account Lockstep has, found by different keys (one by
 * Lockstep ID, the other by external id, domain or name): the later one is kept, as for people.
 */
export function setAsideSameAccount(session: DbSession, limit: number): Promise<SetAside> {
  const rowKeys = { id: 'r.lockstep_id', external_id: 'r.company_external_id', domain: 'r.company_domain' };
  return setAsideSameRecord(
    session,
    `SELECT r.line, coalesce(${ACCOUNT_KEYS.map((key) => `by_${key}.id`).join(', ')}, by_name.id) AS record_id
     FROM import_rows r
     ${ACCOUNT_KEYS.map((key) => `LEFT JOIN accounts by_${key} ON by_${key}.${key} = ${rowKeys[key]}`).join('\n')}
     LEFT JOIN LATERAL (
       SELECT a.id FROM accounts a WHERE r.company_domain IS NULL AND a.name = r.company_name
       ORDER BY ${ACCOUNT_BY_NAME_ORDER} LIMIT 1
     ) by_name ON true
     WHERE r.superseded_by IS NULL`,
    limit,
    'account already in Lockstep (found by another of its Lockstep ID, external id, domain and name)',
  );
}

/** Of the rows `found` gives one existing record (`line, record_id`), each record's last is kept. */
function setAsideSameRecord(session: DbSession, found: string, limit: number, what: string) {
  return setAside(
    session,
    `UPDATE import_rows r SET superseded_by = d.kept
     FROM (
       SELECT line, max(line) OVER (PARTITION BY record_id) AS kept
       FROM (${found}) found
       WHERE record_id IS NOT NULL
     ) d
     WHERE r.line = d.line AND d.line <> d.kept
     RETURNING r.line, r.superseded_by AS kept, '' AS value`,
    limit,
    (row) => `line ${row.kept} is the same ${what}`,
  );
}

const RECORDS = {
  people: { table: 'people', otherwise: 'external id or email' },
  accounts: { table: 'accounts', otherwise: 'external id, domain or name' },
  opportunities: { table: 'opportunities', otherwise: 'external id' },
} as const;

/**
 * The kept rows whose Lockstep ID no record has here (deleted, or exported by another Lockstep), as
 * warnings: such a row is matched by its other keys, else added with the file's id.
 */
export async function unknownLockstepIds(
  session: DbSession,
  entity: keyof typeof RECORDS,
  limit: number,
): Promise<SetAside> {
  const { table, otherwise } = RECORDS[entity];
  const unknown = await firstOf<{ line: number; id: string }>(
    session,
    `SELECT r.line, r.lockstep_id AS id FROM import_rows r
     WHERE r.lockstep_id IS NOT NULL AND r.superseded_by IS NULL
       AND NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.id = r.lockstep_id)`,
    limit,
  );
  return {
    count: unknown.count,
    firstFew: unknown.first.map(({ line, id }) => ({
      line,
      severity: 'warning',
      reason:
        `Lockstep ID "${id}" is no one's here (deleted, or from another Lockstep): ` +
        `found by ${otherwise} instead, else added with this id`,
    })),
  };
}

/** Runs a statement that returns one row with an integer `n`. */
export async function count(session: DbSession, text: string, params: unknown[]): Promise<number> {
  const [row] = await session.query<{ n: number }>(text, params);
  return row?.n ?? 0;
}
