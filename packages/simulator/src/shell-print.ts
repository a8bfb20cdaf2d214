// How the console shows `print`: a table for the menus people read as one (`/ip address`, `/interface`, …), the
// property form (` 0    chain=input action=accept …`, a blank line after each item) for `detail` and for menus
// RouterOS prints that way (firewall rules, scripts), one line per item for `terse`, `name: value` lines for a
// menu of one item (`/system identity`). Flags are positional: one character per group, blank when off.
//  - v6: a leading blank before numbers; the `Flags:` line names every flag of the menu (`X - disabled, I -
//    invalid, D - dynamic`); columns have the menu's widths and one blank between them; a comment goes on the
//    number's line and the values on the next.
//  - v7: `Flags:` names only the flags shown, in capitals, groups apart with `;` (`D - DYNAMIC`); a `Columns:` line;
//    columns as wide as their widest value, two blanks apart; a comment is its own `;;; …` line above the item.
//    `detail` names every flag of the menu in small letters.
import { ipv4 } from './firewall.js';
import { INTERFACE_TYPES } from './menus.js';
import type { Row } from './query.js';
import { fromApiValue } from './values.js';

interface Flag {
  letter: string;
  /** The row property that sets it (`true`). */
  prop: string;
}

const FLAG: Record<string, Flag> = {
  X: { letter: 'X', prop: 'disabled' },
  I: { letter: 'I', prop: 'invalid' },
  D: { letter: 'D', prop: 'dynamic' },
  R: { letter: 'R', prop: 'running' },
  S: { letter: 'S', prop: 'slave' },
  A: { letter: 'A', prop: 'active' },
  B: { letter: 'B', prop: 'blocked' },
};

interface View {
  /** Table columns; none: the property form. */
  columns?: string[];
  /** Flag groups (v7's `;` groups); v6 uses `v6Flags` when it differs. */
  flags: string[][];
  v6Flags?: string[][];
  /** v6 column widths (RouterOS v6 pads columns to the width its menu definition gives). */
  v6Widths?: Record<string, number>;
}

const INTERFACE_FLAGS = [['D'], ['X', 'R'], ['S']];
const RULE_FLAGS = [['X', 'I'], ['D']];

const VIEWS: Record<string, View> = {
  '/interface': {
    columns: ['name', 'type', 'actual-mtu', 'l2mtu', 'max-l2mtu', 'mac-address'],
    flags: INTERFACE_FLAGS,
    v6Widths: { name: 35, type: 10, 'actual-mtu': 6, l2mtu: 5, 'max-l2mtu': 9 },
  },
  '/interface/ethernet': {
    columns: ['name', 'mtu', 'mac-address', 'arp'],
    flags: [['X', 'R'], ['S']],
    v6Widths: { name: 20, mtu: 5, 'mac-address': 17 },
  },
  '/interface/vlan': { columns: ['name', 'mtu', 'arp', 'vlan-id', 'interface'], flags: [['X', 'R']] },
  '/interface/bridge/port': { columns: ['interface', 'bridge', 'horizon'], flags: [['X', 'I'], ['D']] },
  '/interface/list': { columns: ['name', 'include', 'exclude'], flags: [['D']] },
  '/interface/list/member': { columns: ['list', 'interface'], flags: [['X'], ['D']] },
  '/ip/address': {
    columns: ['address', 'network', 'interface'],
    flags: RULE_FLAGS,
    v6Flags: [['X', 'I', 'D']],
    v6Widths: { address: 18, network: 15 },
  },
  '/ip/route': { columns: ['dst-address', 'gateway', 'distance'], flags: [['X'], ['D'], ['A']] },
  '/ip/pool': { columns: ['name', 'ranges'], flags: [] },
  '/ip/dns/static': { columns: ['name', 'address', 'ttl'], flags: [['X'], ['D']] },
  '/ip/service': {
    columns: ['name', 'port', 'address', 'certificate'],
    flags: [['X', 'I']],
    v6Widths: { name: 11, port: 5, address: 26 },
  },
  '/ip/dhcp-server': { columns: ['name', 'interface', 'address-pool', 'lease-time'], flags: [['X', 'I']] },
  '/ip/dhcp-server/lease': {
    columns: ['address', 'mac-address', 'host-name', 'server', 'status'],
    flags: [['X'], ['D'], ['B']],
  },
  '/ip/dhcp-client': { columns: ['interface', 'use-peer-dns', 'add-default-route', 'status'], flags: [['X', 'I']] },
  '/ip/firewall/address-list': { columns: ['list', 'address', 'creation-time'], flags: [['X'], ['D']] },
  '/ip/neighbor': { columns: ['interface', 'address', 'mac-address', 'identity', 'version', 'board'], flags: [] },
  '/user': { columns: ['name', 'group', 'address', 'last-logged-in'], flags: [['X']] },
  '/system/scheduler': {
    columns: ['name', 'start-date', 'start-time', 'interval', 'on-event', 'run-count'],
    flags: [['X']],
  },
  '/system/health': { columns: ['name', 'value', 'type'], flags: [] },
  '/system/package': { columns: ['name', 'version', 'build-time', 'size'], flags: [['X']] },
};

