// Every account a list's filters keep, as CSV, streamed a batch at a time in the list's order
// (name, id; indexed by accounts_name_idx).
import { sql } from 'drizzle-orm';
import { attributeKeys, isoTime } from '../../db/attributes.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { type CsvValue, csvTableLines } from '../../shared/csv.ts';
import type { AccountFilters } from './accounts.schema.ts';
import { accountFilter } from './accounts.store.ts';

const BATCH = 2_000;

interface Row {
  id: string;
  externalId: string | null;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  people: number;
  createdAt: string;
  attributes: Record<string, unknown>;
}

const columns: readonly (readonly [string, (row: Row) => CsvValue])[] = [
  ['Lockstep ID', (row) => row.id],
  ['External ID', (row) => row.externalId],
  ['Name', (row) => row.name],
  ['Domain', (row) => row.domain],
  ['Industry', (row) => row.industry],
  ['Employees', (row) => row.employees],
  ['Country', (row) => row.country],
  ['Owner', (row) => row.ownerName],
  ['Owner email', (row) => row.ownerEmail],
  ['People', (row) => row.people],
  ['Created', (row) => row.createdAt],
];

const fromAccounts = sql`FROM accounts a LEFT JOIN users u ON u.id = a.owner_id`;

export async function countAccounts(db: Db, filters: AccountFilters): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n ${fromAccounts} WHERE ${accountFilter(filters)}`,
  );
  return row?.n ?? 0;
}

/** The CSV, line by line (the header first), dates in ISO 8601 UTC. */
export async function* accountsCsv(
  db: Db,
  filters: AccountFilters,
  onRows?: (count: number) => void,
): AsyncGenerator<string> {
  const where = accountFilter(filters);
  yield* csvTableLines<Row>({
    onRows,
    columns,
    attributeKeys: await attributeKeys(db, 'a', fromAccounts, where),
    batchSize: BATCH,
    batch: (after) =>
      queryRows<Row>(
        db,
        sql`
        SELECT a.id, a.external_id AS "externalId", a.name, a.domain, a.industry, a.employees, a.country,
               u.name AS "ownerName", u.email AS "ownerEmail",
               (SELECT count(*)::int FROM people p WHERE p.account_id = a.id) AS people,
               ${isoTime(sql`a.created_at`)} AS "createdAt", a.attributes
        ${fromAccounts}
        WHERE ${where}
          AND (${after?.name ?? null}::text IS NULL OR (a.name, a.id) > (${after?.name ?? null}, ${after?.id ?? null}::uuid))
        ORDER BY a.name, a.id
        LIMIT ${BATCH}`,
      ),
  });
}
