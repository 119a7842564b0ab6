// The demo's deals: one per time a person reached the `opportunity` stage, so the deal pipeline and
// the lead journey agree (a person at won has a won deal, at opportunity an open one, lost after an
// opportunity a lost one with the same reason). Deterministic: made from the seeded random source.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { createRandom, type Random } from './demo.random.ts';
import type { DemoAccount, DemoPerson, DemoTransition, DemoWorkspace } from './demo.types.ts';

const DAY = 86_400_000;

export interface DemoOpportunity {
  id: string;
  externalId: string;
  name: string;
  accountId: string | null;
  personId: string;
  ownerId: string | null;
  amount: number;
  currency: 'USD';
  product: string;
  stage: string;
  stageEnteredAt: Date;
  openedAt: Date;
  closedAt: Date | null;
  lostReason: string | null;
}

export interface DemoDealTransition {
  opportunityId: string;
  fromStage: string | null;
  toStage: string;
  occurredAt: Date;
  actorUserId: string | null;
  reason: string | null;
}

const OPEN_PATH = ['prospecting', 'qualified', 'proposal', 'negotiation'] as const;

/** Products by deal size, which follows company size: small companies buy Starter, large ones Enterprise. */
function productFor(rng: Random, amount: number): string {
  const edge = rng.logNormal(1, 0.15);
  if (amount < 14_000 * edge) return 'Lockstep Starter';
  if (amount < 32_000 * edge) return 'Lockstep Growth';
  return 'Lockstep Enterprise';
}

/** Times of the steps from `from` to `to`, spread over the span with some jitter, in order. */
function spread(rng: Random, from: number, to: number, count: number): number[] {
  const times: number[] = [];
  for (let i = 1; i <= count; i++) {
    const share = (i - 0.5 + (rng.next() - 0.5) * 0.6) / (count + 0.5);
    times.push(Math.round(from + (to - from) * Math.min(0.98, Math.max(0.02, share))));
  }
  return times;
}

export function generateDemoOpportunities(
  workspace: Pick<DemoWorkspace, 'people' | 'accounts' | 'transitions'>,
  input: { seed: number; now: Date },
): { opportunities: DemoOpportunity[]; transitions: DemoDealTransition[] } {
  const rng = createRandom(input.seed + 4_242);
  const now = input.now.getTime();
  const people = new Map<string, DemoPerson>(workspace.people.map((p) => [p.id, p]));
  const accounts = new Map<string, DemoAccount>(workspace.accounts.map((a) => [a.id, a]));
  const journeys = new Map<string, DemoTransition[]>();
  for (const transition of workspace.transitions) {
    const list = journeys.get(transition.personId) ?? [];
    list.push(transition);
    journeys.set(transition.personId, list);
  }
  const opportunities: DemoOpportunity[] = [];
  const transitions: DemoDealTransition[] = [];
  const closeOf = (journey: DemoTransition[], index: number) =>
    journey.slice(index + 1).find((next) => next.toStage === 'won' || next.toStage === 'lost');
  // The oldest open deal is always stuck, whatever the chance gave the others: the pipeline has a
  // deal stuck for weeks on any day the demo is made (the Opportunities and Bottlenecks pages show them).
  const oldestOpen = Math.min(
    ...[...journeys.values()].flatMap((journey) =>
      journey.flatMap((step, index) =>
        step.toStage === 'opportunity' && !closeOf(journey, index) ? [step.occurredAt.getTime()] : [],
      ),
    ),
  );

  for (const [personId, journey] of journeys) {
    journey.forEach((step, index) => {
      if (step.toStage !== 'opportunity') return;
      const person = people.get(personId)!;
      const account = person.accountId ? accounts.get(person.accountId) : undefined;
      const close = closeOf(journey, index);
      const id = rng.uuid();
      const number = String(opportunities.length + 1).padStart(5, '0');
      const ownerId = step.actorUserId ?? person.ownerId;
      const opened = step.occurredAt.getTime();
      const amount = Number(person.attributes.dealAmount ?? 6_000);
      const product = productFor(rng, amount);
      const history: { stage: string; at: number; reason: string | null }[] = [];
      if (close) {
        const end = close.occurredAt.getTime();
        // Won deals went the whole way; lost ones stopped somewhere on it.
        const reached = close.toStage === 'won' ? OPEN_PATH.length : rng.int(1, OPEN_PATH.length);
        const times = [opened, ...spread(rng, opened, end, reached - 1)];
        for (let i = 0; i < reached; i++) history.push({ stage: OPEN_PATH[i]!, at: times[i]!, reason: null });
        history.push({ stage: close.toStage, at: end, reason: close.reason });
      } else {
        // Open deals move on about every two to three weeks; one in six is stuck where it is.
        const ageDays = (now - opened) / DAY;
        const stuck = rng.chance(1 / 6) || opened === oldestOpen;
        const reached = stuck
          ? rng.int(1, 2)
          : Math.min(OPEN_PATH.length, 1 + Math.floor(ageDays / rng.int(12, 20)));
        const lastAt = stuck ? opened + Math.min(ageDays * 0.3, 10) * DAY : now - rng.int(1, 12) * DAY;
        const times = [opened, ...spread(rng, opened, Math.max(opened + DAY, lastAt), reached - 1)];
        for (let i = 0; i < reached; i++)
          history.push({ stage: OPEN_PATH[i]!, at: Math.min(times[i]!, now), reason: null });
      }
      const last = history[history.length - 1]!;
      const closed = last.stage === 'won' || last.stage === 'lost';
      opportunities.push({
        id,
        externalId: `demo:deal:${number}`,
        name: `${account?.name ?? `${person.firstName} ${person.lastName}`} – ${product.replace('Lockstep ', '')}`,
        accountId: account?.id ?? null,
        personId,
        ownerId,
        amount,
        currency: 'USD',
        product,
        stage: last.stage,
        stageEnteredAt: new Date(last.at),
        openedAt: new Date(opened),
        closedAt: closed ? new Date(last.at) : null,
        lostReason: last.stage === 'lost' ? last.reason : null,
      });
      history.forEach((entry, i) => {
        transitions.push({
          opportunityId: id,
          fromStage: i === 0 ? null : history[i - 1]!.stage,
          toStage: entry.stage,
          occurredAt: new Date(entry.at),
          actorUserId: ownerId,
          reason: entry.reason,
        });
      });
    });
  }
  return { opportunities, transitions };
}

