import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { RouterOSClient } from '@tod/routeros';
import { type Fleet, startFleet } from '@tod/simulator';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainLogPartitions } from '../../src/features/device-logs/device-logs.partitions.js';
import { type SyslogReceiver, startSyslogReceiver } from '../../src/features/device-logs/syslog/receiver.js';
import { devicePasswordContext } from '../../src/features/devices/credentials.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, type DeviceRow, waitFor } from '../poller/poller-fixture.js';

// Syslog end to end: simulated routers (each on its own loopback address) configured to log remotely send to TOD's
// receiver, which matches them to devices by address and stores their lines; RFC 5424 and TCP framing from a raw
// client; and hostile senders: unknown and ambiguous sources, oversized messages, floods, connection and queue limits.

const log = pino({ level: 'silent' });
const NET = '127.13.0';
let ctx: TestContext;
let fleet: Fleet;
let tenantA: string;
let tenantB: string;
let devs: DeviceRow[];
let registry: Registry;
let rx: SyslogReceiver;

async function insertDevice(tenantId: string, host: string): Promise<string> {
  const id = randomUUID();
  const enc = await ctx.services.envelope.encrypt(
    tenantId,
    'x',
    devicePasswordContext(id),
    useByWorker('test', 'seal'),
  );
  await withSystem(ctx.pools.system, (db) =>
    db.query(
      `insert into devices (id, tenant_id, name, host, port, tls_port, tls_mode, username, password_enc)
       values ($1, $2, $3, $4, 1, 2, 'plain', 'admin', $5)`,
      [id, tenantId, `d-${id.slice(0, 6)}`, host, enc],
    ),
  );
  return id;
}

const dropped = async (reg: Registry, reason: string) =>
  (await reg.getSingleMetric('mikrotik_syslog_dropped_total')!.get()).values.find((v) => v.labels.reason === reason)
    ?.value ?? 0;
const received = async (reg: Registry) =>
  (await reg.getSingleMetric('mikrotik_syslog_messages_total')!.get()).values.reduce((n, v) => n + v.value, 0);
const rows = async (deviceId: string) =>
  (
    await ctx.pools.system.query(
      'select tenant_id, source, topics, severity, message, entry_id from device_logs where device_id = $1 order by id',
      [deviceId],
    )
  ).rows;

/** Waits until the receiver has taken every datagram that will arrive (its count stops moving). */
async function settled(reg: Registry): Promise<number> {
  let last = -1;
  for (;;) {
    const n = await received(reg);
    if (n === last) return n;
    last = n;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Sends datagrams from `from` (a loopback address) to a receiver. */
async function udpFrom(from: string, port: number, messages: Array<string | Buffer>): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind({ address: from, port: 0 }, () => r()));
  for (const m of messages) await new Promise<void>((r) => s.send(m, port, '127.0.0.1', () => r()));
  s.close();
}

function tcpFrom(from: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(c));
    c.on('error', reject);
  });
}
const closed = (c: net.Socket) => new Promise<void>((r) => (c.destroyed ? r() : c.once('close', () => r())));

beforeAll(async () => {
  ctx = await createTestContext();
  await maintainLogPartitions(ctx.pools.owner, 30, { behindDays: 1 });
  fleet = await startFleet({
    devices: 2,
    subnet: `${NET}.0/29`,
    sshPort: false,
    tls: false,
    base: { users: [{ name: 'admin', password: 'sim-pass' }] },
    spec: (i) => (i === 1 ? { version: '6.49.10' } : {}),
  });
  tenantA = await createTenant(ctx);
  tenantB = await createTenant(ctx);
  devs = await addDevices(ctx, tenantA, fleet, { tlsMode: () => 'plain' });
  // The same address in two organisations: ambiguous.
  await insertDevice(tenantA, `${NET}.5`);
  await insertDevice(tenantB, `${NET}.5`);
  registry = new Registry();
  rx = await startSyslogReceiver({
    system: ctx.pools.system,
    log,
    registry,
    host: '127.0.0.1',
    port: 0,
    options: { ratePerSecond: 50, burst: 100, maxTcpConnections: 3, flushMs: 50 },
  });
}, 60_000);
afterAll(async () => {
  await rx?.stop();
  await fleet?.stop();
  await ctx?.close();
});

