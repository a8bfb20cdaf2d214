import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import {
  createDeviceAccess,
  type DeviceAccessOptions,
} from '../../src/features/device-access/device-access.service.js';
import { devicePasswordContext } from '../../src/features/devices/credentials.js';
import { roleUrl } from '../../src/platform/db/pools.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { openAuditRows } from '../audit/open.js';
import type { TestContext } from '../helpers/context.js';
import { headersFor, type Seed } from '../helpers/seed.js';

// Shared by the device-access tests: servers that are not routers (to see what reaches them), saved devices, a
// second "process" (its own pool and device-access service on the same database), and API calls.

/** A TCP server that records every byte and connection it gets, and can answer with a fixed banner. */
export type Listener = {
  port: number;
  received: () => Buffer;
  connections: number;
  /** Most connections open at once. */
  peak: number;
  close: () => Promise<void>;
};

export async function listener(o: { banner?: string | Buffer; host?: string; hold?: boolean } = {}): Promise<Listener> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const l: Listener = {
    port: 0,
    received: () => Buffer.concat(chunks),
    connections: 0,
    peak: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    l.connections++;
    l.peak = Math.max(l.peak, sockets.size);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    sock.on('data', (c) => chunks.push(c));
    if (o.banner !== undefined) sock.write(o.banner);
    // Without `hold`, a peer that answered its banner hangs up like a plain-text service refusing gibberish.
    if (o.banner !== undefined && !o.hold) setTimeout(() => sock.end(), 50);
  });
  await new Promise<void>((r) => server.listen(0, o.host ?? '127.0.0.1', r));
  l.port = (server.address() as net.AddressInfo).port;
  return l;
}

/** Saves a device (as the system role) with its own encrypted credentials; its id. */
export async function saveDevice(
  ctx: TestContext,
  tenantId: string,
  d: {
    name?: string;
    host: string;
    port: number;
    tlsPort?: number;
    tlsMode?: string;
    sshPort?: number;
    username?: string;
    password: string;
  },
): Promise<string> {
  const id = randomUUID();
  const enc = await ctx.services.envelope.encrypt(
    tenantId,
    d.password,
    devicePasswordContext(id),
    useByWorker('test', 'seal'),
  );
  await withSystem(ctx.pools.system, (db) =>
    db.query(
      `insert into devices (id, tenant_id, name, host, port, tls_port, tls_mode, username, password_enc, ssh_port)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        tenantId,
        d.name ?? `dev-${id.slice(0, 8)}`,
        d.host,
        d.port,
        d.tlsPort ?? 8729,
        d.tlsMode ?? 'plain',
        d.username ?? 'admin',
        enc,
        d.sshPort ?? 22,
      ],
    ),
  );
  return id;
}

/** Device access as another TOD process would have it: its own database pool on the same database. */
export function secondProcess(ctx: TestContext, options: Partial<DeviceAccessOptions> = {}) {
  const appPool = new pg.Pool({ connectionString: roleUrl(ctx.ownerUrl, 'app', ctx.config.dbAppPassword), max: 4 });
  const access = createDeviceAccess({
    appPool,
    envelope: ctx.services.envelope,
    options: {
      connectTimeoutMs: 2000,
      commandTimeoutMs: 2000,
      maxExtraSessions: 2,
      sessionLeaseMs: 60_000,
      probeConcurrency: 8,
      probeConcurrencyPerTenant: 8,
      deny: [],
      own: [],
      ...options,
    },
  });
  return { access, appPool, close: () => appPool.end() };
}

export function api(ctx: TestContext, s: Seed) {
  return (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, tenant = s.a) =>
    ctx.app.inject({
      method,
      url: `/api/tenants/${tenant.id}${url}`,
      headers: headersFor(s, 'operator', tenant),
      payload: payload as object,
    });
}

export async function auditActions(ctx: TestContext, tenantId: string, action: string) {
  // Tenant entries' details are sealed (migration 065): opened with the tenant's key.
  const r = await ctx.pools.system.query<{
    tenant_id: string;
    entry_id: string;
    details: unknown;
    details_sealed: Buffer | null;
    target_id: string | null;
  }>(
    `select tenant_id, entry_id, details, details_sealed, target_id from audit_logs
      where tenant_id = $1 and action = $2 order by seq`,
    [tenantId, action],
  );
  return openAuditRows(ctx, r.rows);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
