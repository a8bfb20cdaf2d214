import type { PlannedCommand } from '../../changes/commands.js';
import type { InternetForm } from '../forms.js';
import { type Ipv4Address, inSubnet, interfaceAddress, isInterfaceAddress } from '../ipv4.js';
import {
  add,
  freeName,
  isEnabled,
  isTrue,
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
  yesNo,
} from '../model.js';
import { interfaceOptions, listOptions, type TabDef } from './tab.js';

// Internet (WAN): one interface carries exactly one way in — a DHCP client, a static address with a default route
// through its gateway, or a PPPoE client. Choosing one removes the others' items from that interface (and the
// default routes that went through them); anything on other interfaces is left alone.

const DHCP = '/ip/dhcp-client';
const PPPOE = '/interface/pppoe-client';
const ADDRESS = '/ip/address';
const ROUTE = '/ip/route';
const DNS = '/ip/dns';
const DEFAULT = '0.0.0.0/0';

const on = (rows: MenuRows, path: string, iface: string) => staticRows(rows, path).filter((r) => r.interface === iface);
const addressesOf = (rows: readonly Row[]): Ipv4Address[] =>
  rows
    .map((r) => r.address ?? '')
    .filter(isInterfaceAddress)
    .map(interfaceAddress);
/** Static default routes (the device's own, from DHCP or PPPoE, are dynamic). */
const defaultRoutes = (rows: MenuRows) =>
  staticRows(rows, ROUTE).filter((r) => (r['dst-address'] ?? DEFAULT) === DEFAULT);

/** Where the WAN is now: its interface and how it is configured. */
function detect(rows: MenuRows): { iface: string | null; mode: InternetForm['mode'] | null } {
  const pppoe = staticRows(rows, PPPOE).find(isEnabled);
  if (pppoe?.interface) return { iface: pppoe.interface, mode: 'pppoe' };
  const dhcp = staticRows(rows, DHCP).find(isEnabled);
  if (dhcp?.interface) return { iface: dhcp.interface, mode: 'dhcp' };
  for (const route of defaultRoutes(rows).filter(isEnabled)) {
    const gw = route.gateway ?? '';
    const a = staticRows(rows, ADDRESS).find(
      (r) => isInterfaceAddress(r.address ?? '') && inSubnet(gw, interfaceAddress(r.address ?? '')),
    );
    if (a?.interface) return { iface: a.interface, mode: 'static' };
  }
  const wan = rowsOf(rows, '/interface/list/member').find((m) => m.list === 'WAN');
  return { iface: wan?.interface ?? null, mode: null };
}

