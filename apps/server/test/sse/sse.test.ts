import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../src/features/index.js';
import { createMemoryBus } from '../../src/platform/bus/index.js';
import { defineFeature } from '../../src/platform/feature/feature.js';
import { postgresCheck } from '../../src/platform/readiness.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createServices } from '../../src/runtime/services.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

/** Opens the stream over a real socket and collects events until `until` says stop. */
function listen(port: number, tenantId: string, headers: Record<string, string>) {
  const events: { event: string; data: unknown }[] = [];
  let status = 0;
  let contentType = '';
  const req = http.get({ host: '127.0.0.1', port, path: `/api/tenants/${tenantId}/stream`, headers }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buf += chunk;
      let i = buf.indexOf('\n\n');
      while (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        i = buf.indexOf('\n\n');
      }
    });
  });
  return { events, status: () => status, contentType: () => contentType, close: () => req.destroy() };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('live updates over SSE', () => {
  it("streams a tenant's updates to its users only, and ends streams on shutdown", async () => {
    const bus = createMemoryBus({ log: (await import('pino')).default({ level: 'silent' }) });
    const app = await createHttpServer({
      config: ctx.config,
      log: (await import('pino')).default({ level: 'silent' }),
      services: ctx.services,
      readiness: [postgresCheck(ctx.pools.app)],
      live: bus,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const a = listen(port, s.a.id, headersFor(s, 'viewer'));
    const b = listen(port, s.b.id, headersFor(s, 'viewer', s.b));
    const cross = listen(port, s.b.id, headersFor(s, 'viewer'));
    const anon = listen(port, s.a.id, {});
    expect(
      await until(() => a.status() === 200 && b.status() === 200 && cross.status() !== 0 && anon.status() !== 0),
    ).toBe(true);
    expect(a.contentType()).toContain('text/event-stream');
    expect(cross.status()).toBe(404);
    expect(anon.status()).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    bus.publishLive({ type: 'device.state', tenantId: s.a.id, deviceId: 'd1', status: 'online' });
    bus.publishLive({ type: 'device.state', tenantId: s.b.id, deviceId: 'd2', status: 'offline' });
    expect(await until(() => a.events.length === 1 && b.events.length === 1)).toBe(true);
    expect(a.events[0]).toEqual({ event: 'device.state', data: { deviceId: 'd1', status: 'online' } });
    expect(b.events[0]!.data).toMatchObject({ deviceId: 'd2' });
    const closing = app.close();
    await expect(
      Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5000))]),
    ).resolves.toBe('closed');
    for (const c of [a, b, cross, anon]) c.close();
    await bus.close();
  });

  it('sends each message type only to callers with its permission, and undeclared types to nobody', async () => {
    // A feature whose live message needs an admin permission, beside the real ones.
    const secret = defineFeature({ name: 'secretLive', live: { 'test.secret': { permission: 'users.list' } } });
    const log = (await import('pino')).default({ level: 'silent' });
    const bus = createMemoryBus({ log });
    const services = createServices({
      config: ctx.config,
      log,
      appPool: ctx.pools.app,
      systemPool: ctx.pools.system,
      bus,
      features: [...features, secret],
    });
    const app = await createHttpServer({ config: ctx.config, log, services, readiness: [] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const viewer = listen(port, s.a.id, headersFor(s, 'viewer'));
    const admin = listen(port, s.a.id, headersFor(s, 'admin'));
    expect(await until(() => viewer.status() === 200 && admin.status() === 200)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    bus.publishLive({ type: 'test.secret', tenantId: s.a.id, n: 1 });
    bus.publishLive({ type: 'device.unknown', tenantId: s.a.id, n: 2 });
    bus.publishLive({ type: 'device.state', tenantId: s.a.id, n: 3 });
    expect(await until(() => viewer.events.length === 1 && admin.events.length === 2)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(viewer.events.map((e) => e.event)).toEqual(['device.state']);
    expect(admin.events.map((e) => e.event)).toEqual(['test.secret', 'device.state']);
    for (const c of [viewer, admin]) c.close();
    await app.close();
    await bus.close();
  });
});
