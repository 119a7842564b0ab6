// Re-scoring every lead at once: the new lead_scores is built beside the old one with a few
// CREATE TABLE AS statements, then swapped in. Writing a million rows into the live table (index
// entries, key checks, conflict checks, row by row) cost as much again as computing them.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { EngagementRule, LeadDefinition } from './definition.schema.ts';
import type { RescoringStep } from './rescoring.progress.ts';
import type { QualifiedLead } from './rescoring.store.ts';
import { decaySql, engagementPointsSql, fitPointsSql, judgedSql, tenthsSql } from './score.sql.ts';

/**
 * Who builds every lead's scores: a version's run over every lead once it takes effect, or the
 * daily refresh under the version in force. Each builds in tables of its own.
 */
export type ScoresBuilder = 'rescoring' | 'refresh';

/** Where a build of this version makes the new lead_scores, and stages engagement. */
const builtTable = (version: number, by: ScoresBuilder) => `${by}_scores_v${version}`;
const stagedTable = (version: number, by: ScoresBuilder) => `${by}_engagement_v${version}`;
const cappedTable = (version: number, by: ScoresBuilder) => `${by}_capped_v${version}`;
const columns = sql.raw('person_id, version, fit_points, grade, engagement_points, is_mql, scored_at');
/** A staged table's column of a capped rule's activity count. */
const count = (i: number) => sql.identifier(`count${i}`);

/**
 * Whether activity `ev` counts for this rule at `now` (as score.sql.ts has it, with the rule inlined).
 * With `text`, a property's lowercased text when it is a string, already read from the JSON.
 */
function matchesSql(rule: EngagementRule, now: Date, text?: (property: string) => SQL): SQL {
  const conditions = [sql`ev.type = ${rule.activityType}::text`];
  if (rule.where) {
    const property = sql`${rule.where.property}::text`;
    const lowered = text
      ? text(rule.where.property)
      : sql`CASE WHEN jsonb_typeof(ev.properties -> ${property}) = 'string' THEN lower(ev.properties ->> ${property}) END`;
    conditions.push(sql`position(${rule.where.contains.toLowerCase()}::text in ${lowered}) > 0`);
  }
  if (rule.withinDays)
    conditions.push(sql`${now}::timestamptz - ev.occurred_at <= ${rule.withinDays}::int * interval '1 day'`);
  return sql.join(conditions, sql` AND `);
}

/**
 * Stages every lead's decayed points and activity count per engagement rule, in one hash aggregate
 * over the activities: no sort (the batch query sorts every activity by lead, rule and time, for the
 * caps). Unlogged tables: an interrupted run builds them again.
 */
async function stageEngagement(
  tx: Db,
  definition: { version: number; rules: LeadDefinition },
  now: Date,
  by: ScoresBuilder,
) {
  const rules = definition.rules.engagement.rules;
  const staged = sql.identifier(stagedTable(definition.version, by));
  const decay = decaySql(definition.rules, now);
  // Each property a rule looks into is read from the JSON once per activity, and each rule's
  // condition is evaluated once per activity, not once per aggregate (the JSON was most of the cost
  // of this pass). OFFSET 0 keeps PostgreSQL from pasting the expressions back where they are used.
  const properties = [...new Set(rules.flatMap((rule) => (rule.where ? [rule.where.property] : [])))];
  const text = (property: string) => sql`ev.${sql.identifier(`property${properties.indexOf(property)}`)}`;
  // Only for the activity types of the rules that look into the property.
  const propertyColumns = properties.map((property, j) => {
    const types = [
      ...new Set(rules.filter((rule) => rule.where?.property === property).map((rule) => rule.activityType)),
    ];
    return sql`, CASE WHEN ev.type IN (${sql.join(
      types.map((type) => sql`${type}`),
      sql`, `,
    )}) AND jsonb_typeof(ev.properties -> ${property}::text) = 'string'
                 THEN lower(ev.properties ->> ${property}::text) END AS ${sql.identifier(`property${j}`)}`;
  });
  const matches = (i: number) => sql.identifier(`matches${i}`);
  const perRule = rules.flatMap((rule, i) => [
    sql`sum(${rule.points}::float8 * ev.decay) FILTER (WHERE ev.${matches(i)}) AS ${sql.identifier(`points${i}`)}`,
    ...(rule.maxCount === undefined ? [] : [sql`count(*) FILTER (WHERE ev.${matches(i)}) AS ${count(i)}`]),
  ]);
  const types = [...new Set(rules.map((rule) => rule.activityType))];
  await tx.execute(sql`
    CREATE UNLOGGED TABLE ${staged} AS
    SELECT ev.person_id, ${sql.join(perRule, sql`, `)}
    FROM (
      SELECT ev.person_id, ev.decay,
             ${sql.join(
               rules.map((rule, i) => sql`${matchesSql(rule, now, text)} AS ${matches(i)}`),
               sql`, `,
             )}
      FROM (
        SELECT ev.person_id, ev.type, ev.occurred_at, ${decay} AS decay ${sql.join(propertyColumns, sql``)}
        FROM activities ev WHERE ev.type IN (${sql.join(
          types.map((type) => sql`${type}`),
          sql`, `,
        )})
        OFFSET 0
      ) ev
      OFFSET 0
    ) ev
    GROUP BY ev.person_id`);
  await tx.execute(sql`ANALYZE ${staged}`);
}

