// Whether the web app's port is free, asked before anything is created: a server that found its port
// taken only after seeding the demo would have shown its one-time password to nobody.
import net from 'node:net';

/** Whether something can listen on `port` at `host` now (port 0 always can). */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** The port is taken by another program: says which, and how to start elsewhere. */
export class PortInUseError extends Error {
  constructor(port: number, host: string) {
    super(
      `Port ${port} on ${host} is in use by another program (another Lockstep, perhaps). ` +
        `Stop it, or start Lockstep on another port: PORT=${port === 3000 ? 3001 : 3000} npm start`,
    );
    this.name = 'PortInUseError';
  }
}
