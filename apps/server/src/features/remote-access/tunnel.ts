import net from 'node:net';
import type { Counters } from './live.repo.js';

// A WinBox tunnel: a TCP listener on a port of the pool that forwards each allowed connection to the device's
// WinBox port. Anyone else is cut off before a byte reaches the router. WinBox's protocol is opaque to TOD: bytes
// pass as they are, counted. The tunnel ends when nothing crossed it for the idle time, at its lifetime, or on
// request; ending it closes the listener and every connection through it.

const MAX_CONNECTIONS = 4;

export type Tunnel = {
  counters(): Counters;
  /** Connections refused because they came from another address. */
  refused(): number;
  stop(): void;
};

/** `::ffff:10.0.0.1` and `10.0.0.1` are the same client. */
export const plainAddress = (a: string | undefined) => (a ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** Listens on the port; rejects with the listen error (EADDRINUSE: another program has the port). */
export function openTunnel(o: {
  id: string;
  bindHost: string;
  port: number;
  allowed: string[];
  idleMs: number;
  lifetimeMs: number;
  /** A fresh connection to the device's WinBox port (through device access: target policy, timeouts). */
  connect: () => Promise<net.Socket>;
  onEnd: (reason: string) => void;
}): Promise<Tunnel> {
  const allowed = new Set(o.allowed.map(plainAddress));
  const sockets = new Set<net.Socket>();
  let bytesIn = 0;
  let bytesOut = 0;
  let refused = 0;
  let lastActivity = new Date();
  let stopped = false;

  const server = net.createServer((client) => {
    if (stopped || !allowed.has(plainAddress(client.remoteAddress)) || sockets.size >= MAX_CONNECTIONS * 2) {
      refused++;
      client.destroy();
      return;
    }
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    client.pause();
    o.connect().then(
      (device) => {
        if (stopped || client.destroyed) {
          device.destroy();
          return;
        }
        sockets.add(device);
        device.on('close', () => {
          sockets.delete(device);
          client.destroy();
        });
        device.on('error', () => {});
        client.on('close', () => device.destroy());
        client.on('data', (b: Buffer) => {
          bytesIn += b.length;
          lastActivity = new Date();
        });
        device.on('data', (b: Buffer) => {
          bytesOut += b.length;
          lastActivity = new Date();
        });
        client.pipe(device);
        device.pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  server.maxConnections = MAX_CONNECTIONS * 2;

  const opened = Date.now();
  const watch = setInterval(() => {
    if (Date.now() - lastActivity.getTime() >= o.idleMs) o.onEnd('idle');
    else if (Date.now() - opened >= o.lifetimeMs) o.onEnd('max_lifetime');
  }, 1_000);
  watch.unref();

  const tunnel: Tunnel = {
    counters: () => ({ id: o.id, bytesIn, bytesOut, lastActivity }),
    refused: () => refused,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watch);
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
  return new Promise((resolve, reject) => {
    server.once('error', (e) => {
      clearInterval(watch);
      reject(e);
    });
    server.listen({ host: o.bindHost, port: o.port, exclusive: true }, () => resolve(tunnel));
  });
}
