// Who may call what. Every API route declares `config.access`; app.ts refuses to start when one doesn't.
export const roles = ['admin', 'marketing', 'sales', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** 'public': anyone; 'signed-in': any role; a list: only those roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface Principal {
  kind: 'user' | 'token';
  /** The user behind the session, or the user who created the token (may be null for CLI tokens). */
  userId: string | null;
  /** The API token a script calls with (null for a browser session). */
  tokenId?: string | null;
  name: string;
  team: 'marketing' | 'sales';
  role: Role;
}

export const canRead: Access = 'signed-in';
export const canWriteRecords: Access = ['admin', 'marketing', 'sales'];
export const canAdminister: Access = ['admin'];

export function isAllowed(access: Access, principal: Principal | undefined): boolean {
  if (access === 'public') return true;
  if (!principal) return false;
  if (access === 'signed-in') return true;
  return access.includes(principal.role);
}
