// Radio links and wireless clients over real API sockets: registrations on both ends (legacy wireless on v6, the
// wifi package on v7), field names as the real 7.16 reply (fixtures/routeros/rest-7.16/
// interface_wireless_registration.json, from telegraf's test data), a link taken down or broken by configuration,
// signal drift within bounds, a degrading sector falling, clients coming and going, RF monitors, CAPsMAN.
import type { RouterOSClient, Row } from '@tod/routeros';
import { q } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRows } from '../../../fixtures/index.js';
import { DRIFT_DB, type Fleet, SIGNAL_FLOOR, signalAt, startFleet, type WorldSpec } from '../src/index.js';
import { connect, waitFor } from './helpers.js';

const PHONE = '3C:22:FB:10:20:30';
const LAPTOP = 'DA:A1:19:01:02:03';
const TABLET = 'F0:18:98:44:55:66';
const CAP_PHONE = '5C:E9:1E:00:00:07';

const legacy = (extra = {}) => ({
  version: '6.49.10',
  generate: { interfaces: 1, wireless: 1, wirelessClients: 0, ...extra },
});
const wifi = (extra = {}) => ({
  version: '7.16',
  generate: { interfaces: 1, wireless: 1, wirelessClients: 0, wirelessName: 'wifi' as const, ...extra },
});

const world: WorldSpec = {
  radios: [
    { id: 'r1', ap: [0, 'wlan1'], station: [1, 'wlan1'], baseSignal: -60 },
    { id: 'r2', ap: [0, 'wlan1'], station: [2, 'wlan1'], baseSignal: -70 },
    { id: 'r3', ap: [3, 'wifi1'], station: [4, 'wifi1'], baseSignal: -65 },
  ],
  clients: [
    { mac: PHONE, ap: [0, 'wlan1'], lastIp: '192.168.88.101', baseSignal: -55 },
    { mac: LAPTOP, ap: [0, 'wlan1'], schedule: { periodMs: 600, presentFraction: 0.5 } },
    { mac: TABLET, ap: [3, 'wifi1'], baseSignal: -58 },
    { mac: CAP_PHONE, ap: [7, 'wlan1'] },
  ],
  capsman: [
    { manager: 5, caps: [[7, 'wlan1']] },
    { manager: 6, caps: [[3, 'wifi1']] },
  ],
};

let fleet: Fleet;
const clients: RouterOSClient[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    sshPort: false,
    base: { users: [{ name: 'admin', password: 'r' }], uptimeMs: 7_200_000 },
    specs: [
      { identity: 'ap6', ...legacy({ interfaces: 2, bridgePorts: ['ether2', 'wlan1'] }) },
      { identity: 'cpe6a', ...legacy({ bridgePorts: ['ether1', 'wlan1'] }), version: '6.48.6' },
      { identity: 'cpe6b', ...legacy() },
      { identity: 'ap7', ...wifi({ interfaces: 2 }) },
      { identity: 'cpe7', ...wifi({ bridgePorts: ['ether1', 'wifi1'] }) },
      { identity: 'capsman6', version: '6.49.10' },
      { identity: 'capsman7', version: '7.16' },
      { identity: 'cap6', ...legacy() },
    ],
    topology: world,
  });
  for (const d of fleet.devices) clients.push(await connect(d));
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await fleet.stop();
});

const regs = (i: number, path = '/interface/wireless/registration-table') => clients[i]!.command(`${path}/print`);
const macOf = async (i: number, name: string) =>
  (await clients[i]!.command('/interface/print', undefined, { query: q.eq('name', name) }))[0]?.['mac-address'];
const running = async (i: number, name: string) =>
  (await clients[i]!.command('/interface/print', undefined, { query: q.eq('name', name) }))[0]?.running;
const signalOf = (r: Row | undefined) => Number((r?.['signal-strength'] ?? r?.signal ?? '').split('@')[0]);

const fixture = restRows('interface_wireless_registration');
/** What a legacy table adds about a MikroTik peer (its proprietary IE), beyond the fixture's phones. */
const MIKROTIK_FIELDS = [
  'radio-name',
  'routeros-version',
  'rx-ccq',
  'tx-signal-strength',
  'tx-signal-strength-ch0',
  'tx-signal-strength-ch1',
];

function sameShape(row: Row, extra: string[] = []): void {
  const always = Object.keys(fixture[0] ?? {}).filter((k) => fixture.every((r) => k in r));
  const any = new Set([...fixture.flatMap((r) => Object.keys(r)), ...extra]);
  for (const k of always) expect(row, `missing ${k}`).toHaveProperty([k]);
  for (const k of Object.keys(row)) expect(any.has(k), `unexpected field ${k}`).toBe(true);
}