/** Writes the demo deals and their histories (each deal's stage is its last transition). */
export async function seedDemoOpportunities(
  db: Db,
  workspace: Pick<DemoWorkspace, 'people' | 'accounts' | 'transitions'>,
  input: { seed: number; now: Date },
): Promise<number> {
  const { opportunities, transitions } = generateDemoOpportunities(workspace, input);
  for (let start = 0; start < opportunities.length; start += 500) {
    const rows = opportunities.slice(start, start + 500);
    await db.execute(sql`
      INSERT INTO opportunities (id, external_id, name, account_id, person_id, owner_id, amount, currency, product,
                                 stage, stage_entered_at, opened_at, closed_at, lost_reason, created_at)
      SELECT id, "externalId", name, "accountId", "personId", "ownerId", amount, currency, product, stage,
             "stageEnteredAt", "openedAt", "closedAt", "lostReason", "openedAt"
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        id uuid, "externalId" text, name text, "accountId" uuid, "personId" uuid, "ownerId" uuid, amount numeric,
        currency text, product text, stage text, "stageEnteredAt" timestamptz, "openedAt" timestamptz,
        "closedAt" timestamptz, "lostReason" text)`);
  }
  for (let start = 0; start < transitions.length; start += 1_000) {
    const rows = transitions.slice(start, start + 1_000);
    await db.execute(sql`
      INSERT INTO opportunity_transitions (opportunity_id, from_stage, to_stage, occurred_at, actor_user_id, reason, recorded_at)
      SELECT "opportunityId", "fromStage", "toStage", "occurredAt", "actorUserId", reason, "occurredAt"
      FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS (
        "opportunityId" uuid, "fromStage" text, "toStage" text, "occurredAt" timestamptz, "actorUserId" uuid,
        reason text)) WITH ORDINALITY AS r("opportunityId", "fromStage", "toStage", "occurredAt", "actorUserId",
        reason, position)
      ORDER BY position`);
  }
  return opportunities.length;
}
