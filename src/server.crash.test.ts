// A server killed with SIGKILL mid-write starts again with everything it had acknowledged.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const mainFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-crash-'));
const port = 39_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];

function startServer(): ChildProcess {
  const child = spawn(process.execPath, [mainFile], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOCKSTEP_DATA_DIR: path.join(dir, 'data'),
      LOCKSTEP_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

async function waitUntilUp(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a crash of the server on the embedded database', () => {
  it('loses nothing that was acknowledged', async () => {
    const first = startServer();
    await waitUntilUp(first);
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

    const second = startServer();
    await waitUntilUp(second);
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
