import { encodeSentence } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';
import { device, startPipeline, waitFor } from '../poller/poller-fixture.js';
import { api, auditActions, type Listener, listener, saveDevice } from './helpers.js';

// Probe and scan take any host and port from an operator. They must not become a way to talk to other services:
// no operator-chosen line breaks on the wire, no peer bytes in answers, never TOD's own ports, never a denied
// network (not even through a DNS name), and every probe and scan audited.

const SECRET = 'SECRET-BANNER-7f3a';
const L = '127.0.0.3'; // listeners bind here: 127.0.0.1 itself is denied below, to test a DNS name resolving to it
let ctx: TestContext;
let s: Seed;
let call: ReturnType<typeof api>;
let lines: Listener;
let banner: Listener;
let fatal: Listener;
let onLocalhost: Listener;
const own: Record<'http' | 'metrics' | 'redis' | 'nats', Listener> = {} as never;

beforeAll(async () => {
  lines = await listener({ host: L });
  banner = await listener({ host: L, banner: `HTTP/1.1 400 ${SECRET}\r\nServer: ${SECRET}\r\n\r\n` });
  // Speaks the RouterOS framing but says something of its own before any login.
  fatal = await listener({ host: L, banner: encodeSentence(['!fatal', `${SECRET} go away`]) });
  onLocalhost = await listener({ host: '127.0.0.1' });
  for (const k of ['http', 'metrics', 'redis', 'nats'] as const) own[k] = await listener({ host: L });
  ctx = await createTestContext({
    CONNECTION_TIMEOUT_SECONDS: '2',
    COMMAND_TIMEOUT_SECONDS: '2',
    PORT: String(own.http.port),
    METRICS_PORT: String(own.metrics.port),
    REDIS_URL: `redis://localhost:${own.redis.port}`,
    NATS_URL: `nats://127.0.0.1:${own.nats.port}`,
    DEVICE_NETWORKS_DENY: '127.0.0.1/32, 127.77.0.0/16, fd00:dead::/32',
    PROBE_RATE_LIMIT_PER_MINUTE: '1000',
    SCAN_RATE_LIMIT_PER_MINUTE: '1000',
  });
  s = await seed(ctx);
  call = api(ctx, s);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  for (const l of [lines, banner, fatal, onLocalhost, ...Object.values(own)]) await l?.close();
});

const probe = (host: string, port: number, extra: object = {}) =>
  call('POST', '/devices/probe', {
    host,
    port,
    tls_port: port,
    tls_mode: 'plain',
    username: 'admin',
    password: 'pw',
    ...extra,
  });

describe('logins with line breaks', () => {
  const injected = 'x\r\nSET pwned 1\r\n';

  it('are refused (422) in probe, device, credential profile, scan and bulk-add bodies; nothing is sent', async () => {
    const calls = [
      probe(L, lines.port, { username: injected }),
      probe(L, lines.port, { password: 'pw\nSET pwned 1' }),
      probe(L, lines.port, { username: 'a\0b' }),
      call('POST', '/devices', { name: 'n', host: L, port: lines.port, username: injected, password: 'x' }),
      call('POST', '/credential-profiles', { name: 'p', username: 'admin', password: 'a\r\nb' }),
      call('POST', '/devices/scan', { cidr: `${L}/32`, port: lines.port, username: injected, password: 'x' }),
      call('POST', '/devices/bulk-add', { devices: [{ host: L }], username: 'admin', password: 'x\ny' }),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe('validation_failed');
    }
    const id = (
      await call('POST', '/devices?probe=false', { name: 'edit-me', host: '10.9.9.9', username: 'a', password: 'b' })
    ).json().id;
    expect((await call('PATCH', `/devices/${id}`, { username: injected })).statusCode).toBe(422);
    expect(lines.connections).toBe(0);
  });

  it('stored before the rule existed, are never sent either', async () => {
    const id = await saveDevice(ctx, s.a.id, { host: L, port: lines.port, username: injected, password: 'pw' });
    const r = (await call('POST', `/devices/${id}/probe`)).json();
    expect(r).toMatchObject({ ok: false, code: 'bad_credentials' });
    expect(lines.connections).toBe(0);
    expect(lines.received().length).toBe(0);
  });

  it('in a CSV import are a bad row', async () => {
    const r = await call('POST', '/devices/import', {
      csv: `name,host,username,password\nok,10.8.0.1,admin,pw\nbad,10.8.0.2,admin,"p\r\nSET pwned 1"\n`,
    });
    expect(r.json()).toMatchObject({ added: 1, failed: 1 });
    expect(r.json().rows[1].error).toMatch(/password/);
  });
});

