import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
