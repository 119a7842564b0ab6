// Accounts named by an import: matched by Lockstep ID (an accounts file that maps it), else external id,
// else domain, else name; created when the row names a company.
import type { DbSession } from '../../db/client.ts';
import { ACCOUNT_BY_NAME_ORDER, ACCOUNT_KEYS, count } from './import.store.ts';

/**
 * Creates or finds the accounts this batch's rows name. Accounts named by a people file are
 * only filled in (the first row to name a company describes it); an accounts file overwrites, and
 * its attribute columns are the accounts' custom fields (a people file's are the people's).
 */
export async function mergeAccounts(
  session: DbSession,
  batch: number,
  overwrite: boolean,
): Promise<{ created: number; updated: number }> {
  await session.query(
    `INSERT INTO import_batch_accounts (key, external_id, domain, name, industry, employees, country, attributes,
                                        lockstep_id, can_create, new_id)
     SELECT DISTINCT ON (account_key) account_key, company_external_id, company_domain, company_name,
            industry, employees, company_country, ${overwrite ? 'r.attributes, r.lockstep_id' : 'NULL::jsonb, NULL::uuid'},
            account_can_create, ${overwrite ? 'coalesce(r.lockstep_id, gen_random_uuid())' : 'gen_random_uuid()'}
     FROM import_rows r
     WHERE r.batch = $1 AND r.superseded_by IS NULL AND r.account_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM import_accounts a WHERE a.key = r.account_key)
     ORDER BY account_key, account_can_create DESC, line ${overwrite ? 'DESC' : 'ASC'}`,
    [batch],
  );
  await resolveAccounts(session);
  // Companies known by id or domain first, so that a row naming only "Acme" joins the Acme just made.
  let created = await insertAccounts(session, 'external_id IS NOT NULL OR domain IS NOT NULL');
  // Two keys of this batch may name one company (same domain): the second insert found the first.
  await resolveAccounts(session);
  created += await insertAccounts(session, 'true');
  await resolveAccounts(session);
  // A people file only fills in what an account lacks; an accounts file overwrites.
  const next = (column: string) =>
    overwrite ? `coalesce(b.${column}, a.${column})` : `coalesce(a.${column}, b.${column})`;
  const columns = ['name', 'industry', 'employees', 'country'];
  // Custom fields are added to; a file's values are text: one that reads as the stored value keeps it.
  const attributes = `a.attributes || coalesce((
      SELECT jsonb_object_agg(e.key, CASE WHEN a.attributes ->> e.key = e.value #>> '{}'
                                          THEN a.attributes -> e.key ELSE e.value END)
      FROM jsonb_each(b.attributes) e), '{}'::jsonb)`;
  const updated = await count(
    session,
    `WITH changed AS (
       UPDATE accounts a SET ${columns.map((c) => `${c} = ${next(c)}`).join(', ')}, attributes = ${attributes}
       FROM import_batch_accounts b
       WHERE a.id = b.account_id AND NOT b.created
         AND (${columns.map((c) => `a.${c}`).join(', ')}, a.attributes)
             IS DISTINCT FROM (${columns.map(next).join(', ')}, ${attributes})
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM changed`,
    [],
  );
  await session.query(
    'INSERT INTO import_accounts (key, account_id) SELECT key, account_id FROM import_batch_accounts',
  );
  await session.query('TRUNCATE import_batch_accounts');
  return { created, updated };
}

async function insertAccounts(session: DbSession, which: string): Promise<number> {
  return count(
    session,
    `WITH inserted AS (
       INSERT INTO accounts (id, external_id, name, domain, industry, employees, country, attributes)
       SELECT new_id, external_id, coalesce(name, domain, external_id), domain, industry, employees, country,
              coalesce(attributes, '{}'::jsonb)
       FROM import_batch_accounts WHERE account_id IS NULL AND can_create AND (${which})
       ON CONFLICT DO NOTHING
       RETURNING id
     ), marked AS (
       UPDATE import_batch_accounts b SET account_id = b.new_id, created = true
       FROM inserted WHERE inserted.id = b.new_id RETURNING 1
     )
     SELECT count(*)::int AS n FROM marked`,
    [],
  );
}

/**
 * Each of the batch's accounts not yet resolved that Lockstep has, one key after the other
 * (ACCOUNT_KEYS): one equality join each, which keeps to the accounts' unique indexes.
 */
async function resolveAccounts(session: DbSession): Promise<void> {
  const batchKeys = { id: 'lockstep_id', external_id: 'external_id', domain: 'domain' };
  for (const key of ACCOUNT_KEYS) {
    await session.query(`
      UPDATE import_batch_accounts b SET account_id = a.id FROM accounts a
      WHERE b.account_id IS NULL AND b.${batchKeys[key]} IS NOT NULL AND a.${key} = b.${batchKeys[key]}`);
  }
  await session.query(`
    UPDATE import_batch_accounts b SET account_id = a.id
    FROM (
      SELECT DISTINCT ON (name) name, id FROM accounts
      WHERE name IN (SELECT name FROM import_batch_accounts WHERE account_id IS NULL AND domain IS NULL)
      ORDER BY name, ${ACCOUNT_BY_NAME_ORDER}
    ) a
    WHERE b.account_id IS NULL AND b.domain IS NULL AND a.name = b.name`);
}
