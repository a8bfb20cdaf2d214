import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRows } from '../../../../fixtures/index.js';
import { writeResults } from '../../src/features/ingest/ingest.batch.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { consumeTopology } from '../../src/features/topology/consume.js';
import { consumeWireless } from '../../src/features/wireless/consume.js';
import { registrationsOf } from '../../src/features/wireless/parse.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { runRollups } from '../../src/platform/timeseries/rollups.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { interfaceSample, pollResult } from '../helpers/poll-result.js';
import { type Seed, seed } from '../helpers/seed.js';

// Wireless through ingest's real transaction and the API: links from an AP's registrations to managed CPEs with
// their states, unknown clients, RF stats, a station's view of its AP, signal history with its hourly rollup and a
// falling trend, wireless issues per organisation and across them.

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 8, fiveMinute: 8, hourly: 90 }), { behindDays: 6 });
});
afterAll(() => ctx?.close());

const wlan = (mac: string) => interfaceSample('wlan1', mac, 'wlan');

const AP_MAC = '4C:5E:0C:10:00:01';
const CPE1 = '4C:5E:0C:20:00:01';
const CPE2 = '4C:5E:0C:20:00:02';
const PHONE = 'DA:A1:19:00:00:07';

const ingest = (results: PollResult[]) =>
  writeResults(ctx.pools.system, results, [
    { name: 'topology', consume: consumeTopology },
    { name: 'wireless', consume: consumeWireless },
  ]);

const reg = (mac: string, signal: number, ccq: number) => ({
  interface: 'wlan1',
  'mac-address': mac,
  'signal-strength': `${signal}@6Mbps`,
  'signal-to-noise': String(signal + 105),
  'tx-ccq': String(ccq),
  'tx-rate': '130Mbps-20MHz/2S',
  'rx-rate': '117Mbps-20MHz/2S',
  uptime: '1d2h3m4s',
  'last-ip': '10.0.0.9',
});

type Link = { cpe_device_id: string; state: string; signal: number; tx_ccq: number; tx_rate_mbps: number };