const cappedRules = (rules: LeadDefinition) =>
  rules.engagement.rules.flatMap((rule, i) => (rule.maxCount === undefined ? [] : [{ rule, i }]));

/**
 * Only for the leads over a rule's cap, the points of its most recent activities, in a second pass
 * that sorts just their activities.
 */
async function stageCappedEngagement(
  tx: Db,
  definition: { version: number; rules: LeadDefinition },
  now: Date,
  by: ScoresBuilder,
) {
  const staged = sql.identifier(stagedTable(definition.version, by));
  const decay = decaySql(definition.rules, now);
  const capped = cappedRules(definition.rules);
  // The activities of the capped rules' types of the leads over a cap, each turned into one row per
  // capped rule it counts for (its condition, its lead over that rule's cap); then the most recent
  // `maxCount` per lead and rule count. The join, the conditions and the sort run in parallel workers
  // (a CTE read by one branch per rule kept them all in one process: 3.4 s against 2.6 s at 1M leads);
  // only the ranking is left to one.
  const cappedTypes = [...new Set(capped.map(({ rule }) => rule.activityType))];
  const countsFor = capped.map(
    ({ rule, i }) =>
      sql`(${i}::int, ${rule.maxCount}::int, ${rule.points}::float8,
           e.${count(i)} > ${rule.maxCount}::int AND ${matchesSql(rule, now)})`,
  );
  await tx.execute(sql`
    CREATE UNLOGGED TABLE ${sql.identifier(cappedTable(definition.version, by))} AS
    SELECT ranked.person_id, ${sql.join(
      capped.map(
        ({ i }) =>
          sql`sum(ranked.points) FILTER (WHERE ranked.rule = ${i}::int) AS ${sql.identifier(`points${i}`)}`,
      ),
      sql`, `,
    )} FROM (
      SELECT m.person_id, m.rule, m.max_count, m.points,
             row_number() OVER (PARTITION BY m.person_id, m.rule ORDER BY m.occurred_at DESC) AS rn
      FROM (
        SELECT ev.person_id, r.rule, r.max_count, r.points * ${decay} AS points, ev.occurred_at
        FROM activities ev
        JOIN ${staged} e ON e.person_id = ev.person_id
          AND (${sql.join(
            capped.map(({ rule, i }) => sql`e.${count(i)} > ${rule.maxCount}::int`),
            sql` OR `,
          )})
        CROSS JOIN LATERAL (VALUES ${sql.join(countsFor, sql`, `)}) r(rule, max_count, points, counts)
        WHERE ev.type IN (${sql.join(
          cappedTypes.map((type) => sql`${type}`),
          sql`, `,
        )}) AND r.counts
      ) m
    ) ranked
    WHERE ranked.rn <= ranked.max_count
    GROUP BY ranked.person_id`);
  await tx.execute(sql`ANALYZE ${sql.identifier(cappedTable(definition.version, by))}`);
}

/** A lead's engagement in tenths from the staged sums (the capped sums where a cap is exceeded). */
function engagementTenths(
  definition: { version: number; rules: LeadDefinition },
  by: ScoresBuilder,
): {
  joins: SQL;
  tenths: SQL;
} {
  const rules = definition.rules.engagement.rules;
  if (rules.length === 0) return { joins: sql``, tenths: sql`NULL::int8` };
  const joins = [
    sql`LEFT JOIN ${sql.identifier(stagedTable(definition.version, by))} e ON e.person_id = p.id`,
  ];
  if (rules.some((rule) => rule.maxCount !== undefined))
    joins.push(sql`LEFT JOIN ${sql.identifier(cappedTable(definition.version, by))} c ON c.person_id = p.id`);
  const perRule = rules.map((rule, i) => {
    const points = sql.identifier(`points${i}`);
    const staged = rule.maxCount === undefined ? sql`e.${points}` : sql`coalesce(c.${points}, e.${points})`;
    return sql`coalesce(${tenthsSql(staged)}, 0)`;
  });
  return { joins: sql.join(joins, sql` `), tenths: sql.join(perRule, sql` + `) };
}

