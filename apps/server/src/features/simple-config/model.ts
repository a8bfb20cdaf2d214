import { type PlannedCommand, planned, type Where } from '../changes/commands.js';
import { norm, whereOf } from '../changes/device-io.js';

// What every tab works with: the device's rows of each menu it reads (as print gives them), the commands it plans,
// and the errors of a form the device cannot take (an interface it does not have, WPA3 on a legacy radio).

export type Row = Record<string, string>;
/** Rows of each menu a tab read, by menu path (`/ip/address`); a menu the device does not have is absent. */
export type MenuRows = Readonly<Record<string, readonly Row[] | undefined>>;
export type PlanOptions = {
  /** RouterOS 7 (NTP servers in their own menu; the wifi package where the device runs it). */
  v7: boolean;
  /** The user TOD logs in as: its password is not changed here (TOD would lock itself out). */
  loginUser?: string;
};

/** A form the device cannot take as it is now; `field` is the form's path (`pppoe.password`). */
export class PlanError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export const isTrue = (v: string | undefined) => v === 'true' || v === 'yes';
export const yesNo = (b: boolean) => (b ? 'yes' : 'no');
/** Items the device made itself (a DHCP-given address, a PPPoE route): never planned over. */
export const isDynamic = (r: Row) => isTrue(r.dynamic);
export const isEnabled = (r: Row) => !isTrue(r.disabled);
export const list = (v: string | undefined) => (v ? v.split(',').filter((x) => x !== '') : []);

export const rowsOf = (rows: MenuRows, path: string): readonly Row[] => rows[path] ?? [];
export const staticRows = (rows: MenuRows, path: string) => rowsOf(rows, path).filter((r) => !isDynamic(r));

/** Names of the device's interfaces (`/interface`) and of its interface lists. */
export function interfaceNames(rows: MenuRows): Set<string> {
  return new Set(
    rowsOf(rows, '/interface')
      .map((r) => r.name ?? '')
      .filter(Boolean),
  );
}
export function listNames(rows: MenuRows): Set<string> {
  return new Set(
    rowsOf(rows, '/interface/list')
      .map((r) => r.name ?? '')
      .filter(Boolean),
  );
}
export function requireInterface(rows: MenuRows, name: string, field: string): void {
  if (!interfaceNames(rows).has(name)) throw new PlanError(field, `the device has no interface ${name}`);
}

/** How a rule matches traffic arriving on the WAN: an interface list by that name, else the interface. */
export function inWan(rows: MenuRows, wan: string, field: string): Row {
  if (listNames(rows).has(wan)) return { 'in-interface-list': wan };
  requireInterface(rows, wan, field);
  return { 'in-interface': wan };
}

/** The properties of `want` the row does not have yet (print's true/false equals yes/no). */
export function changed(row: Row, want: Row, defaults: Row = {}): Row {
  return Object.fromEntries(Object.entries(want).filter(([k, v]) => norm(row[k] ?? defaults[k]) !== norm(v)));
}

/** An existing item's natural key, as the engine finds it again when it sends the command. */
export const keyOf = (rows: MenuRows, path: string, row: Row): Where => whereOf(path, row, [...rowsOf(rows, path)]);

export const add = (path: string, properties: Row, destination?: Where): PlannedCommand =>
  planned({ path, verb: 'add', properties, ...(destination ? { destination } : {}) });
export const remove = (path: string, where: Where): PlannedCommand => planned({ path, verb: 'remove', where });
/** A set of what differs, or nothing when nothing does; `where` absent for a menu's single item. */
export function setIfChanged(path: string, where: Where | undefined, row: Row, want: Row, defaults?: Row) {
  const properties = changed(row, want, defaults);
  if (Object.keys(properties).length === 0) return [];
  return [planned({ path, verb: 'set', ...(where ? { where } : {}), properties })];
}
export const unset = (path: string, where: Where, names: string[]): PlannedCommand =>
  planned({ path, verb: 'unset', where, unset: names });
export const move = (path: string, where: Where, destination: Where): PlannedCommand =>
  planned({ path, verb: 'move', where, destination });

/** The first of `base1`, `base2`, … (or `base`, `base2`, … without `first`) that no row has as its name. */
export function freeName(rows: readonly Row[], base: string, first?: number): string {
  const taken = new Set(rows.map((r) => r.name));
  if (first === undefined && !taken.has(base)) return base;
  for (let i = first ?? 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}
