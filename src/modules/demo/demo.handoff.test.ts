// The demo's hand-off data makes the queue, the SLA report and the feedback report show something.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { fixedClock } from '../../shared/clock.ts';
import { feedbackReport } from '../feedback/feedback.report.ts';
import { slaReport } from '../sla/sla.report.ts';
import { listBreaches } from '../sla/sla.service.ts';
import { addWorkingMinutes } from '../sla/working-hours.ts';
import { seedDemoWorkspace } from './demo.seed.ts';

const now = new Date('2026-06-30T12:00:00Z');

describe('the demo hand-off', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, 'test');
    await migrateDatabase(database);
    await seedDemoWorkspace(database, { now, passwordHash: 'x', people: 3000 });
  }, 120_000);
  afterAll(async () => database?.close());

  it('has reps, rules, policies, assignments consistent with the lead histories, verdicts and breaches', async () => {
    const [counts] = await database.rows<Record<string, number>>(sql`
      SELECT (SELECT count(*)::int FROM rep_settings) AS reps,
             (SELECT count(*)::int FROM routing_rules) AS rules,
             (SELECT count(*)::int FROM sla_policies) AS policies,
             (SELECT count(*)::int FROM lead_assignments) AS assignments,
             (SELECT count(*)::int FROM lead_dispositions WHERE decision = 'accepted') AS accepted,
             (SELECT count(*)::int FROM lead_dispositions WHERE decision = 'rejected') AS rejected,
             (SELECT count(*)::int FROM lead_dispositions WHERE decision = 'rejected' AND reason IS NULL) AS "noReason",
             (SELECT count(*)::int FROM sla_timers WHERE outcome = 'breached') AS breaches,
             (SELECT count(*)::int FROM field_insights) AS insights,
             (SELECT count(*)::int FROM lead_assignments la JOIN people p ON p.id = la.person_id
               WHERE la.ended_at IS NULL AND p.stage = 'mql') AS "openMqls",
             (SELECT count(*)::int FROM people p WHERE p.stage = 'mql' AND p.stage_entered_at >= ${new Date(now.getTime() - 120 * 86_400_000)}) AS "recentMqlPeople",
             (SELECT count(*)::int FROM marketing_promises) AS promises`);
    expect(counts).toMatchObject({ reps: 7, rules: 3, policies: 2, promises: 1, noReason: 0, insights: 24 });
    expect(counts!.assignments).toBeGreaterThan(50);
    expect(counts!.accepted).toBeGreaterThan(10);
    expect(counts!.rejected).toBeGreaterThan(5);
    expect(counts!.breaches).toBeGreaterThan(0);
    // Every lead still waiting as an MQL from the window has exactly its open assignment.
    expect(counts!.openMqls).toBe(counts!.recentMqlPeople);
    // Accepted verdicts match the histories: each is followed by the move to SAL at the same moment.
    const [mismatch] = await database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM lead_dispositions d
      WHERE d.decision = 'accepted' AND NOT EXISTS (SELECT 1 FROM stage_transitions t
        WHERE t.person_id = d.person_id AND t.to_stage = 'sal' AND t.occurred_at = d.decided_at)`);
    expect(mismatch?.n).toBe(0);
    // No lead meets the definition in force while sitting where scoring would have moved it from
    // (journeys were drawn without it); those it moved have their rep, as routing gives them.
    const [scoring] = await database.rows<{ unmoved: number; moved: number; unassigned: number }>(sql`
      SELECT count(*) FILTER (WHERE p.stage IN ('new', 'recycled'))::int AS unmoved,
             (SELECT count(*)::int FROM stage_transitions WHERE rule = 'lead definition v1') AS moved,
             (SELECT count(*)::int FROM stage_transitions t WHERE t.rule = 'lead definition v1'
                AND NOT EXISTS (SELECT 1 FROM lead_assignments la WHERE la.person_id = t.person_id
                                  AND la.assigned_at = t.occurred_at)) AS unassigned
      FROM people p JOIN lead_scores s ON s.person_id = p.id WHERE s.is_mql`);
    expect(scoring).toMatchObject({ unmoved: 0, unassigned: 0 });
    expect(scoring!.moved).toBeGreaterThan(0);
    // Once the lead definition took effect, a grade-A MQL had the hot leads' policy, and every deadline
    // is its policy's, in its rep's working hours.
    const assignments = await database.rows<{
      hot: boolean;
      gradedA: boolean;
      assignedAt: Date;
      acceptDueAt: Date;
      minutes: number;
      timeZone: string;
    }>(sql`
      SELECT sp.grade IS NOT DISTINCT FROM 'A' AS hot,
             coalesce(ls.grade = 'A' AND la.assigned_at >= d.effective_from, false) AS "gradedA",
             la.assigned_at AS "assignedAt", la.accept_due_at AS "acceptDueAt",
             sp.accept_within_minutes AS minutes, rs.time_zone AS "timeZone"
      FROM lead_assignments la JOIN sla_policies sp ON sp.id = la.policy_id
      JOIN rep_settings rs ON rs.user_id = la.user_id
      LEFT JOIN lead_scores ls ON ls.person_id = la.person_id
      CROSS JOIN lead_definitions d WHERE d.version = 1`);
    expect(assignments.filter((a) => a.hot).length).toBeGreaterThan(5);
    expect(assignments.filter((a) => a.hot !== a.gradedA)).toEqual([]);
    const calendar = (timeZone: string) => ({
      timeZone,
      workingDays: [1, 2, 3, 4, 5],
      workStartMinute: 9 * 60,
      workEndMinute: 17 * 60,
    });
    const offDeadline = assignments.filter(
      (a) =>
        addWorkingMinutes(a.assignedAt, a.minutes, calendar(a.timeZone)).getTime() !==
        a.acceptDueAt.getTime(),
    );
    expect(offDeadline).toEqual([]);
  });

  it('does not pretend its breaches were alerted: the demo records no message, so none reads as told', async () => {
    const breaches = await listBreaches({ db: database.db }, { limit: 500 });
    expect(breaches.length).toBeGreaterThan(0);
    expect(breaches.filter((b) => b.alertedUserName === null)).toEqual([]);
    expect(new Set(breaches.map((b) => JSON.stringify(b.alert)))).toEqual(
      new Set([JSON.stringify({ status: 'not_sent', deliveredVia: [], reason: 'no message on record' })]),
    );
  });

  it('gives the reports numbers', async () => {
    const deps = { db: database.db, clock: fixedClock(now) };
    const sla = await slaReport(deps, { by: 'rep', period: 'month' });
    expect(sla.sales.total.mqls).toBeGreaterThan(0);
    expect(sla.sales.rows.map((row) => row.label)).toContain('Priya Nair');
    expect(sla.marketing.promise?.mqlVolume).toBeGreaterThan(0);
    const feedback = await feedbackReport(deps, { by: 'source', period: 'month' });
    expect(feedback.totals.decided).toBeGreaterThan(0);
    expect(feedback.insightsDigest.latest.length).toBeGreaterThan(0);
  });
});
