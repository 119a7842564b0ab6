import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startLockstep } from './main.ts';
import { PortInUseError } from './shared/port.ts';

describe('starting Lockstep', () => {
  it('stops on a taken port before creating anything, saying which port and what to do', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = path.join(os.tmpdir(), `lockstep-port-${process.pid}`);
    try {
      const start = startLockstep({
        env: { PORT: String(port), HOST: '127.0.0.1', LOCKSTEP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      });
      await expect(start).rejects.toBeInstanceOf(PortInUseError);
      await expect(start).rejects.toThrow(`Port ${port} on 127.0.0.1 is in use by another program`);
      await expect(start).rejects.toThrow('PORT=3000 npm start');
      // No embedded database and no demo whose one-time password nobody would have seen.
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says in the terminal how to get in: the first admin to create, or the demo to sign in to', async () => {
    const said = async (env: Record<string, string>) => {
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        const running = await startLockstep({
          env: { PORT: '0', HOST: '127.0.0.1', LOCKSTEP_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env },
        });
        await running.stop();
        return { url: running.url, text: write.mock.calls.map(([chunk]) => String(chunk)).join('') };
      } finally {
        write.mockRestore();
      }
    };
    const empty = await said({ LOCKSTEP_DEMO: 'false' });
    expect(empty.text).toBe(`\nLockstep is running. Open ${empty.url} to create the first admin.\n\n`);
    const demo = await said({ LOCKSTEP_ADMIN_PASSWORD: 'terminal-demo-42' });
    expect(demo.text).toContain(`The demo workspace is ready. Open ${demo.url} and sign in as`);
    expect(demo.text).toContain('password: the one in LOCKSTEP_ADMIN_PASSWORD');
    expect(demo.text).not.toContain('terminal-demo-42');
  }, 120_000);
});