describe('registrations on both ends', () => {
  it('v6 AP: each station by its wlan MAC (with what MikroTik peers tell), and the clients present', async () => {
    const rows = await regs(0);
    const cpeA = rows.find((r) => r['routeros-version'] === '6.48.6');
    expect(cpeA?.['mac-address']).toBe(await macOf(1, 'wlan1'));
    expect(cpeA).toMatchObject({ interface: 'wlan1', ap: 'false', bridge: 'true', 'last-ip': '10.0.1.1' });
    expect(cpeA?.['radio-name']).toBe((await macOf(1, 'wlan1'))?.replaceAll(':', ''));
    const cpeB = rows.find((r) => r['routeros-version'] === '6.49.10');
    expect(cpeB).toMatchObject({ bridge: 'false', 'mac-address': await macOf(2, 'wlan1') });
    const phone = rows.find((r) => r['mac-address'] === PHONE);
    expect(phone).toMatchObject({ 'last-ip': '192.168.88.101' });
    expect(phone).not.toHaveProperty('radio-name');
    expect(
      fleet
        .world!.registrations(0)
        .filter((r) => 'device' in r.peer)
        .map((r) => r.radio)
        .sort(),
    ).toEqual(['r1', 'r2']);
  });

  it('field names and formats as the 7.16 reply; MikroTik peers add only what their IE carries', async () => {
    const rows = await regs(0);
    for (const r of rows) {
      sameShape(r, 'routeros-version' in r ? MIKROTIK_FIELDS : []);
      expect(r['signal-strength']).toMatch(/^-\d+@6Mbps$/);
      expect(r['signal-to-noise']).toMatch(/^\d+$/);
      expect(r['tx-rate']).toMatch(/^\d+(\.\d+)?Mbps(-\d+MHz\/2S\/SGI)?$/);
      expect(r['rx-rate']).toMatch(/^\d+(\.\d+)?Mbps(-\d+MHz\/2S\/SGI)?$/);
      expect(r.bytes).toMatch(/^\d+,\d+$/);
      expect(Number(r['tx-ccq'])).toBeLessThanOrEqual(100);
      expect(r.uptime).toMatch(/^(\d+[wdhms])+$|^\d+ms$|^0s$/);
    }
    const phone = rows.find((r) => r['mac-address'] === PHONE) as Row;
    sameShape(phone);
    // Signal-to-noise is the signal over the noise floor the monitor reports.
    const [mon] = await clients[0]!.command('/interface/wireless/monitor', { numbers: 'wlan1', once: '' });
    expect(signalOf(phone) - Number(mon?.['noise-floor'])).toBe(Number(phone['signal-to-noise']));
  });

  it('v6 station: its AP, ap=true; v7 wifi: signal, band, auth-type, rates in bit/s, no CCQ', async () => {
    const [ap] = await regs(1);
    expect(ap).toMatchObject({ interface: 'wlan1', ap: 'true', 'mac-address': await macOf(0, 'wlan1') });
    expect(ap?.['routeros-version']).toBe('6.49.10');
    const onAp7 = await regs(3, '/interface/wifi/registration-table');
    const cpe7 = onAp7.find((r) => r['mac-address'] !== TABLET);
    expect(cpe7?.['mac-address']).toBe(await macOf(4, 'wifi1'));
    expect(Object.keys(cpe7 ?? {}).sort()).toEqual(
      [
        '.id',
        'authorized',
        'auth-type',
        'band',
        'bytes',
        'interface',
        'last-activity',
        'mac-address',
        'packets',
        'rx-bits-per-second',
        'rx-rate',
        'signal',
        'ssid',
        'tx-bits-per-second',
        'tx-rate',
        'uptime',
      ].sort(),
    );
    expect(cpe7).toMatchObject({ interface: 'wifi1', band: '5ghz-ac', 'auth-type': 'wpa2-psk', authorized: 'true' });
    expect(cpe7?.signal).toMatch(/^-\d+$/);
    expect(cpe7?.['tx-rate']).toMatch(/^\d+$/);
    const [apOn7] = await regs(4, '/interface/wifi/registration-table');
    expect(apOn7?.['mac-address']).toBe(await macOf(3, 'wifi1'));
    expect(onAp7.some((r) => r['mac-address'] === TABLET)).toBe(true);
  });

  it('each package answers only its own menus', async () => {
    await expect(regs(3)).rejects.toThrow(/no such command prefix/);
    await expect(regs(0, '/interface/wifi/registration-table')).rejects.toThrow(/no such command prefix/);
    await expect(clients[3]!.command('/caps-man/registration-table/print')).rejects.toThrow(/no such command prefix/);
    await expect(clients[3]!.command('/interface/wireless/print')).rejects.toThrow(/no such command prefix/);
  });
});

