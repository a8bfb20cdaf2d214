import type { MenuRow } from '@/api/changes';

// One list per client: DHCP leases, ARP entries and wireless registrations joined by MAC address. Pure, tested in
// test/change-set.test.ts.

export type Source = 'dhcp' | 'arp' | 'wireless';
export type Client = {
  mac: string;
  address: string | null;
  hostName: string | null;
  interface: string | null;
  leaseStatus: string | null;
  signal: string | null;
  uptime: string | null;
  sources: Source[];
};

const mac = (r: MenuRow) => (r.properties['mac-address'] ?? '').toUpperCase();
const val = (v: string | undefined) => (v ? v : null);

export function mergeClients(lists: { leases: MenuRow[]; arp: MenuRow[]; wireless: MenuRow[] }): Client[] {
  const byMac = new Map<string, Client>();
  const get = (m: string) => {
    let c = byMac.get(m);
    if (!c) {
      c = {
        mac: m,
        address: null,
        hostName: null,
        interface: null,
        leaseStatus: null,
        signal: null,
        uptime: null,
        sources: [],
      };
      byMac.set(m, c);
    }
    return c;
  };
  const add = (c: Client, s: Source) => {
    if (!c.sources.includes(s)) c.sources.push(s);
  };
  for (const r of lists.leases) {
    const m = mac(r);
    if (!m) continue;
    const c = get(m);
    add(c, 'dhcp');
    c.address ??= val(r.properties['active-address']) ?? val(r.properties.address);
    c.hostName ??= val(r.properties['host-name']);
    c.leaseStatus ??= val(r.properties.status);
  }
  for (const r of lists.arp) {
    const m = mac(r);
    if (!m) continue;
    const c = get(m);
    add(c, 'arp');
    c.address ??= val(r.properties.address);
    c.interface ??= val(r.properties.interface);
  }
  for (const r of lists.wireless) {
    const m = mac(r);
    if (!m) continue;
    const c = get(m);
    add(c, 'wireless');
    // The wireless interface says more than the bridge ARP saw the client on.
    c.interface = val(r.properties.interface) ?? c.interface;
    c.address ??= val(r.properties['last-ip']);
    c.signal ??= val(r.properties['signal-strength']?.split('@')[0]) ?? val(r.properties.signal);
    c.uptime ??= val(r.properties.uptime);
  }
  return [...byMac.values()].sort((a, b) => ipOrder(a.address) - ipOrder(b.address) || a.mac.localeCompare(b.mac));
}

/** IPv4 addresses in numeric order; clients without one last. */
function ipOrder(a: string | null): number {
  if (!a) return Number.MAX_SAFE_INTEGER;
  const p = a.split('.').map(Number);
  return p.length === 4 && p.every((n) => Number.isInteger(n))
    ? p.reduce((x, n) => x * 256 + n, 0)
    : Number.MAX_SAFE_INTEGER - 1;
}

/** Registration tables of the wireless packages the device's configuration has (v6/legacy `wireless`, v7 `wifi`). */
export function registrationMenus(menus: { path: string; in_config: boolean }[]): string[] {
  const has = (p: string) => menus.some((m) => m.in_config && m.path === p);
  return [
    ...(has('/interface/wireless') ? ['/interface/wireless/registration-table'] : []),
    ...(has('/interface/wifi') ? ['/interface/wifi/registration-table'] : []),
  ];
}
