// The demo's lead definition in force: signed by marketing (Maya) and sales (Rachel), published by
// the admin six weeks before the demo's "now", with every lead scored under it. From then on the
// generator's journeys make MQLs only as it would (demo.journey.ts); scores are stored here; the few
// leads that meet the definition though their journey never made them MQLs are moved with the
// hand-off (demo.handoff.ts).
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { leadDefinitionSchema } from '../scoring/definition.schema.ts';
import type { LeadFields } from '../scoring/fields.ts';
import { ruleOf } from '../scoring/lead-score.service.ts';
import { rescoreInDatabase } from '../scoring/score.sql.ts';
import { judgeLead, scoreLead } from '../scoring/score.ts';
import { DEMO_ADMIN_EMAIL } from './demo.constants.ts';
import type { DemoAccount, DemoPerson } from './demo.types.ts';

const DAY = 86_400_000;
const BATCH = 5_000;

/** The ideal customer profile of the demo company: software and fintech revenue leaders, 50–2,000 people. */
export const demoDefinition = leadDefinitionSchema.parse({
  fit: {
    rules: [
      {
        id: 'core-industry',
        label: 'Software or fintech',
        field: 'account.industry',
        op: 'in',
        values: ['Software', 'Fintech'],
        points: 25,
      },
      {
        id: 'adjacent-industry',
        label: 'Professional services or e-commerce',
        field: 'account.industry',
        op: 'in',
        values: ['Professional Services', 'E-commerce'],
        points: 10,
      },
      {
        id: 'mid-market',
        label: '50–2,000 employees',
        field: 'account.employees',
        op: 'range',
        min: 50,
        max: 2000,
        points: 20,
      },
      { id: 'vp', label: 'VP title', field: 'person.title', op: 'contains', value: 'VP', points: 15 },
      { id: 'head', label: 'Head of …', field: 'person.title', op: 'contains', value: 'Head', points: 15 },
      {
        id: 'director',
        label: 'Director title',
        field: 'person.title',
        op: 'contains',
        value: 'Director',
        points: 15,
      },
      { id: 'chief', label: 'C-level', field: 'person.title', op: 'contains', value: 'Chief', points: 15 },
      {
        id: 'ops',
        label: 'Operations role',
        field: 'person.title',
        op: 'contains',
        value: 'Operations',
        points: 10,
      },
      {
        id: 'student',
        label: 'Student or intern',
        field: 'person.title',
        op: 'in',
        values: ['Student', 'Intern'],
        points: -40,
      },
    ],
    gradeCutoffs: { A: 55, B: 35, C: 15 },
  },
  engagement: {
    rules: [
      {
        id: 'demo-request',
        label: 'Asked for a demo',
        activityType: 'form_submit',
        where: { property: 'form', contains: 'demo' },
        points: 40,
        maxCount: 1,
      },
      { id: 'form', label: 'Filled in a form', activityType: 'form_submit', points: 15, maxCount: 2 },
      {
        id: 'pricing',
        label: 'Viewed pricing',
        activityType: 'page_view',
        where: { property: 'url', contains: '/pricing' },
        points: 10,
        maxCount: 3,
      },
      { id: 'webinar', label: 'Attended a webinar', activityType: 'webinar', points: 20, maxCount: 2 },
      {
        id: 'content',
        label: 'Downloaded content',
        activityType: 'content_download',
        points: 10,
        maxCount: 3,
      },
      { id: 'click', label: 'Clicked an email', activityType: 'email_click', points: 4, maxCount: 5 },
      {
        id: 'careers',
        label: 'Looked at careers',
        activityType: 'page_view',
        where: { property: 'url', contains: '/careers' },
        points: -15,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 40 },
});

/** Published and in force this many days before the demo's "now": from then on it alone makes MQLs. */
export const DEMO_DEFINITION_DAYS_AGO = 45;
/** How its MQL moves are recorded, as live scoring records them. */
export const DEMO_DEFINITION_RULE = ruleOf({ version: 1 });

/** A lead's fit points under the demo's definition (fit does not change with time). */
export function demoFitPoints(fields: LeadFields): number {
  return scoreLead(demoDefinition, { fields, activities: [] }, new Date(0)).fit.points;
}

/** Whether these fit points make the grade the MQL rule asks for. */
export function fitPointsMeetDemoDefinition(fitPoints: number): boolean {
  return judgeLead(demoDefinition, fitPoints, demoDefinition.mql.minEngagement).isMql;
}

/** The fields the demo's fit rules may read, of a person and their company. */
export function demoLeadFields(
  person: Pick<DemoPerson, 'title' | 'country' | 'source' | 'landingPage'>,
  account: Pick<DemoAccount, 'industry' | 'employees' | 'country' | 'domain'> | undefined,
): LeadFields {
  return {
    'person.title': person.title,
    'person.country': person.country,
    'person.source': person.source,
    'person.landingPage': person.landingPage,
    'account.industry': account?.industry,
    'account.employees': account?.employees,
    'account.country': account?.country,
    'account.domain': account?.domain,
  };
}

const MARKETING_SIGNER = 'maya.lindqvist@demo.lockstep.dev';
const SALES_SIGNER = 'rachel.kim@demo.lockstep.dev';

export async function seedDemoDefinition(db: Db, input: { now: Date }): Promise<void> {
  const at = (daysAgo: number) => new Date(input.now.getTime() - daysAgo * DAY);
  await db.execute(sql`
    INSERT INTO lead_definitions (version, rules, note, created_by, created_at, published_by, published_at, effective_from)
    SELECT 1, ${JSON.stringify(demoDefinition)}::jsonb,
           'Agreed at the September alignment meeting: revenue leaders at software and fintech companies, and real buying signals.',
           m.id, ${at(52)}, a.id, ${at(DEMO_DEFINITION_DAYS_AGO)}, ${at(DEMO_DEFINITION_DAYS_AGO)}
    FROM users m, users a WHERE m.email = ${MARKETING_SIGNER} AND a.email = ${DEMO_ADMIN_EMAIL}`);
  await db.execute(sql`
    INSERT INTO definition_signatures (version, team, user_id, signed_at)
    SELECT 1, u.team, u.id, CASE u.team WHEN 'marketing' THEN ${at(50)}::timestamptz ELSE ${at(47)}::timestamptz END
    FROM users u WHERE u.email IN (${MARKETING_SIGNER}, ${SALES_SIGNER})`);
  const people = await queryRows<{ id: string }>(db, sql`SELECT id FROM people ORDER BY id`);
  const personIds = people.map((person) => person.id);
  for (let start = 0; start < personIds.length; start += BATCH) {
    await rescoreInDatabase(
      db,
      personIds.slice(start, start + BATCH),
      { version: 1, rules: demoDefinition },
      input.now,
    );
  }
}
