// Opportunities and their stage history: SQL only. The current stage is written in the same
// statement as each opportunity_transitions insert (docs/adr/0003-stage-history.md).
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { DealTransition, Opportunity, OpportunityPatch } from './opportunities.schema.ts';

const opportunityColumns = sql`
  o.id, o.external_id AS "externalId", o.name, o.account_id AS "accountId", a.name AS "accountName",
  o.person_id AS "personId",
  nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') AS "personName",
  o.owner_id AS "ownerId", u.name AS "ownerName", o.amount::float8 AS amount, o.currency, o.product,
  o.stage, o.stage_entered_at AS "stageEnteredAt", o.opened_at AS "openedAt", o.closed_at AS "closedAt",
  o.lost_reason AS "lostReason", o.attributes, o.created_at AS "createdAt"`;

/** Deals (`o`) with their account `a`, person `p` and owner `u`. */
export const opportunityJoins = sql`
  FROM opportunities o
  LEFT JOIN accounts a ON a.id = o.account_id
  LEFT JOIN people p ON p.id = o.person_id
  LEFT JOIN users u ON u.id = o.owner_id`;

const transitionColumns = sql`
  t.seq::float8 AS seq, t.opportunity_id AS "opportunityId", t.from_stage AS "fromStage",
  t.to_stage AS "toStage", t.occurred_at AS "occurredAt", t.actor_user_id AS "actorUserId",
  u.name AS "actorName", tk.name AS "actorTokenName", t.reason, t.recorded_at AS "recordedAt"`;
/** Who made each move: a person, and the API token when a script made it. */
const actors = sql`LEFT JOIN users u ON u.id = t.actor_user_id LEFT JOIN api_tokens tk ON tk.id = t.actor_token_id`;

export async function findOpportunity(db: Db, id: string): Promise<Opportunity | undefined> {
  const result = await queryRows(
    db,
    sql`SELECT ${opportunityColumns} ${opportunityJoins} WHERE o.id = ${id}`,
  );
  return result[0] as Opportunity | undefined;
}

/** The deal with this external id, locked for the transaction. */
export async function findByExternalId(db: Db, externalId: string): Promise<{ id: string } | undefined> {
  const result = await queryRows(
    db,
    sql`SELECT id FROM opportunities WHERE external_id = ${externalId} FOR UPDATE`,
  );
  return result[0] as { id: string } | undefined;
}

/** Locks the deal's row for the rest of the transaction and returns what a move needs. */
export async function lockDeal(
  db: Db,
  id: string,
): Promise<{ stage: string; name: string; personId: string | null } | undefined> {
  const result = await queryRows(
    db,
    sql`SELECT stage, name, person_id AS "personId" FROM opportunities WHERE id = ${id} FOR UPDATE`,
  );
  return result[0] as { stage: string; name: string; personId: string | null } | undefined;
}

export interface NewDeal {
  externalId: string | null;
  name: string;
  accountId: string | null;
  personId: string | null;
  ownerId: string | null;
  amount: number | null;
  currency: string;
  product: string | null;
  stage: string;
  /** When the first stage was entered: openedAt, or closedAt for a deal created already closed. */
  stageEnteredAt: Date;
  openedAt: Date;
  closedAt: Date | null;
  lostReason: string | null;
  attributes: Record<string, unknown>;
  actorUserId: string | null;
  actorTokenId: string | null;
  reason: string | null;
}

/** Inserts the deal and the first transition of its history in one statement. */
export async function insertDeal(db: Db, deal: NewDeal): Promise<string> {
  const result = await queryRows(
    db,
    sql`
    WITH inserted AS (
      INSERT INTO opportunities (external_id, name, account_id, person_id, owner_id, amount, currency, product,
                                 stage, stage_entered_at, opened_at, closed_at, lost_reason, attributes)
      VALUES (${deal.externalId}, ${deal.name}, ${deal.accountId}, ${deal.personId}, ${deal.ownerId},
              ${deal.amount}, ${deal.currency}, ${deal.product}, ${deal.stage}, ${deal.stageEnteredAt},
              ${deal.openedAt}, ${deal.closedAt}, ${deal.lostReason}, ${JSON.stringify(deal.attributes)}::jsonb)
      RETURNING id, stage, stage_entered_at
    ), history AS (
      INSERT INTO opportunity_transitions (opportunity_id, from_stage, to_stage, occurred_at, actor_user_id,
                                           actor_token_id, reason)
      SELECT id, NULL, stage, stage_entered_at, ${deal.actorUserId}, ${deal.actorTokenId}, ${deal.reason}
      FROM inserted
    )
    SELECT id FROM inserted`,
  );
  return (result[0] as { id: string }).id;
}

