// The two row sets every report is built from: one row per lead and one row per deal, with the
// report filters applied. Reports are the one place in Lockstep that reads across modules' tables
// (people, stage_transitions, campaigns, users, accounts, opportunities, activities): a number is
// only shared if it is computed from one definition, so the definitions live here, in SQL.
import { type SQL, sql } from 'drizzle-orm';
import type { StageConfig } from '../lifecycle/lifecycle.config.ts';
import type { ReportFilters } from './reports.filters.ts';

/** Columns of lead_facts a report may group or drill down by. */
export const leadColumns = [
  'source',
  'campaign_id',
  'campaign_name',
  'landing_page',
  'owner_id',
  'owner_name',
  'team',
  'segment',
  'month',
] as const;
export type LeadColumn = (typeof leadColumns)[number];

/** Columns of deal_facts a report may group or drill down by. */
export const dealColumns = [
  'owner_id',
  'owner_name',
  'team',
  'product',
  'segment',
  'source',
  'campaign_id',
  'campaign_name',
  'month',
] as const;
export type DealColumn = (typeof dealColumns)[number];

export const at = (i: number) => sql.raw(`at_${i}`);
export const column = (name: LeadColumn | DealColumn) => sql.raw(`"${name}"`);

function commonFilters(f: ReportFilters, alias: { person: SQL; owner: SQL; segment: SQL }): SQL {
  return sql`(${f.segment}::text IS NULL OR ${alias.segment} = ${f.segment})
    AND (${f.source}::text IS NULL OR ${alias.person}.source = ${f.source})
    AND (${f.campaign}::uuid IS NULL OR ${alias.person}.campaign_id = ${f.campaign}::uuid)
    AND (${f.team}::text IS NULL OR u.team = ${f.team})
    AND (${f.rep}::uuid IS NULL OR ${alias.owner} = ${f.rep}::uuid)`;
}

/**
 * `lead_facts`: one row per person in the filters. `reached` is the index (in `stages`) of the
 * furthest funnel stage their history ever moved into (everyone is at least a lead: 0), exactly as
 * the funnel has always counted. `at_i` is when they entered stage i: the first move into it, or,
 * where the history skipped it, the first move into a later stage; `at_0` is when the lead was
 * created. `month` (UTC, YYYY-MM) is the entry month: when the lead became an MQL (`at_1`), or was
 * created if it never did.
 */
export function leadFactsCtes(filters: ReportFilters, stages: StageConfig[]): SQL {
  // analytics_lead_stages holds `reached` and the stage entries per lead (reports.refresh.ts keeps it
  // current); entered[i] is at_i.
  const enteredColumns = sql.join(
    stages.slice(1).map((_, k) => sql`s.entered[${sql.raw(String(k + 1))}] AS ${at(k + 1)}`),
    sql`, `,
  );
  const entry = stages.length > 1 ? sql`coalesce(s.entered[1], l.created_at)` : sql`l.created_at`;
  return sql`
    lead_people AS (
      SELECT p.id, p.created_at, p.source, p.campaign_id::text AS campaign_id, c.name AS campaign_name,
             p.landing_page, p.owner_id::text AS owner_id, u.name AS owner_name, u.team,
             coalesce(a.industry, p.attributes->>'business_segment') AS segment,
             p.first_name, p.last_name, p.email, p.stage
      FROM people p
      LEFT JOIN campaigns c ON c.id = p.campaign_id
      LEFT JOIN users u ON u.id = p.owner_id
      LEFT JOIN accounts a ON a.id = p.account_id
      WHERE (${filters.from}::timestamptz IS NULL OR p.created_at >= ${filters.from}::timestamptz)
        AND (${filters.to}::timestamptz IS NULL OR p.created_at < ${filters.to}::timestamptz)
        AND ${commonFilters(filters, { person: sql`p`, owner: sql`p.owner_id`, segment: sql`coalesce(a.industry, p.attributes->>'business_segment')` })}
    ),
    lead_facts AS (
      SELECT l.*, coalesce(s.reached, 0) AS reached, l.created_at AS at_0
             ${stages.length > 1 ? sql`, ${enteredColumns}` : sql``},
             to_char(${entry} AT TIME ZONE 'UTC', 'YYYY-MM') AS month
      FROM lead_people l LEFT JOIN analytics_lead_stages s ON s.person_id = l.id
    )`;
}

export interface DealOutcomes {
  won: string[];
  lost: string[];
}

/** 'won', 'lost' or 'open': the outcome of a deal stage under the deal pipeline. */
export function dealOutcome(outcomes: DealOutcomes, stage: SQL): SQL {
  const list = (keys: string[]) => sql`string_to_array(${keys.join(',')}, ',')::text[]`;
  return sql`CASE WHEN ${stage} = ANY(${list(outcomes.won)}) THEN 'won'
                  WHEN ${stage} = ANY(${list(outcomes.lost)}) THEN 'lost' ELSE 'open' END`;
}

/** A deal's sector: its account's industry, else the business_segment of its person or of the deal. */
export const dealSegment = sql`coalesce(a.industry, p.attributes->>'business_segment', o.attributes->>'business_segment')`;

/**
 * `deal_facts`: one row per opportunity in the filters, with its outcome (won / lost / open, from the
 * deal pipeline's stage outcomes), its owner, and its primary person's source and campaign.
 * `periodOn` says which date the period filter applies to: when the deal was opened or closed.
 * Amounts are summed as they are: Lockstep reports assume one currency.
 */
export function dealFactsCte(
  filters: ReportFilters,
  outcomes: DealOutcomes,
  periodOn: 'opened' | 'closed',
): SQL {
  const date = periodOn === 'opened' ? sql`o.opened_at` : sql`o.closed_at`;
  const segment = dealSegment;
  return sql`
    deal_facts AS (
      SELECT o.id, o.name, o.amount::numeric AS amount, o.currency, o.product, o.stage, o.opened_at, o.closed_at,
             o.person_id, o.owner_id::text AS owner_id, u.name AS owner_name, u.team, ${segment} AS segment,
             p.source, p.campaign_id::text AS campaign_id, c.name AS campaign_name, a.name AS account_name,
             to_char(${date} AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
             ${dealOutcome(outcomes, sql`o.stage`)} AS outcome
      FROM opportunities o
      LEFT JOIN users u ON u.id = o.owner_id
      LEFT JOIN accounts a ON a.id = o.account_id
      LEFT JOIN people p ON p.id = o.person_id
      LEFT JOIN campaigns c ON c.id = p.campaign_id
      WHERE (${filters.from}::timestamptz IS NULL OR ${date} >= ${filters.from}::timestamptz)
        AND (${filters.to}::timestamptz IS NULL OR ${date} < ${filters.to}::timestamptz)
        AND ${commonFilters(filters, { person: sql`p`, owner: sql`o.owner_id`, segment })}
    )`;
}
