import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export type LearnedOutcome = 'won' | 'accepted';

export interface TrainingRow {
  id: string;
  outcome: number;
  source: string | null;
  landingPage: string | null;
  title: string | null;
  country: string | null;
  industry: string | null;
  employees: number | null;
  accountCountry: string | null;
}

/**
 * Leads whose outcome is known, with only what was known before the hand-off (no owner, no
 * deal attributes, nothing sales wrote later). Won: won (1) against lost, disqualified or
 * silent for longer than `openDays` (0). Accepted: MQLs sales accepted (1) or sent back (0).
 * In an order set by the leads themselves (their CRM id, email, creation), not by the generated
 * ids: the seeded holdout split picks rows by position, so the same leads learn the same model.
 */
export async function trainingRows(
  db: Db,
  input: { outcome: LearnedOutcome; now: Date; openDays: number },
): Promise<TrainingRow[]> {
  const staleBefore = new Date(input.now.getTime() - input.openDays * 86_400_000);
  const outcome =
    input.outcome === 'won'
      ? sql`CASE WHEN bool_or(t.to_stage = 'won') THEN 1
                 WHEN bool_or(t.to_stage IN ('lost', 'disqualified')) OR p.created_at < ${staleBefore} THEN 0 END`
      : // Sales' latest recorded verdict (lead_dispositions, the feedback module) where there is one;
        // before Lockstep recorded verdicts, the move out of MQL says the same.
        sql`coalesce(
            (SELECT CASE WHEN d.decision = 'accepted' THEN 1 ELSE 0 END FROM lead_dispositions d
             WHERE d.person_id = p.id ORDER BY d.decided_at DESC LIMIT 1),
            CASE WHEN bool_or(t.to_stage = 'sal') THEN 1
                 WHEN bool_or(t.from_stage = 'mql' AND t.to_stage IN ('nurture', 'disqualified')) THEN 0 END)`;
  return queryRows<TrainingRow>(
    db,
    sql`SELECT id, outcome, source, "landingPage", title, country, industry, employees, "accountCountry" FROM (
          SELECT p.id, ${outcome} AS outcome, p.source, p.landing_page AS "landingPage", p.title, p.country,
                 a.industry, a.employees, a.country AS "accountCountry",
                 p.external_id AS order1, p.email AS order2, p.created_at AS order3
          FROM people p
          JOIN stage_transitions t ON t.person_id = p.id
          LEFT JOIN accounts a ON a.id = p.account_id
          GROUP BY p.id, a.id
        ) known WHERE outcome IS NOT NULL
        ORDER BY order1 NULLS LAST, order2 NULLS LAST, order3, id`,
  );
}
