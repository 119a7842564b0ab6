// The demo's hand-off: reps' calendars and teams, routing rules by territory, SLA policies and
// marketing's promise, and — derived from the demo's own lead histories — the assignments of recent
// MQLs, sales' verdicts with their reasons, breaches of leads nobody worked, and field insights.
import { sql } from 'drizzle-orm';
import { type Db, queryRows, textArray } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { rejectionReasonKeys } from '../feedback/feedback.schema.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { stagesLeadingTo } from '../lifecycle/lifecycle.rules.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import { conditionHolds } from '../routing/routing.rules.ts';
import { listRules, loadRoutableLeads } from '../routing/routing.store.ts';
import { leadDefinitionSchema } from '../scoring/definition.schema.ts';
import { MQL_STAGE, ruleOf } from '../scoring/lead-score.service.ts';
import { judgeLead } from '../scoring/score.ts';
import { addWorkingMinutes, type WorkingCalendar } from '../sla/working-hours.ts';
import { countries } from './demo.catalog.ts';

const at = (name: string) => `${name}@demo.lockstep.dev`;
const MANAGER = at('rachel.kim');
const DAY = 86_400_000;
/** How far back MQLs get assignments and verdicts (older history has none, as before Lockstep). */
const HISTORY_DAYS = 120;

// biome-ignore format: a table of reps reads best one line each
const reps = [
  { email: MANAGER, team: 'Management', timeZone: 'America/New_York', weight: 0, active: false },
  { email: at('leo.martins'), team: 'NA Enterprise', timeZone: 'America/New_York', weight: 1, active: true },
  { email: at('priya.nair'), team: 'EMEA', timeZone: 'Europe/Berlin', weight: 1, active: true },
  { email: at('jonas.weber'), team: 'Growth', timeZone: 'Europe/London', weight: 1, active: true },
  // Account executives own accounts (routing's first step) but take no round-robin MQLs.
  { email: at('marcus.hale'), team: 'NA Enterprise', timeZone: 'America/Chicago', weight: 0, active: true },
  { email: at('sofia.russo'), team: 'EMEA', timeZone: 'Europe/Rome', weight: 0, active: true },
  { email: at('kenji.tanaka'), team: 'Growth', timeZone: 'America/Los_Angeles', weight: 0, active: true },
];

const insightTexts = [
  ['competitor_seen', 'Globex', 'Already trialling Globex; asked how our routing compares.'],
  ['pricing_objection', null, 'Per-seat price is too high for a 12-person sales team.'],
  ['value_proposition', null, 'The two-way SLA resonated: their VP Sales has been asking for exactly this.'],
  ['product_gap', null, 'Needs a native Pipedrive sync before they can switch.'],
  ['competitor_seen', 'Initech', 'Renewal with Initech is in March; open to a pilot before then.'],
  ['pricing_objection', null, 'Wants annual billing with a discount for two years up front.'],
  ['value_proposition', null, '“Shared numbers” landed better than “lead scoring” in the first call.'],
  ['competitor_seen', 'Globex', 'Globex quoted 20% less; they care more about self-hosting though.'],
] as const;

interface MqlRow {
  personId: string;
  assignedAt: Date;
  userId: string;
  team: string;
  timeZone: string;
  accountOwner: boolean;
  nextStage: string | null;
  nextAt: Date | null;
  nextReason: string | null;
  decidedByRep: boolean;
  stillMql: boolean;
  touchedAt: Date | null;
  /** The lead's fit grade under the definition in force, if one scored it. */
  grade: string | null;
}

const calendarOf = (timeZone: string): WorkingCalendar => ({
  timeZone,
  workingDays: [1, 2, 3, 4, 5],
  workStartMinute: 9 * 60,
  workEndMinute: 17 * 60,
});

