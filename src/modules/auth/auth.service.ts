import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal, Role } from './access.ts';
import * as store from './auth.store.ts';
import { hashPassword, unknownUserHash, verifyPassword } from './password.ts';

const SESSION_DAYS = 14;

export interface AuthDeps {
  db: Db;
  clock: Clock;
}

export interface PublicUser {
  id: string;
  name: string;
  email: string | null;
  team: 'marketing' | 'sales';
  role: Role;
}

export function publicUser(user: store.UserRow): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    team: user.team as PublicUser['team'],
    role: user.role as Role,
  };
}

/** Secrets are stored only as this hash: a leaked table does not leak sessions or tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export async function signIn(deps: AuthDeps, input: { email: string; password: string }) {
  const user = await store.findUserByEmail(deps.db, input.email);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? unknownUserHash);
  if (!user?.passwordHash || !valid) {
    throw new AppError('invalid_credentials', 'That email and password do not match an account.');
  }
  return { user: publicUser(user), sessionToken: await startSession(deps, user.id) };
}

async function startSession(deps: AuthDeps, userId: string): Promise<string> {
  const token = newSecret('lss');
  const expiresAt = new Date(deps.clock.now().getTime() + SESSION_DAYS * 86_400_000);
  await store.insertSession(deps.db, hashSecret(token), userId, expiresAt);
  return token;
}

export async function signOut(deps: AuthDeps, sessionToken: string): Promise<void> {
  await store.deleteSession(deps.db, hashSecret(sessionToken));
}

export async function principalFromSession(deps: AuthDeps, token: string): Promise<Principal | undefined> {
  const user = await store.findSessionUser(deps.db, hashSecret(token), deps.clock.now());
  if (!user) return undefined;
  const { id, name, team, role } = publicUser(user);
  return { kind: 'user', userId: id, name, team, role };
}

export async function principalFromApiToken(deps: AuthDeps, token: string): Promise<Principal | undefined> {
  const row = await store.findLiveApiToken(deps.db, hashSecret(token));
  if (!row) return undefined;
  return {
    kind: 'token',
    userId: row.createdBy,
    name: row.name,
    team: row.team as Principal['team'],
    role: row.role as Role,
  };
}

export async function createApiToken(
  deps: AuthDeps,
  input: { name: string; role: Role; team: 'marketing' | 'sales'; createdBy: string | null },
): Promise<{ id: string; token: string }> {
  const token = newSecret('lsk');
  const id = await store.insertApiToken(deps.db, { ...input, tokenHash: hashSecret(token) });
  return { id, token };
}

export async function needsSetup(deps: AuthDeps): Promise<boolean> {
  return !(await store.hasAnyUserWithPassword(deps.db));
}

/** Creates the first admin; refused once anyone can sign in, so the setup page cannot be reused. */
export async function setUpFirstAdmin(
  deps: AuthDeps,
  input: { name: string; email: string; password: string; team: 'marketing' | 'sales' },
) {
  if (!(await needsSetup(deps))) {
    throw new AppError('setup_already_done', 'Lockstep is already set up: sign in instead.');
  }
  const user = await store.insertUser(deps.db, {
    name: input.name,
    email: input.email,
    team: input.team,
    role: 'admin',
    passwordHash: await hashPassword(input.password),
  });
  return { user: publicUser(user), sessionToken: await startSession(deps, user.id) };
}

export async function createUser(
  deps: AuthDeps,
  input: { name: string; email: string; password?: string; team: 'marketing' | 'sales'; role: Role },
): Promise<PublicUser> {
  if (await store.findUserByEmail(deps.db, input.email)) {
    throw new AppError('duplicate', `A user with the email ${input.email} already exists.`);
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return publicUser(await store.insertUser(deps.db, { ...input, passwordHash }));
}

export async function findUserEmail(deps: AuthDeps, email: string): Promise<string | undefined> {
  return (await store.findUserByEmail(deps.db, email))?.email ?? undefined;
}

/** The signed-in person; an API token speaks as a user-less principal of its own. */
export async function currentUser(deps: AuthDeps, principal: Principal): Promise<PublicUser> {
  const user = principal.userId ? await store.findUserById(deps.db, principal.userId) : undefined;
  if (user && principal.kind === 'user') return publicUser(user);
  return {
    id: `token:${principal.name}`,
    name: principal.name,
    email: null,
    team: principal.team,
    role: principal.role,
  };
}
