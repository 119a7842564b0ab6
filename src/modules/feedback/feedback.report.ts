// What sales tells marketing: rejection reasons by source, campaign or segment, acceptance over time,
// and a digest of field insights. One query per part; segment = the account's industry.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import {
  type FeedbackReport,
  type FeedbackReportQuery,
  type InsightKind,
  insightKinds,
} from './feedback.schema.ts';
import { listInsights } from './feedback.service.ts';

const DAY = 86_400_000;

const groupExpression = {
  source: sql`p.source`,
  campaign: sql`c.name`,
  segment: sql`a.industry`,
} as const;

const rateOf = (accepted: number, decided: number) => (decided === 0 ? null : accepted / decided);

export async function feedbackReport(
  deps: { db: Db; clock: Clock },
  query: FeedbackReportQuery,
): Promise<FeedbackReport> {
  const to = query.to ?? deps.clock.now();
  const from = query.from ?? new Date(to.getTime() - 90 * DAY);
  const group = groupExpression[query.by];
  const [groups, overTime, byKind, competitors, latest] = await Promise.all([
    queryRows<{
      group: string | null;
      decided: number;
      accepted: number;
      rejected: number;
      reasons: Record<string, number>;
    }>(
      deps.db,
      sql`
      WITH d AS (
        SELECT ${group} AS grp, d.decision, d.reason FROM lead_dispositions d
        JOIN people p ON p.id = d.person_id
        LEFT JOIN campaigns c ON c.id = p.campaign_id
        LEFT JOIN accounts a ON a.id = p.account_id
        WHERE d.decided_at >= ${from} AND d.decided_at < ${to}
      ), reasons AS (
        SELECT grp, jsonb_object_agg(reason, n) AS reasons FROM (
          SELECT grp, reason, count(*)::int AS n FROM d WHERE decision = 'rejected' GROUP BY grp, reason
        ) r GROUP BY grp
      )
      SELECT d.grp AS "group", count(*)::int AS decided,
        count(*) FILTER (WHERE d.decision = 'accepted')::int AS accepted,
        count(*) FILTER (WHERE d.decision = 'rejected')::int AS rejected,
        coalesce((SELECT r.reasons FROM reasons r WHERE r.grp IS NOT DISTINCT FROM d.grp), '{}'::jsonb) AS reasons
      FROM d GROUP BY d.grp ORDER BY count(*) FILTER (WHERE d.decision = 'rejected') DESC, d.grp NULLS LAST`,
    ),
    queryRows<{ periodStart: string; decided: number; accepted: number }>(
      deps.db,
      sql`SELECT to_char(date_trunc(${query.period}, d.decided_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS "periodStart",
            count(*)::int AS decided, count(*) FILTER (WHERE d.decision = 'accepted')::int AS accepted
          FROM lead_dispositions d WHERE d.decided_at >= ${from} AND d.decided_at < ${to}
          GROUP BY 1 ORDER BY 1`,
    ),
    queryRows<{ kind: string; count: number }>(
      deps.db,
      sql`SELECT kind, count(*)::int AS count FROM field_insights
          WHERE created_at >= ${from} AND created_at < ${to} GROUP BY kind ORDER BY count(*) DESC, kind`,
    ),
    queryRows<{ competitor: string; count: number }>(
      deps.db,
      sql`SELECT competitor, count(*)::int AS count FROM field_insights
          WHERE created_at >= ${from} AND created_at < ${to} AND competitor IS NOT NULL
          GROUP BY competitor ORDER BY count(*) DESC, competitor LIMIT 10`,
    ),
    listInsights(deps, { from, to, limit: 20 }),
  ]);
  const decided = groups.reduce((sum, g) => sum + g.decided, 0);
  const accepted = groups.reduce((sum, g) => sum + g.accepted, 0);
  return {
    from,
    to,
    by: query.by,
    totals: { decided, accepted, rejected: decided - accepted, acceptanceRate: rateOf(accepted, decided) },
    rejectionsByGroup: groups.map((g) => ({ ...g, acceptanceRate: rateOf(g.accepted, g.decided) })),
    acceptanceOverTime: overTime.map((row) => ({
      ...row,
      acceptanceRate: rateOf(row.accepted, row.decided),
    })),
    insightsDigest: {
      byKind: byKind.map((row) => ({ ...row, label: insightKinds[row.kind as InsightKind] ?? row.kind })),
      topCompetitors: competitors,
      latest,
    },
  };
}
