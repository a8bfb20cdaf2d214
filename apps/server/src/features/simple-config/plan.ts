import { type Query, q, TrapError } from '@tod/routeros';
import type { PlannedCommand } from '../changes/commands.js';
import type { Io } from '../changes/device-io.js';
import type { FormOf, Tab } from './forms.js';
import type { MenuRows, PlanOptions, Row } from './model.js';
import { dns } from './tabs/dns.js';
import { firewall } from './tabs/firewall.js';
import { internet } from './tabs/internet.js';
import { lan } from './tabs/lan.js';
import { portForwarding } from './tabs/port-forwarding.js';
import { system } from './tabs/system.js';
import type { TabDef, TabView } from './tabs/tab.js';
import { wifi } from './tabs/wifi.js';

// The seven tabs behind one interface: the menus each reads, the form it shows, and the commands that take the
// device from what it has to what the form says. Planning is pure (rows in, commands out), so a rollout can plan
// the same form against each device's rows.

const defs: { [T in Tab]: TabDef<T> } = {
  internet,
  lan,
  wifi,
  'port-forwarding': portForwarding,
  firewall,
  dns,
  system,
};

/**
 * The commands that take a device from `current` (its rows of the tab's menus, as `readDevice` reads them) to what
 * the form says: the fewest, items addressed by natural keys. Throws PlanError when the device cannot take the form.
 */
export function planSimpleConfig<T extends Tab>(
  tab: T,
  form: FormOf[T],
  current: MenuRows,
  o: PlanOptions,
): PlannedCommand[] {
  const def = defs[tab] as TabDef<T>;
  def.check?.(form, o);
  return def.plan(form, current, o);
}

/** The checks of a form that need no device (throws PlanError): run before an operation is submitted. */
export function checkSimpleConfig<T extends Tab>(tab: T, form: FormOf[T], o: Pick<PlanOptions, 'loginUser'>): void {
  (defs[tab] as TabDef<T>).check?.(form, o);
}

export function viewOf(tab: Tab, current: MenuRows, o: PlanOptions): TabView {
  return defs[tab].read(current, o);
}

/** A print that could be huge on a router with a full routing table: only the rows a tab can use. */
const QUERIES: Record<string, Query> = { '/ip/route': q.eq('dst-address', '0.0.0.0/0') };

export type DeviceRead = { version: string; v7: boolean; rows: MenuRows };

/** Reads the tab's menus (and the version) on an open session; a menu the device does not have is left out. */
export async function readDevice(io: Io, tab: Tab): Promise<DeviceRead> {
  const print = async (path: string): Promise<readonly Row[] | undefined> => {
    io.trips.n++;
    try {
      const query = QUERIES[path];
      return (await io.client.command(`${path}/print`, {}, query ? { query } : {})) as Row[];
    } catch (e) {
      if (e instanceof TrapError && /no such command/i.test(e.trapMessage)) return undefined;
      throw e;
    }
  };
  const paths = ['/system/resource', ...defs[tab].menus()];
  const results = await Promise.all(paths.map(print));
  const rows: Record<string, readonly Row[] | undefined> = {};
  paths.forEach((p, i) => {
    if (results[i] !== undefined) rows[p] = results[i];
  });
  const version = rows['/system/resource']?.[0]?.version ?? '';
  return { version, v7: Number.parseInt(version, 10) >= 7, rows };
}
