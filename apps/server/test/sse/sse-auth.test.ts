import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalChecks, sseRoutes } from '../../src/features/sse/sse.routes.js';
import { createMemoryBus } from '../../src/platform/bus/index.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { buildHttpApp } from '../../src/platform/http/app.js';
import { createMetricsRegistry } from '../../src/platform/http/metrics.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { login, type Seed, seed, sessionIdOf } from '../helpers/seed.js';

// A stream authenticates once, when it opens; a session revoked (or expired, or its account disabled) or an API key
// deleted afterwards must end it at the next heartbeat, not when the stream's 10-minute limit comes.

const HEARTBEAT_MS = 150;
let ctx: TestContext;
let s: Seed;
let app: FastifyInstance;
let port: number;
const bus = createMemoryBus({ log: pino({ level: 'silent' }) });

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  // The real platform app (access control included) with the stream route at a short heartbeat.
  const services = ctx.services;
  app = await buildHttpApp({
    log: pino({ level: 'silent' }),
    version: 'test',
    production: false,
    docsUi: false,
    corsOrigins: [],
    bodyLimit: 1 << 20,
    trustProxy: false,
    metrics: createMetricsRegistry(),
    tenantExists: services.tenants.exists,
    authenticate: async (req: FastifyRequest) => {
      const key = req.headers['x-api-key'];
      if (typeof key === 'string') return services.apiKeys.authenticate(key);
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      return token ? services.auth.authenticateAccessToken(token) : undefined;
    },
    routes: async (a) =>
      sseRoutes(a, {
        subscribe: bus.subscribeTenant.bind(bus),
        recheck: principalChecks(services),
        livePermissions: { 'device.state': 'devices.read' },
        heartbeatMs: HEARTBEAT_MS,
      }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  await bus.close();
  await ctx?.close();
});

/** Opens the stream on the real socket; resolves once the 200 arrived. `ended` says when the server ended it. */
function open(headers: Record<string, string>) {
  return new Promise<{ ended: () => number | undefined; events: string[]; destroy: () => void }>((resolve, reject) => {
    let endedAt: number | undefined;
    const events: string[] = [];
    const req = http.get({ host: '127.0.0.1', port, path: `/api/tenants/${s.a.id}/stream`, headers }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/^event: (.*)$/gm)) events.push(m[1]!);
      });
      res.on('end', () => {
        endedAt = Date.now();
      });
      resolve({ ended: () => endedAt, events, destroy: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
// One heartbeat, plus the re-check's query and the socket, with room for a busy machine; the limit without the
// re-check is 10 minutes.
const WITHIN = HEARTBEAT_MS + 2_000;

describe('SSE re-checks its caller at every heartbeat', () => {
  it('a revoked, expired or disabled session ends its stream; a valid one keeps it', async () => {
    const tokens = {
      keep: await login(ctx, s.a.users.admin.email),
      logout: await login(ctx, s.a.users.viewer.email),
      expire: await login(ctx, s.a.users.viewer.email),
      disable: await login(ctx, s.a.users.operator.email),
    };
    const streams = {
      keep: await open(bearer(tokens.keep)),
      logout: await open(bearer(tokens.logout)),
      expire: await open(bearer(tokens.expire)),
      disable: await open(bearer(tokens.disable)),
    };
    await sleep(3 * HEARTBEAT_MS); // several heartbeats: every session is still valid
    for (const st of Object.values(streams)) expect(st.ended()).toBeUndefined();

    const t0 = Date.now();
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(tokens.logout) });
    expect(out.statusCode).toBe(204);
    await withSystem(ctx.pools.system, async (db) => {
      await db.query(`update auth_sessions set expires_at = now() - interval '1 second' where id = $1`, [
        sessionIdOf(tokens.expire),
      ]);
      // Disabled directly (no session revocation), so only the account check can end this one.
      await db.query('update users set is_active = false where id = $1', [s.a.users.operator.id]);
    });
    const ended = ['logout', 'expire', 'disable'] as const;
    expect(await until(() => ended.every((k) => streams[k].ended() !== undefined), WITHIN)).toBe(true);
    for (const k of ended) expect(streams[k].ended()! - t0).toBeLessThan(WITHIN);

    // The valid stream still delivers.
    bus.publishLive({ type: 'device.state', tenantId: s.a.id, deviceId: 'd1', status: 'online' });
    expect(await until(() => streams.keep.events.length === 1, 2_000)).toBe(true);
    expect(streams.keep.ended()).toBeUndefined();
    for (const st of Object.values(streams)) st.destroy();
    await withSystem(ctx.pools.system, (db) =>
      db.query('update users set is_active = true where id = $1', [s.a.users.operator.id]),
    );
  });

  it('deleting an API key ends the streams it opened', async () => {
    const admin = bearer(await login(ctx, s.a.users.admin.email));
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/api-keys`,
      headers: admin,
      payload: { name: 'stream key' },
    });
    expect(created.statusCode).toBe(201);
    const gone = await open({ 'x-api-key': created.json().key });
    const kept = await open({ 'x-api-key': s.a.apiKey });
    await sleep(3 * HEARTBEAT_MS);
    expect(gone.ended()).toBeUndefined();
    const t0 = Date.now();
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/tenants/${s.a.id}/api-keys/${created.json().id}`,
      headers: admin,
    });
    expect(del.statusCode).toBe(204);
    expect(await until(() => gone.ended() !== undefined, WITHIN)).toBe(true);
    expect(gone.ended()! - t0).toBeLessThan(WITHIN);
    expect(kept.ended()).toBeUndefined();
    gone.destroy();
    kept.destroy();
  });
});
