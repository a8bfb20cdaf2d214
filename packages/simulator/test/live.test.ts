// Live state: field names as real RouterOS 7.16 replies (the rest-7.16 fixtures), values that move with time,
// v6/v7 differences (health shape), counter wrap, link flaps.
import { q } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRows } from '../../../fixtures/index.js';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 'x' }];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    topology: 'chain',
    specs: [
      {
        version: '7.16',
        users,
        uptimeMs: 615_014_000,
        generate: { interfaces: 3, wireless: 1, wirelessClients: 2, wirelessPackage: 'wireless', dhcpLeases: 2 },
        traffic: { bps: 80_000_000, linkedPorts: 1 },
      },
      { version: '6.49.10', users, generate: { wireless: 1 } },
      { version: '7.16', users, traffic: { bps: 8_000_000_000, counterStart: (1n << 64n) - 1000n } },
      { version: '7.16', users, traffic: { linkFlapPeriodMs: 200, linkedPorts: 1 } },
    ],
  });
});
afterAll(() => fleet.stop());

/** Keys present in every fixture row must be in ours; ours must not invent keys the fixture never shows. */
function sameShape(ours: Record<string, string>[], fixture: Record<string, string>[], extra: string[] = []): void {
  const always = Object.keys(fixture[0] ?? {}).filter((k) => fixture.every((r) => k in r));
  const any = new Set([...fixture.flatMap((r) => Object.keys(r)), ...extra]);
  expect(ours.length).toBeGreaterThan(0);
  for (const row of ours) {
    for (const k of always) expect(row, `missing ${k}`).toHaveProperty([k]);
    for (const k of Object.keys(row)) expect(any.has(k), `unexpected field ${k}`).toBe(true);
    for (const v of Object.values(row)) expect(typeof v).toBe('string');
  }
}

describe('field names match RouterOS 7.16', () => {
  it('/system/resource', async () => {
    const c = await connect(fleet.devices[0]!);
    const rows = await c.command('/system/resource/print');
    sameShape(rows, restRows('system_resource'));
    expect(rows[0]?.uptime).toMatch(/^1w2h50m1[4-6]s$/);
    await c.close();
  });

  it('/system/routerboard', async () => {
    const c = await connect(fleet.devices[0]!);
    sameShape(await c.command('/system/routerboard/print'), restRows('system_routerboard'));
    await c.close();
  });

  it('/interface (ethernet, running and bridged ports)', async () => {
    const c = await connect(fleet.devices[0]!);
    const rows = await c.command('/interface/print', undefined, { query: q.eq('type', 'ether') });
    sameShape(rows, restRows('interface'));
    expect(rows[0]).toMatchObject({ running: 'true', disabled: 'false' });
    expect(rows[0]?.['last-link-up-time']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rows[1]).toMatchObject({ running: 'false', slave: 'true' });
    await c.close();
  });

  it('/interface/wireless/registration-table', async () => {
    const c = await connect(fleet.devices[0]!);
    const rows = await c.command('/interface/wireless/registration-table/print');
    expect(rows).toHaveLength(2);
    sameShape(rows, restRows('interface_wireless_registration'));
    for (const r of rows) {
      expect(r['signal-strength']).toMatch(/^-\d+@6Mbps$/);
      expect(r.bytes).toMatch(/^\d+,\d+$/);
      expect(Number(r['tx-ccq'])).toBeLessThanOrEqual(100);
      expect(r.uptime).toMatch(/^(\d+[wdhms])+$|^0s$/);
    }
    await c.close();
  });

  it('/ip/dhcp-server/lease', async () => {
    const c = await connect(fleet.devices[0]!);
    const rows = await c.command('/ip/dhcp-server/lease/print');
    sameShape(rows, restRows('ip_dhcp_server_lease'));
    expect(rows[0]).toMatchObject({ status: 'bound', dynamic: 'true' });
    expect(rows[0]?.['expires-after']).toMatch(/^(\d+[hms])+$/);
    await c.close();
  });
});

describe('version differences', () => {
  it('/system/health: v6 one flat item, v7 one item per sensor', async () => {
    const v7 = await connect(fleet.devices[0]!);
    const v6 = await connect(fleet.devices[1]!);
    const h7 = await v7.command('/system/health/print');
    expect(h7.map((r) => r.name)).toEqual(['voltage', 'temperature']);
    for (const r of h7) expect(Object.keys(r).sort()).toEqual(['.id', 'name', 'type', 'value']);
    const h6 = await v6.command('/system/health/print');
    expect(h6).toHaveLength(1);
    expect(Object.keys(h6[0] ?? {}).sort()).toEqual(['temperature', 'voltage']);
    expect(Number(h6[0]?.voltage)).toBeGreaterThan(20);
    await v7.close();
    await v6.close();
  });
});

describe('moving values', () => {
  it('counters grow with traffic between reads', async () => {
    const c = await connect(fleet.devices[0]!);
    const read = async () =>
      BigInt(
        (await c.command('/interface/print', undefined, { query: q.eq('name', 'ether1') }))[0]?.['rx-byte'] ?? '0',
      );
    const a = await read();
    await new Promise((r) => setTimeout(r, 60));
    const b = await read();
    expect(b).toBeGreaterThan(a);
    await c.close();
  });

  it('byte counters wrap at 2^64', async () => {
    const c = await connect(fleet.devices[2]!);
    const read = async () =>
      BigInt(
        (await c.command('/interface/print', undefined, { query: q.eq('name', 'ether1') }))[0]?.['rx-byte'] ?? '0',
      );
    const first = await read();
    await new Promise((r) => setTimeout(r, 30));
    const second = await read();
    expect(first < 1n << 64n && second < 1n << 64n).toBe(true);
    // 1 GB/s from 1000 bytes below 2^64: wrapped already or wraps between reads; either way a small value appears.
    expect(second).toBeLessThan(1n << 40n);
    await c.close();
  });

  it('link flaps: running goes false for a while and link-downs counts them', async () => {
    const c = await connect(fleet.devices[3]!);
    const seen = new Set<string>();
    let downs = 0;
    for (let i = 0; i < 30; i++) {
      const [row] = await c.command('/interface/print', undefined, { query: q.eq('name', 'ether1') });
      seen.add(row?.running ?? '');
      downs = Number(row?.['link-downs']);
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(seen).toEqual(new Set(['true', 'false']));
    expect(downs).toBeGreaterThanOrEqual(1);
    await c.close();
  });

  it('cpu-load and free-memory stay plausible', async () => {
    const c = await connect(fleet.devices[0]!);
    const [r] = await c.command('/system/resource/print');
    expect(Number(r?.['cpu-load'])).toBeGreaterThanOrEqual(0);
    expect(Number(r?.['cpu-load'])).toBeLessThanOrEqual(100);
    expect(Number(r?.['free-memory'])).toBeLessThan(Number(r?.['total-memory']));
    await c.close();
  });

  it('/ip/neighbor shows the fleet topology', async () => {
    const c = await connect(fleet.devices[1]!);
    const rows = await c.command('/ip/neighbor/print');
    // Device 1 is cabled to device 0 (its ether1) and device 2 (its last port); v7 neighbours announce the build time.
    expect(rows.map((r) => r.version)).toEqual([
      '7.16 (stable) 2024-09-20 13:00:27',
      '7.16 (stable) 2024-09-20 13:00:27',
    ]);
    expect(rows.map((r) => r.interface).sort()).toEqual(['ether1', 'ether5,bridge']);
    expect(rows[0]).toHaveProperty('identity');
    expect(rows[0]).toHaveProperty('mac-address');
    await c.close();
  });
});