export async function seedDemoHandoff(
  db: Db,
  input: { now: Date; lifecycle: LifecycleConfig },
): Promise<void> {
  const users = new Map(
    (await queryRows<{ id: string; email: string }>(db, sql`SELECT id, email FROM users`)).map((u) => [
      u.email,
      u.id,
    ]),
  );
  const managerId = users.get(MANAGER) ?? null;
  for (const rep of reps) {
    const userId = users.get(rep.email);
    if (!userId) continue;
    await db.execute(sql`
      INSERT INTO rep_settings (user_id, sales_team, time_zone, capacity, weight, manager_id, active)
      VALUES (${userId}, ${rep.team}, ${rep.timeZone}, 40, ${rep.weight},
              ${rep.email === MANAGER ? null : managerId}, ${rep.active})`);
  }
  const emea = countries.filter(([, region]) => region === 'emea').map(([country]) => country);
  const na = countries.filter(([, region]) => region === 'na').map(([country]) => country);
  const rules = [
    {
      name: 'EMEA accounts',
      conditions: [{ field: 'account.country', op: 'in', value: emea }],
      team: 'EMEA',
    },
    {
      name: 'North American enterprise (500+ employees)',
      conditions: [
        { field: 'account.country', op: 'in', value: na },
        { field: 'account.employees', op: 'gte', value: 500 },
      ],
      team: 'NA Enterprise',
    },
    { name: 'Everyone else', conditions: [], team: 'Growth' },
  ];
  for (const [position, rule] of rules.entries()) {
    await db.execute(sql`INSERT INTO routing_rules (position, name, conditions, assign_to_team)
      VALUES (${position}, ${rule.name}, ${JSON.stringify(rule.conditions)}::jsonb, ${rule.team})`);
  }
  const policies = await queryRows<{ id: string; grade: string | null; accept: number; firstTouch: number }>(
    db,
    sql`INSERT INTO sla_policies (name, grade, accept_within_minutes, first_touch_within_minutes, escalate_after_minutes,
          reassign_on_escalation, created_at, updated_at)
        VALUES ('Hot leads (grade A)', 'A', 240, 120, 240, true, ${input.now}, ${input.now}),
               ('Every other MQL', NULL, 1440, 480, 480, false, ${input.now}, ${input.now})
        RETURNING id, grade, accept_within_minutes AS accept, first_touch_within_minutes AS "firstTouch"`,
  );
  // Marketing promised about what it has been delivering, at a 30% MQL→SQL rate it falls short of.
  await db.execute(sql`
    INSERT INTO marketing_promises (period, mql_volume, min_mql_to_sql_rate, updated_at)
    SELECT 'month', greatest(10, round(count(*) / 3.0 / 10) * 10)::int, 0.30, ${input.now}
    FROM stage_transitions WHERE to_stage = 'mql' AND occurred_at >= ${new Date(input.now.getTime() - 91 * DAY)}`);

  await moveLeadsTheDefinitionQualifies(db, { ...input, users });
  const mqls = await recentMqls(db, input.now);
  // Leads carry a fit grade once the lead definition took effect: from then on a grade-A MQL had the
  // hot leads' policy, as routing picks it; before, every MQL had the standard one.
  const [definition] = await queryRows<{ from: Date | null }>(
    db,
    sql`SELECT min(effective_from) AS "from" FROM lead_definitions WHERE published_at IS NOT NULL`,
  );
  const standard = policies.find((policy) => policy.grade === null)!;
  const policyOf = (m: MqlRow) =>
    (definition?.from && m.assignedAt >= definition.from
      ? policies.find((policy) => policy.grade === m.grade)
      : undefined) ?? standard;
  const rows = mqls.map((m) => {
    const calendar = calendarOf(m.timeZone);
    const policy = policyOf(m);
    return {
      ...m,
      policyId: policy.id,
      acceptDueAt: addWorkingMinutes(m.assignedAt, policy.accept, calendar),
      firstTouchDueAt: addWorkingMinutes(m.assignedAt, policy.firstTouch, calendar),
    };
  });
  await insertHistory(db, rows, input.now);
  await insertInsights(db, users, input.now);
}

/**
 * The demo's journeys draw their moves to MQL by chance (under the lead definition, only for leads
 * whose fit meets it), so a few leads meet it that no journey made MQLs (a demo request from a fit
 * lead two days ago, still "New lead"). Live scoring would have
 * moved each when its last counted activity arrived (or the re-scoring at publish, for older ones), and
 * routing would have given it to the account's owner or the rep its territory's rule names: so here.
 */