function viewOf(path: string, rows: Row[]): View {
  const v = VIEWS[path];
  if (v) return v;
  if (INTERFACE_TYPES.has(path)) return { flags: INTERFACE_FLAGS };
  if (/^\/ipv?6?\/firewall\/(filter|nat|mangle|raw)$/.test(path))
    return { flags: RULE_FLAGS, v6Flags: [['X', 'I', 'D']] };
  const has = (p: string) => rows.some((r) => p in r);
  return { flags: [...(has('disabled') ? [['X']] : []), ...(has('dynamic') ? [['D']] : [])] };
}

// Shown as flags (or the `;;;` line), or only in `print stats`: never as `name=value`.
const NOT_SHOWN = new Set([
  '.id',
  'comment',
  'disabled',
  'dynamic',
  'invalid',
  'running',
  'slave',
  'active',
  'blocked',
  'bytes',
  'packets',
]);
const COUNTER = /^(fp-)?(rx|tx)-(byte|packet|drop|error|queue-drop)s?$|^(rx|tx)-(byte|packet)$/;

export interface PrintOptions {
  v7: boolean;
  path: string;
  /** The rows to show, each with its number. */
  rows: Array<{ number: number; row: Row }>;
  mode: 'table' | 'detail' | 'terse';
  /** Terminal width. */
  cols: number;
}

// Values RouterOS shows for properties nothing set (the rows here carry only what is configured).
const DEFAULTS: Record<string, Row> = {
  '/interface/ethernet': { mtu: '1500', arp: 'enabled' },
  '/interface/vlan': { mtu: '1500', arp: 'enabled' },
};

/** RouterOS shows an address's network also when nothing set it (the rows here carry it only when configured). */
function withNetwork(path: string, row: Row): Row {
  if (path !== '/ip/address' || row.network !== undefined || !row.address?.includes('/')) return row;
  const [ip, len] = row.address.split('/') as [string, string];
  const addr = ipv4(ip);
  const bits = Number(len);
  if (addr === undefined || !(Number.isInteger(bits) && bits >= 0 && bits <= 32)) return row;
  const net = (addr & (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0)) >>> 0;
  const network = [net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.');
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v;
    if (k === 'address') out.network = network; // in the console's order: address, network, interface
  }
  return out;
}

const on = (row: Row, f: string) => row[(FLAG[f] as Flag).prop] === 'true';
const display = (v: string | undefined) => (v === undefined ? '' : fromApiValue(v));

function flagField(groups: string[][], row: Row): string {
  return groups.map((g) => g.find((f) => on(row, f)) ?? ' ').join('');
}

function flagsLine(groups: string[][], upper: boolean, sep: string): string {
  const names = groups.map((g) =>
    g.map((f) => `${f} - ${upper ? (FLAG[f] as Flag).prop.toUpperCase() : (FLAG[f] as Flag).prop}`).join(', '),
  );
  return `Flags: ${names.join(sep)}\r\n`;
}

/** `name=value` words of a row, the view's columns first. */
function words(row: Row, columns: string[] | undefined): string[] {
  const names = [...(columns ?? []).filter((c) => c in row), ...Object.keys(row).filter((k) => !columns?.includes(k))];
  const out: string[] = [];
  for (const k of names) {
    if (NOT_SHOWN.has(k) || COUNTER.test(k)) continue;
    const v = display(row[k]);
    const quoted = v === '' || k === 'name' || /[\s"\\;$[\]{}=]/.test(v) || /[^\x20-\x7e]/.test(v);
    out.push(`${k}=${quoted ? `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"` : v}`);
  }
  return out;
}

/** Words filled into lines of `width`, the first after `first`, the rest indented to line up under it. */
function wrap(first: string, items: string[], width: number): string {
  const indent = ' '.repeat(first.length);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of items) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else line += empty ? w : ` ${w}`;
    empty = false;
  }
  lines.push(line);
  return lines.map((l) => `${l.trimEnd()}\r\n`).join('');
}

