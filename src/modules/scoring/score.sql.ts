// The same scoring as score.ts, compiled into one set-based query for a batch of leads (live scoring,
// backtests, the demo's first scores; rescoring.sql.ts re-scores every lead at once with the same
// expressions). score.sql.test.ts proves both give the same points.
import { type SQL, sql } from 'drizzle-orm';
import {
  type CompiledStatement,
  compileStatement,
  type Db,
  queryRows,
  runCompiled,
  uuidArray,
} from '../../db/client.ts';
import { type RuleMove, ruleMoveCtes } from '../lifecycle/lifecycle.store.ts';
import { type FitRule, grades, type LeadDefinition } from './definition.schema.ts';
import { inForceSql } from './definitions.store.ts';
import { NUMBER_TEXT as NUMBER_TEXT_PATTERN } from './score.ts';

const columns: Record<string, SQL> = {
  'person.title': sql`p.title`,
  'person.country': sql`p.country`,
  'person.source': sql`p.source`,
  'person.landingPage': sql`p.landing_page`,
  'person.emailDomain': sql`nullif(split_part(p.email, '@', 2), '')`,
  'account.industry': sql`a.industry`,
  'account.employees': sql`a.employees`,
  'account.country': sql`a.country`,
  'account.domain': sql`a.domain`,
};
const numberColumns = new Set(['account.employees']);
const NUMBER_TEXT = NUMBER_TEXT_PATTERN.source;

/** A field as SQL: its text, its number (or NULL), and its JSON type for custom attributes. */
function fieldSql(field: string): { text: SQL; number: SQL; kind: 'text' | 'number' | 'json'; json?: SQL } {
  const custom = field.match(/^(person|account)\.attributes\.(.+)$/);
  if (custom) {
    const json = sql`${sql.raw(custom[1] === 'person' ? 'p' : 'a')}.attributes -> ${custom[2]!}::text`;
    const text = sql`(${json} #>> '{}')`;
    return {
      kind: 'json',
      json,
      text: sql`CASE WHEN jsonb_typeof(${json}) IN ('string', 'number', 'boolean') THEN ${text} END`,
      number: sql`CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${text})::numeric
                       WHEN jsonb_typeof(${json}) = 'string' AND ${text} ~ ${NUMBER_TEXT} THEN btrim(${text})::numeric END`,
    };
  }
  const column = columns[field]!;
  if (numberColumns.has(field))
    return { kind: 'number', text: sql`(${column})::text`, number: sql`(${column})::numeric` };
  return {
    kind: 'text',
    text: column,
    number: sql`CASE WHEN ${column} ~ ${NUMBER_TEXT} THEN btrim(${column})::numeric END`,
  };
}

/** Equality as score.ts has it: text compared trimmed and case-blind, numbers as numbers, never text to number. */
function equalsSql(field: ReturnType<typeof fieldSql>, value: string | number | boolean): SQL {
  if (field.kind === 'json') {
    if (typeof value === 'string')
      return sql`(jsonb_typeof(${field.json}) = 'string' AND lower(btrim(${field.text})) = ${value.trim().toLowerCase()})`;
    if (typeof value === 'number')
      return sql`(jsonb_typeof(${field.json}) = 'number' AND ${field.number} = ${value})`;
    return sql`(jsonb_typeof(${field.json}) = 'boolean' AND ${field.text} = ${String(value)})`;
  }
  if (field.kind === 'number')
    return typeof value === 'number' ? sql`${field.number} = ${value}` : sql`false`;
  return typeof value === 'string'
    ? sql`lower(btrim(${field.text})) = ${value.trim().toLowerCase()}`
    : sql`false`;
}

function fitRuleSql(rule: FitRule): SQL {
  const field = fieldSql(rule.field);
  const present = sql`(${field.text} IS NOT NULL AND ${field.text} <> '')`;
  let condition: SQL;
  switch (rule.op) {
    case 'exists':
      condition = sql`true`;
      break;
    case 'equals':
      condition = equalsSql(field, rule.value);
      break;
    case 'in':
      condition = sql`(${sql.join(
        rule.values.map((value) => equalsSql(field, value)),
        sql` OR `,
      )})`;
      break;
    case 'contains':
      condition = sql`position(${rule.value.toLowerCase()} in lower(${field.text})) > 0`;
      break;
    case 'range':
      condition = sql`(${field.number} IS NOT NULL
        AND (${rule.min ?? null}::numeric IS NULL OR ${field.number} >= ${rule.min ?? null}::numeric)
        AND (${rule.max ?? null}::numeric IS NULL OR ${field.number} < ${rule.max ?? null}::numeric))`;
      break;
  }
  return sql`CASE WHEN ${present} AND ${condition} THEN ${rule.points}::int ELSE 0 END`;
}

