// The SLA report for both teams: sales' compliance (accept/reject and first touch against the due
// times stored with each assignment) and marketing's delivery against its promise. One SQL query each;
// the API and `lockstep sla report` both call slaReport.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ComplianceRow, SlaReport, SlaReportQuery } from './sla.schema.ts';
import * as store from './sla.store.ts';

const DAY = 86_400_000;

const groupKey = {
  rep: { key: sql`f.user_id::text`, label: sql`f.user_name` },
  team: { key: sql`coalesce(f.sales_team, 'default')`, label: sql`coalesce(f.sales_team, 'default')` },
  period: { key: sql`f.period_start`, label: sql`f.period_start` },
} as const;

type ComplianceSqlRow = Omit<ComplianceRow, 'acceptCompliance' | 'touchCompliance'> & { isTotal: boolean };

/**
 * Per assignment: the verdict time and the first call/email/meeting since assignment, judged against
 * the due times. Undecided past due is a breach; a rejected lead never touched does not count for touch.
 */
async function complianceRows(
  db: Db,
  input: { from: Date; to: Date; now: Date; by: SlaReportQuery['by']; period: string },
) {
  const g = groupKey[input.by];
  return queryRows<ComplianceSqlRow>(
    db,
    sql`
    WITH f AS (
      SELECT la.id, la.user_id, u.name AS user_name, la.sales_team,
        to_char(date_trunc(${input.period}, la.assigned_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period_start,
        la.assigned_at, la.accept_due_at, la.first_touch_due_at, d.decided_at, d.decision,
        (SELECT min(a.occurred_at) FROM activities a WHERE a.person_id = la.person_id
           AND a.type IN ('call', 'email', 'meeting') AND a.occurred_at >= la.assigned_at) AS touched_at
      FROM lead_assignments la
      JOIN users u ON u.id = la.user_id
      LEFT JOIN lead_dispositions d ON d.assignment_id = la.id
      WHERE la.assigned_at >= ${input.from} AND la.assigned_at < ${input.to}
    ), judged AS (
      SELECT f.*,
        CASE WHEN f.accept_due_at IS NULL THEN NULL
             WHEN f.decided_at IS NOT NULL THEN CASE WHEN f.decided_at <= f.accept_due_at THEN 'met' ELSE 'breached' END
             WHEN f.accept_due_at <= ${input.now} THEN 'breached' ELSE 'pending' END AS accept_status,
        CASE WHEN f.first_touch_due_at IS NULL THEN NULL
             WHEN f.touched_at IS NOT NULL THEN CASE WHEN f.touched_at <= f.first_touch_due_at THEN 'met' ELSE 'breached' END
             WHEN f.decision = 'rejected' THEN NULL
             WHEN f.first_touch_due_at <= ${input.now} THEN 'breached' ELSE 'pending' END AS touch_status,
        extract(epoch FROM (f.decided_at - f.assigned_at)) / 60.0 AS response_minutes
      FROM f
    )
    SELECT GROUPING(${g.key}) = 1 AS "isTotal", ${g.key} AS key, coalesce(${g.label}, 'all') AS label,
      count(*)::int AS mqls,
      count(*) FILTER (WHERE accept_status = 'met')::int AS "acceptMet",
      count(*) FILTER (WHERE accept_status = 'breached')::int AS "acceptBreached",
      count(*) FILTER (WHERE accept_status = 'pending')::int AS "acceptPending",
      count(*) FILTER (WHERE touch_status = 'met')::int AS "touchMet",
      count(*) FILTER (WHERE touch_status = 'breached')::int AS "touchBreached",
      count(*) FILTER (WHERE touch_status = 'pending')::int AS "touchPending",
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY response_minutes))::float8 AS "medianResponseMinutes",
      (percentile_cont(0.9) WITHIN GROUP (ORDER BY response_minutes))::float8 AS "p90ResponseMinutes",
      count(*) FILTER (WHERE touched_at IS NULL)::int AS "neverTouched"
    FROM judged f
    GROUP BY GROUPING SETS ((${g.key}, ${g.label}), ())
    ORDER BY 1 DESC, 3`,
  );
}

interface MarketingSqlRow {
  periodStart: string;
  /** Epoch milliseconds of the period's end. */
  periodEnd: number;
  mqls: number;
  reachedSql: number;
}

/**
 * MQLs per period (first entry into MQL in the period) and how many of them reached SQL since. Each
 * period is counted whole from its start, even when `from` falls inside the first one: a promise is
 * per month or quarter, and ten days of August are not August.
 */
