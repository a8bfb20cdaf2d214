import dgram from 'node:dgram';
import net from 'node:net';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LogInsertRow } from '../device-logs.repo.js';
import { FrameError, SyslogFramer } from './framing.js';
import { createSyslogMetrics, type DropReason } from './metrics.js';
import { parseSyslog } from './parse.js';
import { LogQueue } from './queue.js';
import { RateLimiter } from './rate.js';
import { normalizeAddress, SourceMap } from './sources.js';

// The syslog receiver (worker role, SYSLOG_PORT): UDP and TCP on one port. A message is kept only when its source
// address is a device's host (sources.ts); everything a hostile sender controls is bounded: message size, TCP
// connections (and an idle timeout), lines per second per source, and the queue to the database. What is refused
// is counted in mikrotik_syslog_dropped_total{reason}. One process should own the port (set SYSLOG_PORT on one
// worker, or put a UDP/TCP load balancer in front): every datagram and connection then reaches exactly one.

export type SyslogOptions = {
  /** Largest message (UDP datagram or TCP frame) accepted, in bytes. */
  maxMessageBytes: number;
  maxTcpConnections: number;
  /** A TCP connection silent this long is closed. */
  idleTimeoutMs: number;
  /** Per source address: average lines per second, and the burst above it. */
  ratePerSecond: number;
  burst: number;
  /** Lines waiting for the database at most; past it new lines are dropped. */
  maxQueue: number;
  batchSize: number;
  flushMs: number;
  /** How often device hosts are read again (and names resolved). */
  refreshMs: number;
};

export const defaultSyslogOptions: SyslogOptions = {
  maxMessageBytes: 8192,
  maxTcpConnections: 256,
  idleTimeoutMs: 300_000,
  ratePerSecond: 500,
  burst: 2000,
  maxQueue: 20_000,
  batchSize: 500,
  flushMs: 250,
  refreshMs: 60_000,
};

export type SyslogReceiver = {
  /** The port listened on (both transports). */
  port: number;
  /** Re-reads the device hosts now. */
  refresh(): Promise<void>;
  /** Stores what is queued now. */
  flush(): Promise<void>;
  stop(): Promise<void>;
};

function bindUdp(sock: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, host, () => {
      sock.off('error', reject);
      resolve();
    });
  });
}

function listenTcp(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export async function startSyslogReceiver(deps: {
  system: pg.Pool;
  log: Logger;
  registry: Registry;
  host: string;
  port: number;
  options?: Partial<SyslogOptions>;
}): Promise<SyslogReceiver> {
  const o = { ...defaultSyslogOptions, ...deps.options };
  const log = deps.log.child({ component: 'syslog' });
  const metrics = createSyslogMetrics(deps.registry);
  const sources = new SourceMap();
  const rate = new RateLimiter(o.ratePerSecond, o.burst);
  const queue = new LogQueue({
    system: deps.system,
    log,
    maxQueue: o.maxQueue,
    batchSize: o.batchSize,
    flushMs: o.flushMs,
    onStored: (n) => {
      metrics.stored.inc(n);
      metrics.queue.set(queue.depth);
    },
  });
  const drop = (reason: DropReason) => metrics.dropped.inc({ reason });

  await sources.refresh(deps.system);

  /** One message from `address`: checked, parsed, queued. */
  const handle = (msg: Buffer, address: string, transport: 'udp' | 'tcp') => {
    metrics.received.inc({ transport });
    if (msg.length > o.maxMessageBytes) return drop('oversized');
    const source = sources.lookup(address);
    if (source === undefined) return drop('unknown_source');
    if (source === null) return drop('ambiguous_source');
    if (!rate.take(normalizeAddress(address))) return drop('rate_limited');
    const receivedAt = new Date();
    const line = parseSyslog(msg.toString('utf8'), receivedAt);
    if (!line) return drop('unparseable');
    const row: LogInsertRow = {
      tenant_id: source.tenantId,
      device_id: source.deviceId,
      time: line.time.toISOString(),
      received_at: receivedAt.toISOString(),
      source: 'syslog',
      topics: line.topics,
      severity: line.severity,
      message: line.message,
      entry_id: null,
    };
    if (!queue.push(row)) return drop('queue_full');
    metrics.queue.set(queue.depth);
  };

  // --- TCP ---------------------------------------------------------------------------------------------------------
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const address = socket.remoteAddress ?? '';
    // Only routers TOD knows may hold a connection open.
    const source = sources.lookup(address);
    if (!source) {
      drop(source === null ? 'ambiguous_source' : 'unknown_source');
      socket.destroy();
      return;
    }
    sockets.add(socket);
    metrics.connections.set(sockets.size);
    const framer = new SyslogFramer(o.maxMessageBytes);
    socket.setTimeout(o.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = framer.push(chunk);
      } catch (err) {
        drop(err instanceof FrameError && /over/.test(err.message) ? 'oversized' : 'bad_framing');
        socket.destroy();
        return;
      }
      for (const f of frames) handle(f, address, 'tcp');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      metrics.connections.set(sockets.size);
    });
  });
  server.maxConnections = o.maxTcpConnections;
  server.on('drop', () => drop('tcp_limit'));

  // --- UDP, on the TCP port (port 0: the one TCP got; retried if UDP finds it taken) -------------------------------
  const type = net.isIPv6(deps.host) ? 'udp6' : 'udp4';
  let udp: dgram.Socket | undefined;
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await listenTcp(server, deps.port, deps.host);
    const sock = dgram.createSocket({ type, recvBufferSize: 4 * 1024 * 1024 });
    try {
      await bindUdp(sock, port, deps.host);
      udp = sock;
      break;
    } catch (err) {
      sock.close();
      await new Promise<void>((r) => server.close(() => r()));
      if (deps.port !== 0 || attempt >= 5) throw err;
    }
  }
  udp.on('message', (msg, rinfo) => handle(msg, rinfo.address, 'udp'));
  udp.on('error', (err) => log.warn({ err: err.message }, 'syslog UDP socket error'));

  queue.start();
  const refreshTimer = setInterval(() => {
    rate.prune();
    sources.refresh(deps.system).catch((err) => log.warn({ err: err.message }, 'reading device hosts failed'));
  }, o.refreshMs);
  refreshTimer.unref();
  log.info({ host: deps.host, port, sources: sources.size }, 'syslog receiver listening (UDP and TCP)');

  return {
    port,
    refresh: () => sources.refresh(deps.system),
    flush: () => queue.flush(),
    async stop() {
      clearInterval(refreshTimer);
      await new Promise<void>((r) => udp?.close(() => r()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await queue.stop();
    },
  };
}