/** A batch of leads: their ids as an SQL array. */
interface LeadRange {
  list: SQL;
  /** For one lead, keeps `column` to its id, so that PostgreSQL walks an index on it. */
  within: (column: SQL) => SQL;
}

function leadRange(personIds: string[]): LeadRange {
  // One lead (live scoring, a prepared statement): written so that the plan made without the values
  // (a one-element array, one id) is the plan made with them. PostgreSQL then keeps that plan instead
  // of planning every request again (0.6 ms against 0.2 ms to run it).
  if (personIds.length === 1)
    return {
      list: sql`ARRAY[${personIds[0]}::uuid]`,
      within: (column) => sql`${column} = ${personIds[0]}::uuid`,
    };
  // A batch: PostgreSQL knows how many ids the array holds, and walks the indexes once per id. A range
  // of ids (BETWEEN the lowest and the highest) was worse: a batch of 2,000 out of a million falls
  // in one bucket of the statistics, PostgreSQL expected one lead, and computed the engagement again
  // for every lead (6.5 s instead of 0.25 s).
  return { list: uuidArray(personIds), within: () => sql`true` };
}

// A join on the batch (not "= ANY", which searches the list row by row).
const inBatch = (range: LeadRange) => sql`
  JOIN unnest(${range.list}) AS batch(id) ON batch.id = ev.person_id AND ${range.within(sql`ev.person_id`)}`;

/** The engagement rules as a VALUES list: r(idx, type, prop, needle, points, max_count, within_days). */
export function engagementRulesSql(definition: LeadDefinition): SQL {
  const values = sql.join(
    definition.engagement.rules.map(
      (rule, idx) =>
        sql`(${idx}::int, ${rule.activityType}::text, ${rule.where?.property ?? null}::text,
             ${rule.where?.contains.toLowerCase() ?? null}::text, ${rule.points}::float8, ${rule.maxCount ?? null}::int,
             ${rule.withinDays ?? null}::int)`,
    ),
    sql`, `,
  );
  return sql`(VALUES ${values}) r(idx, type, prop, needle, points, max_count, within_days)`;
}

/**
 * How much activity `ev` has decayed at `now` (1: not at all). date_part gives the age as a float8
 * directly (extract gives numeric: the decay cost twice as much over millions of activities).
 */
export function decaySql(definition: LeadDefinition, now: Date | SQL): SQL {
  const half = definition.engagement.halfLifeDays;
  if (half === null) return sql`1::float8`;
  return sql`power(0.5, greatest(0, date_part('epoch', ${now}::timestamptz - ev.occurred_at)) / 86400 / ${half}::float8)`;
}

/** Whether activity `ev` has what rule `r` looks for in its properties. */
export const propertyMatchesSql = sql`(r.prop IS NULL OR (jsonb_typeof(ev.properties -> r.prop) = 'string'
  AND position(r.needle in lower(ev.properties ->> r.prop)) > 0))`;

/** Whether activity `ev` counts for rule `r` at `now` (its type is matched by the join). */
export function ruleMatchesSql(now: Date | SQL, until: Date | undefined): SQL {
  return sql`(${until ?? null}::timestamptz IS NULL OR ev.occurred_at <= ${until ?? null}::timestamptz)
    AND ${propertyMatchesSql}
    AND (r.within_days IS NULL OR ${now}::timestamptz - ev.occurred_at <= r.within_days * interval '1 day')`;
}

/**
 * A rule's points in whole tenths, rounded half up as score.ts rounds them (Math.round). Integers,
 * so that a lead's rules add up exactly, and in float8: numeric was most of the cost of rounding.
 */
export const tenthsSql = (points: SQL) => sql`floor(${points} * 10 + 0.5)::int8`;

/** A lead's engagement points from the sum of its rules' tenths (NULL: no activity counted). */
export const engagementPointsSql = (tenths: SQL) => sql`coalesce(${tenths}, 0)::float8 / 10`;

