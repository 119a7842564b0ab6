// Test helpers for the hand-off (routing, SLA, feedback): reps with tokens, leads, and the move to MQL.
import type { InjectOptions } from 'fastify';
import type { TestApp } from '../../test/harness.ts';
import { createApiToken, createUser } from '../auth/auth.service.ts';

export interface TestRep {
  id: string;
  name: string;
  headers: Record<string, string>;
}

export async function call(
  t: TestApp,
  method: InjectOptions['method'],
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

let counter = 0;

/** A sales rep (or `role`) with an API token, and rep settings set through the API. */
export async function makeRep(
  t: TestApp,
  name: string,
  settings: Record<string, unknown> = {},
  role: 'sales' | 'admin' = 'sales',
): Promise<TestRep> {
  const user = await createUser(t.deps, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${counter++}@reps.test`,
    team: 'sales',
    role,
  });
  const { token } = await createApiToken(t.deps, {
    name: `token ${name}`,
    role,
    team: 'sales',
    createdBy: user.id,
  });
  const headers = { authorization: `Bearer ${token}` };
  const admin = await t.as('admin');
  const response = await call(t, 'PATCH', `/api/routing/reps/${user.id}`, admin, {
    timeZone: 'UTC',
    workingDays: [1, 2, 3, 4, 5],
    workStart: '09:00',
    workEnd: '17:00',
    ...settings,
  });
  if (response.statusCode !== 200) throw new Error(`rep settings: ${response.body}`);
  return { id: user.id, name, headers };
}

export async function makeAccount(t: TestApp, input: Record<string, unknown>): Promise<string> {
  const response = await call(t, 'POST', '/api/accounts', await t.as('admin'), input);
  if (response.statusCode !== 201 && response.statusCode !== 200)
    throw new Error(`account: ${response.body}`);
  return response.json().id;
}

export async function makeLead(t: TestApp, input: Record<string, unknown> = {}): Promise<string> {
  const response = await call(t, 'POST', '/api/people', await t.as('admin'), {
    email: `lead${counter++}@lead.test`,
    ...input,
  });
  if (response.statusCode !== 201) throw new Error(`person: ${response.body}`);
  return response.json().id;
}

/** Moves a lead to MQL by hand (as marketing would), which routes it. */
export async function toMql(t: TestApp, personId: string): Promise<void> {
  const response = await call(t, 'POST', `/api/people/${personId}/transitions`, await t.as('admin'), {
    to: 'mql',
  });
  if (response.statusCode !== 201) throw new Error(`to mql: ${response.body}`);
}

export async function assignmentOf(t: TestApp, personId: string) {
  const response = await call(t, 'GET', `/api/people/${personId}/assignments`, await t.as('admin'));
  const items = response.json().items as {
    id: string;
    userId: string;
    rule: string;
    acceptDueAt: string | null;
    firstTouchDueAt: string | null;
    endedAt: string | null;
  }[];
  return items.at(-1);
}
