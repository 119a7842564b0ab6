// The demo's shared revenue target: this quarter's confirmed by marketing and sales, next quarter's a
// draft waiting for both, so the Targets page shows a plan with pacing and what a draft looks like.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { endOfPeriod, nextPeriod, quarterOf, startOfDay } from '../targets/periods.ts';
import { insertConfirmation, insertTarget } from '../targets/targets.store.ts';
import { DEMO_ADMIN_EMAIL } from './demo.constants.ts';
import type { DemoUser } from './demo.types.ts';

const MARKETING_APPROVER = 'maya.lindqvist@demo.lockstep.dev';
/** Used when the demo has no won deals to set the target from. */
const FALLBACK_TARGET = 1_000_000;

/**
 * 10% above the better of last quarter's won revenue and this quarter's pace so far (won ÷ share of the
 * quarter passed), rounded to $50,000: a stretch both teams can sign, that the demo can fall behind on.
 */
async function demoTargetAmount(db: Db, quarter: { start: Date; end: Date }, now: Date): Promise<number> {
  const previousStart = startOfDay(quarterOf(new Date(quarter.start.getTime() - 86_400_000)).start);
  const [row] = await queryRows<{ previous: number | null; current: number | null }>(
    db,
    sql`SELECT (sum(amount) FILTER (WHERE closed_at >= ${previousStart} AND closed_at < ${quarter.start}))::float8 AS previous,
               (sum(amount) FILTER (WHERE closed_at >= ${quarter.start} AND closed_at < ${now}))::float8 AS current
        FROM opportunities WHERE stage = 'won'`,
  );
  const passed =
    (now.getTime() - quarter.start.getTime()) / (quarter.end.getTime() - quarter.start.getTime());
  const pace = passed > 0.1 ? (row?.current ?? 0) / passed : 0;
  const basis = Math.max(row?.previous ?? 0, pace);
  return basis > 0 ? Math.max(50_000, Math.round((basis * 1.1) / 50_000) * 50_000) : FALLBACK_TARGET;
}

export async function seedDemoTargets(
  db: Db,
  input: { now: Date; users: readonly DemoUser[] },
): Promise<void> {
  const sales = input.users.find((u) => u.email === DEMO_ADMIN_EMAIL);
  const marketing = input.users.find((u) => u.email === MARKETING_APPROVER);
  const current = quarterOf(input.now);
  const next = nextPeriod(current);
  const amount = await demoTargetAmount(
    db,
    { start: startOfDay(current.start), end: endOfPeriod(current) },
    input.now,
  );
  for (const period of [current, next]) {
    await insertTarget(db, {
      periodStart: period.start,
      periodEnd: period.end,
      amount: period === current ? amount : Math.round((amount * 1.1) / 50_000) * 50_000,
      currency: 'USD',
      lookbackDays: 180,
      createdBy: sales?.id ?? null,
    });
  }
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM revenue_targets WHERE period_start = ${current.start}::date`,
  );
  // Both teams confirmed this quarter's target on its first day.
  const confirmedAt = startOfDay(current.start);
  for (const user of [marketing, sales]) {
    if (row && user)
      await insertConfirmation(db, { targetId: row.id, team: user.team, userId: user.id, at: confirmedAt });
  }
}
