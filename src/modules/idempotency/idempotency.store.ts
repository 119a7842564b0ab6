import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  responseBody: unknown;
}

/** Claims the key for this request; returns the earlier claim when there was one. */
export async function claimKey(
  db: Db,
  input: { principal: string; key: string; requestHash: string; expiredBefore: Date; abandonedBefore: Date },
): Promise<StoredResponse | undefined> {
  await queryRows(
    db,
    sql`
    DELETE FROM idempotency_keys
    WHERE principal = ${input.principal} AND key = ${input.key}
      AND (created_at < ${input.expiredBefore} OR (status_code = 0 AND created_at < ${input.abandonedBefore}))`,
  );
  const claimed = await queryRows(
    db,
    sql`
    INSERT INTO idempotency_keys (principal, key, request_hash, status_code, response_body)
    VALUES (${input.principal}, ${input.key}, ${input.requestHash}, 0, 'null'::jsonb)
    ON CONFLICT (principal, key) DO NOTHING
    RETURNING key`,
  );
  if (claimed.length > 0) return undefined;
  const existing = await queryRows(
    db,
    sql`
    SELECT request_hash AS "requestHash", status_code AS "statusCode", response_body AS "responseBody"
    FROM idempotency_keys WHERE principal = ${input.principal} AND key = ${input.key}`,
  );
  return existing[0] as StoredResponse | undefined;
}

export async function saveResponse(
  db: Db,
  input: { principal: string; key: string; statusCode: number; body: string },
): Promise<void> {
  await queryRows(
    db,
    sql`
    UPDATE idempotency_keys SET status_code = ${input.statusCode}, response_body = ${input.body}::jsonb
    WHERE principal = ${input.principal} AND key = ${input.key}`,
  );
}

export async function releaseKey(db: Db, input: { principal: string; key: string }): Promise<void> {
  await queryRows(
    db,
    sql`
    DELETE FROM idempotency_keys
    WHERE principal = ${input.principal} AND key = ${input.key} AND status_code = 0`,
  );
}