function marketingRows(db: Db, input: { from: Date; to: Date; period: string }) {
  const step = sql`('1 ' || ${input.period})::interval`;
  const firstStart = sql`date_trunc(${input.period}, ${input.from}::timestamptz AT TIME ZONE 'UTC')`;
  return queryRows<MarketingSqlRow>(
    db,
    sql`
    WITH periods AS (
      SELECT gs AS start, gs + ${step} AS finish
      FROM generate_series(${firstStart},
                           (${input.to}::timestamptz AT TIME ZONE 'UTC') - interval '1 microsecond', ${step}) gs
    ), mqls AS (
      SELECT t.person_id, min(t.occurred_at) AS at FROM stage_transitions t
      WHERE t.to_stage = 'mql' AND t.occurred_at >= (${firstStart}) AT TIME ZONE 'UTC' AND t.occurred_at < ${input.to}
      GROUP BY t.person_id, date_trunc(${input.period}, t.occurred_at AT TIME ZONE 'UTC')
    )
    SELECT to_char(p.start, 'YYYY-MM-DD') AS "periodStart",
      (extract(epoch FROM p.finish) * 1000)::float8 AS "periodEnd", count(m.person_id)::int AS mqls,
      count(m.person_id) FILTER (WHERE EXISTS (
        SELECT 1 FROM stage_transitions s WHERE s.person_id = m.person_id AND s.to_stage = 'sql' AND s.occurred_at >= m.at
      ))::int AS "reachedSql"
    FROM periods p
    LEFT JOIN mqls m ON m.at AT TIME ZONE 'UTC' >= p.start AND m.at AT TIME ZONE 'UTC' < p.finish
    GROUP BY p.start, p.finish ORDER BY p.start`,
  );
}

/** The UTC start of the week (Monday), month or quarter containing `at`, as date_trunc gives it. */
export function periodStartOf(at: Date, period: SlaReportQuery['period']): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (period === 'month') return new Date(Date.UTC(y, m, 1));
  if (period === 'quarter') return new Date(Date.UTC(y, m - (m % 3), 1));
  const weekday = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(y, m, at.getUTCDate() - weekday));
}

const rate = (met: number, breached: number) => (met + breached === 0 ? null : met / (met + breached));

function withCompliance(row: ComplianceSqlRow): ComplianceRow {
  const { isTotal: _isTotal, ...rest } = row;
  return {
    ...rest,
    acceptCompliance: rate(row.acceptMet, row.acceptBreached),
    touchCompliance: rate(row.touchMet, row.touchBreached),
  };
}

export async function slaReport(deps: { db: Db; clock: Clock }, query: SlaReportQuery): Promise<SlaReport> {
  const now = deps.clock.now();
  const to = query.to ?? now;
  const from = query.from ?? periodStartOf(new Date(to.getTime() - 90 * DAY), query.period);
  const [rows, marketing, promises] = await Promise.all([
    complianceRows(deps.db, { from, to, now, by: query.by, period: query.period }),
    marketingRows(deps.db, { from, to, period: query.period }),
    store.listPromises(deps.db),
  ]);
  const totalRow = rows.find((row) => row.isTotal);
  const total = withCompliance(
    totalRow ?? {
      isTotal: true,
      key: null,
      label: 'all',
      mqls: 0,
      acceptMet: 0,
      acceptBreached: 0,
      acceptPending: 0,
      touchMet: 0,
      touchBreached: 0,
      touchPending: 0,
      medianResponseMinutes: null,
      p90ResponseMinutes: null,
      neverTouched: 0,
    },
  );
  const promise = promises.find((p) => p.period === query.period) ?? null;
  return {
    from,
    to,
    by: query.by,
    sales: {
      total: { ...total, key: null, label: 'all' },
      rows: rows.filter((row) => !row.isTotal).map(withCompliance),
    },
    marketing: {
      period: query.period,
      promise,
      rows: marketing.map((row) => {
        const mqlToSqlRate = row.mqls === 0 ? null : row.reachedSql / row.mqls;
        const complete = row.periodEnd <= Math.min(to.getTime(), now.getTime());
        const judged = promise && complete ? promise : null;
        return {
          periodStart: row.periodStart,
          complete,
          mqls: row.mqls,
          promisedMqls: promise?.mqlVolume ?? null,
          volumeMet: judged ? row.mqls >= judged.mqlVolume : null,
          reachedSql: row.reachedSql,
          mqlToSqlRate,
          promisedRate: promise?.minMqlToSqlRate ?? null,
          rateMet: judged && mqlToSqlRate !== null ? mqlToSqlRate >= judged.minMqlToSqlRate : null,
        };
      }),
    },
  };
}
