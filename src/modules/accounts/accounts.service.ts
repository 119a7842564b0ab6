import { type Db, isUniqueViolation } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { decodeCursor, nextCursorOf } from '../../shared/pagination.ts';
import type { Account, AccountInput } from './accounts.schema.ts';
import * as store from './accounts.store.ts';
import { normaliseDomain } from './email-domain.ts';

export interface AccountDeps {
  db: Db;
}

/** Creates the account, or updates the one with the same external id or domain (never a duplicate). */
export async function upsertAccount(
  deps: AccountDeps,
  input: AccountInput,
): Promise<{ account: Account; created: boolean }> {
  const domain = normaliseDomain(input.domain);
  if (input.domain && !domain) {
    throw new AppError('validation_failed', `"${input.domain}" is not a domain name (e.g. acme.com).`);
  }
  const normalised = { ...input, domain };
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await deps.db.transaction(async (tx) => {
        const existing = await store.findAccountIdByKey(tx, { externalId: input.externalId, domain });
        if (existing) {
          await store.updateAccount(tx, existing, normalised);
          return { id: existing, created: false };
        }
        return { id: await store.insertAccount(tx, normalised), created: true };
      });
      return { account: (await store.findAccount(deps.db, result.id))!, created: result.created };
    } catch (error) {
      // A concurrent writer created the same account between our lookup and insert: look again.
      if (attempt === 0 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

export async function getAccount(deps: AccountDeps, id: string): Promise<Account> {
  const account = await store.findAccount(deps.db, id);
  if (!account) throw new AppError('not_found', `There is no account ${id}.`);
  return account;
}

export async function updateAccount(
  deps: AccountDeps,
  id: string,
  patch: Partial<AccountInput>,
): Promise<Account> {
  await getAccount(deps, id);
  const domain = patch.domain === undefined ? undefined : normaliseDomain(patch.domain);
  try {
    await store.updateAccount(deps.db, id, { ...patch, domain });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('duplicate', 'Another account already has that external id or domain.');
    }
    throw error;
  }
  return getAccount(deps, id);
}

export async function listAccounts(deps: AccountDeps, query: { limit: number; cursor?: string; q?: string }) {
  const after = decodeCursor(query.cursor, ['name', 'id'] as const);
  const items = await store.listAccounts(deps.db, { limit: query.limit, after, q: query.q });
  return { items, nextCursor: nextCursorOf(items, query.limit, (a) => ({ name: a.name, id: a.id })) };
}

export { findAccountIdByKey } from './accounts.store.ts';
