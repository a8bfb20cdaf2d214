import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePasswordContext } from '../../src/features/devices/credentials.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, type DeviceRow, device, events, startPipeline, waitFor } from './poller-fixture.js';

// A simulated fleet over real TCP/TLS, one poller and ingest in process (memory bus), 2-second interval.
// Device 0: v7, certificate on api-ssl. 1: v6 with anonymous-DH api-ssl. 2: v7, wrong password stored.
// 3: v7 whose byte counters start just below 2^64 and wrap during the test. 4: v7 used for edits.

let ctx: TestContext;
let fleet: Fleet;
let tenant: string;
let devs: DeviceRow[];
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
const id = (i: number) => devs.find((d) => d.index === i)!.id;

beforeAll(async () => {
  ctx = await createTestContext();
  fleet = await startFleet({
    devices: 5,
    base: { users: [{ name: 'admin', password: 'sim-pass' }], uptimeMs: 3_600_000, rebootDelayMs: 300 },
    spec: (i) =>
      i === 1
        ? { version: '6.49.10', tls: 'anon' }
        : i === 3
          ? { traffic: { counterStart: 2n ** 64n - 6_000_000n, bps: 20_000_000, linkedPorts: 2 } }
          : {},
  });
  tenant = await createTenant(ctx);
  devs = await addDevices(ctx, tenant, fleet, { password: (i) => (i === 2 ? 'wrong-pass' : undefined) });
  pipeline = await startPipeline(ctx);
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await fleet?.stop();
  await ctx?.close();
});

