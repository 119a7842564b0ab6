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
  approver: boolean;
  active: boolean;
}

export function publicUser(user: store.UserRow): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    team: user.team as PublicUser['team'],
    role: user.role as Role,
    approver: user.approver,
    active: user.deactivatedAt === null,
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
  if (user.deactivatedAt) {
    throw new AppError(
      'forbidden',
      'This account is turned off. Ask an admin of this workspace to turn it on again.',
    );
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
    tokenId: row.id,
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
    // The first admin can sign for their team until others join and an admin chooses the approvers.
    approver: true,
    passwordHash: await hashPassword(input.password),
  });
  return { user: publicUser(user), sessionToken: await startSession(deps, user.id) };
}

export interface NewUserInput {
  name: string;
  email: string;
  team: 'marketing' | 'sales';
  role: Role;
  approver?: boolean;
  /** Left out: the account cannot sign in until it has one (see addUser for a generated one). */
  password?: string;
}

export async function createUser(deps: AuthDeps, input: NewUserInput): Promise<PublicUser> {
  if (await store.findUserByEmail(deps.db, input.email)) {
    throw new AppError('duplicate', `A user with the email ${input.email} already exists.`);
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return publicUser(await store.insertUser(deps.db, { ...input, passwordHash }));
}

/** A teammate added by an admin, with the password they first sign in with (generated, shown once, when not given). */
export async function addUser(
  deps: AuthDeps,
  input: NewUserInput,
): Promise<{ user: PublicUser; password: string | null }> {
  const password = input.password ?? randomBytes(12).toString('base64url');
  const user = await createUser(deps, { ...input, password });
  return { user, password: input.password ? null : password };
}

export async function listUsers(deps: AuthDeps): Promise<PublicUser[]> {
  return (await store.listUsers(deps.db)).map(publicUser);
}

export interface UserChange {
  name?: string | undefined;
  team?: 'marketing' | 'sales' | undefined;
  role?: Role | undefined;
  approver?: boolean | undefined;
  active?: boolean | undefined;
}

/**
 * An admin changes a teammate: name, team, role, approver, or turns the account off (their
 * sessions end; what they did stays theirs) and on again. The workspace always keeps one admin
 * who can sign in. Moving to the other team ends being an approver, unless the change says otherwise.
 */
export async function changeUser(deps: AuthDeps, id: string, change: UserChange): Promise<PublicUser> {
  return deps.db.transaction(async (tx) => {
    const admins = await store.lockActiveAdmins(tx);
    const user = await store.findUserById(tx, id);
    if (!user) throw new AppError('not_found', `There is no user ${id}.`);
    const staysAdmin =
      (change.role ?? user.role) === 'admin' && (change.active ?? user.deactivatedAt === null);
    if (admins.length === 1 && admins[0] === id && !staysAdmin) {
      throw new AppError(
        'last_admin',
        `${user.name} is the only admin who can sign in: make someone else an admin first, or the workspace has nobody to manage it.`,
      );
    }
    const deactivatedAt =
      change.active === undefined
        ? undefined
        : change.active
          ? null
          : (user.deactivatedAt ?? deps.clock.now());
    // An approver signs for their team: one who moves to the other team does not sign for it unasked.
    const movesTeam = change.team !== undefined && change.team !== user.team;
    const approver = movesTeam && change.approver === undefined ? false : change.approver;
    const { active: _active, ...fields } = { ...change, approver };
    const changed = await store.updateUser(tx, id, {
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      ...(deactivatedAt === undefined ? {} : { deactivatedAt }),
    });
    if (change.active === false) await store.deleteSessionsOf(tx, id);
    return publicUser(changed!);
  });
}

/**
 * Who may sign a lead definition for a team: its approvers who can sign in and write (a viewer
 * marked an approver signs nothing). The web app's teamWords.approversOf says the same.
 */
export async function approversOf(deps: AuthDeps, team: 'marketing' | 'sales'): Promise<PublicUser[]> {
  return (await listUsers(deps)).filter(
    (user) =>
      user.team === team && user.approver && user.active && user.email !== null && user.role !== 'viewer',
  );
}

/**
 * A signed-in person changes their own password: the current one first, as at sign-in. Their other
 * sessions end (a browser left signed in elsewhere); this one goes on.
 */
export async function changeOwnPassword(
  deps: AuthDeps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  sessionToken: string | undefined,
): Promise<void> {
  const user =
    principal.kind === 'user' && principal.userId
      ? await store.findUserById(deps.db, principal.userId)
      : undefined;
  if (!user)
    throw new AppError(
      'forbidden',
      'Only a person signed in to Lockstep has a password to change, not an API token.',
    );
  if (!user.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('validation_failed', 'currentPassword: that is not your current password.', {
      field: 'currentPassword',
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await store.updateUser(tx, user.id, { passwordHash });
    await store.deleteSessionsOf(tx, user.id, sessionToken && hashSecret(sessionToken));
  });
}

/**
 * An admin (or `lockstep user reset-password`, for an admin locked out) gives a teammate a new
 * password, generated and shown once; their sessions end.
 */
export async function resetPassword(
  deps: AuthDeps,
  id: string,
): Promise<{ user: PublicUser; password: string }> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (tx) => {
    const user = await store.updateUser(tx, id, { passwordHash });
    if (!user) throw new AppError('not_found', `There is no user ${id}.`);
    await store.deleteSessionsOf(tx, id);
    return { user: publicUser(user), password };
  });
}

export async function listApiTokens(deps: AuthDeps): Promise<store.TokenRow[]> {
  return store.listApiTokens(deps.db);
}

/** A revoked token answers 401 from its next request on; revoking one twice changes nothing. */
export async function revokeApiToken(deps: AuthDeps, id: string): Promise<store.TokenRow> {
  const token = await store.revokeApiToken(deps.db, id, deps.clock.now());
  if (!token) throw new AppError('not_found', `There is no API token ${id}.`);
  return token;
}

export async function findUserByEmail(deps: AuthDeps, email: string): Promise<PublicUser | undefined> {
  const user = await store.findUserByEmail(deps.db, email);
  return user && publicUser(user);
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
    approver: false,
    active: true,
  };
}
