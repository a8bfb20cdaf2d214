// Wireless state menus: the registration tables (legacy `/interface/wireless/registration-table`, wifi
// `/interface/wifi/registration-table`, legacy CAPsMAN `/caps-man/registration-table`) with the entries the world's
// radio links and clients make (and, on interfaces the world does not drive, the generated ones), and the RF
// monitors (`/interface/wireless/monitor`, `/interface/wifi/monitor`, `numbers=` names or ids, `once` or a stream).
// A menu only exists where its package does: legacy wireless on v6 and on v7 running the `wireless` package, wifi
// on v7; elsewhere `no such command prefix`, as RouterOS answers.
import type { Device } from '../device.js';
import { compileQuery, QueryError, type Row } from '../query.js';
import { bandOf, frequencyOf, legacyMonitorRow, noiseFloorAt, type RadioStatus, wifiMonitorRow } from '../radio.js';
import { type Entry, entriesOf, interfaceRow, rowOf } from '../rows.js';
import { countChange } from '../safe-mode.js';
import { ConfigStore } from '../store.js';
import { parseId } from '../values.js';
import { currentName, type PortMenu, radioChannel, radioRole, radioSsid } from '../world-ports.js';
import type { RegistrationTable } from '../world-view.js';
import { argFlag, type CommandContext, CommandError, type Handler } from './context.js';
import { add, enableDisable, get, listen, move, print, remove, set, unset } from './menu.js';

const TABLES: Record<string, { table: RegistrationTable; package: PortMenu }> = {
  '/interface/wireless/registration-table': { table: 'wireless', package: '/interface/wireless' },
  '/interface/wifi/registration-table': { table: 'wifi', package: '/interface/wifi' },
  '/caps-man/registration-table': { table: 'capsman', package: '/interface/wireless' },
};

/** Legacy wireless exists on v6 and on v7 devices running the package; wifi on v7. */
function hasPackage(device: Device, menu: PortMenu): boolean {
  if (menu === '/interface/wifi') return device.behaviour.v7;
  return !device.behaviour.v7 || device.store.menus.has('/interface/wireless');
}

function project(row: Row, proplist: string[] | undefined): Row {
  if (!proplist) return row;
  return Object.fromEntries(proplist.filter((p) => p in row).map((p) => [p, row[p] as string]));
}

function registrationPrint(ctx: CommandContext): void {
  const spec = TABLES[ctx.path] as (typeof TABLES)[string];
  if (!hasPackage(ctx.device, spec.package)) throw new CommandError('no such command prefix');
  let filter: ((r: Row) => boolean) | undefined;
  try {
    filter = compileQuery(ctx.query);
  } catch (e) {
    if (e instanceof QueryError) throw new CommandError(e.message, 1);
    throw e;
  }
  const now = Date.now();
  const world = ctx.device.world?.registrationRows(ctx.device, spec.table, now);
  const rows: Row[] = [];
  for (const e of entriesOf(ctx.device, ctx.path)) {
    const row = rowOf(ctx.device, ctx.path, e, now, ctx.caller.policies.has('sensitive'));
    if (!world?.replaces.has(row.interface ?? '')) rows.push(row);
  }
  rows.push(...(world?.rows ?? []));
  const shown = rows.filter((r) => !filter || filter(r));
  if (argFlag(ctx, 'count-only')) {
    ctx.out.done({ ret: String(shown.length) });
    return;
  }
  for (const r of shown) ctx.out.re(project(r, ctx.proplist));
  if (shown.length === 0 && ctx.device.behaviour.emptyReply) ctx.out.empty();
  ctx.out.done();
}

function radios(ctx: CommandContext, menu: PortMenu): Entry[] {
  const spec = ctx.args.get('numbers') ?? ctx.args.get('.id') ?? '';
  if (spec === '') throw new CommandError('no such item');
  const entries = entriesOf(ctx.device, menu);
  return spec.split(',').map((part) => {
    const id = parseId(part);
    const found =
      id !== undefined ? entries.find((e) => e.item.id === id) : entries.find((e) => currentName(e.item) === part);
    if (!found) throw new CommandError(id !== undefined ? 'no such item' : `no such item (${part})`);
    return found;
  });
}

