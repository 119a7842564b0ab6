// Everyone a People list's filters keep, as CSV, streamed: a batch of rows at a time in the list's
// key order (created_at, id), so a million people need no more memory than a thousand.
import { sql } from 'drizzle-orm';
import { attributeKeys, isoTime } from '../../db/attributes.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { type CsvValue, csvTableLines } from '../../shared/csv.ts';
import type { PersonFilters } from './people.schema.ts';
import { personFilter, personJoins } from './people.store.ts';

const BATCH = 2_000;

interface Row {
  id: string;
  externalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  phone: string | null;
  country: string | null;
  accountName: string | null;
  accountDomain: string | null;
  source: string | null;
  campaignName: string | null;
  landingPage: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  stage: string | null;
  stageEnteredAt: string | null;
  createdAt: string;
  grade: string | null;
  fitPoints: number | null;
  engagementPoints: number | null;
  isMql: boolean | null;
  attributes: Record<string, unknown>;
  /** created_at as PostgreSQL's text: a Date keeps milliseconds, the column microseconds. */
  createdAtKey: string;
}

const columns: readonly (readonly [string, (row: Row) => CsvValue])[] = [
  ['Lockstep ID', (row) => row.id],
  ['External ID', (row) => row.externalId],
  ['Email', (row) => row.email],
  ['First name', (row) => row.firstName],
  ['Last name', (row) => row.lastName],
  ['Title', (row) => row.title],
  ['Phone', (row) => row.phone],
  ['Country', (row) => row.country],
  ['Account', (row) => row.accountName],
  ['Account domain', (row) => row.accountDomain],
  ['Source', (row) => row.source],
  ['Campaign', (row) => row.campaignName],
  ['Landing page', (row) => row.landingPage],
  ['Owner', (row) => row.ownerName],
  ['Owner email', (row) => row.ownerEmail],
  ['Stage', (row) => row.stage],
  ['In stage since', (row) => row.stageEnteredAt],
  ['Created', (row) => row.createdAt],
  ['Fit grade', (row) => row.grade],
  ['Fit points', (row) => row.fitPoints],
  ['Engagement points', (row) => row.engagementPoints],
  ['MQL by the definition', (row) => (row.isMql === null ? null : row.isMql ? 'yes' : 'no')],
];

const fromPeople = personJoins;

export async function countPeople(db: Db, filters: PersonFilters): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n ${fromPeople} WHERE ${personFilter(filters)}`,
  );
  return row?.n ?? 0;
}

/**
 * The CSV, line by line (the header first). Dates are ISO 8601 in UTC, stages their lifecycle keys,
 * so that the file reads back into Lockstep or a spreadsheet as it is.
 */
export async function* peopleCsv(
  db: Db,
  filters: PersonFilters,
  onRows?: (count: number) => void,
): AsyncGenerator<string> {
  const where = personFilter(filters);
  yield* csvTableLines<Row>({
    onRows,
    columns,
    attributeKeys: await attributeKeys(db, 'p', fromPeople, where),
    batchSize: BATCH,
    batch: (after) =>
      queryRows<Row>(
        db,
        sql`
        SELECT p.id, p.external_id AS "externalId", p.email, p.first_name AS "firstName",
               p.last_name AS "lastName", p.title, p.phone, p.country, a.name AS "accountName",
               a.domain AS "accountDomain", p.source, c.name AS "campaignName", p.landing_page AS "landingPage",
               u.name AS "ownerName", u.email AS "ownerEmail", p.stage,
               ${isoTime(sql`p.stage_entered_at`)} AS "stageEnteredAt", ${isoTime(sql`p.created_at`)} AS "createdAt", s.grade, s.fit_points::float8 AS "fitPoints",
               s.engagement_points::float8 AS "engagementPoints", s.is_mql AS "isMql", p.attributes,
               p.created_at::text AS "createdAtKey"
        ${fromPeople}
        WHERE ${where}
          AND (${after?.createdAtKey ?? null}::timestamptz IS NULL
               OR (p.created_at, p.id) > (${after?.createdAtKey ?? null}::timestamptz, ${after?.id ?? null}::uuid))
        ORDER BY p.created_at, p.id
        LIMIT ${BATCH}`,
      ),
  });
}