describe('wireless', () => {
  let ap: string;
  let cpe1: string;
  let cpe2: string;
  const base = () => `/api/tenants/${s.a.id}`;

  it('links an AP to its managed CPEs with their state, and lists the clients TOD does not manage', async () => {
    const make = factories(ctx, s);
    ap = (await make.device({ name: 'sector-north' })).id;
    cpe1 = (await make.device({ name: 'cpe-good' })).id;
    cpe2 = (await make.device({ name: 'cpe-weak' })).id;
    const at = new Date();
    await ingest([
      pollResult(s.a.id, cpe1, { at, interfaces: [wlan(CPE1)] }),
      pollResult(s.a.id, cpe2, { at, interfaces: [wlan(CPE2)] }),
      pollResult(s.a.id, ap, {
        at,
        interfaces: [wlan(AP_MAC)],
        facts: {
          wireless: [reg(CPE1, -58, 92), reg(CPE2, -80, 41), reg(PHONE, -66, 80)],
          wireless_interfaces: [
            { name: 'wlan1', mode: 'ap-bridge', ssid: 'north', frequency: '5180', 'channel-width': '20/40mhz-XX' },
          ],
          wireless_rf: [
            {
              name: 'wlan1',
              'noise-floor': '-105',
              'overall-tx-ccq': '77',
              'registered-clients': '3',
              frequency: '5180',
            },
          ],
        },
      }),
    ]);
    // The CPE's own view: its AP (a station's row; v6 says ap=true).
    await ingest([
      pollResult(s.a.id, cpe1, {
        at: new Date(at.getTime() + 1),
        interfaces: [wlan(CPE1)],
        facts: { wireless: [{ ...reg(AP_MAC, -60, 90), ap: 'true' }] },
      }),
    ]);
    const viewer = apiAs(ctx, s, 'viewer');
    const links = expectStatus<{ items: Link[]; total: number }>(await viewer.get(`${base()}/links`), 200);
    expect(links.items.map((l) => [l.cpe_device_id, l.state, l.signal, l.tx_ccq, l.tx_rate_mbps])).toEqual([
      [cpe1, 'active', -58, 92, 130],
      [cpe2, 'degraded', -80, 41, 130],
    ]);
    const degraded = expectStatus<{ items: Link[] }>(await viewer.get(`${base()}/links?state=degraded`), 200);
    expect(degraded.items.map((l) => l.cpe_device_id)).toEqual([cpe2]);
    const ofCpe = expectStatus<{ items: Link[] }>(await viewer.get(`${base()}/devices/${cpe1}/links`), 200);
    expect(ofCpe.items).toHaveLength(1);

    const unknown = expectStatus<{ items: Array<{ mac_address: string }> }>(
      await viewer.get(`${base()}/devices/${ap}/unknown-clients`),
      200,
    );
    expect(unknown.items.map((u) => u.mac_address)).toEqual([PHONE]);
    const rf = expectStatus<{ items: Array<Record<string, unknown>> }>(
      await viewer.get(`${base()}/devices/${ap}/rf-stats`),
      200,
    );
    expect(rf.items).toEqual([
      expect.objectContaining({ interface: 'wlan1', mode: 'ap-bridge', noise_floor: -105, ccq: 77, clients: 3 }),
    ]);
    const station = expectStatus<{ items: Array<Record<string, unknown>> }>(
      await viewer.get(`${base()}/devices/${cpe1}/registrations`),
      200,
    );
    expect(station.items).toEqual([
      expect.objectContaining({ mac_address: AP_MAC, role: 'ap', peer_device_id: ap, peer_name: 'sector-north' }),
    ]);
    // The topology draws the radio link once, from both ends' registrations.
    const g = expectStatus<{ edges: Array<{ kind: string }> }>(await viewer.get(`${base()}/topology`), 200);
    expect(g.edges.filter((e) => e.kind === 'wireless')).toHaveLength(2);
  });

  it('links a CPE first seen after its AP as soon as TOD learns its MAC', async () => {
    const late = (await factories(ctx, s).device({ name: 'cpe-late' })).id;
    const LATE = '4C:5E:0C:20:00:09';
    const listed = [reg(CPE1, -58, 92), reg(CPE2, -80, 41), reg(PHONE, -66, 80), reg(LATE, -62, 90)];
    await ingest([pollResult(s.a.id, ap, { at: new Date(Date.now() + 100), facts: { wireless: listed } })]);
    const viewer = apiAs(ctx, s, 'viewer');
    const before = expectStatus<{ items: Link[] }>(await viewer.get(`${base()}/devices/${ap}/unknown-clients`), 200);
    expect(before.items.map((u) => (u as unknown as { mac_address: string }).mac_address)).toEqual([LATE, PHONE]);
    // The CPE's first poll brings its interfaces (no wireless collection yet).
    await ingest([pollResult(s.a.id, late, { at: new Date(Date.now() + 200), interfaces: [wlan(LATE)] })]);
    const links = expectStatus<{ items: Link[] }>(await viewer.get(`${base()}/devices/${late}/links`), 200);
    expect(links.items.map((l) => l.cpe_device_id)).toEqual([late]);
  });

  it('marks a link down after two collections without it, and counts the client as dropped', async () => {
    for (const k of [1, 2]) {
      await ingest([
        pollResult(s.a.id, ap, {
          at: new Date(Date.now() + k * 1000),
          facts: { wireless: [reg(CPE2, -81, 40), reg(PHONE, -66, 80)] },
        }),
      ]);
      const links = expectStatus<{ items: Link[] }>(await apiAs(ctx, s, 'viewer').get(`${base()}/links`), 200);
      expect(links.items.find((l) => l.cpe_device_id === cpe1)?.state).toBe(k === 1 ? 'active' : 'down');
    }
  });

  it('keeps signal history with an hourly rollup and flags a client whose signal falls over days', async () => {
    // Three days of samples every 15 minutes: -60 dBm falling to -72 dBm.
    const now = Date.now();
    const rows: string[] = [];
    for (let m = 3 * 24 * 60; m >= 0; m -= 15) {
      const signal = -72 + Math.round((m / (3 * 24 * 60)) * 12);
      rows.push(`('${s.a.id}', '${ap}', 'wlan1', '${CPE2}', now() - interval '${m} minutes', ${signal}, 30, 50)`);
    }
    await withSystem(ctx.pools.system, (db) =>
      db.query(
        `insert into wireless_signal (tenant_id, device_id, interface, mac, time, signal, snr, tx_ccq) values
         ${rows.join(',')} on conflict do nothing`,
      ),
    );
    await runRollups(ctx.pools.system, { now, graceMs: 0, maxBuckets: 1000 });
    const viewer = apiAs(ctx, s, 'viewer');
    type History = {
      resolution: string;
      points: Array<{ signal: number }>;
      trend: { falling: boolean; drop_db: number } | null;
    };
    const day = expectStatus<History>(
      await viewer.get(`${base()}/devices/${ap}/signal-history?mac_address=${CPE2.toLowerCase()}&range=24h`),
      200,
    );
    expect(day.resolution).toBe('raw');
    expect(day.points.length).toBeGreaterThanOrEqual(96);
    const week = expectStatus<History>(
      await viewer.get(`${base()}/devices/${ap}/signal-history?mac_address=${CPE2}&range=7d`),
      200,
    );
    expect(week.resolution).toBe('1h');
    expect(week.points.length).toBeGreaterThanOrEqual(70);
    expect(week.points.length).toBeLessThanOrEqual(74);
    expect(week.trend?.falling).toBe(true);
    expect(week.trend?.drop_db).toBeGreaterThanOrEqual(8);
    const bad = await viewer.get(`${base()}/devices/${ap}/signal-history?mac_address=nope`);
    expect(bad.statusCode).toBe(422);

    type Issues = { items: Array<{ device_id: string; issues: string[]; tenant_name?: string }> };
    const issues = expectStatus<Issues>(await viewer.get(`${base()}/fleet/wireless-issues`), 200);
    expect(issues.items).toEqual([
      expect.objectContaining({
        device_id: ap,
        issues: ['degraded_signal', 'low_ccq', 'dropped_clients', 'falling_signal'],
      }),
    ]);
    const fleet = expectStatus<Issues>(await apiAs(ctx, s, 'super_admin').get('/api/fleet/wireless-issues'), 200);
    expect(fleet.items.find((i) => i.device_id === ap)?.tenant_name).toBe('Tenant a');
    const other = expectStatus<Issues>(
      await apiAs(ctx, s, 'viewer', s.b).get(`/api/tenants/${s.b.id}/fleet/wireless-issues`),
      200,
    );
    expect(other.items).toEqual([]);
    expect((await apiAs(ctx, s, 'viewer', s.b).get(`/api/tenants/${s.b.id}/devices/${ap}/rf-stats`)).statusCode).toBe(
      404,
    );
  });

  it('reads a real RouterOS 7.16 wireless registration reply', () => {
    const rows = restRows('interface_wireless_registration');
    const [r] = registrationsOf({ wireless: rows.slice(0, 1) }, []);
    expect(r).toMatchObject({
      interface: 'wlan2',
      role: 'client',
      signal: -62,
      snr: 45,
      tx_ccq: 89,
      tx_rate_mbps: 866.6,
      rx_rate_mbps: 585,
      uptime_seconds: 6 * 86400 + 4 * 3600 + 45 * 60 + 3,
      last_ip: '10.10.10.252',
    });
  });
});