async function configureRemote(i: number, action: Record<string, string>, topics: string[]) {
  const d = fleet.devices[i]!;
  const c = await RouterOSClient.connect({
    host: d.address,
    port: d.port,
    tlsMode: 'plain',
    username: 'admin',
    password: 'sim-pass',
  });
  await c.command('/system/logging/action/add', {
    name: 'tod',
    target: 'remote',
    remote: '127.0.0.1',
    'remote-port': String(rx.port),
    ...action,
  });
  for (const t of topics) await c.command('/system/logging/add', { topics: t, action: 'tod' });
  return c;
}

describe('syslog from routers configured to log remotely', () => {
  it('RouterOS 7, its own format: each line its rules match, with topics and severity, filed under the device', async () => {
    const c = await configureRemote(0, { 'bsd-syslog': 'no' }, ['info', 'critical', 'firewall,!info']);
    const d = fleet.device(0);
    d.log('system,error,critical', 'login failure for user eve from 10.9.9.9 via ssh');
    d.log('dhcp,debug', 'not matched by any rule');
    d.log('system,info,account', 'user bob logged in from 10.0.0.3 via winbox');
    d.log('firewall,info', 'input: in:ether1 out:(unknown 0), proto TCP (SYN)');
    await c.close();
    const got = await waitFor('lines stored', async () => {
      await rx.flush();
      const r = await rows(devs[0]!.id);
      return r.some((x) => x.message.startsWith('input: in:ether1')) ? r : null;
    });
    expect(got).toEqual(
      expect.arrayContaining([
        {
          tenant_id: tenantA,
          source: 'syslog',
          topics: ['system', 'error', 'critical'],
          severity: 'critical',
          message: 'login failure for user eve from 10.9.9.9 via ssh',
          entry_id: null,
        },
        expect.objectContaining({ topics: ['firewall', 'info'], message: expect.stringMatching(/^input: in:ether1/) }),
        expect.objectContaining({
          topics: ['system', 'info', 'account'],
          severity: 'info',
          message: 'user bob logged in from 10.0.0.3 via winbox',
        }),
      ]),
    );
    // Sent once although two rules match it; the unmatched one never.
    expect(got.filter((r) => r.message.startsWith('input: in:ether1'))).toHaveLength(1);
    expect(got.map((r) => r.message)).not.toContain('not matched by any rule');
  });

  it('RouterOS 6, bsd-syslog=yes: RFC 3164 with the identity as host, severity from the priority', async () => {
    const c = await configureRemote(1, { 'bsd-syslog': 'yes', 'syslog-facility': 'local0' }, ['error']);
    fleet.device(1).log('system,error', 'could not resolve update server');
    await c.close();
    const got = await waitFor('line stored', async () => {
      await rx.flush();
      return (await rows(devs[1]!.id)).find((r) => r.message === 'could not resolve update server');
    });
    expect(got).toMatchObject({ source: 'syslog', topics: [], severity: 'error', tenant_id: tenantA });
  });

  it('TCP, octet-counted and newline-framed, from a known router; RFC 5424 too', async () => {
    const c = await tcpFrom(`${NET}.2`, rx.port);
    const m1 = '<13>1 2026-01-01T00:00:00Z r2 app - - [a@1 b="c"] tcp five four two four';
    c.write(`${Buffer.byteLength(m1)} ${m1}<30>system,info tcp newline framed\n`);
    const got = await waitFor('tcp lines', async () => {
      await rx.flush();
      const r = (await rows(devs[1]!.id)).filter((x) => x.message.startsWith('tcp'));
      return r.length === 2 ? r : null;
    });
    expect(got.map((r) => r.message)).toEqual(['tcp five four two four', 'tcp newline framed']);
    c.destroy();
  });
});

