import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { Account, AccountFilters, AccountInput } from './accounts.schema.ts';

const accountColumns = sql`
  a.id, a.external_id AS "externalId", a.name, a.domain, a.industry, a.employees, a.country,
  a.owner_id AS "ownerId", u.name AS "ownerName", a.attributes,
  (SELECT count(*)::int FROM people p WHERE p.account_id = a.id) AS "peopleCount", a.created_at AS "createdAt"`;

export async function findAccount(db: Db, id: string): Promise<Account | undefined> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${accountColumns} FROM accounts a LEFT JOIN users u ON u.id = a.owner_id WHERE a.id = ${id}`,
  );
  return result[0] as Account | undefined;
}

export async function findAccountIdByKey(
  db: Db,
  key: { externalId?: string | undefined; domain?: string | undefined },
): Promise<string | undefined> {
  if (!key.externalId && !key.domain) return undefined;
  const result = await queryRows(
    db,
    sql`
    SELECT id FROM accounts
    WHERE (${key.externalId ?? null}::text IS NOT NULL AND external_id = ${key.externalId ?? null})
       OR (${key.domain ?? null}::text IS NOT NULL AND domain = ${key.domain ?? null})
    ORDER BY (external_id = ${key.externalId ?? null}) DESC NULLS LAST
    LIMIT 1`,
  );
  return (result[0] as { id: string } | undefined)?.id;
}

export async function insertAccount(
  db: Db,
  input: AccountInput & { domain?: string | undefined },
): Promise<string> {
  const result = await queryRows(
    db,
    sql`
    INSERT INTO accounts (external_id, name, domain, industry, employees, country, owner_id, attributes)
    VALUES (${input.externalId ?? null}, ${input.name}, ${input.domain ?? null}, ${input.industry ?? null},
            ${input.employees ?? null}, ${input.country ?? null}, ${input.ownerId ?? null},
            ${JSON.stringify(input.attributes ?? {})}::jsonb)
    RETURNING id`,
  );
  return (result[0] as { id: string }).id;
}

/** Sets the given fields only; attributes are merged key by key. */
export async function updateAccount(db: Db, id: string, patch: Partial<AccountInput>): Promise<void> {
  await queryRows(
    db,
    sql`
    UPDATE accounts SET
      external_id = COALESCE(${patch.externalId ?? null}, external_id),
      name = COALESCE(${patch.name ?? null}, name),
      domain = COALESCE(${patch.domain ?? null}, domain),
      industry = COALESCE(${patch.industry ?? null}, industry),
      employees = COALESCE(${patch.employees ?? null}::int, employees),
      country = COALESCE(${patch.country ?? null}, country),
      owner_id = COALESCE(${patch.ownerId ?? null}::uuid, owner_id),
      attributes = attributes || ${JSON.stringify(patch.attributes ?? {})}::jsonb
    WHERE id = ${id}`,
  );
}

/** The accounts a list's filters keep (`a` accounts). */
export function accountFilter(filters: AccountFilters): SQL {
  const search = filters.q ? `%${filters.q.replace(/[\\%_]/g, '\\$&')}%` : null;
  return sql`(${search}::text IS NULL OR a.name ILIKE ${search} OR a.domain ILIKE ${search})`;
}

export async function listAccounts(
  db: Db,
  query: AccountFilters & { limit: number; after?: { name: string; id: string } | undefined },
): Promise<Account[]> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${accountColumns} FROM accounts a LEFT JOIN users u ON u.id = a.owner_id
    WHERE ${accountFilter(query)}
      AND (${query.after?.name ?? null}::text IS NULL
           OR (a.name, a.id) > (${query.after?.name ?? null}, ${query.after?.id ?? null}::uuid))
    ORDER BY a.name, a.id LIMIT ${query.limit}`,
  );
  return result as Account[];
}