/** Records one move and sets the deal's stage, closed date and lost reason in the same statement. */
export async function insertDealTransition(
  db: Db,
  input: {
    opportunityId: string;
    fromStage: string;
    toStage: string;
    occurredAt: Date;
    actorUserId: string | null;
    actorTokenId: string | null;
    reason: string | null;
    outcome: 'open' | 'won' | 'lost';
  },
): Promise<DealTransition> {
  const closes = input.outcome !== 'open';
  const result = await queryRows(
    db,
    sql`
    WITH inserted AS (
      INSERT INTO opportunity_transitions (opportunity_id, from_stage, to_stage, occurred_at, actor_user_id,
                                           actor_token_id, reason)
      VALUES (${input.opportunityId}, ${input.fromStage}, ${input.toStage}, ${input.occurredAt},
              ${input.actorUserId}, ${input.actorTokenId}, ${input.reason})
      RETURNING *
    ), moved AS (
      UPDATE opportunities SET stage = ${input.toStage}, stage_entered_at = ${input.occurredAt},
        closed_at = ${closes ? input.occurredAt : null}::timestamptz,
        lost_reason = ${input.outcome === 'lost' ? input.reason : null}::text
      WHERE id = ${input.opportunityId}
    )
    SELECT ${transitionColumns} FROM inserted t ${actors}`,
  );
  return result[0] as unknown as DealTransition;
}

