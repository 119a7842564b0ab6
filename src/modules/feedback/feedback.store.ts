import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { Insight, QueueItem } from './feedback.schema.ts';

export interface DispositionRow {
  id: string;
  personId: string;
  assignmentId: string;
  userId: string | null;
  userName: string | null;
  decision: 'accepted' | 'rejected';
  reason: string | null;
  note: string | null;
  decidedAt: Date;
}

const dispositionColumns = sql`d.id, d.person_id AS "personId", d.assignment_id AS "assignmentId",
  d.user_id AS "userId", u.name AS "userName", d.decision, d.reason, d.note, d.decided_at AS "decidedAt"`;

export async function dispositionOf(db: Db, assignmentId: string): Promise<DispositionRow | undefined> {
  const [row] = await queryRows<DispositionRow>(
    db,
    sql`SELECT ${dispositionColumns} FROM lead_dispositions d LEFT JOIN users u ON u.id = d.user_id
        WHERE d.assignment_id = ${assignmentId}`,
  );
  return row;
}

export async function latestDisposition(db: Db, personId: string): Promise<DispositionRow | undefined> {
  const [row] = await queryRows<DispositionRow>(
    db,
    sql`SELECT ${dispositionColumns} FROM lead_dispositions d LEFT JOIN users u ON u.id = d.user_id
        WHERE d.person_id = ${personId} ORDER BY d.decided_at DESC, d.id DESC LIMIT 1`,
  );
  return row;
}

/** Inserts the verdict unless the assignment already has one (then returns undefined). */
export async function insertDisposition(
  db: Db,
  input: Omit<DispositionRow, 'id' | 'userName'>,
): Promise<DispositionRow | undefined> {
  const [row] = await queryRows<DispositionRow>(
    db,
    sql`WITH d AS (
          INSERT INTO lead_dispositions (assignment_id, person_id, user_id, decision, reason, note, decided_at)
          VALUES (${input.assignmentId}, ${input.personId}, ${input.userId}, ${input.decision}, ${input.reason},
                  ${input.note}, ${input.decidedAt})
          ON CONFLICT (assignment_id) DO NOTHING RETURNING *
        ), decided AS (
          UPDATE lead_assignments la SET decided_at = d.decided_at FROM d WHERE la.id = d.assignment_id
        )
        SELECT ${dispositionColumns} FROM d LEFT JOIN users u ON u.id = d.user_id`,
  );
  return row;
}

/** The lead's assignment a verdict applies to: the open one, else the latest. */
export async function currentAssignment(
  db: Db,
  personId: string,
): Promise<{ id: string; userId: string; endedAt: Date | null } | undefined> {
  const [row] = await queryRows<{ id: string; userId: string; endedAt: Date | null }>(
    db,
    sql`SELECT id, user_id AS "userId", ended_at AS "endedAt" FROM lead_assignments WHERE person_id = ${personId}
        ORDER BY (ended_at IS NULL) DESC, assigned_at DESC, id DESC LIMIT 1`,
  );
  return row;
}

export async function personExists(db: Db, personId: string): Promise<boolean> {
  return (await queryRows(db, sql`SELECT 1 FROM people WHERE id = ${personId}`)).length > 0;
}

export async function accountExists(db: Db, accountId: string): Promise<boolean> {
  return (await queryRows(db, sql`SELECT 1 FROM accounts WHERE id = ${accountId}`)).length > 0;
}

const insightColumns = sql`i.id, i.person_id AS "personId",
  nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') AS "personName",
  i.account_id AS "accountId", a.name AS "accountName", i.user_id AS "userId", u.name AS "userName",
  i.kind, i.competitor, i.text, i.created_at AS "createdAt"`;
const insightFrom = sql`field_insights i LEFT JOIN people p ON p.id = i.person_id
  LEFT JOIN accounts a ON a.id = i.account_id LEFT JOIN users u ON u.id = i.user_id`;

export async function insertInsight(
  db: Db,
  input: {
    personId: string | null;
    accountId: string | null;
    userId: string | null;
    kind: string;
    competitor: string | null;
    text: string;
    at: Date;
  },
): Promise<Omit<Insight, 'kindLabel'>> {
  const [row] = await queryRows<Omit<Insight, 'kindLabel'>>(
    db,
    sql`WITH i AS (
          INSERT INTO field_insights (person_id, account_id, user_id, kind, competitor, text, created_at)
          VALUES (${input.personId}, ${input.accountId}, ${input.userId}, ${input.kind}, ${input.competitor},
                  ${input.text}, ${input.at})
          RETURNING *
        )
        SELECT ${insightColumns} FROM i LEFT JOIN people p ON p.id = i.person_id
          LEFT JOIN accounts a ON a.id = i.account_id LEFT JOIN users u ON u.id = i.user_id`,
  );
  return row!;
}

export function listInsights(
  db: Db,
  input: {
    personId?: string | undefined;
    accountId?: string | undefined;
    kind?: string | undefined;
    from?: Date;
    to?: Date;
    limit: number;
  },
) {
  const filters = [
    input.personId ? sql`i.person_id = ${input.personId}` : undefined,
    // An account's insights include those logged on its people.
    input.accountId
      ? sql`(i.account_id = ${input.accountId} OR p.account_id = ${input.accountId})`
      : undefined,
    input.kind ? sql`i.kind = ${input.kind}` : undefined,
    input.from ? sql`i.created_at >= ${input.from}` : undefined,
    input.to ? sql`i.created_at < ${input.to}` : undefined,
  ].filter((f) => f !== undefined);
  const where = filters.length ? sql`WHERE ${sql.join(filters, sql` AND `)}` : sql``;
  return queryRows<Omit<Insight, 'kindLabel'>>(
    db,
    sql`SELECT ${insightColumns} FROM ${insightFrom} ${where} ORDER BY i.created_at DESC, i.id LIMIT ${input.limit}`,
  );
}

/** A rep's MQLs waiting for a verdict, most urgent first: least time left, then the best fit and engagement. */
export function salesQueue(db: Db, userId: string) {
  return queryRows<Omit<QueueItem, 'minutesLeft' | 'overdue'>>(
    db,
    sql`SELECT p.id AS "personId",
          nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') AS name,
          p.email, p.title, a.name AS "accountName", p.source, ls.grade,
          ls.engagement_points::float8 AS "engagementPoints", la.id AS "assignmentId", la.rule,
          la.assigned_at AS "assignedAt", la.accept_due_at AS "acceptDueAt", la.first_touch_due_at AS "firstTouchDueAt",
          EXISTS (SELECT 1 FROM activities act WHERE act.person_id = p.id
                   AND act.type IN ('call', 'email', 'meeting') AND act.occurred_at >= la.assigned_at) AS touched
        FROM lead_assignments la
        JOIN people p ON p.id = la.person_id AND p.stage = 'mql'
        LEFT JOIN accounts a ON a.id = p.account_id
        LEFT JOIN lead_scores ls ON ls.person_id = p.id
        WHERE la.user_id = ${userId} AND la.ended_at IS NULL AND la.decided_at IS NULL
        ORDER BY la.accept_due_at ASC NULLS LAST, ls.grade ASC NULLS LAST, ls.engagement_points DESC NULLS LAST,
          la.assigned_at, p.id
        LIMIT 500`,
  );
}