describe('what a peer sends', () => {
  it('never comes back in a probe answer or a scan hit', async () => {
    const a = await probe(L, banner.port);
    expect(a.json()).toMatchObject({ ok: false, code: 'not_routeros' });
    const b = await probe(L, fatal.port);
    expect(b.json()).toMatchObject({ ok: false, code: 'not_routeros' });
    const scan = await call('POST', '/devices/scan', {
      cidr: `${L}/32`,
      port: banner.port,
      tls_port: fatal.port,
      username: 'admin',
      password: 'pw',
      timeout_ms: 500,
    });
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.json().found).toHaveLength(1);
    for (const body of [a.body, b.body, scan.body]) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain('HTTP/1.1');
    }
  });
});

describe("TOD's own ports", () => {
  it('are never connected to: HTTP, metrics, the database, local Redis and NATS (target_denied)', async () => {
    const dbPort = Number(new URL(ctx.ownerUrl).port);
    for (const port of [own.http.port, own.metrics.port, own.redis.port, own.nats.port, dbPort]) {
      const r = await probe(L, port);
      expect(r.json(), `port ${port}`).toMatchObject({ ok: false, code: 'target_denied' });
    }
    // Any local address counts, and a saved device pointing there is refused too.
    expect((await probe('127.0.0.9', own.http.port)).json().code).toBe('target_denied');
    const id = await saveDevice(ctx, s.a.id, { host: L, port: own.metrics.port, password: 'pw' });
    expect((await call('POST', `/devices/${id}/probe`)).json().code).toBe('target_denied');
    const scan = await call('POST', '/devices/scan', { cidr: `${L}/32`, port: own.http.port, tls_port: own.nats.port });
    expect(scan.json()).toMatchObject({ scanned: 1, denied: 1, found: [] });
    for (const l of Object.values(own)) expect(l.connections).toBe(0);
  });
});

describe('denied networks (DEVICE_NETWORKS_DENY)', () => {
  it('refuse IPv4, IPv6 and IPv4-mapped addresses, and host names that resolve into them', async () => {
    for (const host of ['127.77.1.2', 'fd00:dead::1', '::ffff:127.77.0.9', 'localhost', '127.0.0.1']) {
      const r = await probe(host, onLocalhost.port);
      expect(r.json(), host).toMatchObject({ ok: false, code: 'target_denied' });
    }
    expect(onLocalhost.connections).toBe(0);
    // Outside them, the same listener is reached.
    expect((await probe(L, lines.port)).json().code).not.toBe('target_denied');
    expect(lines.connections).toBe(1);
  });

  it('are skipped by a scan, and counted', async () => {
    const r = await call('POST', '/devices/scan', { cidr: '127.77.0.0/29', port: lines.port, timeout_ms: 300 });
    expect(r.json()).toMatchObject({ scanned: 6, denied: 6, found: [] });
    const nd = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/devices/scan`,
      headers: { ...headersFor(s, 'operator'), accept: 'application/x-ndjson' },
      payload: { cidr: '127.77.0.0/30', port: lines.port, timeout_ms: 300 },
    });
    expect(
      nd.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([expect.objectContaining({ type: 'done', scanned: 2, denied: 2, found: 0 })]);
  });
});

describe('audit', () => {
  it('records every probe and scan with who asked, the target and the outcome', async () => {
    const probes = await auditActions(ctx, s.a.id, 'device.probe');
    expect(probes.length).toBeGreaterThan(5);
    expect(probes).toContainEqual(
      expect.objectContaining({
        details: expect.objectContaining({ host: L, port: banner.port, code: 'not_routeros' }),
      }),
    );
    expect(probes.some((p) => p.target_id !== null && p.details.code === 'target_denied')).toBe(true);
    const scans = await auditActions(ctx, s.a.id, 'device.scan');
    expect(scans).toContainEqual(
      expect.objectContaining({
        details: expect.objectContaining({
          cidr: '127.77.0.0/29',
          scanned: 6,
          denied: 6,
          found: 0,
          with_credentials: false,
        }),
      }),
    );
    expect(JSON.stringify(scans)).not.toContain('pw');
  });
});

describe('the poller', () => {
  it("refuses a device in a denied network or on one of TOD's ports, without connecting", async () => {
    const denied = await listener({ host: '127.77.2.1' });
    const inDenied = await saveDevice(ctx, s.b.id, { host: '127.77.2.1', port: denied.port, password: 'pw' });
    const onOwn = await saveDevice(ctx, s.b.id, { host: L, port: own.http.port, password: 'pw' });
    const viaName = await saveDevice(ctx, s.b.id, { host: 'localhost', port: onLocalhost.port, password: 'pw' });
    const pipeline = await startPipeline(ctx);
    try {
      for (const id of [inDenied, onOwn, viaName])
        await waitFor(`${id} refused`, async () => (await device(ctx, id)).status_reason === 'target_denied');
    } finally {
      await pipeline.stop();
      await denied.close();
    }
    expect((await device(ctx, inDenied)).status).toBe('offline');
    expect(denied.connections + own.http.connections + onLocalhost.connections).toBe(0);
  });
});
