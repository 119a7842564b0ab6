import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import type { Person, PersonFilters, PersonInput, PersonPatch } from './people.schema.ts';

const personColumns = sql`
  p.id, p.external_id AS "externalId", p.email, p.first_name AS "firstName", p.last_name AS "lastName",
  p.title, p.phone, p.country, p.account_id AS "accountId", a.name AS "accountName", p.source,
  p.campaign_id AS "campaignId", c.name AS "campaignName", p.landing_page AS "landingPage",
  p.owner_id AS "ownerId", u.name AS "ownerName", p.attributes, p.stage,
  p.stage_entered_at AS "stageEnteredAt", p.created_at AS "createdAt",
  CASE WHEN s.person_id IS NOT NULL THEN json_build_object(
    'grade', s.grade, 'engagementPoints', s.engagement_points::float8, 'isMql', s.is_mql, 'version', s.version)
  END AS score`;

/** People (`p`) with their account `a`, campaign `c`, owner `u` and stored score `s`. */
export const personJoins = sql`
  FROM people p
  LEFT JOIN accounts a ON a.id = p.account_id
  LEFT JOIN campaigns c ON c.id = p.campaign_id
  LEFT JOIN users u ON u.id = p.owner_id
  LEFT JOIN lead_scores s ON s.person_id = p.id`;

export async function findPerson(db: Db, id: string): Promise<Person | undefined> {
  const result = await queryRows(db, sql`SELECT ${personColumns} ${personJoins} WHERE p.id = ${id}`);
  return result[0] as Person | undefined;
}

export interface PersonKeyMatch {
  id: string;
  externalId: string | null;
  email: string | null;
  accountId: string | null;
}

/** The person with this external id, else the one with this email; locked for the transaction. */
export async function findPersonByKey(
  db: Db,
  key: { externalId?: string | undefined; email?: string | undefined },
): Promise<PersonKeyMatch | undefined> {
  if (!key.externalId && !key.email) return undefined;
  const result = await queryRows(
    db,
    sql`
    SELECT id, external_id AS "externalId", email, account_id AS "accountId" FROM people
    WHERE (${key.externalId ?? null}::text IS NOT NULL AND external_id = ${key.externalId ?? null})
       OR (${key.email ?? null}::text IS NOT NULL AND email = ${key.email ?? null})
    ORDER BY (external_id = ${key.externalId ?? null}) DESC NULLS LAST
    LIMIT 1 FOR UPDATE`,
  );
  return result[0] as PersonKeyMatch | undefined;
}

export async function insertPerson(
  db: Db,
  input: Omit<PersonInput, 'stage' | 'createdAt'> & { createdAt: Date },
): Promise<string> {
  const result = await queryRows(
    db,
    sql`
    INSERT INTO people (external_id, email, first_name, last_name, title, phone, country, account_id, source,
                        campaign_id, landing_page, owner_id, attributes, created_at)
    VALUES (${input.externalId ?? null}, ${input.email ?? null}, ${input.firstName ?? null},
            ${input.lastName ?? null}, ${input.title ?? null}, ${input.phone ?? null}, ${input.country ?? null},
            ${input.accountId ?? null}, ${input.source ?? null}, ${input.campaignId ?? null},
            ${input.landingPage ?? null}, ${input.ownerId ?? null}, ${JSON.stringify(input.attributes ?? {})}::jsonb,
            ${input.createdAt})
    RETURNING id`,
  );
  return (result[0] as { id: string }).id;
}