describe('hostile senders are bounded', () => {
  it('drops unknown and ambiguous sources, oversized datagrams and garbage, counting each', async () => {
    const before = await received(registry);
    await udpFrom(`${NET}.6`, rx.port, ['<30>system,info from nowhere']);
    await udpFrom(`${NET}.5`, rx.port, ['<30>system,info from two organisations']);
    await udpFrom(`${NET}.1`, rx.port, [Buffer.alloc(9000, 0x41), 'not syslog at all', Buffer.from([0, 1, 2])]);
    await waitFor('all received', async () => (await received(registry)) >= before + 5);
    expect(await dropped(registry, 'unknown_source')).toBe(1);
    expect(await dropped(registry, 'ambiguous_source')).toBe(1);
    expect(await dropped(registry, 'oversized')).toBe(1);
    expect(await dropped(registry, 'unparseable')).toBe(2);
    await rx.flush();
    const n = await ctx.pools.system.query(`select count(*)::int as n from device_logs where message like 'from %'`);
    expect(n.rows[0].n).toBe(0);
  });

  it('a flooding router is cut to its rate: the rest is dropped, not queued', async () => {
    const before = await received(registry);
    const stored0 = (await rows(devs[0]!.id)).length;
    const flood = Array.from({ length: 1000 }, (_, k) => `<30>firewall,info flood ${k}`);
    await udpFrom(`${NET}.1`, rx.port, flood);
    // Datagrams can be lost on the way; count what arrived.
    const arrived = (await settled(registry)) - before;
    await rx.flush();
    const stored = (await rows(devs[0]!.id)).length - stored0;
    const limited = await dropped(registry, 'rate_limited');
    expect(limited).toBeGreaterThan(0);
    expect(stored).toBeLessThan(1000);
    expect(stored + limited).toBe(arrived);
  });

  it('TCP: unknown sources are hung up on, connections are capped, an oversized frame ends its connection', async () => {
    const unknown = await tcpFrom(`${NET}.6`, rx.port);
    await closed(unknown);
    const conns = await Promise.all([1, 2, 3, 4].map(() => tcpFrom(`${NET}.2`, rx.port)));
    await waitFor('one refused', async () => (await dropped(registry, 'tcp_limit')) >= 1);
    const open = conns.filter((c) => !c.destroyed);
    const big = open[0]!;
    big.write(`9000 <30>${'a'.repeat(100)}`);
    await closed(big);
    expect(await dropped(registry, 'oversized')).toBe(2);
    const line = open[1]!;
    line.write(`<30>${'b'.repeat(9000)}`);
    await closed(line);
    expect(await dropped(registry, 'oversized')).toBe(3);
    for (const c of conns) c.destroy();
  });

  it('a full queue refuses new lines (the database behind) instead of growing', async () => {
    const reg = new Registry();
    const slow = await startSyslogReceiver({
      system: ctx.pools.system,
      log,
      registry: reg,
      host: '127.0.0.1',
      port: 0,
      options: { maxQueue: 20, flushMs: 3_600_000 },
    });
    try {
      await udpFrom(
        `${NET}.2`,
        slow.port,
        Array.from({ length: 50 }, (_, k) => `<30>script,info queued ${k}`),
      );
      const arrived = await settled(reg);
      expect(arrived).toBeGreaterThan(20);
      expect(await dropped(reg, 'queue_full')).toBe(arrived - 20);
      await slow.flush();
      const n = await ctx.pools.system.query(
        `select count(*)::int as n from device_logs where message like 'queued %'`,
      );
      expect(n.rows[0].n).toBe(20);
    } finally {
      await slow.stop();
    }
  });
});
