import { sql } from 'drizzle-orm';
import { type Db, queryRows, uuidArray } from '../../db/client.ts';
import type { RoutingCondition } from './routing.schema.ts';

export interface RoutableLead {
  id: string;
  stage: string | null;
  fields: Record<string, unknown>;
  personAttributes: Record<string, unknown>;
  accountAttributes: Record<string, unknown>;
  accountOwnerId: string | null;
  grade: string | null;
  hasOpenAssignment: boolean;
}

/** The leads with every field a routing rule may test, and whether they already have an owner from routing. */
export async function loadRoutableLeads(db: Db, personIds: string[]): Promise<RoutableLead[]> {
  return queryRows<RoutableLead>(db, routableLeads(personIds));
}

/**
 * `loadRoutableLeads` for routing, in one round trip: a lead sales already decided on that comes
 * back as an MQL first has that assignment ended, so it starts a new one. The statement's read
 * does not see its own update, so a lead counts as owned only by an open assignment without a
 * verdict, which is what is left open once the update is done.
 */
export async function takeRoutableLeads(db: Db, personIds: string[], at: Date): Promise<RoutableLead[]> {
  return queryRows<RoutableLead>(
    db,
    sql`
    WITH ended AS (
      UPDATE lead_assignments la SET ended_at = ${at}, ended_reason = 'came back as a new MQL'
      WHERE la.person_id = ANY(${uuidArray(personIds)}) AND la.ended_at IS NULL AND la.decided_at IS NOT NULL
    )
    ${routableLeads(personIds)}`,
  );
}

function routableLeads(personIds: string[]) {
  return sql`
    SELECT p.id, p.stage,
      jsonb_build_object(
        'person.source', p.source, 'person.country', p.country, 'person.title', p.title,
        'person.landing_page', p.landing_page, 'person.email_domain', split_part(p.email, '@', 2),
        'person.campaign_id', p.campaign_id, 'account.name', a.name, 'account.domain', a.domain,
        'account.industry', a.industry, 'account.employees', a.employees, 'account.country', a.country,
        'lead.grade', ls.grade) AS fields,
      p.attributes AS "personAttributes", coalesce(a.attributes, '{}'::jsonb) AS "accountAttributes",
      a.owner_id AS "accountOwnerId", ls.grade,
      EXISTS (SELECT 1 FROM lead_assignments la
              WHERE la.person_id = p.id AND la.ended_at IS NULL AND la.decided_at IS NULL) AS "hasOpenAssignment"
    FROM people p
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN lead_scores ls ON ls.person_id = p.id
    WHERE p.id = ANY(${uuidArray(personIds)})
    ORDER BY p.created_at, p.id`;
}

export interface RepRow {
  userId: string;
  name: string;
  email: string | null;
  role: string;
  salesTeam: string;
  timeZone: string;
  workingDays: number[];
  workStartMinute: number;
  workEndMinute: number;
  outOfOfficeFrom: Date | null;
  outOfOfficeUntil: Date | null;
  capacity: number;
  weight: number;
  managerId: string | null;
  managerName: string | null;
  active: boolean;
  openMqls: number;
  recentAssignments: number;
}

/**
 * Every sales rep (sales users, and anyone with rep settings) with their calendar, defaults where
 * none was set, their open unworked MQLs (assigned, still an MQL, no verdict) and how many leads
 * round-robin gave them in the last 30 days.
 */
export async function listReps(db: Db, now: Date, userId?: string): Promise<RepRow[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  return queryRows<RepRow>(
    db,
    sql`
    WITH open_load AS (
      SELECT la.user_id, count(*)::int AS n FROM lead_assignments la
      JOIN people p ON p.id = la.person_id AND p.stage = 'mql'
      WHERE la.ended_at IS NULL AND la.decided_at IS NULL
      GROUP BY la.user_id
    ), recent AS (
      SELECT user_id, count(*)::int AS n FROM lead_assignments WHERE assigned_at >= ${since} GROUP BY user_id
    )
    SELECT u.id AS "userId", u.name, u.email, u.role,
      coalesce(s.sales_team, 'default') AS "salesTeam", coalesce(s.time_zone, 'UTC') AS "timeZone",
      coalesce(s.working_days, '{1,2,3,4,5}'::integer[]) AS "workingDays",
      coalesce(s.work_start_minute, 540) AS "workStartMinute", coalesce(s.work_end_minute, 1020) AS "workEndMinute",
      s.out_of_office_from AS "outOfOfficeFrom", s.out_of_office_until AS "outOfOfficeUntil",
      coalesce(s.capacity, 25) AS capacity, coalesce(s.weight, 1) AS weight,
      s.manager_id AS "managerId", m.name AS "managerName", coalesce(s.active, true) AS active,
      coalesce(ol.n, 0) AS "openMqls", coalesce(r.n, 0) AS "recentAssignments"
    FROM users u
    LEFT JOIN rep_settings s ON s.user_id = u.id
    LEFT JOIN users m ON m.id = s.manager_id
    LEFT JOIN open_load ol ON ol.user_id = u.id
    LEFT JOIN recent r ON r.user_id = u.id
    WHERE (u.role = 'sales' OR s.user_id IS NOT NULL)
      ${userId ? sql`AND u.id = ${userId}` : sql``}
    ORDER BY u.name, u.id`,
  );
}

