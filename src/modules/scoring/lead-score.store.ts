import { sql } from 'drizzle-orm';
import { type Db, queryRows, uuidArray } from '../../db/client.ts';
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

// Lists travel as one comma-joined text parameter: Drizzle would spread a JS array into many.
const scalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;

export interface LoadedLead {
  stage: string | null;
  fields: LeadFields;
}

/** Each person's current stage, and the person's and account's fields under the names fit rules use. */
export async function loadLeads(db: Db, personIds: string[]): Promise<Map<string, LoadedLead>> {
  const rows = await queryRows<FieldsRow & { id: string }>(
    db,
    sql`SELECT p.id, p.stage, p.title, p.country, p.source, p.landing_page AS "landingPage",
               nullif(split_part(p.email, '@', 2), '') AS "emailDomain", p.attributes AS "personAttributes",
               a.industry, a.employees, a.country AS "accountCountry", a.domain, a.attributes AS "accountAttributes"
        FROM people p LEFT JOIN accounts a ON a.id = p.account_id
        WHERE p.id = ANY(${uuidArray(personIds)})`,
  );
  const leads = new Map<string, LoadedLead>();
  for (const row of rows) {
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
    for (const [key, value] of Object.entries(row.accountAttributes ?? {})) {
      fields[`account.attributes.${key}`] = scalar(value);
    }
    leads.set(row.id, { stage: row.stage, fields });
  }
  return leads;
}

/** The activities of these people whose type some rule scores, grouped by person. */
export async function loadActivities(
  db: Db,
  personIds: string[],
  types: string[],
  until?: Date,
): Promise<Map<string, ScoredActivity[]>> {
  const byPerson = new Map<string, ScoredActivity[]>();
  if (types.length === 0) return byPerson;
  const rows = await queryRows<ScoredActivity & { personId: string }>(
    db,
    sql`SELECT person_id AS "personId", type, occurred_at AS "occurredAt", properties FROM activities
        WHERE person_id = ANY(${uuidArray(personIds)})
          AND type = ANY(string_to_array(${types.join(',')}, ','))
          AND (${until ?? null}::timestamptz IS NULL OR occurred_at <= ${until ?? null})`,
  );
  for (const { personId, ...activity } of rows) {
    const list = byPerson.get(personId);
    if (list) list.push(activity);
    else byPerson.set(personId, [activity]);
  }
  return byPerson;
}