/** Status of a radio the world does not drive: as configured, with its generated registrations. */
function configuredStatus(ctx: CommandContext, menu: PortMenu, e: Entry, now: number): RadioStatus {
  const p = { menu, item: e.item };
  const ch = radioChannel(p);
  const band = bandOf(ch.band, ch.width);
  const key = `${ctx.device.key}:${currentName(e.item)}`;
  const regPath = `${menu}/registration-table`;
  const name = currentName(e.item);
  const regs = (ctx.device.store.menu(regPath, false)?.items ?? []).filter(
    (r) => ConfigStore.get(r, 'interface') === name,
  );
  const running = interfaceRow(ctx.device, e, now).running === 'true';
  return {
    name,
    disabled: !running,
    role: radioRole(p),
    band,
    frequency: frequencyOf(key, ch.frequency, band),
    noiseFloor: noiseFloorAt(key, now),
    ssid: radioSsid(p),
    associations: regs.map((r, i) => ({
      id: r.id,
      localInterface: name,
      peerMac: ConfigStore.get(r, 'mac-address') ?? '',
      peerIsAp: false,
      peerBridges: false,
      ssid: radioSsid(p),
      band,
      since: ctx.device.bootAt,
      signal: -55 - (i % 20),
      txSignal: -52 - (i % 20),
      noiseFloor: noiseFloorAt(key, now),
      peerNoiseFloor: -95,
      bps: 1_000_000,
      key: `${key}:${r.id}`,
    })),
  };
}

function monitor(menu: PortMenu): Handler {
  return (ctx) => {
    const picked = radios(ctx, menu);
    const sample = (): Row[] => {
      const now = Date.now();
      return picked.map((e) => {
        const s = ctx.device.world?.radioStatus(ctx.device, menu, e.item, now) ?? configuredStatus(ctx, menu, e, now);
        const row = menu === '/interface/wifi' ? wifiMonitorRow(s) : legacyMonitorRow(s, now);
        return project(row, ctx.proplist);
      });
    };
    for (const r of sample()) ctx.out.re(r);
    if (argFlag(ctx, 'once') || ctx.caller.script) {
      ctx.out.done();
      return;
    }
    const interval = Math.max(100, Number(ctx.args.get('interval') ?? '1') * 1000 || 1000);
    const timer = setInterval(() => {
      if (ctx.out.ended) return;
      for (const r of sample()) ctx.out.re({ ...r, '.section': '1' });
    }, interval);
    timer.unref();
    ctx.onCancel(() => clearInterval(timer));
  };
}

/**
 * The interface menu of a wireless package: its generic verbs and `monitor`, all answering `no such command prefix`
 * where the package is not installed (a table entry of its own would otherwise make the menu exist everywhere).
 * Changes count for safe mode as dispatch counts generic ones.
 */
function packageMenu(menu: PortMenu): Record<string, Handler> {
  const guard =
    (h: Handler, change = false): Handler =>
    (ctx) => {
      if (!hasPackage(ctx.device, menu)) throw new CommandError('no such command prefix');
      h(ctx);
      if (change) countChange(ctx.device);
    };
  return {
    print: guard(print),
    get: guard(get),
    listen: guard(listen),
    add: guard(add, true),
    set: guard(set, true),
    unset: guard(unset, true),
    remove: guard(remove, true),
    move: guard(move, true),
    enable: guard((ctx) => enableDisable(ctx, false), true),
    disable: guard((ctx) => enableDisable(ctx, true), true),
    'reset-counters': guard((ctx) => ctx.out.done()),
    monitor: guard(monitor(menu)),
  };
}

export const radioCommands: Record<string, Record<string, Handler>> = {
  '/interface/wireless/registration-table': { print: registrationPrint },
  '/interface/wifi/registration-table': { print: registrationPrint },
  '/caps-man/registration-table': { print: registrationPrint },
  '/interface/wireless': packageMenu('/interface/wireless'),
  '/interface/wifi': packageMenu('/interface/wifi'),
};