export async function userExists(
  db: Db,
  userId: string,
): Promise<{ role: string; team: string } | undefined> {
  const [row] = await queryRows<{ role: string; team: string }>(
    db,
    sql`SELECT role, team FROM users WHERE id = ${userId}`,
  );
  return row;
}

export async function upsertRepSettings(
  db: Db,
  userId: string,
  values: {
    salesTeam: string;
    timeZone: string;
    workingDays: number[];
    workStartMinute: number;
    workEndMinute: number;
    outOfOfficeFrom: Date | null;
    outOfOfficeUntil: Date | null;
    capacity: number;
    weight: number;
    managerId: string | null;
    active: boolean;
  },
  now: Date,
): Promise<void> {
  const days = `{${values.workingDays.join(',')}}`;
  await db.execute(sql`
    INSERT INTO rep_settings (user_id, sales_team, time_zone, working_days, work_start_minute, work_end_minute,
      out_of_office_from, out_of_office_until, capacity, weight, manager_id, active, updated_at)
    VALUES (${userId}, ${values.salesTeam}, ${values.timeZone}, ${days}::integer[], ${values.workStartMinute},
      ${values.workEndMinute}, ${values.outOfOfficeFrom}, ${values.outOfOfficeUntil}, ${values.capacity},
      ${values.weight}, ${values.managerId}, ${values.active}, ${now})
    ON CONFLICT (user_id) DO UPDATE SET sales_team = EXCLUDED.sales_team, time_zone = EXCLUDED.time_zone,
      working_days = EXCLUDED.working_days, work_start_minute = EXCLUDED.work_start_minute,
      work_end_minute = EXCLUDED.work_end_minute, out_of_office_from = EXCLUDED.out_of_office_from,
      out_of_office_until = EXCLUDED.out_of_office_until, capacity = EXCLUDED.capacity, weight = EXCLUDED.weight,
      manager_id = EXCLUDED.manager_id, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at`);
}

export interface RuleRow {
  id: string;
  position: number;
  name: string;
  conditions: RoutingCondition[];
  assignToUserId: string | null;
  assignToTeam: string | null;
  active: boolean;
  createdAt: Date;
}

const ruleColumns = sql`id, position, name, conditions, assign_to_user_id AS "assignToUserId",
  assign_to_team AS "assignToTeam", active, created_at AS "createdAt"`;

export async function listRules(db: Db, onlyActive = false): Promise<RuleRow[]> {
  return queryRows<RuleRow>(
    db,
    sql`SELECT ${ruleColumns} FROM routing_rules ${onlyActive ? sql`WHERE active` : sql``}
        ORDER BY position, created_at, id`,
  );
}

export async function insertRule(
  db: Db,
  rule: Omit<RuleRow, 'id' | 'createdAt' | 'position'> & { position: number | undefined },
): Promise<RuleRow> {
  const [row] = await queryRows<RuleRow>(
    db,
    sql`INSERT INTO routing_rules (position, name, conditions, assign_to_user_id, assign_to_team, active)
        VALUES (coalesce(${rule.position ?? null}::int, (SELECT coalesce(max(position) + 1, 0) FROM routing_rules)),
                ${rule.name}, ${JSON.stringify(rule.conditions)}::jsonb, ${rule.assignToUserId},
                ${rule.assignToTeam}, ${rule.active})
        RETURNING ${ruleColumns}`,
  );
  return row!;
}

export async function updateRule(
  db: Db,
  id: string,
  rule: Omit<RuleRow, 'id' | 'createdAt' | 'position'> & { position: number | undefined },
): Promise<RuleRow | undefined> {
  const [row] = await queryRows<RuleRow>(
    db,
    sql`UPDATE routing_rules SET position = coalesce(${rule.position ?? null}::int, position), name = ${rule.name},
          conditions = ${JSON.stringify(rule.conditions)}::jsonb, assign_to_user_id = ${rule.assignToUserId},
          assign_to_team = ${rule.assignToTeam}, active = ${rule.active}
        WHERE id = ${id} RETURNING ${ruleColumns}`,
  );
  return row;
}

