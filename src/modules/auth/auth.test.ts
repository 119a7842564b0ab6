import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, redactedPaths } from '../../app.ts';
import type { App } from '../../http/types.ts';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { hashPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('are stored as salted scrypt hashes that verify only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });
});

describe.each(databaseKinds)('signing in on %s', (kind) => {
  let t: TestApp;
  let app: App;
  let logged = '';
  const password = 'first-admin-password';

  beforeAll(async () => {
    t = await createTestApp(kind);
    // The same app again, this time with a logger writing into a string we can search for secrets.
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk;
        done();
      },
    });
    app = await buildApp(t.deps, {
      logger: { level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' }, stream },
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('sets up the first admin once, then signs in with a session cookie', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({
      needsSetup: true,
      demoAdminEmail: null,
    });
    const short = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { name: 'Rae', email: 'rae@ops.dev', password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toBe('body.password: must be at least 10 characters');

    const setup = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { name: 'Rae', email: 'Rae@Ops.dev', password },
    });
    expect(setup.statusCode).toBe(201);
    expect(setup.json().user).toMatchObject({ email: 'rae@ops.dev', role: 'admin' });
    const again = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { name: 'Eve', email: 'eve@ops.dev', password },
    });
    expect(again.statusCode).toBe(409);

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'rae@ops.dev', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    const nobody = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'nobody@ops.dev', password },
    });
    expect(nobody.statusCode).toBe(401);

    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'rae@ops.dev', password },
    });
    expect(signIn.statusCode).toBe(200);
    const cookie = signIn.cookies.find((c) => c.name === 'lockstep_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const cookies = { lockstep_session: cookie!.value };
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies })).json().user.name).toBe('Rae');

    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/people',
      cookies,
      headers: { origin: 'https://evil.example' },
      payload: { email: 'x@y.dev' },
    });
    expect(crossSite.statusCode).toBe(403);

    const token = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies,
      payload: { name: 'zapier', role: 'marketing', team: 'marketing' },
    });
    expect(token.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${token.json().token}` };
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).json().user,
    ).toMatchObject({ role: 'marketing', name: 'zapier' });

    expect((await app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies })).statusCode).toBe(401);

    // Secrets never reach the log: not the password, not the session, not the API token.
    expect(logged).toContain('/api/auth/sign-in');
    expect(logged).not.toContain(password);
    expect(logged).not.toContain(cookie!.value);
    expect(logged).not.toContain(token.json().token);
  });
});
