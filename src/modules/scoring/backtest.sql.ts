// Which leads of a batch a definition would have made MQLs by a given time: not their score at that
// time (engagement decays, so a lead that asked for a demo in July scores little by October), but
// whether they met the definition at any moment up to it, as live scoring would have seen them.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, uuidArray } from '../../db/client.ts';
import type { LeadDefinition } from './definition.schema.ts';
import {
  decaySql,
  engagementPointsSql,
  engagementRulesSql,
  fitPointsSql,
  judgedSql,
  propertyMatchesSql,
  ruleMatchesSql,
  tenthsSql,
} from './score.sql.ts';
import { judgeLead } from './score.ts';

/**
 * The moments at which a lead's engagement can peak, up to `until`: right after each activity a rule
 * counts (points arrive, or a cap drops an older activity), right after a negative rule's activity
 * leaves its window, and `until` itself. In between, every rule decays by the same factor, so the
 * engagement only moves towards zero and the peak is at one of these moments.
 */
function momentsSql(definition: LeadDefinition, leads: SQL, until: Date): SQL {
  const rules = engagementRulesSql(definition);
  const eligible = sql`unnest(${leads}) AS el(person_id)`;
  const expiry = sql`ev.occurred_at + r.within_days * interval '1 day' + interval '1 microsecond'`;
  return sql`
    SELECT ev.person_id, ev.occurred_at AS at
    FROM activities ev JOIN ${eligible} ON el.person_id = ev.person_id JOIN ${rules} ON ev.type = r.type
    WHERE ev.occurred_at <= ${until}::timestamptz AND ${propertyMatchesSql}
    UNION
    SELECT ev.person_id, ${expiry}
    FROM activities ev JOIN ${eligible} ON el.person_id = ev.person_id
    JOIN ${rules} ON ev.type = r.type AND r.points < 0 AND r.within_days IS NOT NULL
    WHERE ${expiry} <= ${until}::timestamptz AND ${propertyMatchesSql}
    UNION
    SELECT person_id, ${until}::timestamptz FROM ${eligible}`;
}

/** Each lead's highest engagement, in tenths, over the moments up to `until`. */
function peakEngagementSql(definition: LeadDefinition, leads: SQL, until: Date): SQL {
  if (definition.engagement.rules.length === 0)
    return sql`SELECT NULL::uuid AS person_id, 0::int8 AS tenths WHERE false`;
  const at = sql`m.at`;
  return sql`
    SELECT per_moment.person_id, max(per_moment.tenths)::int8 AS tenths FROM (
      SELECT per_rule.person_id, per_rule.at, sum(per_rule.tenths) AS tenths FROM (
        SELECT h.person_id, h.at, ${tenthsSql(sql`sum(h.points)`)} AS tenths
        FROM (
          SELECT m.person_id, m.at, r.idx, r.max_count, r.points * ${decaySql(definition, at)} AS points,
                 row_number() OVER (PARTITION BY m.person_id, m.at, r.idx ORDER BY ev.occurred_at DESC) AS rn
          FROM (${momentsSql(definition, leads, until)}) m
          JOIN activities ev ON ev.person_id = m.person_id AND ev.occurred_at <= m.at
          JOIN ${engagementRulesSql(definition)} ON ev.type = r.type
          WHERE ${ruleMatchesSql(at, undefined)}
        ) h
        WHERE h.max_count IS NULL OR h.rn <= h.max_count
        GROUP BY h.person_id, h.at, h.idx
      ) per_rule
      GROUP BY per_rule.person_id, per_rule.at
    ) per_moment
    GROUP BY per_moment.person_id`;
}

/**
 * Of these leads, the ones `definition` would have made MQLs at some moment up to `until`, with the
 * activities they had then. Fit is today's (fields keep no history), so only leads whose fit is good
 * enough are looked at; a lead's engagement before its first activity is 0, so a definition that
 * needs no engagement makes every lead of a good enough fit an MQL.
 */
export async function leadsThatWouldHaveQualified(
  db: Db,
  personIds: string[],
  definition: LeadDefinition,
  until: Date,
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  // First the leads whose fit is good enough, as a list whose size PostgreSQL then knows: in one
  // statement it expected ten of a thousand and compared every activity with every lead. The batch
  // is looked up before the fit is judged (OFFSET 0): otherwise PostgreSQL may judge every person of
  // the table first, guessing few are good enough (5.4 s for a batch of 1,000 among 300,000 people,
  // measured with statistics taken before most of them were added).
  const { fitGoodEnough } = judgedSql(definition, sql`f`);
  const eligible = await queryRows<{ personId: string; fitPoints: number }>(
    db,
    sql`SELECT f.person_id AS "personId", f."fitPoints" FROM (
          SELECT p.id AS person_id, ${fitPointsSql(definition)} AS "fitPoints"
          FROM unnest(${uuidArray(personIds)}) AS batch(id)
          JOIN people p ON p.id = batch.id
          LEFT JOIN accounts a ON a.id = p.account_id
          OFFSET 0
        ) f
        WHERE ${fitGoodEnough}`,
  );
  if (eligible.length === 0) return new Set();
  const leads = uuidArray(eligible.map((lead) => lead.personId));
  const peaks = await queryRows<{ personId: string; engagementPoints: number }>(
    db,
    sql`SELECT el.person_id AS "personId", ${engagementPointsSql(sql`greatest(pk.tenths, 0)`)} AS "engagementPoints"
        FROM unnest(${leads}) AS el(person_id)
        LEFT JOIN (${peakEngagementSql(definition, leads, until)}) pk ON pk.person_id = el.person_id`,
  );
  const fit = new Map(eligible.map((lead) => [lead.personId, lead.fitPoints]));
  return new Set(
    peaks
      .filter((lead) => judgeLead(definition, fit.get(lead.personId)!, lead.engagementPoints).isMql)
      .map((lead) => lead.personId),
  );
}