/** Every lead's lead_scores row under a version, as of `now`, from the staged engagement (for EXPLAIN too). */
export function scoresOfEveryLeadQuery(
  definition: { version: number; rules: LeadDefinition },
  now: Date,
  by: ScoresBuilder,
): SQL {
  const { grade, isMql } = judgedSql(definition.rules, sql`s`);
  const engagement = engagementTenths(definition, by);
  return sql`
    SELECT s."personId" AS person_id, ${definition.version}::int AS version, s."fitPoints" AS fit_points,
           ${grade} AS grade, s."engagementPoints"::numeric(10, 1) AS engagement_points, ${isMql} AS is_mql,
           ${now}::timestamptz AS scored_at
    FROM (
      SELECT p.id AS "personId", ${fitPointsSql(definition.rules, 'person')} + coalesce(af.points, 0) AS "fitPoints",
             ${engagementPointsSql(engagement.tenths)} AS "engagementPoints"
      FROM people p
      -- The account rules once per account, not once per person.
      LEFT JOIN (SELECT a.id, ${fitPointsSql(definition.rules, 'account')} AS points FROM accounts a) af
        ON af.id = p.account_id
      ${engagement.joins}
      -- Not merged into the outer query: the grade would compute the fit points once per mention.
      OFFSET 0
    ) s`;
}

/**
 * For the rest of the transaction: room for a hash table of every lead, instead of spilling it to
 * disk in batches, and PostgreSQL's workers for passes over every activity or lead (its costs keep
 * one hash table of a million leads in one process, measured about 1.5 times slower than each
 * worker aggregating its share).
 */
async function withEveryLeadInMemory(tx: Db) {
  await tx.execute(sql`SET LOCAL work_mem = '256MB'`);
  await tx.execute(sql`SET LOCAL parallel_setup_cost = 0`);
  await tx.execute(sql`SET LOCAL parallel_tuple_cost = 0`);
}

/**
 * Builds every lead's score under a version, as of `now`, into a table beside lead_scores (built
 * again from the start if an interrupted run left one), one step to a transaction, telling each
 * step as it starts. Returns how many leads were scored, and how many the new scores make MQLs.
 */
export async function buildScoresOfEveryLead(
  db: Db,
  definition: { version: number; rules: LeadDefinition },
  now: Date,
  {
    by = 'rescoring',
    onStep = async () => {},
  }: { by?: ScoresBuilder; onStep?: (step: RescoringStep) => Promise<void> } = {},
): Promise<{ scored: number; qualified: number }> {
  const [table, staged, capped] = [builtTable, stagedTable, cappedTable].map((name) =>
    sql.identifier(name(definition.version, by)),
  );
  await db.execute(sql`DROP TABLE IF EXISTS ${table}, ${staged}, ${capped}`);
  const steps: [RescoringStep, (tx: Db) => Promise<void>][] = [];
  if (definition.rules.engagement.rules.length > 0)
    steps.push(['engagement', (tx) => stageEngagement(tx, definition, now, by)]);
  if (cappedRules(definition.rules).length > 0)
    steps.push(['recent', (tx) => stageCappedEngagement(tx, definition, now, by)]);
  for (const [step, build] of steps) {
    await onStep(step);
    await db.transaction(async (tx) => {
      await withEveryLeadInMemory(tx);
      await build(tx);
    });
  }
  await onStep('scores');
  return db.transaction(async (tx) => {
    await withEveryLeadInMemory(tx);
    await tx.execute(sql`CREATE TABLE ${table} AS ${scoresOfEveryLeadQuery(definition, now, by)}`);
    await tx.execute(sql`DROP TABLE IF EXISTS ${staged}, ${capped}`);
    // lead_scores' shape, so that the swap changes nothing but the rows.
    await tx.execute(sql`
      ALTER TABLE ${table} ALTER COLUMN person_id SET NOT NULL, ALTER COLUMN version SET NOT NULL,
        ALTER COLUMN fit_points SET NOT NULL, ALTER COLUMN grade SET NOT NULL,
        ALTER COLUMN engagement_points SET NOT NULL, ALTER COLUMN is_mql SET NOT NULL,
        ALTER COLUMN scored_at SET NOT NULL,
        ADD CONSTRAINT ${sql.identifier(`${builtTable(definition.version, by)}_pkey`)} PRIMARY KEY (person_id)`);
    // Statistics for the swap's comparison with the old scores (without them PostgreSQL probes the
    // new key once per old row: seconds, under the lock) and for everything that reads lead_scores.
    await tx.execute(sql`ANALYZE ${table}`);
    const [built] = await queryRows<{ scored: number; qualified: number }>(
      tx,
      sql`SELECT count(*)::int AS scored, (count(*) FILTER (WHERE is_mql))::int AS qualified FROM ${table}`,
    );
    return built!;
  });
}