export async function listDealTransitions(db: Db, opportunityId: string): Promise<DealTransition[]> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${transitionColumns} FROM opportunity_transitions t ${actors}
    WHERE t.opportunity_id = ${opportunityId} ORDER BY t.seq`,
  );
  return result as unknown as DealTransition[];
}

/** Sets the given fields only; attributes are merged key by key. The stage moves only by transitions. */
export async function updateDeal(db: Db, id: string, patch: OpportunityPatch): Promise<void> {
  await queryRows(
    db,
    sql`
    UPDATE opportunities SET
      external_id = COALESCE(${patch.externalId ?? null}, external_id),
      name = COALESCE(${patch.name ?? null}, name),
      account_id = COALESCE(${patch.accountId ?? null}::uuid, account_id),
      person_id = COALESCE(${patch.personId ?? null}::uuid, person_id),
      owner_id = COALESCE(${patch.ownerId ?? null}::uuid, owner_id),
      amount = COALESCE(${patch.amount ?? null}::numeric, amount),
      currency = COALESCE(${patch.currency ?? null}, currency),
      product = COALESCE(${patch.product ?? null}, product),
      opened_at = COALESCE(${patch.openedAt ?? null}::timestamptz, opened_at),
      lost_reason = COALESCE(${patch.lostReason ?? null}, lost_reason),
      attributes = attributes || ${JSON.stringify(patch.attributes ?? {})}::jsonb
    WHERE id = ${id}`,
  );
}

export interface DealFilter {
  stages?: string[] | undefined;
  ownerId?: string | undefined;
  product?: string | undefined;
  accountId?: string | undefined;
  personId?: string | undefined;
  q?: string | undefined;
  stageEnteredBefore?: Date | undefined;
}

/** The deals a list's filters keep (`o` deals, `a` their accounts). */
export function dealFilter(filter: DealFilter): SQL {
  const search = filter.q ? `%${filter.q.replace(/[\\%_]/g, '\\$&')}%` : null;
  const stages = filter.stages ? filter.stages.join(',') : null;
  return sql`
    (${stages}::text IS NULL OR o.stage = ANY(string_to_array(${stages}::text, ',')))
    AND (${filter.ownerId ?? null}::uuid IS NULL OR o.owner_id = ${filter.ownerId ?? null})
    AND (${filter.product ?? null}::text IS NULL OR o.product = ${filter.product ?? null})
    AND (${filter.accountId ?? null}::uuid IS NULL OR o.account_id = ${filter.accountId ?? null})
    AND (${filter.personId ?? null}::uuid IS NULL OR o.person_id = ${filter.personId ?? null})
    AND (${search}::text IS NULL OR o.name ILIKE ${search} OR a.name ILIKE ${search})
    AND (${filter.stageEnteredBefore ?? null}::timestamptz IS NULL
         OR o.stage_entered_at < ${filter.stageEnteredBefore ?? null}::timestamptz)`;
}

export async function listDeals(
  db: Db,
  filter: DealFilter & { limit: number; after?: { openedAt: string; id: string } | undefined },
): Promise<(Opportunity & { cursorKey: string })[]> {
  const result = await queryRows(
    db,
    sql`
    SELECT ${opportunityColumns}, o.opened_at::text AS "cursorKey" ${opportunityJoins}
    WHERE ${dealFilter(filter)}
      AND (${filter.after?.openedAt ?? null}::timestamptz IS NULL
           OR (o.opened_at, o.id) < (${filter.after?.openedAt ?? null}::timestamptz, ${filter.after?.id ?? null}::uuid))
    ORDER BY o.opened_at DESC, o.id DESC
    LIMIT ${filter.limit}`,
  );
  return result as (Opportunity & { cursorKey: string })[];
}

export async function dealTotals(
  db: Db,
  filter: DealFilter,
): Promise<{ currency: string; amount: number; count: number }[]> {
  return queryRows(
    db,
    sql`
    SELECT o.currency, coalesce(sum(o.amount), 0)::float8 AS amount, count(*)::int AS count
    FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id
    WHERE ${dealFilter(filter)}
    GROUP BY o.currency ORDER BY amount DESC, o.currency`,
  );
}

/** Open deals of this person other than this one (closed deals have closed_at). */
export async function countOtherOpenDeals(db: Db, personId: string, exceptId: string): Promise<number> {
  const result = await queryRows(
    db,
    sql`SELECT count(*)::int AS n FROM opportunities
        WHERE person_id = ${personId} AND id <> ${exceptId} AND closed_at IS NULL`,
  );
  return (result[0] as { n: number }).n;
}

/** Deals whose stored stage disagrees with their history (should always be zero). */
export async function countDealStageMismatches(db: Db): Promise<number> {
  const result = await queryRows(
    db,
    sql`
    WITH last AS (
      SELECT DISTINCT ON (opportunity_id) opportunity_id, to_stage FROM opportunity_transitions
      ORDER BY opportunity_id, seq DESC
    )
    SELECT count(*)::int AS n FROM opportunities o LEFT JOIN last ON last.opportunity_id = o.id
    WHERE o.stage IS DISTINCT FROM last.to_stage`,
  );
  return (result[0] as { n: number }).n;
}

/** What the filters can choose from: every owner and product with its number of deals. */
export async function dealFacets(db: Db): Promise<{
  owners: { id: string; name: string; count: number }[];
  products: { product: string; count: number }[];
}> {
  const owners = await queryRows<{ id: string; name: string; count: number }>(
    db,
    sql`SELECT u.id, u.name, count(*)::int AS count FROM opportunities o JOIN users u ON u.id = o.owner_id
        GROUP BY u.id, u.name ORDER BY u.name`,
  );
  const products = await queryRows<{ product: string; count: number }>(
    db,
    sql`SELECT product, count(*)::int AS count FROM opportunities WHERE product IS NOT NULL
        GROUP BY product ORDER BY product`,
  );
  return { owners, products };
}

/** Count and amount per stage and currency of what the filters match. */
export async function dealsByStage(
  db: Db,
  filter: DealFilter,
): Promise<{ stage: string; currency: string; count: number; amount: number }[]> {
  return queryRows(
    db,
    sql`
    SELECT o.stage, o.currency, count(*)::int AS count, coalesce(sum(o.amount), 0)::float8 AS amount
    FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id
    WHERE ${dealFilter(filter)}
    GROUP BY o.stage, o.currency ORDER BY o.stage, amount DESC`,
  );
}
