// The team an admin manages: teammates added, changed and turned off; API tokens listed and revoked;
// and a move made by a script named by its token in the lead's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { createApiToken } from './auth.service.ts';

describe.each(databaseKinds)('the team and its tokens on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
  ) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  const signIn = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.signedIn('admin', 'sales', 'Ada Admin');
  });
  afterAll(async () => t?.close());

  it('adds a teammate with a password shown once, and lists who approves definitions', async () => {
    const added = await call('POST', '/api/users', admin, {
      name: 'Maya Marketing',
      email: 'Maya@Team.dev',
      team: 'marketing',
      role: 'marketing',
      approver: true,
    });
    expect(added.statusCode).toBe(201);
    const { user, password } = added.json();
    expect(user).toMatchObject({ email: 'maya@team.dev', team: 'marketing', approver: true, active: true });
    expect(password).toMatch(/^[\w-]{16}$/);
    expect((await signIn('maya@team.dev', password)).statusCode).toBe(200);

    const given = await call('POST', '/api/users', admin, {
      name: 'Sam Sales',
      email: 'sam@team.dev',
      team: 'sales',
      role: 'sales',
      password: 'sams-own-password',
    });
    expect(given.json()).toMatchObject({ user: { approver: false }, password: null });
    const again = await call('POST', '/api/users', admin, {
      name: 'Sam Again',
      email: 'SAM@team.dev',
      team: 'sales',
      role: 'sales',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('A user with the email SAM@team.dev already exists.');

    const maya = await t.signedIn('marketing', 'marketing', 'Mo Marketer');
    expect(
      (
        await call('POST', '/api/users', maya, {
          name: 'X',
          email: 'x@team.dev',
          team: 'sales',
          role: 'admin',
        })
      ).statusCode,
    ).toBe(403);
    const list = await call('GET', '/api/users', maya);
    expect(list.statusCode).toBe(200);
    const people = list
      .json()
      .items.map((u: { name: string; approver: boolean }) => `${u.name}${u.approver ? ' (approver)' : ''}`);
    expect(people).toEqual(['Ada Admin', 'Maya Marketing (approver)', 'Mo Marketer', 'Sam Sales']);
  });

  it('changes a teammate, turns the account off and on, and never leaves the workspace without an admin', async () => {
    const sam = (await call('GET', '/api/users', admin))
      .json()
      .items.find((u: { name: string }) => u.name === 'Sam Sales');
    const promoted = await call('PATCH', `/api/users/${sam.id}`, admin, { approver: true, role: 'admin' });
    expect(promoted.json()).toMatchObject({ name: 'Sam Sales', role: 'admin', approver: true });
    // A sales approver moved to marketing does not sign for marketing unasked; moved back, he is asked again.
    const moved = await call('PATCH', `/api/users/${sam.id}`, admin, { team: 'marketing' });
    expect(moved.json()).toMatchObject({ team: 'marketing', approver: false });
    const returned = await call('PATCH', `/api/users/${sam.id}`, admin, { team: 'sales', approver: true });
    expect(returned.json()).toMatchObject({ team: 'sales', approver: true });

    const session = (await signIn('sam@team.dev', 'sams-own-password')).cookies.find(
      (c) => c.name === 'lockstep_session',
    )!;
    const cookie = { cookie: `lockstep_session=${session.value}` };
    expect((await call('GET', '/api/auth/me', cookie)).json().user).toMatchObject({
      role: 'admin',
      approver: true,
    });

    const off = await call('PATCH', `/api/users/${sam.id}`, admin, { active: false });
    expect(off.json()).toMatchObject({ active: false });
    expect((await call('GET', '/api/auth/me', cookie)).statusCode).toBe(401);
    const refused = await signIn('sam@team.dev', 'sams-own-password');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe(
      'This account is turned off. Ask an admin of this workspace to turn it on again.',
    );
    // The wrong password still says only that it does not match.
    expect((await signIn('sam@team.dev', 'not-his-password')).statusCode).toBe(401);
    await call('PATCH', `/api/users/${sam.id}`, admin, { active: true, role: 'sales' });
    const back = (await signIn('sam@team.dev', 'sams-own-password')).cookies.find(
      (c) => c.name === 'lockstep_session',
    )!;
    // Turning him off ended the old session; it stays ended.
    expect((await call('GET', '/api/auth/me', cookie)).statusCode).toBe(401);
    const sams = { cookie: `lockstep_session=${back.value}` };

    // Ada is the only admin who can sign in.
    const ada = (await call('GET', '/api/users', admin))
      .json()
      .items.find((u: { name: string }) => u.name === 'Ada Admin');
    for (const change of [{ role: 'sales' }, { active: false }]) {
      const lastAdmin = await call('PATCH', `/api/users/${ada.id}`, admin, change);
      expect(lastAdmin.statusCode).toBe(409);
      expect(lastAdmin.json().error).toEqual({
        code: 'last_admin',
        message:
          'Ada Admin is the only admin who can sign in: make someone else an admin first, or the workspace has nobody to manage it.',
      });
    }
    await call('PATCH', `/api/users/${sam.id}`, admin, { role: 'admin' });
    expect((await call('PATCH', `/api/users/${ada.id}`, admin, { role: 'sales' })).json().role).toBe('sales');
    // Her session now carries her new role.
    expect((await call('GET', '/api/tokens', admin)).statusCode).toBe(403);

    expect((await call('PATCH', `/api/users/${ada.id}`, sams, {})).json().error.message).toBe(
      'body: say what to change: name, team, role, approver or active',
    );
    expect((await call('PATCH', `/api/users/${ada.id}`, sams, { password: 'x' })).statusCode).toBe(400);
    const nobody = await call('PATCH', '/api/users/7d3f6b0e-2c1a-4c8e-9a55-0c1d2e3f4a5b', sams, {
      approver: true,
    });
    expect(nobody.statusCode).toBe(404);
    admin = sams;
  });

  it('lets a person change their own password, and an admin give someone a new one', async () => {
    const session = async (email: string, password: string) => {
      const cookie = (await signIn(email, password)).cookies.find((c) => c.name === 'lockstep_session')!;
      return { cookie: `lockstep_session=${cookie.value}` };
    };
    const [here, elsewhere] = [
      await session('sam@team.dev', 'sams-own-password'),
      await session('sam@team.dev', 'sams-own-password'),
    ];
    const wrong = await call('POST', '/api/auth/password', here, {
      currentPassword: 'not-it',
      newPassword: 'a-brand-new-password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe('currentPassword: that is not your current password.');
    const short = await call('POST', '/api/auth/password', here, {
      currentPassword: 'sams-own-password',
      newPassword: 'short',
    });
    expect(short.json().error.message).toBe('body.newPassword: must be at least 10 characters');
    const changed = await call('POST', '/api/auth/password', here, {
      currentPassword: 'sams-own-password',
      newPassword: 'a-brand-new-password',
    });
    expect(changed.statusCode).toBe(204);
    // This browser stays signed in; the other one is signed out.
    expect((await call('GET', '/api/auth/me', here)).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', elsewhere)).statusCode).toBe(401);
    expect((await signIn('sam@team.dev', 'sams-own-password')).statusCode).toBe(401);
    expect((await signIn('sam@team.dev', 'a-brand-new-password')).statusCode).toBe(200);
    // A token has no password to change.
    const token = await t.as('sales');
    expect(
      (
        await call('POST', '/api/auth/password', token, {
          currentPassword: 'x',
          newPassword: 'a-brand-new-password',
        })
      ).statusCode,
    ).toBe(403);

    // Sam's earlier session (the tests' admin so far) ended with the change: this one goes on.
    admin = here;
    const maya = (await call('GET', '/api/users', admin))
      .json()
      .items.find((u: { name: string }) => u.name === 'Maya Marketing');
    const mayas = await t.signedIn('marketing', 'marketing', 'Mia Marketer');
    expect((await call('POST', `/api/users/${maya.id}/password`, mayas)).statusCode).toBe(403);
    const reset = await call('POST', `/api/users/${maya.id}/password`, here);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({
      user: { name: 'Maya Marketing' },
      password: expect.stringMatching(/^[\w-]{16}$/),
    });
    expect((await signIn('maya@team.dev', reset.json().password)).statusCode).toBe(200);
    expect(
      (await call('POST', '/api/users/7d3f6b0e-2c1a-4c8e-9a55-0c1d2e3f4a5b/password', here)).statusCode,
    ).toBe(404);
  });

  it('lists tokens without their secret, and a revoked token answers 401', async () => {
    const made = await call('POST', '/api/tokens', admin, { name: 'crm-sync', role: 'sales', team: 'sales' });
    const bearer = { authorization: `Bearer ${made.json().token}` };
    expect((await call('GET', '/api/people', bearer)).statusCode).toBe(200);

    const list = await call('GET', '/api/tokens', admin);
    expect(list.statusCode).toBe(200);
    const crmSync = list.json().items.find((token: { name: string }) => token.name === 'crm-sync');
    expect(crmSync).toMatchObject({
      role: 'sales',
      team: 'sales',
      createdByName: 'Sam Sales',
      revokedAt: null,
    });
    expect(list.body).not.toContain(made.json().token);
    expect(list.body).not.toContain('Hash');

    const revoked = await call('DELETE', `/api/tokens/${crmSync.id}`, admin);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const denied = await call('GET', '/api/people', bearer);
    expect(denied.statusCode).toBe(401);
    expect(denied.json().error.message).toBe('The API token is unknown or revoked.');
    // Revoking again keeps the first time; an unknown token is a 404.
    expect((await call('DELETE', `/api/tokens/${crmSync.id}`, admin)).json().revokedAt).toBe(
      revoked.json().revokedAt,
    );
    expect((await call('DELETE', '/api/tokens/7d3f6b0e-2c1a-4c8e-9a55-0c1d2e3f4a5b', admin)).statusCode).toBe(
      404,
    );
    // Revoked tokens come after the live ones.
    const order = (await call('GET', '/api/tokens', admin))
      .json()
      .items.map((token: { revokedAt: string | null }) => token.revokedAt === null);
    expect(order).toEqual([...order].sort((a, b) => Number(b) - Number(a)));
  });

  it("names the script's token in a lead's history", async () => {
    // A token made on the command line has no creator; one made by a person is theirs.
    const cli = await createApiToken(t.deps, {
      name: 'nightly-sync',
      role: 'admin',
      team: 'sales',
      createdBy: null,
    });
    const script = { authorization: `Bearer ${cli.token}` };
    const person = await call('POST', '/api/people', script, { email: 'lead@acme.example', stage: 'new' });
    expect(person.statusCode).toBe(201);
    const id = person.json().id;
    const moved = await call('POST', `/api/people/${id}/transitions`, script, { to: 'mql', reason: 'form' });
    expect(moved.statusCode).toBe(201);
    const history = (await call('GET', `/api/people/${id}/transitions`, admin)).json().items;
    expect(
      history.map((step: { toStage: string; actorName: string | null; actorTokenName: string | null }) => [
        step.toStage,
        step.actorName,
        step.actorTokenName,
      ]),
    ).toEqual([
      ['new', null, 'nightly-sync'],
      ['mql', null, 'nightly-sync'],
    ]);
    // A deal the script opens and moves is its token's too.
    const deal = await call('POST', '/api/opportunities', script, { name: 'Acme renewal', personId: id });
    expect(deal.statusCode).toBe(201);
    const dealId = deal.json().id;
    const dealMove = await call('POST', `/api/opportunities/${dealId}/transitions`, script, {
      to: 'qualified',
    });
    expect(dealMove.json()).toMatchObject({
      toStage: 'qualified',
      actorName: null,
      actorTokenName: 'nightly-sync',
    });
    const dealHistory = (await call('GET', `/api/opportunities/${dealId}`, admin)).json().history;
    expect(dealHistory.map((step: { actorTokenName: string | null }) => step.actorTokenName)).toEqual([
      'nightly-sync',
      'nightly-sync',
    ]);
  });
});