async function moveLeadsTheDefinitionQualifies(
  db: Db,
  input: { now: Date; lifecycle: LifecycleConfig; users: Map<string, string> },
) {
  const [inForce] = await queryRows<{ version: number; rules: unknown; from: Date }>(
    db,
    sql`SELECT version, rules, effective_from AS "from" FROM lead_definitions
        WHERE effective_from <= ${input.now} ORDER BY effective_from DESC LIMIT 1`,
  );
  if (!inForce) return;
  const definition = { version: inForce.version, rules: leadDefinitionSchema.parse(inForce.rules) };
  const { from, fromNone } = stagesLeadingTo(input.lifecycle, MQL_STAGE);
  const leads = await queryRows<{
    personId: string;
    movedAt: Date;
    fitPoints: number;
    engagementPoints: number;
  }>(
    db,
    sql`SELECT p.id AS "personId", s.fit_points AS "fitPoints", s.engagement_points::float8 AS "engagementPoints",
          greatest(${inForce.from}::timestamptz, (SELECT max(x.occurred_at) FROM activities x
            WHERE x.person_id = p.id AND x.occurred_at <= ${input.now})) AS "movedAt"
        FROM people p
        JOIN lead_scores s ON s.person_id = p.id AND s.version = ${definition.version} AND s.is_mql
        WHERE p.stage = ANY(${textArray(from)}) OR (${fromNone} AND p.stage IS NULL)
        ORDER BY p.id`,
  );
  // Routing's own rules decide: the account's owner, else the round-robin rep of the first rule's team.
  const rules = await listRules(db, true);
  const roundRobin = new Map(reps.filter((rep) => rep.weight > 0).map((rep) => [rep.team, rep.email]));
  const routable = new Map(
    (
      await loadRoutableLeads(
        db,
        leads.map((lead) => lead.personId),
      )
    ).map((lead) => [lead.id, lead]),
  );
  for (const lead of leads) {
    const routed = routable.get(lead.personId)!;
    const rule = rules.find((r) => r.conditions.every((condition) => conditionHolds(routed, condition)));
    const ownerId =
      routed.accountOwnerId ?? input.users.get(roundRobin.get(rule?.assignToTeam ?? '') ?? '') ?? null;
    await moveLead(
      { db, clock: fixedClock(lead.movedAt), lifecycle: input.lifecycle },
      {
        personId: lead.personId,
        to: MQL_STAGE,
        actor: null,
        rule: ruleOf(definition),
        reason: judgeLead(definition.rules, lead.fitPoints, lead.engagementPoints).verdict,
      },
    );
    await db.execute(sql`UPDATE people SET owner_id = ${ownerId} WHERE id = ${lead.personId}`);
  }
}

/** Each person's latest entry into MQL in the window, the rep who had it, and what happened next. */
function recentMqls(db: Db, now: Date) {
  return queryRows<MqlRow>(
    db,
    sql`
    WITH entry AS (
      SELECT DISTINCT ON (t.person_id) t.person_id, t.seq, t.occurred_at
      FROM stage_transitions t
      WHERE t.to_stage = 'mql' AND t.occurred_at >= ${new Date(now.getTime() - HISTORY_DAYS * DAY)}
      ORDER BY t.person_id, t.seq DESC
    ), next AS (
      SELECT DISTINCT ON (e.person_id) e.person_id, n.to_stage, n.occurred_at, n.reason, n.actor_user_id
      FROM entry e JOIN stage_transitions n ON n.person_id = e.person_id AND n.seq > e.seq
      ORDER BY e.person_id, n.seq
    )
    SELECT e.person_id AS "personId", e.occurred_at AS "assignedAt", s.user_id AS "userId", s.sales_team AS team,
      s.time_zone AS "timeZone", a.owner_id IS NOT DISTINCT FROM s.user_id AS "accountOwner",
      n.to_stage AS "nextStage", n.occurred_at AS "nextAt", n.reason AS "nextReason",
      n.actor_user_id IS NOT DISTINCT FROM s.user_id AS "decidedByRep", p.stage = 'mql' AS "stillMql",
      (SELECT min(x.occurred_at) FROM activities x WHERE x.person_id = e.person_id
         AND x.type IN ('call', 'email', 'meeting') AND x.occurred_at >= e.occurred_at) AS "touchedAt",
      ls.grade
    FROM entry e
    JOIN people p ON p.id = e.person_id
    LEFT JOIN lead_scores ls ON ls.person_id = e.person_id
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN next n ON n.person_id = e.person_id
    JOIN rep_settings s ON s.user_id = coalesce(
      CASE WHEN n.actor_user_id IN (SELECT user_id FROM rep_settings) THEN n.actor_user_id END, p.owner_id)
    ORDER BY e.occurred_at, e.person_id`,
  );
}

