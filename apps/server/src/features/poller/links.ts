import type { RouterOSClient, Row } from '@tod/routeros';
import { optional, pick } from './collect.js';
import type { InterfaceSample } from './types.js';

// What a router sees around it, every POLL_LINKS_INTERVAL_SECONDS: neighbour discovery (/ip/neighbor: MNDP, CDP,
// LLDP), the registration tables of its radios (v6 `wireless`, v7 `wifi`, CAPsMAN), its radios' settings and a
// monitor snapshot of each (noise floor, frequency, CCQ). Topology and wireless are built from these facts.

/** Radios monitored per collection (a router with more is unusual; each monitor is one command). */
export const MAX_RADIOS = 8;

const NEIGHBOR_KEYS = [
  'interface',
  'address',
  'address4',
  'mac-address',
  'identity',
  'platform',
  'version',
  'board',
  'interface-name',
  'discovered-by',
  'system-description',
  'system-caps',
  'system-caps-enabled',
];

const REGISTRATION_KEYS = [
  'interface',
  'mac-address',
  'ssid',
  'signal-strength',
  'signal',
  'signal-to-noise',
  'tx-rate',
  'rx-rate',
  'uptime',
  'tx-ccq',
  'rx-ccq',
  'ap',
  'last-ip',
  'radio-name',
  'routeros-version',
  'band',
  'last-activity',
];

const RADIO_KEYS = [
  'name',
  'mode',
  'configuration.mode',
  'ssid',
  'configuration.ssid',
  'frequency',
  'channel.frequency',
  'band',
  'channel.band',
  'channel-width',
  'channel.width',
  'mac-address',
  'running',
  'disabled',
  'interface-type',
];

const MONITOR_KEYS = [
  'status',
  'channel',
  'frequency',
  'band',
  'channel-width',
  'noise-floor',
  'overall-tx-ccq',
  'registered-clients',
  'registered-peers',
  'authorized-clients',
  'authorized-peers',
  'tx-rate',
  'rx-rate',
  'signal-strength',
  'signal-to-noise',
  'tx-ccq',
  'wireless-protocol',
];

const isRadio = (i: InterfaceSample) => (i.type === 'wlan' || i.type === 'wifi') && i.disabled !== true;

export async function collectLinks(
  client: RouterOSClient,
  interfaces: InterfaceSample[] | null,
): Promise<Record<string, unknown>> {
  const radios = (interfaces ?? []).filter(isRadio).slice(0, MAX_RADIOS);
  const [neighbors, wifi, wireless, capsman, wifiRadios, wirelessRadios] = await Promise.all([
    optional(client.command('/ip/neighbor/print')),
    optional(client.command('/interface/wifi/registration-table/print')),
    optional(client.command('/interface/wireless/registration-table/print')),
    optional(client.command('/caps-man/registration-table/print')),
    optional(client.command('/interface/wifi/print')),
    optional(client.command('/interface/wireless/print')),
  ]);
  const facts: Record<string, unknown> = {};
  if (neighbors) facts.neighbors = pick(neighbors, NEIGHBOR_KEYS);
  if (wifi || wireless || capsman)
    facts.wireless = pick([...(wifi ?? []), ...(wireless ?? []), ...(capsman ?? [])], REGISTRATION_KEYS);
  if (wifiRadios || wirelessRadios) {
    facts.wireless_interfaces = pick([...(wifiRadios ?? []), ...(wirelessRadios ?? [])], RADIO_KEYS, 64);
    // A snapshot of each running radio; a radio the monitor cannot read is left out, not a failed poll.
    const running = radios.filter((r) => r.running === true);
    const snapshots = await Promise.all(
      running.map(async (r) => {
        const menu = r.type === 'wifi' ? '/interface/wifi/monitor' : '/interface/wireless/monitor';
        const rows = await optional(client.command(menu, { numbers: r.name, once: '' }));
        const row: Row | undefined = rows?.[0];
        return row ? { name: r.name, ...pick([row], MONITOR_KEYS)[0] } : null;
      }),
    );
    facts.wireless_rf = snapshots.filter((s) => s !== null);
  }
  return facts;
}
