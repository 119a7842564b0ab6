// A server killed with SIGKILL mid-write starts again with everything it had acknowledged.
import { afterAll, describe, expect, it } from 'vitest';
import { exited, serverProcesses } from './test/server-process.ts';

const servers = serverProcesses('crash');
const { base } = servers;

afterAll(() => {
  servers.cleanUp();
});

describe('a crash of the server on the embedded database', () => {
  it('loses nothing that was acknowledged', async () => {
    const first = await servers.start();
    const setup = await fetch(`${base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ops', email: 'ops@crash.dev', password: 'a-long-password' }),
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;

    const acknowledged: string[] = [];
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; ; i++) {
        try {
          const response = await fetch(`${base}/api/people`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ email: `w${w}-${i}@crash.dev` }),
          });
          if (response.status !== 201) return;
          acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
    first.kill('SIGKILL');
    await Promise.all([...writers, exited(first)]);

    const second = await servers.start();
    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@crash.dev', password: 'a-long-password' }),
    });
    expect(signIn.status).toBe(200);
    const cookie2 = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const url: string = `${base}/api/people?limit=500${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await fetch(url, { headers: { cookie: cookie2 } })).json()) as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      for (const item of page.items) stored.add(item.id);
      cursor = page.nextCursor;
    } while (cursor);
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);
    expect(lost).toEqual([]);
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);
  }, 120_000);
});
