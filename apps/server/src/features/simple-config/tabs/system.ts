import net from 'node:net';
import type { PlannedCommand } from '../../changes/commands.js';
import type { SystemForm } from '../forms.js';
import {
  add,
  isTrue,
  keyOf,
  list,
  type MenuRows,
  PlanError,
  type Row,
  remove,
  rowsOf,
  setIfChanged,
  staticRows,
  yesNo,
} from '../model.js';
import type { TabDef } from './tab.js';

// System: identity, time zone, NTP and a router user's password. NTP differs by version: RouterOS 6's SNTP client
// takes two server addresses (`primary-ntp`, `secondary-ntp`) and names apart (`server-dns-names`); RouterOS 7
// keeps servers, addresses or names, as items of `/system/ntp/client/servers`.

const IDENTITY = '/system/identity';
const CLOCK = '/system/clock';
const NTP = '/system/ntp/client';
const NTP_SERVERS = '/system/ntp/client/servers';
const USER = '/user';
const NO_ADDRESS = '0.0.0.0';

function ntpServers(rows: MenuRows, v7: boolean): string[] {
  if (v7)
    return staticRows(rows, NTP_SERVERS)
      .map((r) => r.address ?? '')
      .filter(Boolean);
  const c = rowsOf(rows, NTP)[0] ?? {};
  return [c['primary-ntp'], c['secondary-ntp']]
    .filter((a): a is string => a !== undefined && a !== '' && a !== NO_ADDRESS)
    .concat(list(c['server-dns-names']));
}

export const system: TabDef<'system'> = {
  menus: () => [IDENTITY, CLOCK, NTP, NTP_SERVERS, USER],

  read(rows, o) {
    const clock = rowsOf(rows, CLOCK)[0] ?? {};
    return {
      form: {
        identity: rowsOf(rows, IDENTITY)[0]?.name ?? null,
        time_zone: clock['time-zone-name'] ?? null,
        ntp: { enabled: isTrue(rowsOf(rows, NTP)[0]?.enabled), servers: ntpServers(rows, o.v7) },
      },
      secrets: {},
      options: {
        users: rowsOf(rows, USER).map((u) => ({
          name: u.name ?? '',
          group: u.group ?? '',
          tod_login: u.name === o.loginUser,
        })),
      },
      state: {
        time_zone_autodetect: isTrue(clock['time-zone-autodetect']),
        time: clock.time ?? null,
        date: clock.date ?? null,
      },
    };
  },

  check(f, o) {
    if (f.admin_password && f.admin_password.user === o.loginUser)
      throw new PlanError(
        'admin_password.user',
        `TOD logs in as ${o.loginUser}: change its password with the device's credentials, not here (TOD would lock itself out)`,
      );
  },

  plan(f, rows, o) {
    const out: PlannedCommand[] = [];
    if (f.identity !== undefined)
      out.push(...setIfChanged(IDENTITY, undefined, rowsOf(rows, IDENTITY)[0] ?? {}, { name: f.identity }));
    if (f.time_zone !== undefined) {
      const clock = rowsOf(rows, CLOCK)[0] ?? {};
      // A time zone chosen by hand: the router no longer guesses it from its public address.
      out.push(
        ...setIfChanged(CLOCK, undefined, clock, { 'time-zone-name': f.time_zone, 'time-zone-autodetect': 'no' }),
      );
    }
    if (f.ntp) out.push(...(o.v7 ? ntpV7(rows, f.ntp) : ntpV6(rows, f.ntp)));
    if (f.admin_password) {
      const { user, password } = f.admin_password;
      if (!rowsOf(rows, USER).some((u) => u.name === user))
        throw new PlanError('admin_password.user', `the device has no user ${user}`);
      out.push(...setIfChanged(USER, { name: user }, {}, { password }));
    }
    return out;
  },
};

function ntpV7(rows: MenuRows, ntp: NonNullable<SystemForm['ntp']>): PlannedCommand[] {
  const out = setIfChanged(
    NTP,
    undefined,
    rowsOf(rows, NTP)[0] ?? {},
    { enabled: yesNo(ntp.enabled) },
    { enabled: 'no' },
  );
  const current = staticRows(rows, NTP_SERVERS);
  const keep = new Set<string>();
  for (const r of current) {
    const a = r.address ?? '';
    if (ntp.servers.includes(a) && !keep.has(a)) keep.add(a);
    else out.push(remove(NTP_SERVERS, keyOf(rows, NTP_SERVERS, r)));
  }
  for (const s of ntp.servers) if (!keep.has(s)) out.push(add(NTP_SERVERS, { address: s }));
  return out;
}

function ntpV6(rows: MenuRows, ntp: NonNullable<SystemForm['ntp']>): PlannedCommand[] {
  const addresses = ntp.servers.filter((s) => net.isIP(s) !== 0);
  if (addresses.some((a) => !net.isIPv4(a)))
    throw new PlanError('ntp.servers', 'RouterOS 6 takes IPv4 addresses or names for NTP');
  if (addresses.length > 2)
    throw new PlanError('ntp.servers', 'RouterOS 6 takes two NTP server addresses (and names besides)');
  const want: Row = {
    enabled: yesNo(ntp.enabled),
    'primary-ntp': addresses[0] ?? NO_ADDRESS,
    'secondary-ntp': addresses[1] ?? NO_ADDRESS,
    'server-dns-names': ntp.servers.filter((s) => net.isIP(s) === 0).join(','),
  };
  const defaults = { enabled: 'no', 'primary-ntp': NO_ADDRESS, 'secondary-ntp': NO_ADDRESS, 'server-dns-names': '' };
  return setIfChanged(NTP, undefined, rowsOf(rows, NTP)[0] ?? {}, want, defaults);
}
