import type { PlannedCommand } from '../../changes/commands.js';
import type { FormOf, Tab } from '../forms.js';
import type { MenuRows, PlanOptions } from '../model.js';

/** What GET answers for a tab besides the device's version: the form as the device has it now, and its pickers. */
export type TabView = {
  /** The tab's form, filled from the device (POST takes this shape back; secrets left out). */
  form: Record<string, unknown>;
  /** Write-only fields: whether the device has a value (`pppoe.password`, `radios.wlan1.passphrase`). */
  secrets: Record<string, { set: boolean }>;
  /** What the form's pickers offer (interfaces, lists, services, users…). */
  options: Record<string, unknown>;
  /** Read-only facts shown beside the form (a DHCP lease, rules TOD does not manage…). */
  state: Record<string, unknown>;
};

export type TabDef<T extends Tab> = {
  /** Menus the tab reads (a menu the device lacks is left out of the rows). */
  menus(): readonly string[];
  read(rows: MenuRows, o: PlanOptions): TabView;
  /** What can be refused without reading the device (checked when an operation is submitted, and by plan). */
  check?(form: FormOf[T], o: Pick<PlanOptions, 'loginUser'>): void;
  /** current → desired as the fewest commands, items addressed by natural keys; throws PlanError. */
  plan(form: FormOf[T], rows: MenuRows, o: PlanOptions): PlannedCommand[];
};

/** Interfaces for pickers: name, type, and whether it is running. */
export const interfaceOptions = (rows: MenuRows) =>
  (rows['/interface'] ?? []).map((r) => ({
    name: r.name ?? '',
    type: r.type ?? '',
    running: r.running === 'true',
    disabled: r.disabled === 'true',
  }));
export const listOptions = (rows: MenuRows) => (rows['/interface/list'] ?? []).map((r) => r.name ?? '');