function propertyForm(o: PrintOptions, view: View): string {
  const groups = (o.v7 ? view.flags : (view.v6Flags ?? view.flags)) as string[][];
  let out = groups.length > 0 ? flagsLine(groups, false, o.v7 ? '; ' : ', ') : '';
  const numWidth = Math.max(2, ...o.rows.map((r) => String(r.number).length));
  for (const { number, row } of o.rows) {
    const prefix = `${String(number).padStart(numWidth)} ${flagField(groups, row)}${groups.length > 0 ? ' ' : ''}`;
    const props = words(row, view.columns);
    const comment = row.comment;
    if (o.mode === 'terse') {
      out += `${prefix}${[...(comment ? [`comment=${comment}`] : []), ...props].join(' ')}\r\n`;
      continue;
    }
    if (comment) out += `${prefix};;; ${comment}\r\n${wrap(' '.repeat(prefix.length), props, o.cols - 1)}`;
    else out += wrap(prefix, props, o.cols - 1);
    out += '\r\n';
  }
  return out;
}

function table(o: PrintOptions, view: View, columns: string[]): string {
  const allGroups = (o.v7 ? view.flags : (view.v6Flags ?? view.flags)) as string[][];
  // v7 shows only the flag groups some row has; v6 keeps a place for each.
  const groups = o.v7
    ? allGroups.map((g) => g.filter((f) => o.rows.some((r) => on(r.row, f)))).filter((g) => g.length > 0)
    : allGroups;
  if (o.v7 && o.rows.length === 0) return '';
  const defaults = DEFAULTS[o.path] ?? {};
  const cells = o.rows.map((r) => columns.map((c) => display(r.row[c] ?? defaults[c])));
  const widths = columns.map((c, i) =>
    Math.max(c.length, o.v7 ? 0 : (view.v6Widths?.[c] ?? 0), ...cells.map((row) => (row[i] as string).length)),
  );
  const sep = o.v7 ? '  ' : ' ';
  const numWidth = Math.max(o.v7 ? 1 : 2, ...o.rows.map((r) => String(r.number).length));
  const flagWidth = groups.length;
  const lead = (num: string, flags: string) => `${num.padStart(numWidth)} ${flagWidth > 0 ? `${flags} ` : ''}`;
  const line = (lead: string, values: string[]) =>
    `${(lead + values.map((v, i) => v.padEnd(widths[i] as number)).join(sep)).trimEnd()}\r\n`;
  let out = '';
  if (groups.length > 0) out += flagsLine(groups, o.v7, o.v7 ? '; ' : ', ');
  if (o.v7) out += `Columns: ${columns.map((c) => c.toUpperCase()).join(', ')}\r\n`;
  const head = lead('#', ' '.repeat(flagWidth));
  out += line(
    o.v7 ? head.replace(/^(\s*)#/, '#$1') : head,
    columns.map((c) => c.toUpperCase()),
  );
  o.rows.forEach(({ number, row }, i) => {
    const first = lead(String(number), flagField(groups, row));
    const comment = row.comment;
    if (comment && o.v7) out += `;;; ${comment}\r\n`;
    if (comment && !o.v7) {
      out += `${first};;; ${comment}\r\n`;
      out += line(' '.repeat(first.length), cells[i] as string[]);
    } else out += line(first, cells[i] as string[]);
  });
  return out;
}

/** `name: value` lines of a one-item menu, names right-aligned. */
export function keyValues(row: Row): string {
  const keys = Object.keys(row).filter((k) => k !== '.id');
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${' '.repeat(2 + width - k.length)}${k}: ${display(row[k])}\r\n`).join('');
}

/** The text `print` shows for the rows of a list menu. */
export function formatPrint(options: PrintOptions): string {
  const o = {
    ...options,
    rows: options.rows.map((r) => ({ number: r.number, row: withNetwork(options.path, r.row) })),
  };
  const view = viewOf(
    o.path,
    o.rows.map((r) => r.row),
  );
  if (o.mode === 'table' && view.columns) return table(o, view, view.columns);
  return propertyForm(o, view);
}

/** What `/log print` shows: one line per entry. */
export function logLines(rows: Row[]): string {
  return rows.map((r) => `${r.time ?? ''} ${r.topics ?? ''} ${r.message ?? ''}\r\n`).join('');
}