export async function deleteRule(db: Db, id: string): Promise<boolean> {
  const rows = await queryRows(db, sql`DELETE FROM routing_rules WHERE id = ${id} RETURNING id`);
  return rows.length > 0;
}

export interface NewAssignment {
  personId: string;
  userId: string;
  salesTeam: string | null;
  rule: string;
  ruleId: string | null;
  assignedAt: Date;
  policyId: string | null;
  acceptDueAt: Date | null;
  firstTouchDueAt: Date | null;
}

export interface AssignmentRow extends NewAssignment {
  id: string;
  userName: string;
  endedAt: Date | null;
  endedReason: string | null;
}

const assignmentColumns = sql`la.id, la.person_id AS "personId", la.user_id AS "userId", u.name AS "userName",
  la.sales_team AS "salesTeam", la.rule, la.rule_id AS "ruleId", la.assigned_at AS "assignedAt",
  la.policy_id AS "policyId", la.accept_due_at AS "acceptDueAt", la.first_touch_due_at AS "firstTouchDueAt",
  la.ended_at AS "endedAt", la.ended_reason AS "endedReason"`;

/**
 * Inserts the assignments in one statement and makes each rep the person's owner in the same one.
 * A lead that already has an open assignment is skipped (the partial unique index), so routing twice is safe.
 */
export async function insertAssignments(db: Db, rows: NewAssignment[]): Promise<AssignmentRow[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((row) => ({
    ...row,
    assignedAt: row.assignedAt.toISOString(),
    acceptDueAt: row.acceptDueAt?.toISOString() ?? null,
    firstTouchDueAt: row.firstTouchDueAt?.toISOString() ?? null,
  }));
  return queryRows<AssignmentRow>(
    db,
    sql`
    WITH inserted AS (
      INSERT INTO lead_assignments (person_id, user_id, sales_team, rule, rule_id, assigned_at, policy_id,
        accept_due_at, first_touch_due_at)
      SELECT r."personId", r."userId", r."salesTeam", r.rule, r."ruleId", r."assignedAt", r."policyId",
        r."acceptDueAt", r."firstTouchDueAt"
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS r("personId" uuid, "userId" uuid,
        "salesTeam" text, rule text, "ruleId" uuid, "assignedAt" timestamptz, "policyId" uuid,
        "acceptDueAt" timestamptz, "firstTouchDueAt" timestamptz)
      ON CONFLICT (person_id) WHERE ended_at IS NULL DO NOTHING
      RETURNING *
    ), owned AS (
      UPDATE people p SET owner_id = i.user_id FROM inserted i WHERE p.id = i.person_id
    )
    SELECT ${assignmentColumns} FROM inserted la JOIN users u ON u.id = la.user_id`,
  );
}

export async function endAssignment(db: Db, id: string, at: Date, reason: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`UPDATE lead_assignments SET ended_at = ${at}, ended_reason = ${reason}
        WHERE id = ${id} AND ended_at IS NULL RETURNING id`,
  );
  return rows.length > 0;
}

export async function reopenAssignment(db: Db, id: string): Promise<void> {
  await db.execute(sql`UPDATE lead_assignments SET ended_at = NULL, ended_reason = NULL WHERE id = ${id}`);
}

export async function openAssignment(db: Db, personId: string): Promise<AssignmentRow | undefined> {
  const [row] = await queryRows<AssignmentRow>(
    db,
    sql`SELECT ${assignmentColumns} FROM lead_assignments la JOIN users u ON u.id = la.user_id
        WHERE la.person_id = ${personId} AND la.ended_at IS NULL`,
  );
  return row;
}

export async function assignmentById(db: Db, id: string): Promise<AssignmentRow | undefined> {
  const [row] = await queryRows<AssignmentRow>(
    db,
    sql`SELECT ${assignmentColumns} FROM lead_assignments la JOIN users u ON u.id = la.user_id WHERE la.id = ${id}`,
  );
  return row;
}

export async function listAssignments(db: Db, personId: string): Promise<AssignmentRow[]> {
  return queryRows<AssignmentRow>(
    db,
    sql`SELECT ${assignmentColumns} FROM lead_assignments la JOIN users u ON u.id = la.user_id
        WHERE la.person_id = ${personId} ORDER BY la.assigned_at, la.ended_at NULLS LAST, la.id`,
  );
}

export async function personStage(db: Db, personId: string): Promise<{ stage: string | null } | undefined> {
  const [row] = await queryRows<{ stage: string | null }>(
    db,
    sql`SELECT stage FROM people WHERE id = ${personId}`,
  );
  return row;
}

/** Serialises routing decisions so that two MQLs routed at once see each other's load. */
export async function lockRouting(db: Db): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(72410101)`);
}
