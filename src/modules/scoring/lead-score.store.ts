import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { LeadFields } from './fields.ts';
import type { ScoredActivity } from './score.ts';

interface FieldsRow {
  stage: string | null;
  title: string | null;
  country: string | null;
  source: string | null;
  landingPage: string | null;
  emailDomain: string | null;
  personAttributes: Record<string, unknown>;
  industry: string | null;
  employees: number | null;
  accountCountry: string | null;
  domain: string | null;
  accountAttributes: Record<string, unknown> | null;
}

const scalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;

/** The person's current stage, and the person's and account's fields under the names fit rules use. */
export async function loadLead(
  db: Db,
  personId: string,
): Promise<{ stage: string | null; fields: LeadFields } | undefined> {
  const [row] = await queryRows<FieldsRow>(
    db,
    sql`SELECT p.stage, p.title, p.country, p.source, p.landing_page AS "landingPage",
               nullif(split_part(p.email, '@', 2), '') AS "emailDomain", p.attributes AS "personAttributes",
               a.industry, a.employees, a.country AS "accountCountry", a.domain, a.attributes AS "accountAttributes"
        FROM people p LEFT JOIN accounts a ON a.id = p.account_id WHERE p.id = ${personId}`,
  );
  if (!row) return undefined;
  const fields: LeadFields = {
    'person.title': row.title,
    'person.country': row.country,
    'person.source': row.source,
    'person.landingPage': row.landingPage,
    'person.emailDomain': row.emailDomain,
    'account.industry': row.industry,
    'account.employees': row.employees,
    'account.country': row.accountCountry,
    'account.domain': row.domain,
  };
  for (const [key, value] of Object.entries(row.personAttributes))
    fields[`person.attributes.${key}`] = scalar(value);
  for (const [key, value] of Object.entries(row.accountAttributes ?? {}))
    fields[`account.attributes.${key}`] = scalar(value);
  return { stage: row.stage, fields };
}

export async function loadActivities(db: Db, personId: string, types: string[]): Promise<ScoredActivity[]> {
  if (types.length === 0) return [];
  return queryRows<ScoredActivity>(
    db,
    sql`SELECT type, occurred_at AS "occurredAt", properties FROM activities
        WHERE person_id = ${personId} AND type IN (${sql.join(
          types.map((t) => sql`${t}`),
          sql`, `,
        )})`,
  );
}

export async function saveLeadScore(
  db: Db,
  input: {
    personId: string;
    version: number;
    fitPoints: number;
    grade: string;
    engagementPoints: number;
    isMql: boolean;
    scoredAt: Date;
  },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO lead_scores (person_id, version, fit_points, grade, engagement_points, is_mql, scored_at)
    VALUES (${input.personId}, ${input.version}, ${input.fitPoints}, ${input.grade}, ${input.engagementPoints},
            ${input.isMql}, ${input.scoredAt})
    ON CONFLICT (person_id) DO UPDATE SET version = excluded.version, fit_points = excluded.fit_points,
      grade = excluded.grade, engagement_points = excluded.engagement_points, is_mql = excluded.is_mql,
      scored_at = excluded.scored_at`);
}