/** Engagement points per person of a batch: one pass over its activities, grouped by person and rule. */
function engagementSql(
  definition: LeadDefinition,
  batch: LeadRange,
  now: Date,
  until: Date | undefined,
): SQL {
  if (definition.engagement.rules.length === 0)
    return sql`SELECT NULL::uuid AS person_id, 0::int8 AS tenths WHERE false`;
  return sql`
    SELECT per_rule.person_id, sum(per_rule.tenths)::int8 AS tenths FROM (
      SELECT h.person_id, ${tenthsSql(sql`sum(h.points)`)} AS tenths
      FROM (
        SELECT ev.person_id, r.idx, r.max_count, r.points * ${decaySql(definition, now)} AS points,
               row_number() OVER (PARTITION BY ev.person_id, r.idx ORDER BY ev.occurred_at DESC) AS rn
        FROM activities ev
        JOIN ${engagementRulesSql(definition)} ON ev.type = r.type
        ${inBatch(batch)}
        WHERE ${ruleMatchesSql(now, until)}
      ) h
      WHERE h.max_count IS NULL OR h.rn <= h.max_count
      GROUP BY h.person_id, h.idx
    ) per_rule
    GROUP BY per_rule.person_id`;
}

export interface SqlScoredLead {
  personId: string;
  stage: string | null;
  fitPoints: number;
  engagementPoints: number;
}

/** Fit points of person `p` at account `a` (or only those of the rules on one of them). */
export function fitPointsSql(definition: LeadDefinition, only?: 'person' | 'account'): SQL {
  const rules = definition.fit.rules.filter((rule) => !only || rule.field.startsWith(`${only}.`));
  const fit = rules.length === 0 ? sql`0` : sql.join(rules.map(fitRuleSql), sql` + `);
  return sql`(${fit})::int`;
}

/** Grade, MQL or not, and an MQL's verdict, of a row with "fitPoints" and "engagementPoints", as judgeLead gives them. */
export function judgedSql(
  definition: LeadDefinition,
  row: SQL,
): { grade: SQL; fitGoodEnough: SQL; isMql: SQL; mqlVerdict: SQL } {
  const { A, B, C } = definition.fit.gradeCutoffs;
  const fit = sql`${row}."fitPoints"`;
  const grade = sql`CASE WHEN ${fit} >= ${A} THEN 'A' WHEN ${fit} >= ${B} THEN 'B' WHEN ${fit} >= ${C} THEN 'C' ELSE 'D' END`;
  const goodEnough = grades.slice(0, grades.indexOf(definition.mql.minGrade) + 1);
  const { minGrade, minEngagement } = definition.mql;
  const fitGoodEnough = sql`${grade} IN (${sql.join(
    goodEnough.map((g) => sql`${g}`),
    sql`, `,
  )})`;
  return {
    grade,
    fitGoodEnough,
    isMql: sql`(${fitGoodEnough} AND ${row}."engagementPoints" >= ${minEngagement})`,
    // judgeLead's words for an MQL (float8 prints as JavaScript prints a number: 45.5, 40).
    mqlVerdict: sql`format('MQL: fit grade %s (needs %s or better) and engagement %s (needs %s).',
      ${grade}, ${minGrade}::text, ${row}."engagementPoints"::float8, ${String(minEngagement)}::text)`,
  };
}

/** The query scoring these leads (for EXPLAIN too). */
export function scoreQuery(
  personIds: string[],
  definition: LeadDefinition,
  options: { now: Date; until?: Date },
): SQL {
  const range = leadRange(personIds);
  return sql`WITH engagement AS (${engagementSql(definition, range, options.now, options.until)})
        SELECT p.id AS "personId", p.stage, ${fitPointsSql(definition)} AS "fitPoints",
               ${engagementPointsSql(sql`e.tenths`)} AS "engagementPoints"
        FROM unnest(${range.list}) AS batch(id)
        JOIN people p ON p.id = batch.id
        LEFT JOIN accounts a ON a.id = p.account_id
        LEFT JOIN engagement e ON e.person_id = p.id
        WHERE ${range.within(sql`p.id`)}`;
}

/** Fit and engagement points of these leads, computed in the database (activities never leave it). */
export async function scoreLeadsInDatabase(
  db: Db,
  personIds: string[],
  definition: LeadDefinition,
  options: { now: Date; until?: Date },
): Promise<SqlScoredLead[]> {
  if (personIds.length === 0) return [];
  return queryRows<SqlScoredLead>(db, scoreQuery(personIds, definition, options));
}

/**
 * Scores these leads and stores the scores in one statement (nothing crosses the wire but the
 * result); returns the leads that now meet the definition, for the MQL moves.
 */
export async function rescoreInDatabase(
  db: Db,
  personIds: string[],
  definition: { version: number; rules: LeadDefinition },
  now: Date,
): Promise<Omit<SqlScoredLead, 'stage'>[]> {
  if (personIds.length === 0) return [];
  return queryRows<Omit<SqlScoredLead, 'stage'>>(
    db,
    sql`WITH ${rescoreCtes(personIds, definition, now)} SELECT * FROM qualifying`,
  );
}