describe('links going away', () => {
  it('a radio link taken down leaves both tables at once, and the station stops running', async () => {
    const cpe = await macOf(1, 'wlan1');
    fleet.world!.setRadio('r1', false);
    try {
      expect((await regs(0)).some((r) => r['mac-address'] === cpe)).toBe(false);
      expect(await regs(1)).toEqual([]);
      expect(await running(1, 'wlan1')).toBe('false');
      const [mon] = await clients[1]!.command('/interface/wireless/monitor', { numbers: 'wlan1', once: '' });
      expect(mon).toMatchObject({ status: 'searching-for-network' });
      expect(fleet.world!.expectedEdges().find((e) => e.a === 0 && e.b === 1)).toMatchObject({
        up: false,
        kinds: ['radio'],
      });
    } finally {
      fleet.world!.setRadio('r1', true);
    }
    const [back] = await regs(1);
    expect(back?.uptime).toMatch(/^(0s|\d+ms|\ds)$/);
  });

  it('a station set to another SSID loses its AP; set back, it associates again', async () => {
    const c = clients[2]!;
    await c.command('/interface/wireless/set', { numbers: 'wlan1', ssid: 'elsewhere' });
    try {
      expect(await regs(2)).toEqual([]);
      expect(fleet.world!.radios.find((r) => r.id === 'r2')?.up).toBe(false);
    } finally {
      await c.command('/interface/wireless/set', { numbers: 'wlan1', ssid: 'tod-0' });
    }
    expect(await regs(2)).toHaveLength(1);
  });
});