/** Inserts the assignments, verdicts and breaches in three statements (the demo has thousands). */
async function insertHistory(
  db: Db,
  rows: (MqlRow & { policyId: string | null; acceptDueAt: Date; firstTouchDueAt: Date })[],
  now: Date,
) {
  const known = new Set<string>(rejectionReasonKeys);
  const planned = rows.map((row) => {
    const decided = Boolean(row.decidedByRep && row.nextAt && row.nextStage !== null);
    const rejected = decided && row.nextStage !== 'sal';
    const reason = !rejected
      ? null
      : known.has(row.nextReason ?? '')
        ? row.nextReason
        : row.nextStage === 'nurture'
          ? 'not_now'
          : 'other';
    return {
      personId: row.personId,
      userId: row.userId,
      team: row.team,
      rule: row.accountOwner ? 'account owner' : `rule: ${row.team} (round-robin in ${row.team})`,
      assignedAt: row.assignedAt.toISOString(),
      policyId: row.policyId,
      acceptDueAt: row.acceptDueAt.toISOString(),
      firstTouchDueAt: row.firstTouchDueAt.toISOString(),
      endedAt: rejected || !row.stillMql ? (row.nextAt ?? now).toISOString() : null,
      endedReason: rejected ? `rejected: ${reason}` : row.stillMql ? null : 'left MQL',
      decision: decided ? (rejected ? 'rejected' : 'accepted') : null,
      reason,
      decidedAt: decided ? row.nextAt!.toISOString() : null,
      // Leads still waiting past their due times: the breaches the Promises page shows.
      acceptBreached: row.stillMql && row.acceptDueAt < now,
      touchBreached: row.stillMql && !row.touchedAt && row.firstTouchDueAt < now,
    };
  });
  if (planned.length === 0) return;
  await db.execute(sql`
    WITH plan AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(planned)}::jsonb) AS r("personId" uuid, "userId" uuid,
        team text, rule text, "assignedAt" timestamptz, "policyId" uuid, "acceptDueAt" timestamptz,
        "firstTouchDueAt" timestamptz, "endedAt" timestamptz, "endedReason" text, decision text, reason text,
        "decidedAt" timestamptz, "acceptBreached" boolean, "touchBreached" boolean)
    ), assigned AS (
      INSERT INTO lead_assignments (person_id, user_id, sales_team, rule, assigned_at, policy_id, accept_due_at,
        first_touch_due_at, ended_at, ended_reason, decided_at)
      SELECT "personId", "userId", team, rule, "assignedAt", "policyId", "acceptDueAt", "firstTouchDueAt",
        "endedAt", "endedReason", CASE WHEN decision IS NOT NULL THEN "decidedAt" END FROM plan
      RETURNING id, person_id
    ), decided AS (
      INSERT INTO lead_dispositions (assignment_id, person_id, user_id, decision, reason, decided_at)
      SELECT a.id, p."personId", p."userId", p.decision, p.reason, p."decidedAt"
      FROM plan p JOIN assigned a ON a.person_id = p."personId" WHERE p.decision IS NOT NULL
    )
    INSERT INTO sla_timers (assignment_id, person_id, kind, due_at, fired_at, outcome, alerted_user_id, claimed_at,
      notified_at)
    SELECT a.id, p."personId", k.kind, k.due, k.due, 'breached', p."userId", k.due, k.due
    FROM plan p JOIN assigned a ON a.person_id = p."personId"
    CROSS JOIN LATERAL (VALUES ('accept', p."acceptDueAt", p."acceptBreached"),
                               ('first_touch', p."firstTouchDueAt", p."touchBreached")) AS k(kind, due, breached)
    WHERE k.breached`);
}

async function insertInsights(db: Db, users: Map<string, string>, now: Date) {
  const accounts = await queryRows<{ id: string; ownerId: string | null }>(
    db,
    sql`SELECT id, owner_id AS "ownerId" FROM accounts WHERE owner_id IS NOT NULL ORDER BY name LIMIT 24`,
  );
  const fallback = users.get(at('leo.martins')) ?? null;
  for (const [i, account] of accounts.entries()) {
    const [kind, competitor, text] = insightTexts[i % insightTexts.length]!;
    await db.execute(sql`INSERT INTO field_insights (account_id, user_id, kind, competitor, text, created_at)
      VALUES (${account.id}, ${account.ownerId ?? fallback}, ${kind}, ${competitor}, ${text},
              ${new Date(now.getTime() - (i * 3 + 1) * DAY)})`);
  }
}
