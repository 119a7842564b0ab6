// Everyone a People list's filters keep, as CSV, streamed: a batch of rows at a time in the list's
// key order (created_at, id), so a million people need no more memory than a thousand.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { type CsvValue, spreadsheetLine } from '../../shared/csv.ts';
import type { PersonFilters } from './people.schema.ts';
import { personFilter } from './people.store.ts';

const BATCH = 2_000;
/** More custom fields than this are left out of the file (a mistake upstream, not fields people use). */
export const MAX_ATTRIBUTE_COLUMNS = 500;

const columns = [
  ['Lockstep ID', 'id'],
  ['External ID', 'externalId'],
  ['Email', 'email'],
  ['First name', 'firstName'],
  ['Last name', 'lastName'],
  ['Title', 'title'],
  ['Phone', 'phone'],
  ['Country', 'country'],
  ['Account', 'accountName'],
  ['Account domain', 'accountDomain'],
  ['Source', 'source'],
  ['Campaign', 'campaignName'],
  ['Landing page', 'landingPage'],
  ['Owner', 'ownerName'],
  ['Owner email', 'ownerEmail'],
  ['Stage', 'stage'],
  ['In stage since', 'stageEnteredAt'],
  ['Created', 'createdAt'],
  ['Fit grade', 'grade'],
  ['Fit points', 'fitPoints'],
  ['Engagement points', 'engagementPoints'],
  ['MQL by the definition', 'isMql'],
] as const;

type Row = Record<(typeof columns)[number][1], CsvValue> & { attributes: Record<string, unknown> };

const fromPeople = sql`
  FROM people p
  LEFT JOIN accounts a ON a.id = p.account_id
  LEFT JOIN campaigns c ON c.id = p.campaign_id
  LEFT JOIN users u ON u.id = p.owner_id
  LEFT JOIN lead_scores s ON s.person_id = p.id`;

export async function countPeople(db: Db, filters: PersonFilters): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n ${fromPeople} WHERE ${personFilter(filters)}`,
  );
  return row?.n ?? 0;
}

/** The custom fields (attributes) the people kept hold, in name order: one column each. */
async function attributeKeys(db: Db, filters: PersonFilters): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`SELECT DISTINCT k.key ${fromPeople} CROSS JOIN LATERAL jsonb_object_keys(p.attributes) k(key)
        WHERE ${personFilter(filters)} ORDER BY k.key LIMIT ${MAX_ATTRIBUTE_COLUMNS}`,
  );
  return rows.map((row) => row.key);
}

const attributeCell = (value: unknown): CsvValue =>
  value === null || value === undefined || typeof value !== 'object'
    ? (value as CsvValue)
    : JSON.stringify(value);

/**
 * The CSV, line by line (the header first). Dates are ISO 8601 in UTC, stages their lifecycle keys,
 * so that the file reads back into Lockstep or a spreadsheet as it is.
 */
export async function* peopleCsv(db: Db, filters: PersonFilters): AsyncGenerator<string> {
  const keys = await attributeKeys(db, filters);
  const taken = new Set(columns.map(([header]) => header.toLowerCase()));
  yield spreadsheetLine([
    ...columns.map(([header]) => header),
    ...keys.map((key) => (taken.has(key.toLowerCase()) ? `${key} (attribute)` : key)),
  ]);
  // The key as PostgreSQL's text, not a JavaScript Date: a Date keeps milliseconds, the column
  // microseconds, and a key rounded down would read a row again.
  let after: { createdAtKey: string; id: string } | null = null;
  for (;;) {
    const rows: (Row & { createdAtKey: string; id: string })[] = await queryRows(
      db,
      sql`
      SELECT p.id, p.external_id AS "externalId", p.email, p.first_name AS "firstName",
             p.last_name AS "lastName", p.title, p.phone, p.country, a.name AS "accountName",
             a.domain AS "accountDomain", p.source, c.name AS "campaignName", p.landing_page AS "landingPage",
             u.name AS "ownerName", u.email AS "ownerEmail", p.stage, p.stage_entered_at AS "stageEnteredAt",
             p.created_at AS "createdAt", s.grade, s.fit_points::float8 AS "fitPoints",
             s.engagement_points::float8 AS "engagementPoints", s.is_mql AS "isMql", p.attributes,
             p.created_at::text AS "createdAtKey"
      ${fromPeople}
      WHERE ${personFilter(filters)}
        AND (${after?.createdAtKey ?? null}::timestamptz IS NULL
             OR (p.created_at, p.id) > (${after?.createdAtKey ?? null}::timestamptz, ${after?.id ?? null}::uuid))
      ORDER BY p.created_at, p.id
      LIMIT ${BATCH}`,
    );
    let chunk = '';
    for (const row of rows)
      chunk += spreadsheetLine([
        ...columns.map(([, field]) =>
          field === 'isMql' && row.isMql !== null ? (row.isMql ? 'yes' : 'no') : row[field],
        ),
        ...keys.map((key) => attributeCell(row.attributes[key])),
      ]);
    if (chunk) yield chunk;
    const last = rows.at(-1);
    if (rows.length < BATCH || !last) return;
    after = { createdAtKey: last.createdAtKey, id: last.id };
  }
}