describe('poller against a simulated fleet', () => {
  it('brings devices online with their state, pins the TLS certificate, and stores metrics', async () => {
    for (const i of [0, 1, 3, 4])
      await waitFor(`device ${i} online`, async () => (await device(ctx, id(i))).status === 'online');
    const d0 = await device(ctx, id(0));
    expect(d0.version).toBe('7.16');
    expect(d0.transport).toBe('tls-pinned');
    expect(d0.tls_fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Number(d0.uptime_seconds)).toBeGreaterThanOrEqual(3600);
    expect(d0.identity).toBeTruthy();
    const d1 = await device(ctx, id(1));
    expect(d1.version).toBe('6.49.10');
    expect(d1.transport).toBe('tls-anon');
    expect(d1.tls_fingerprint).toBeNull();
    expect((await events(ctx, id(0))).map((e) => e.type)).toEqual(
      expect.arrayContaining(['device.online', 'device.tls_pinned']),
    );
    // Health rows, v6 (flat) and v7 (per sensor) health both parsed.
    for (const i of [0, 1]) {
      const h = await ctx.pools.system.query('select * from metrics_health where device_id = $1', [id(i)]);
      expect(h.rowCount).toBeGreaterThan(0);
      expect(h.rows[0].temperature).toBeGreaterThan(20);
      expect(h.rows[0].voltage).toBeGreaterThan(20);
    }
    // Rates appear from the second poll on, per interface, on the latest-interface table too.
    await waitFor('interface rates', async () => {
      const r = await ctx.pools.system.query(
        `select count(*)::int as n from device_interfaces where device_id = $1 and running and rx_bps > 0`,
        [id(0)],
      );
      return r.rows[0].n > 0;
    });
    const latest = await ctx.pools.system.query('select * from device_interfaces where device_id = $1', [id(0)]);
    expect(latest.rows.map((r) => r.name)).toContain('ether1');
    expect(latest.rows.find((r) => r.name === 'ether1').mac_address).toMatch(/^[0-9A-F:]{17}$/);
  });

  it('reports wrong credentials precisely', async () => {
    await waitFor('bad credentials', async () => (await device(ctx, id(2))).status_reason === 'bad_credentials');
    expect((await device(ctx, id(2))).status).toBe('offline');
    const ev = await events(ctx, id(2));
    expect(ev.find((e) => e.type === 'device.offline')?.details.reason).toBe('bad_credentials');
  });

  it('computes no negative or absurd rate when 64-bit counters wrap', async () => {
    // Wait until the counters of ether1 have wrapped past 2^64 (they started 6 MB below it).
    await waitFor(
      'counter wrap',
      async () => {
        const r = await ctx.pools.system.query(
          `select rx_bytes::text from device_interfaces where device_id = $1 and name = 'ether1'`,
          [id(3)],
        );
        const v = r.rows[0]?.rx_bytes;
        return v !== undefined && BigInt(v) < 2n ** 63n;
      },
      20_000,
    );
    // Polls after the wrap: wait for them rather than sleep (a loaded machine polls late, never wrongly).
    await waitFor(
      'rates after the wrap',
      async () => {
        const r = await ctx.pools.system.query(
          `select count(rx_bps)::int as n from metrics_interface where device_id = $1 and interface = 'ether1'`,
          [id(3)],
        );
        return r.rows[0].n >= 2;
      },
      20_000,
    );
    const rates = await ctx.pools.system.query(
      `select rx_bps, tx_bps, rx_pps, tx_pps from metrics_interface where device_id = $1 and interface = 'ether1'
        order by time`,
      [id(3)],
    );
    const rx = rates.rows.map((r) => r.rx_bps).filter((v) => v !== null) as number[];
    expect(rx.length).toBeGreaterThanOrEqual(2);
    // Only the first poll lacks a rate: the poll across the wrap got one (a wrap, not mistaken for a reset).
    expect(rates.rows.slice(1).every((r) => r.rx_bps !== null && r.tx_bps !== null)).toBe(true);
    for (const r of rates.rows)
      for (const v of [r.rx_bps, r.tx_bps, r.rx_pps, r.tx_pps]) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
    // The simulated link runs at ~20 Mbit/s × share (0.25–1.75): every rate, including across the wrap, is sane.
    for (const v of rx) expect(v).toBeLessThan(100_000_000);
  });

  it('takes a device that stops answering offline within two intervals, and back online', async () => {
    fleet.device(0).setFault({ timeout: true });
    const t0 = Date.now();
    await waitFor('device 0 offline', async () => (await device(ctx, id(0))).status === 'offline', 10_000);
    expect(Date.now() - t0).toBeLessThan(4000 + 1500 + 1000); // two intervals + command timeout + ingest slack
    expect((await device(ctx, id(0))).status_reason).toBe('timeout');
    fleet.device(0).clearFaults();
    await waitFor('device 0 online again', async () => (await device(ctx, id(0))).status === 'online', 10_000);
    const types = (await events(ctx, id(0))).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['device.offline', 'device.online']);
  });

  it('reports refused connections', async () => {
    fleet.device(4).setFault({ refuse: true });
    await waitFor('refused', async () => (await device(ctx, id(4))).status_reason === 'refused', 10_000);
    fleet.device(4).clearFaults();
    await waitFor('device 4 online again', async () => (await device(ctx, id(4))).status === 'online', 10_000);
  });

  it('detects a reboot', async () => {
    fleet.device(1).reboot(300);
    await waitFor(
      'reboot event',
      async () => (await events(ctx, id(1))).some((e) => e.type === 'device.rebooted'),
      10_000,
    );
    await waitFor('device 1 online', async () => (await device(ctx, id(1))).status === 'online');
    expect(Number((await device(ctx, id(1))).uptime_seconds)).toBeLessThan(60);
  });

  it('applies a device edit at the next cycle without restart', async () => {
    // A credentials edit (as the devices API does it: new ciphertext, config_version bumped).
    const setPassword = async (pw: string) => {
      const enc = await ctx.services.envelope.encrypt(
        tenant,
        pw,
        devicePasswordContext(id(4)),
        useByWorker('test', 'seal'),
      );
      await ctx.pools.system.query(
        'update devices set password_enc = $2, config_version = config_version + 1 where id = $1',
        [id(4), enc],
      );
    };
    await waitFor('device 4 online', async () => (await device(ctx, id(4))).status === 'online');
    await setPassword('not-the-password');
    await waitFor('edit applied', async () => (await device(ctx, id(4))).status_reason === 'bad_credentials', 10_000);
    await setPassword('sim-pass');
    await waitFor('fixed edit applied', async () => (await device(ctx, id(4))).status === 'online', 10_000);
    // Disabling stops polling: the session is closed and no more polls are recorded.
    await ctx.pools.system.query(
      'update devices set disabled = true, config_version = config_version + 1 where id = $1',
      [id(4)],
    );
    await new Promise((r) => setTimeout(r, 2500));
    const before = (await device(ctx, id(4))).last_polled_at?.getTime();
    await new Promise((r) => setTimeout(r, 4500));
    expect((await device(ctx, id(4))).last_polled_at?.getTime()).toBe(before);
  });

  it('exposes Prometheus metrics', async () => {
    const text = await pipeline.registry.metrics();
    expect(text).toMatch(/mikrotik_poll_total\{status="online"\} [1-9]/);
    expect(text).toMatch(/mikrotik_poll_total\{status="offline"\} [1-9]/);
    expect(text).toContain('mikrotik_poll_duration_seconds_bucket');
    expect(text).toContain('mikrotik_devices_active');
    expect(text).toContain('mikrotik_circuit_breaker_skips_total');
  });
});
