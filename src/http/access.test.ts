// Every API route declares who may call it; this walks the whole catalogue and proves it is enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../test/databases.ts';
import { createTestApp, type TestApp } from '../test/harness.ts';

const someId = '7d3f6b0e-2c1a-4c8e-9a55-0c1d2e3f4a5b';
const urlOf = (route: string) => route.replace(/:[a-zA-Z]+/g, someId);

describe.each(databaseKinds)('access control on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('has a catalogue with every module in it', () => {
    const urls = t.app.apiRoutes.map((r) => r.url);
    for (const url of [
      '/api/people',
      '/api/accounts',
      '/api/activities',
      '/api/reports/funnel',
      '/api/tokens',
    ]) {
      expect(urls).toContain(url);
    }
    expect(t.app.apiRoutes.length).toBeGreaterThanOrEqual(20);
  });

  it('answers 401 to an anonymous caller on every non-public route', async () => {
    const closed = t.app.apiRoutes.filter((r) => r.access !== 'public');
    for (const route of closed) {
      const response = await t.app.inject({ method: route.method as 'GET', url: urlOf(route.url) });
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 401]);
      expect(response.json().error.code).toBe('not_signed_in');
    }
  });

  it('answers 401 to an unknown token', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/people',
      headers: { authorization: 'Bearer lsk_not-a-real-token' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 to every role the route does not list', async () => {
    const restricted = t.app.apiRoutes.filter((r) => Array.isArray(r.access));
    expect(restricted.length).toBeGreaterThan(5);
    for (const role of ['viewer', 'sales', 'marketing'] as const) {
      const headers = await t.as(role);
      for (const route of restricted.filter((r) => !(r.access as readonly string[]).includes(role))) {
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: urlOf(route.url),
          headers,
        });
        expect([role, route.method, route.url, response.statusCode]).toEqual([
          role,
          route.method,
          route.url,
          403,
        ]);
        expect(response.json().error.code).toBe('forbidden');
      }
    }
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await t.as('viewer');
    expect((await t.app.inject({ method: 'GET', url: '/api/people', headers: viewer })).statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: viewer,
      payload: { email: 'x@example.com' },
    });
    expect(write.statusCode).toBe(403);
  });

  it('serves the OpenAPI document with every API route in it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toContain('/api/people/{id}/transitions');
    expect(paths).toContain('/api/reports/funnel');
  });
});
