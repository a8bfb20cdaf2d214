import { parseDuration } from '@tod/routeros';
import type { PlannedCommand } from '../../changes/commands.js';
import type { LanForm } from '../forms.js';
import { interfaceAddress, isInterfaceAddress } from '../ipv4.js';
import {
  add,
  freeName,
  isEnabled,
  keyOf,
  list,
  type MenuRows,
  PlanError,
  type Row,
  remove,
  requireInterface,
  rowsOf,
  setIfChanged,
  staticRows,
} from '../model.js';
import { interfaceOptions, type TabDef } from './tab.js';

// LAN: the router's address on the LAN interface (or bridge), and the DHCP server there — its pool, the server and
// the network it hands out (gateway and DNS). An existing server keeps its name and pool; a new one is named after
// the interface.

const ADDRESS = '/ip/address';
const POOL = '/ip/pool';
const SERVER = '/ip/dhcp-server';
const NETWORK = '/ip/dhcp-server/network';

/** RouterOS duration text for seconds, as print shows it (`1d`, `1h30m`, `10m`). */
export function routerosDuration(seconds: number): string {
  const units: Array<[string, number]> = [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = seconds;
  let out = '';
  for (const [u, n] of units) {
    const k = Math.floor(rest / n);
    if (k > 0) out += `${k}${u}`;
    rest -= k * n;
  }
  return out || '0s';
}
const seconds = (v: string | undefined) => {
  const ms = parseDuration(v);
  return ms === undefined ? null : Math.round(ms / 1000);
};

const firstRange = (ranges: string | undefined) => {
  const [start, end] = (list(ranges)[0] ?? '').split('-');
  return start ? { start, end: end ?? start } : null;
};

/** The LAN as the device has it: the DHCP server's interface, else the first bridge. */
function detect(rows: MenuRows): string | null {
  const server = staticRows(rows, SERVER).find(isEnabled) ?? staticRows(rows, SERVER)[0];
  if (server?.interface) return server.interface;
  return rowsOf(rows, '/interface').find((r) => r.type === 'bridge')?.name ?? null;
}
const addressesOn = (rows: MenuRows, iface: string) =>
  staticRows(rows, ADDRESS).filter((r) => r.interface === iface && isInterfaceAddress(r.address ?? ''));

export const lan: TabDef<'lan'> = {
  menus: () => ['/interface', ADDRESS, POOL, SERVER, NETWORK],

  read(rows) {
    const iface = detect(rows);
    const address = iface ? addressesOn(rows, iface)[0]?.address : undefined;
    const server = iface ? staticRows(rows, SERVER).find((r) => r.interface === iface) : undefined;
    const pool = server && rowsOf(rows, POOL).find((p) => p.name === server['address-pool']);
    const range = firstRange(pool?.ranges);
    const subnet = address ? interfaceAddress(address).subnet : undefined;
    const network = staticRows(rows, NETWORK).find((n) => n.address === subnet);
    return {
      form: {
        interface: iface,
        address: address ?? null,
        dhcp_server: {
          enabled: server !== undefined && isEnabled(server),
          pool_start: range?.start ?? null,
          pool_end: range?.end ?? null,
          dns_servers: list(network?.['dns-server']),
          lease_time_seconds: seconds(server?.['lease-time']),
        },
      },
      secrets: {},
      options: { interfaces: interfaceOptions(rows) },
      state: { server: server?.name ?? null, pool: pool?.name ?? null, gateway: network?.gateway ?? null },
    };
  },

  plan(f, rows) {
    requireInterface(rows, f.interface, 'interface');
    const a = interfaceAddress(f.address);
    const out: PlannedCommand[] = [];
    const current = addressesOn(rows, f.interface);
    // The first address on the interface is the LAN's: changed in place, so nothing else on it moves.
    const old = current.find((r) => r.address === f.address) ?? current[0];
    if (!old) out.push(add(ADDRESS, { address: f.address, interface: f.interface, network: a.network }));
    else if (old.address !== f.address)
      out.push(...setIfChanged(ADDRESS, keyOf(rows, ADDRESS, old), old, { address: f.address, network: a.network }));
    const d = f.dhcp_server;
    if (!d) return out;
    const servers = staticRows(rows, SERVER).filter((r) => r.interface === f.interface);
    const server = servers.find(isEnabled) ?? servers[0];
    if (!d.enabled) {
      for (const s of servers.filter(isEnabled))
        out.push(...setIfChanged(SERVER, keyOf(rows, SERVER, s), s, { disabled: 'yes' }));
      return out;
    }
    out.push(...planPool(rows, f, server));
    const poolName = poolNameFor(rows, f.interface, server);
    const want: Row = { 'address-pool': poolName, disabled: 'no' };
    if (d.lease_time_seconds !== undefined && seconds(server?.['lease-time']) !== d.lease_time_seconds)
      want['lease-time'] = routerosDuration(d.lease_time_seconds);
    if (server) out.push(...setIfChanged(SERVER, keyOf(rows, SERVER, server), server, want));
    else
      out.push(
        add(SERVER, { name: freeName(rowsOf(rows, SERVER), `dhcp-${f.interface}`), interface: f.interface, ...want }),
      );
    out.push(...planNetwork(rows, f, old?.address));
    return out;
  },
};

/** The pool the server uses: its own (when it exists), else `pool-<interface>`. */
function poolNameFor(rows: MenuRows, iface: string, server: Row | undefined): string {
  const own = server?.['address-pool'];
  if (own && rowsOf(rows, POOL).some((p) => p.name === own)) return own;
  return `pool-${iface}`;
}

function planPool(rows: MenuRows, f: LanForm, server: Row | undefined): PlannedCommand[] {
  const d = f.dhcp_server as NonNullable<LanForm['dhcp_server']>;
  const name = poolNameFor(rows, f.interface, server);
  const pool = rowsOf(rows, POOL).find((p) => p.name === name);
  if (d.pool_start === undefined || d.pool_end === undefined) {
    if (pool) return [];
    throw new PlanError('dhcp_server.pool_start', 'the DHCP server has no pool yet: give its first and last address');
  }
  const ranges = `${d.pool_start}-${d.pool_end}`;
  if (pool) return setIfChanged(POOL, keyOf(rows, POOL, pool), pool, { ranges });
  return [add(POOL, { name, ranges })];
}

/** The DHCP network of the LAN's subnet (gateway: the router); the old subnet's goes when the address moved. */
function planNetwork(rows: MenuRows, f: LanForm, oldAddress: string | undefined): PlannedCommand[] {
  const a = interfaceAddress(f.address);
  const d = f.dhcp_server as NonNullable<LanForm['dhcp_server']>;
  const networks = staticRows(rows, NETWORK);
  const net = networks.find((n) => n.address === a.subnet);
  const out: PlannedCommand[] = [];
  const want: Row = { gateway: a.ip };
  if (d.dns_servers !== undefined) want['dns-server'] = d.dns_servers.join(',');
  if (net) out.push(...setIfChanged(NETWORK, keyOf(rows, NETWORK, net), net, want));
  else out.push(add(NETWORK, { address: a.subnet, 'dns-server': a.ip, ...want }));
  const old = oldAddress && isInterfaceAddress(oldAddress) ? interfaceAddress(oldAddress) : undefined;
  if (old && old.subnet !== a.subnet)
    for (const n of networks.filter((n) => n.address === old.subnet && n.gateway === old.ip))
      out.push(remove(NETWORK, keyOf(rows, NETWORK, n)));
  return out;
}