export const internet: TabDef<'internet'> = {
  menus: () => ['/interface', '/interface/list', '/interface/list/member', DHCP, PPPOE, ADDRESS, ROUTE, DNS],

  read(rows) {
    const { iface, mode } = detect(rows);
    const form: Record<string, unknown> = { interface: iface, mode };
    const secrets: Record<string, { set: boolean }> = {};
    const state: Record<string, unknown> = {};
    if (mode === 'dhcp') {
      const c = on(rows, DHCP, iface ?? '')[0] ?? {};
      form.dhcp = {
        use_peer_dns: c['use-peer-dns'] !== 'false',
        add_default_route: c['add-default-route'] !== 'false',
      };
      state.dhcp = { status: c.status ?? null, address: c.address ?? null, gateway: c.gateway ?? null };
    } else if (mode === 'pppoe') {
      const c = on(rows, PPPOE, iface ?? '')[0] ?? {};
      form.pppoe = {
        user: c.user ?? '',
        service_name: c['service-name'] ?? '',
        use_peer_dns: isTrue(c['use-peer-dns']),
      };
      secrets['pppoe.password'] = { set: (c.password ?? '') !== '' };
      state.pppoe = { name: c.name ?? null, running: isTrue(c.running) };
    } else if (mode === 'static') {
      const addresses = on(rows, ADDRESS, iface ?? '').filter((r) => isInterfaceAddress(r.address ?? ''));
      const through = (r: Row) => addresses.find((a) => inSubnet(r.gateway ?? '', interfaceAddress(a.address ?? '')));
      const route = defaultRoutes(rows).filter(isEnabled).find(through);
      form.static = {
        address: ((route && through(route)) ?? addresses[0])?.address ?? null,
        gateway: route?.gateway ?? null,
        dns_servers: list(rowsOf(rows, DNS)[0]?.servers),
      };
    }
    return {
      form,
      secrets,
      options: { interfaces: interfaceOptions(rows), interface_lists: listOptions(rows) },
      state,
    };
  },

  plan(f, rows) {
    requireInterface(rows, f.interface, 'interface');
    const dhcp = on(rows, DHCP, f.interface);
    const pppoe = on(rows, PPPOE, f.interface);
    const addresses = on(rows, ADDRESS, f.interface);
    // Default routes that went out through this interface: through a gateway in one of its subnets, or named by it.
    const nets = addressesOf(addresses);
    const viaWan = (r: Row) =>
      nets.some((n) => inSubnet(r.gateway ?? '', n)) ||
      r.gateway === f.interface ||
      pppoe.some((p) => p.name === r.gateway);
    const oldRoutes = defaultRoutes(rows).filter(viaWan);
    const out: PlannedCommand[] = [];
    const removeAll = (path: string, items: readonly Row[]) => {
      for (const r of items) out.push(remove(path, keyOf(rows, path, r)));
    };

    if (f.mode === 'dhcp') {
      const want = {
        'add-default-route': yesNo(f.dhcp?.add_default_route ?? true),
        'use-peer-dns': yesNo(f.dhcp?.use_peer_dns ?? true),
        disabled: 'no',
      };
      const [client, ...extra] = dhcp;
      const defaults = { 'add-default-route': 'yes', 'use-peer-dns': 'yes', disabled: 'no' };
      if (client) out.push(...setIfChanged(DHCP, keyOf(rows, DHCP, client), client, want, defaults));
      else out.push(add(DHCP, { interface: f.interface, ...want }));
      removeAll(DHCP, extra);
      removeAll(PPPOE, pppoe);
      removeAll(ROUTE, oldRoutes);
      removeAll(ADDRESS, addresses);
      return out;
    }

    if (f.mode === 'static') {
      const s = f.static as NonNullable<InternetForm['static']>;
      const a = interfaceAddress(s.address);
      const keep = addresses.find((r) => r.address === s.address);
      if (!keep) out.push(add(ADDRESS, { address: s.address, interface: f.interface, network: a.network }));
      const route = defaultRoutes(rows).find((r) => r.gateway === s.gateway);
      if (!route) out.push(add(ROUTE, { 'dst-address': DEFAULT, gateway: s.gateway }));
      else out.push(...setIfChanged(ROUTE, keyOf(rows, ROUTE, route), route, { disabled: 'no' }, { disabled: 'no' }));
      removeAll(
        ROUTE,
        oldRoutes.filter((r) => r !== route),
      );
      removeAll(
        ADDRESS,
        addresses.filter((r) => r !== keep),
      );
      if (s.dns_servers !== undefined)
        out.push(...setIfChanged(DNS, undefined, rowsOf(rows, DNS)[0] ?? {}, { servers: s.dns_servers.join(',') }));
      removeAll(DHCP, dhcp);
      removeAll(PPPOE, pppoe);
      return out;
    }

    const p = f.pppoe as NonNullable<InternetForm['pppoe']>;
    const [client, ...extra] = pppoe;
    const want: Row = {
      user: p.user,
      'service-name': p.service_name,
      'add-default-route': 'yes',
      'use-peer-dns': yesNo(p.use_peer_dns),
      disabled: 'no',
    };
    if (p.password !== undefined) want.password = p.password;
    if (client) {
      out.push(
        ...setIfChanged(PPPOE, keyOf(rows, PPPOE, client), client, want, { 'service-name': '', disabled: 'no' }),
      );
    } else {
      if (p.password === undefined) throw new PlanError('pppoe.password', 'a new PPPoE client needs the password');
      // Interface names are unique across every kind of interface.
      const name = freeName(rowsOf(rows, '/interface'), 'pppoe-out', 1);
      out.push(add(PPPOE, { name, interface: f.interface, ...want }));
    }
    removeAll(PPPOE, extra);
    removeAll(DHCP, dhcp);
    removeAll(ROUTE, oldRoutes);
    removeAll(ADDRESS, addresses);
    return out;
  },
};
