import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { apiTokens, sessions, users } from '../../db/schema.ts';
import type { Role } from './access.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user;
}

export async function hasAnyUserWithPassword(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.passwordHash} is not null`);
  return (row?.n ?? 0) > 0;
}

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: user.email?.toLowerCase() })
    .returning();
  return row!;
}

export async function insertSession(
  db: Db,
  tokenHash: string,
  userId: string,
  expiresAt: Date,
): Promise<void> {
  await db.insert(sessions).values({ tokenHash, userId, expiresAt });
}

export async function findSessionUser(db: Db, tokenHash: string, now: Date): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(users.deactivatedAt)));
  return row?.user;
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function insertApiToken(db: Db, token: typeof apiTokens.$inferInsert): Promise<string> {
  const [row] = await db.insert(apiTokens).values(token).returning({ id: apiTokens.id });
  return row!.id;
}

export async function findLiveApiToken(db: Db, tokenHash: string) {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** Everyone who signs in, and the records' owners an import brought (no email): admins first, then by name. */
export async function listUsers(db: Db): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .orderBy(sql`${users.deactivatedAt} IS NOT NULL`, sql`${users.role} <> 'admin'`, users.name);
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<Pick<UserRow, 'name' | 'team' | 'role' | 'approver' | 'deactivatedAt' | 'passwordHash'>>,
): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

/** Admins who can still sign in, locked for the rest of the transaction (two demotions at once cannot both pass). */
export async function lockActiveAdmins(db: Db): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL AND password_hash IS NOT NULL
        ORDER BY id FOR UPDATE`,
  );
  return rows.map((row) => row.id);
}

/** Ends every session of the user, or every one but `keep` (the session that changed the password). */
export async function deleteSessionsOf(db: Db, userId: string, keep?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keep ? sql`${sessions.tokenHash} <> ${keep}` : undefined));
}

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  team: 'marketing' | 'sales';
  createdByName: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

const tokenColumns = sql`t.id, t.name, t.role, t.team, u.name AS "createdByName", t.created_at AS "createdAt",
  t.revoked_at AS "revokedAt"`;

/** Live tokens first, newest first; never the hash. */
export async function listApiTokens(db: Db): Promise<TokenRow[]> {
  return queryRows<TokenRow>(
    db,
    sql`SELECT ${tokenColumns} FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
        ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id`,
  );
}

/** Revokes a live token; a revoked one keeps its first revocation time. Undefined when there is no such token. */
export async function revokeApiToken(db: Db, id: string, at: Date): Promise<TokenRow | undefined> {
  await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  const [token] = await queryRows<TokenRow>(
    db,
    sql`SELECT ${tokenColumns} FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by WHERE t.id = ${id}`,
  );
  return token;
}
