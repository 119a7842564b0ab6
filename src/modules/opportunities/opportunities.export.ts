// Every deal a list's filters keep, as CSV, streamed a batch at a time in the order deals opened
// (opened_at, id).
import { sql } from 'drizzle-orm';
import { attributeKeys, isoTime } from '../../db/attributes.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { type CsvValue, csvTableLines } from '../../shared/csv.ts';
import { type DealFilter, dealFilter, opportunityJoins } from './opportunities.store.ts';

const BATCH = 2_000;

interface Row {
  id: string;
  externalId: string | null;
  name: string;
  accountName: string | null;
  accountDomain: string | null;
  personName: string | null;
  personEmail: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  amount: number | null;
  currency: string;
  product: string | null;
  stage: string;
  stageEnteredAt: string;
  openedAt: string;
  closedAt: string | null;
  lostReason: string | null;
  attributes: Record<string, unknown>;
  /** opened_at as PostgreSQL's text: a Date keeps milliseconds, the column microseconds. */
  openedAtKey: string;
}

const columns: readonly (readonly [string, (row: Row) => CsvValue])[] = [
  ['Lockstep ID', (row) => row.id],
  ['External ID', (row) => row.externalId],
  ['Deal', (row) => row.name],
  ['Account', (row) => row.accountName],
  ['Account domain', (row) => row.accountDomain],
  ['Person', (row) => row.personName],
  ['Person email', (row) => row.personEmail],
  ['Owner', (row) => row.ownerName],
  ['Owner email', (row) => row.ownerEmail],
  ['Amount', (row) => row.amount],
  ['Currency', (row) => row.currency],
  ['Product', (row) => row.product],
  ['Stage', (row) => row.stage],
  ['In stage since', (row) => row.stageEnteredAt],
  ['Opened', (row) => row.openedAt],
  ['Closed', (row) => row.closedAt],
  ['Lost reason', (row) => row.lostReason],
];

const fromDeals = opportunityJoins;

/** The CSV, line by line (the header first): amounts as numbers, dates in ISO 8601 UTC. */
export async function* opportunitiesCsv(
  db: Db,
  filter: DealFilter,
  onRows?: (count: number) => void,
): AsyncGenerator<string> {
  const where = dealFilter(filter);
  yield* csvTableLines<Row>({
    onRows,
    columns,
    attributeKeys: await attributeKeys(db, 'o', fromDeals, where),
    batchSize: BATCH,
    batch: (after) =>
      queryRows<Row>(
        db,
        sql`
        SELECT o.id, o.external_id AS "externalId", o.name, a.name AS "accountName", a.domain AS "accountDomain",
               nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') AS "personName",
               p.email AS "personEmail", u.name AS "ownerName", u.email AS "ownerEmail",
               o.amount::float8 AS amount, o.currency, o.product, o.stage,
               ${isoTime(sql`o.stage_entered_at`)} AS "stageEnteredAt", ${isoTime(sql`o.opened_at`)} AS "openedAt",
               ${isoTime(sql`o.closed_at`)} AS "closedAt", o.lost_reason AS "lostReason", o.attributes,
               o.opened_at::text AS "openedAtKey"
        ${fromDeals}
        WHERE ${where}
          AND (${after?.openedAtKey ?? null}::timestamptz IS NULL
               OR (o.opened_at, o.id) > (${after?.openedAtKey ?? null}::timestamptz, ${after?.id ?? null}::uuid))
        ORDER BY o.opened_at, o.id
        LIMIT ${BATCH}`,
      ),
  });
}
