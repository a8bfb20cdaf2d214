import net from 'node:net';
import { type ClientOptions, RouterOSClient } from '../../src/index.js';

/** A loopback port with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function connectPlain(port: number, extra: Partial<ClientOptions> = {}): Promise<RouterOSClient> {
  return RouterOSClient.connect({
    host: '127.0.0.1',
    port,
    tlsMode: 'plain',
    username: 'admin',
    password: '',
    connectTimeoutMs: 2000,
    commandTimeoutMs: 5000,
    ...extra,
  });
}

/** Capture a rejection for inspection (vitest's toThrow cannot check our `code` fields directly). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected the promise to reject');
}

export function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 5);
    };
    tick();
  });
}