describe('signal over time', () => {
  it('drifts around the base within bounds, never below the floor', () => {
    for (const base of [-60, -88]) {
      let min = 0;
      let max = -200;
      for (let t = 0; t < 7 * 86_400_000; t += 97_000) {
        const s = signalAt('drift-test', base, t);
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      expect(min).toBeGreaterThanOrEqual(Math.max(SIGNAL_FLOOR, base - DRIFT_DB));
      expect(max).toBeLessThanOrEqual(base + DRIFT_DB);
      expect(max - min).toBeGreaterThan(4); // it does move
    }
    expect(signalAt('floor', -95, 0, 30)).toBe(SIGNAL_FLOOR);
  });

  it('a live link reads within its bounds on both ends', async () => {
    const [row] = await regs(4, '/interface/wifi/registration-table');
    expect(Math.abs(signalOf(row) - -65)).toBeLessThanOrEqual(DRIFT_DB + 1);
    const { uplink, downlink } = fleet.world!.signal('r3');
    expect(Math.abs(downlink - -65)).toBeLessThanOrEqual(DRIFT_DB);
    expect(Math.abs(uplink - -65)).toBeLessThanOrEqual(DRIFT_DB + 3);
  });

  it('a degrading sector falls steadily, its stations and clients alike; stopped, it stays where it got to', async () => {
    const sector = async () => {
      const rows = await regs(0);
      return {
        station: signalOf(rows.find((r) => r['routeros-version'] === '6.48.6')),
        phone: signalOf(rows.find((r) => r['mac-address'] === PHONE)),
      };
    };
    const before = await sector();
    fleet.world!.degrade([0, 'wlan1'], 36_000); // 10 dB a second
    await new Promise((r) => setTimeout(r, 1000));
    const after = await sector();
    expect(after.station).toBeLessThan(before.station - 5);
    expect(after.phone).toBeLessThan(before.phone - 5);
    // Other sectors do not move.
    expect(Math.abs(fleet.world!.signal('r3').downlink - -65)).toBeLessThanOrEqual(DRIFT_DB);
    fleet.world!.degrade([0, 'wlan1'], 0);
    const stopped = await sector();
    expect(stopped.station).toBeLessThan(before.station - 5);
    await new Promise((r) => setTimeout(r, 300));
    expect(Math.abs((await sector()).station - stopped.station)).toBeLessThanOrEqual(4);
    fleet.world!.degrade([0, 'wlan1'], -1e9); // recover for the other tests
    fleet.world!.degrade([0, 'wlan1'], 0);
  });
});

describe('unmanaged clients', () => {
  it('come and go on their schedule, with a fresh uptime and id each visit', async () => {
    const seen = new Set<boolean>();
    const ids = new Set<string>();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && (seen.size < 2 || ids.size < 2)) {
      const laptop = (await regs(0)).find((r) => r['mac-address'] === LAPTOP);
      seen.add(laptop !== undefined);
      if (laptop) ids.add(laptop['.id'] as string);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(seen).toEqual(new Set([true, false]));
    expect(ids.size).toBeGreaterThanOrEqual(2);
    expect(fleet.world!.clients.find((c) => c.mac === PHONE)?.present).toBe(true);
  });
});

describe('RF monitor and interface print', () => {
  it('v6 AP and station', async () => {
    const [ap] = await clients[0]!.command('/interface/wireless/monitor', { numbers: 'wlan1', once: '' });
    expect(ap).toMatchObject({ name: 'wlan1', status: 'running-ap', 'wireless-protocol': '802.11' });
    expect(ap?.channel).toMatch(/^\d{4}\/20-Ceee\/ac$/);
    expect(Number(ap?.['noise-floor'])).toBeLessThan(-95);
    expect(Number(ap?.['registered-clients'])).toBe((await regs(0)).length);
    expect(Number(ap?.['overall-tx-ccq'])).toBeGreaterThan(0);
    const [sta] = await clients[1]!.command('/interface/wireless/monitor', { numbers: 'wlan1', once: '' });
    expect(sta).toMatchObject({ status: 'connected-to-ess', ssid: 'tod-0', bssid: await macOf(0, 'wlan1') });
    expect(sta?.channel).toBe(ap?.channel);
    const [print] = await clients[0]!.command('/interface/wireless/print');
    expect(print).toMatchObject({
      mode: 'ap-bridge',
      band: '5ghz-a/n/ac',
      'channel-width': '20/40/80mhz-Ceee',
      running: 'true',
    });
    expect(ap?.channel).toBe(`${print?.frequency}/20-Ceee/ac`);
    const [station] = await clients[1]!.command('/interface/wireless/print');
    expect(station).toMatchObject({ mode: 'station-bridge', ssid: 'tod-0', running: 'true' });
    expect((await clients[2]!.command('/interface/wireless/print'))[0]).toMatchObject({ mode: 'station' });
  });

  it('v7 wifi AP and station; streaming until cancelled', async () => {
    const [ap] = await clients[3]!.command('/interface/wifi/monitor', { numbers: 'wifi1', once: '' });
    expect(ap).toMatchObject({ name: 'wifi1', state: 'running-ap', 'registered-peers': '2', 'authorized-peers': '2' });
    expect(ap?.channel).toMatch(/^\d{4}\/ac\/Ceee$/);
    const [sta] = await clients[4]!.command('/interface/wifi/monitor', { numbers: 'wifi1', once: '' });
    expect(sta).toMatchObject({
      state: 'running-station',
      'ap-address': await macOf(3, 'wifi1'),
      channel: ap?.channel,
    });
    const [print] = await clients[3]!.command('/interface/wifi/print');
    expect(print).toMatchObject({
      'configuration.mode': 'ap',
      'channel.band': '5ghz-ac',
      'channel.width': '20/40/80mhz',
    });
    expect(ap?.channel).toMatch(new RegExp(`^${print?.['channel.frequency']}/`));
    const rows: Row[] = [];
    for await (const r of clients[3]!.stream('/interface/wifi/monitor', { numbers: 'wifi1', interval: '0.1' })) {
      rows.push(r);
      if (rows.length >= 3) break;
    }
    expect(rows.map((r) => r.state)).toEqual(['running-ap', 'running-ap', 'running-ap']);
    await expect(clients[3]!.command('/interface/wifi/monitor', { numbers: 'nope', once: '' })).rejects.toThrow(
      /no such item/,
    );
  });
});

describe('CAPsMAN', () => {
  it('legacy: the manager lists its CAPs clients in /caps-man/registration-table, the CAP its own table empty', async () => {
    const rows = await clients[5]!.command('/caps-man/registration-table/print');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ interface: 'cap1', 'mac-address': CAP_PHONE, ssid: 'tod-7' });
    expect(rows[0]?.['rx-signal']).toMatch(/^-\d+$/);
    expect(await regs(7)).toEqual([]);
  });

  it('wifi: the manager lists remote clients in its own wifi table as cap-wifiN; the CAP keeps them too', async () => {
    const rows = await regs(6, '/interface/wifi/registration-table');
    expect(rows.map((r) => r.interface)).toEqual(['cap-wifi1', 'cap-wifi1']);
    expect(rows.map((r) => r['mac-address']).sort()).toEqual([await macOf(4, 'wifi1'), TABLET].sort());
    expect(await regs(3, '/interface/wifi/registration-table')).toHaveLength(2);
  });
});

describe('a device going down', () => {
  it('its stations lose it until it is back', async () => {
    fleet.device(3).reboot(600);
    await waitFor(async () => (await regs(4, '/interface/wifi/registration-table')).length === 0, 'cpe7 lost its AP');
    expect(await running(4, 'wifi1')).toBe('false');
    await waitFor(async () => (await regs(4, '/interface/wifi/registration-table')).length === 1, 'cpe7 back', 5000);
    clients[3] = await connect(fleet.devices[3]!);
  });
});