/**
 * `scored`, `judged` and `saved` (the leads' scores, stored), then `qualifying`: the leads that now
 * meet the definition, as ("personId", "fitPoints", "engagementPoints"). With `inForce`, the
 * SQL of a boolean that must be true for anything to be scored or stored.
 */
function rescoreCtes(
  personIds: string[],
  definition: { version: number; rules: LeadDefinition },
  now: Date,
  inForce?: SQL,
): SQL {
  const { grade, isMql } = judgedSql(definition.rules, sql`s`);
  const scoring = scoreQuery(personIds, definition.rules, { now });
  const scored = inForce ? sql`SELECT * FROM (${scoring}) q WHERE ${inForce}` : scoring;
  // A score is never replaced by an older one: a lead re-scored live (a new activity) while a
  // re-scoring run works through everyone keeps its newer score, and is not moved by the run.
  // The other way round, a lead whose newer stored score (a run that started while this request was
  // scoring it, and saw its activity) makes it an MQL under this version qualifies here as well, so
  // that it moves in this request rather than when the run reaches it (every CTE reads lead_scores
  // as it was before the insert). The leads not stored are found by hashing (EXCEPT), not by joining
  // the CTEs: PostgreSQL expects few rows of them and would compare each with each.
  return sql`scored AS (${scored}),
        judged AS (SELECT s.*, ${grade} AS grade, ${isMql} AS "isMql" FROM scored s),
        saved AS (
          INSERT INTO lead_scores (person_id, version, fit_points, grade, engagement_points, is_mql, scored_at)
          SELECT "personId", ${definition.version}, "fitPoints", grade, "engagementPoints", "isMql", ${now} FROM judged
          ON CONFLICT (person_id) DO UPDATE SET version = excluded.version, fit_points = excluded.fit_points,
            grade = excluded.grade, engagement_points = excluded.engagement_points, is_mql = excluded.is_mql,
            scored_at = excluded.scored_at
          WHERE lead_scores.version < excluded.version
             OR (lead_scores.version = excluded.version AND lead_scores.scored_at <= excluded.scored_at)
          RETURNING person_id, fit_points, engagement_points, is_mql
        ),
        qualifying AS (
          SELECT person_id AS "personId", fit_points AS "fitPoints", engagement_points::float8 AS "engagementPoints"
          FROM saved WHERE is_mql
          UNION ALL
          SELECT newer.person_id, newer.fit_points, newer.engagement_points::float8
          FROM (SELECT "personId" FROM judged EXCEPT ALL SELECT person_id FROM saved) unsaved
          JOIN lead_scores newer ON newer.person_id = unsaved."personId"
          WHERE newer.version = ${definition.version} AND newer.is_mql
        )`;
}

// Stand-ins for the lead and the time in live scoring's statement, built once per version.
const LEAD = 'lockstep:the-lead';
const NOW = new Date(0);

/** What live scoring did: nothing when its version is no longer the one in force. */
export interface LiveScoring {
  inForce: boolean;
  /** The lead, when this activity made it an MQL. */
  moved: string[];
}

/**
 * Live scoring's statement for one version (run for every activity, so built once): in one round
 * trip it checks that the version is still the one in force, scores the lead and stores its score,
 * and, when the lead now meets the definition, moves it by `move` (to MQL) with the verdict as the
 * reason, as moveQualifiedLeads would. When the version is no longer in force it does nothing.
 */
export function compileLiveScoring(
  definition: { version: number; rules: LeadDefinition },
  move: Omit<RuleMove, 'at'>,
): CompiledStatement {
  const inForce = sql`(SELECT ok FROM in_force)`;
  const { mqlVerdict } = judgedSql(definition.rules, sql`q`);
  const query = sql`WITH in_force AS MATERIALIZED (
          SELECT coalesce((${inForceSql(sql`version`, NOW)}) = ${definition.version}, false) AS ok
        ),
        ${rescoreCtes([LEAD], definition, NOW, inForce)},
        moves AS (SELECT q."personId", ${mqlVerdict} AS reason FROM qualifying q),
        ${ruleMoveCtes({ ...move, at: NOW })}
        SELECT f.ok AS "inForce", coalesce((SELECT json_agg(id) FROM moved), '[]') AS moved FROM in_force f`;
  return compileStatement(query, [LEAD, NOW]);
}

export async function scoreLeadLive(
  db: Db,
  statement: CompiledStatement,
  personId: string,
  now: Date,
): Promise<LiveScoring> {
  const [result] = await runCompiled<LiveScoring>(db, statement, [personId, now]);
  return result!;
}