/** Sets the given fields only; attributes are merged key by key. */
export async function updatePerson(db: Db, id: string, patch: PersonPatch): Promise<void> {
  await queryRows(
    db,
    sql`
    UPDATE people SET
      external_id = COALESCE(${patch.externalId ?? null}, external_id),
      email = COALESCE(${patch.email ?? null}, email),
      first_name = COALESCE(${patch.firstName ?? null}, first_name),
      last_name = COALESCE(${patch.lastName ?? null}, last_name),
      title = COALESCE(${patch.title ?? null}, title),
      phone = COALESCE(${patch.phone ?? null}, phone),
      country = COALESCE(${patch.country ?? null}, country),
      account_id = COALESCE(${patch.accountId ?? null}::uuid, account_id),
      source = COALESCE(${patch.source ?? null}, source),
      campaign_id = COALESCE(${patch.campaignId ?? null}::uuid, campaign_id),
      landing_page = COALESCE(${patch.landingPage ?? null}, landing_page),
      owner_id = COALESCE(${patch.ownerId ?? null}::uuid, owner_id),
      attributes = attributes || ${JSON.stringify(patch.attributes ?? {})}::jsonb
    WHERE id = ${id}`,
  );
}

const wholeEmail = z.email();
const isWholeEmail = (q: string) => wholeEmail.safeParse(q).success;

/**
 * A whole e-mail address finds that person through the e-mail index (addresses are stored
 * lower-case): a search that scans every person for a part takes seconds at a million. Anything
 * else matches a part of the e-mail or of the name, in any case.
 */
function searchCondition(q: string): SQL {
  if (isWholeEmail(q)) return sql`p.email = ${q.toLowerCase()}`;
  const part = `%${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
  return sql`(p.email LIKE ${part} OR lower(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) LIKE ${part})`;
}

/** Whether a search scans for a part of a name or an e-mail (not an index lookup). */
const searchesParts = (q: string | undefined) => q !== undefined && q !== '' && !isWholeEmail(q);

/**
 * The people a list's filters keep (`p` people, and `s` their lead_scores row when filtering by
 * grade): only the filters given, so that the planner judges each from the table's statistics.
 */
export function personFilter(filters: PersonFilters): SQL {
  const conditions = [
    ...(filters.stage ? [sql`p.stage = ${filters.stage}`] : []),
    ...(filters.source ? [sql`p.source = ${filters.source}`] : []),
    ...(filters.ownerId ? [sql`p.owner_id = ${filters.ownerId}`] : []),
    ...(filters.accountId ? [sql`p.account_id = ${filters.accountId}`] : []),
    ...(filters.grade ? [sql`s.grade = ${filters.grade}`] : []),
    ...(filters.q ? [searchCondition(filters.q)] : []),
  ];
  return conditions.length === 0 ? sql`TRUE` : sql.join(conditions, sql` AND `);
}

export async function listPeople(
  db: Db,
  query: PersonFilters & { limit: number; after?: { createdAt: string; id: string } | undefined },
): Promise<(Person & { cursorKey: string })[]> {
  const after = query.after
    ? sql`AND (p.created_at, p.id) < (${query.after.createdAt}::timestamptz, ${query.after.id}::uuid)`
    : sql``;
  // Newest first, along the index on created_at: it stops at the page's last person. A part of a
  // name or an e-mail may match nobody, and that walk would then read every person in index order
  // (2.3 s at a million): such a search reads people in one parallel scan and sorts the matches
  // instead (0.2 s), which the ordering by an expression asks for.
  const newest = searchesParts(query.q) ? sql`p.created_at + interval '0'` : sql`p.created_at`;
  // The page is chosen from people (and scores, for a grade) alone; its 50 rows are then joined.
  const result = await queryRows(
    db,
    sql`
    WITH page AS (
      SELECT p.id FROM people p ${query.grade ? sql`JOIN lead_scores s ON s.person_id = p.id` : sql``}
      WHERE ${personFilter(query)} ${after}
      ORDER BY ${newest} DESC, p.id DESC
      LIMIT ${query.limit}
    )
    SELECT ${personColumns}, p.created_at::text AS "cursorKey" ${personJoins}
    WHERE p.id IN (SELECT id FROM page)
    ORDER BY p.created_at DESC, p.id DESC`,
  );
  return result as (Person & { cursorKey: string })[];
}