/**
 * Drops the tables a builder left of `version`, or of every version (a build stopped midway, say,
 * whose version was replaced before it ran again).
 */
export async function dropBuiltTables(db: Db, by: ScoresBuilder, version?: number): Promise<void> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`SELECT tablename AS name FROM pg_tables
        WHERE schemaname = current_schema() AND tablename ~ ${`^${by}_(scores|engagement|capped)_v${version ?? '[0-9]+'}$`}`,
  );
  if (tables.length === 0) return;
  await db.execute(
    sql`DROP TABLE IF EXISTS ${sql.join(
      tables.map((table) => sql.identifier(table.name)),
      sql`, `,
    )}`,
  );
}

/**
 * The leads that a build makes MQLs and the stored scores do not: no score under this version, or
 * one that fell short (for the daily refresh, before its swap). Leads scored live since the build's
 * time are left out (their request decided), and so are those under a newer version.
 */
export async function newlyQualifiedInBuild(
  db: Db,
  version: number,
  scoredAt: Date,
  by: ScoresBuilder,
): Promise<QualifiedLead[]> {
  return db.transaction(async (tx) => {
    await withEveryLeadInMemory(tx);
    return queryRows<QualifiedLead>(
      tx,
      sql`SELECT b.person_id AS "personId", b.fit_points AS "fitPoints",
                 b.engagement_points::float8 AS "engagementPoints"
          FROM ${sql.identifier(builtTable(version, by))} b
          LEFT JOIN lead_scores old ON old.person_id = b.person_id
          WHERE b.is_mql AND (old.person_id IS NULL OR old.version < ${version}
            OR (old.version = ${version} AND NOT old.is_mql AND old.scored_at <= ${scoredAt}))
          ORDER BY b.person_id`,
    );
  });
}

/**
 * Puts the built scores in place of lead_scores, in one short transaction that locks lead_scores
 * alone. Scores written live meanwhile that are newer than the run's (a newer version, or this
 * version after `scoredAt`) are kept: that includes the people created since the build read them
 * (scored live at creation, after `scoredAt`). Scores of people deleted since are not.
 */
export async function swapInBuiltScores(
  db: Db,
  version: number,
  scoredAt: Date,
  alsoInTheSwap: (tx: Db) => Promise<void>,
  by: ScoresBuilder = 'rescoring',
): Promise<void> {
  const table = sql.identifier(builtTable(version, by));
  await db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE lead_scores IN ACCESS EXCLUSIVE MODE`);
    await tx.execute(sql`
      INSERT INTO ${table} (${columns})
      SELECT ${columns} FROM lead_scores old
      WHERE old.version > ${version} OR (old.version = ${version} AND old.scored_at > ${scoredAt})
      ON CONFLICT (person_id) DO UPDATE SET version = excluded.version, fit_points = excluded.fit_points,
        grade = excluded.grade, engagement_points = excluded.engagement_points, is_mql = excluded.is_mql,
        scored_at = excluded.scored_at`);
    await tx.execute(sql`DROP TABLE lead_scores`);
    await tx.execute(sql`ALTER TABLE ${table} RENAME TO lead_scores`);
    await tx.execute(
      sql`ALTER INDEX ${sql.identifier(`${builtTable(version, by)}_pkey`)} RENAME TO lead_scores_pkey`,
    );
    // The scores of people deleted during the build, from the list people's delete trigger keeps
    // (migration 0026); a deletion that committed before the lock was taken is in it. A person
    // deleted from here on takes their score with them: the trigger deletes from lead_scores by
    // name, so from this table once the swap commits (one that fired meanwhile waits for the swap's
    // lock). Nothing here locks people: a key to it would, and deadlock with a request that wrote
    // a person and waits to score it. The list keeps a day, far longer than a build takes.
    await tx.execute(sql`DELETE FROM lead_scores s USING people_deleted d WHERE s.person_id = d.person_id`);
    await alsoInTheSwap(tx);
  });
}
