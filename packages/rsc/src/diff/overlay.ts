// Desired-state overlay: a script read as "the configuration should have these items and values", laid over a
// device's current state. Unlike `applyCommands` (which replays commands), an `add` whose item already exists
// (same natural key, or same content when unkeyed) sets that item's named properties instead of adding a twin, so
// overlaying the same script twice gives the same state: what configuration templates need.
import { menuLine, serializeCommand } from '../serialize.js';
import type { Command, ExportDocument, Selector } from '../types.js';
import { select } from './apply.js';
import { isDefaultValue } from './defaults.js';
import { isOrderedMenu, keyString, naturalKey } from './keys.js';
import {
  type ConfigState,
  copyState,
  type Item,
  isPlainFind,
  type MenuState,
  newAddedItem,
  propsOf,
  selectorKey,
} from './state.js';

export interface OverlayOptions {
  /** The device's RouterOS major version, for defaults that changed between versions (see isDefaultValue). */
  major?: number;
}

export interface OverlayIssue {
  /** Line in the overlaid script. */
  line: number;
  /** The command as a terminal line (or the script statement). */
  text: string;
  reason: string;
}

export interface OverlayResult {
  state: ConfigState;
  /** Commands that say nothing about desired state and were skipped: scripts, `move`, `print`, fancy `find`s. */
  unsupported: OverlayIssue[];
}

/** One overlay run: the state being built, removed items (an `add` may bring one back), adds in script order. */
interface Run {
  state: ConfigState;
  major: number | undefined;
  removed: Set<Item>;
  claimed: Set<Item>;
  /** Per menu, the items the script's `add`s produced or matched, in script order; `fresh` = newly added. */
  adds: Map<string, Array<{ item: Item; fresh: boolean }>>;
  unsupported: OverlayIssue[];
}

/**
 * Overlay `doc` on a copy of `state`:
 * - `add`: an existing item with the same natural key (or, without one, identical properties) gets the properties
 *   the script names; otherwise a new item. In ordered menus (firewall, …) the script's items keep the script's
 *   relative order, new ones land after their predecessor in the script.
 * - `set`/`unset`/`remove`/`enable`/`disable` as RouterOS does them, on the items their selector finds.
 * - A value that is RouterOS's default where the export leaves it out (`disabled=no`, `name=<default-name>`) is
 *   already satisfied by an item that does not mention it.
 */
export function overlayCommands(state: ConfigState, doc: ExportDocument, opts: OverlayOptions = {}): OverlayResult {
  const run: Run = {
    state: copyState(state),
    major: opts.major,
    removed: new Set(),
    claimed: new Set(),
    adds: new Map(),
    unsupported: [],
  };
  for (const section of doc.sections) {
    for (const cmd of section.commands) {
      const reason = overlayCommand(run, section.path, cmd);
      if (reason === undefined) continue;
      const text =
        cmd.verb === 'script' ? (cmd.script ?? '') : `${menuLine(section.path)} ${serializeCommand(cmd, true)}`;
      run.unsupported.push({ line: cmd.line, text: text.trim(), reason });
    }
  }
  for (const [path, adds] of run.adds) {
    const menu = run.state.get(path);
    if (menu?.ordered) placeInOrder(menu, adds, run.removed);
  }
  for (const menu of run.state.values()) {
    if (menu.items.some((i) => run.removed.has(i))) menu.items = menu.items.filter((i) => !run.removed.has(i));
  }
  return { state: inScriptOrder(run.state, doc), unsupported: run.unsupported };
}

/**
 * The script's menus first, in the script's order, then the others: commands are generated per menu in this
 * order, and a script names what it depends on first (a security profile before the interface that uses it).
 */
function inScriptOrder(state: ConfigState, doc: ExportDocument): ConfigState {
  const out: ConfigState = new Map();
  for (const { path } of doc.sections) {
    const menu = state.get(path);
    if (menu && !out.has(path)) out.set(path, menu);
  }
  for (const [path, menu] of state) if (!out.has(path)) out.set(path, menu);
  return out;
}

/** Overlays one command; returns why it was skipped, if it was. */
function overlayCommand(run: Run, path: string, cmd: Command): string | undefined {
  if (cmd.verb === 'script') return 'script statements do not describe configuration';
  if (path === '') return 'a command before any menu';
  if (cmd.selector?.kind === 'find' && !isPlainFind(cmd.selector))
    return 'only [ find name=value ... ] selectors can be evaluated';
  const menu = menuOf(run.state, path);
  switch (cmd.verb) {
    case 'add':
      if (cmd.args.some((a) => a.name === 'copy-from')) return 'copy-from is not supported';
      add(run, menu, cmd);
      return undefined;
    case 'set':
      set(run, menu, cmd.selector, propsOf(cmd.args), cmd.line);
      return undefined;
    case 'enable':
    case 'disable':
      if (!cmd.selector) return `${cmd.verb} needs a selector`;
      set(run, menu, cmd.selector, new Map([['disabled', cmd.verb === 'disable' ? 'yes' : 'no']]), cmd.line);
      return undefined;
    case 'unset':
      unset(run, menu, cmd);
      return undefined;
    case 'remove':
      if (!cmd.selector) return 'remove needs a selector';
      for (const item of live(run, menu, cmd.selector)) run.removed.add(item);
      return undefined;
    case 'move':
      return "the order of items follows the script's order of add commands";
    default:
      return `${cmd.verb} does not describe configuration`;
  }
}

function menuOf(state: ConfigState, path: string): MenuState {
  let menu = state.get(path);
  if (!menu) {
    menu = { path, ordered: isOrderedMenu(path), items: [] };
    state.set(path, menu);
  }
  return menu;
}

function live(run: Run, menu: MenuState, sel: Selector): Item[] {
  return select(menu, sel).filter((i) => !run.removed.has(i));
}

function add(run: Run, menu: MenuState, cmd: Command): void {
  // Where an added item goes is decided by the script's order (placeInOrder), not by place-before.
  const props = propsOf(cmd.args.filter((a) => a.name !== 'place-before'));
  const found = findExisting(run, menu, props);
  let fresh = false;
  let item: Item;
  if (found) {
    item = found;
    run.removed.delete(item);
    setProps(run, menu.path, item, props);
  } else {
    item = newAddedItem(menu, props, cmd.line);
    menu.items.push(item);
    fresh = true;
  }
  run.claimed.add(item);
  let adds = run.adds.get(menu.path);
  if (!adds) {
    adds = [];
    run.adds.set(menu.path, adds);
  }
  adds.push({ item, fresh });
}

/**
 * The item an `add` means: the same natural key, else (optional key fields the script leaves out, such as a
 * route's `distance`) the same values for the key fields it names, else without a key the same content. Live
 * items first, then ones removed earlier in the script.
 */
function findExisting(run: Run, menu: MenuState, props: Map<string, string>): Item | undefined {
  const candidates = [
    ...menu.items.filter((i) => !run.removed.has(i)),
    ...menu.items.filter((i) => run.removed.has(i)),
  ].filter((i) => !run.claimed.has(i) && i.origin !== 'other');
  const nk = naturalKey(menu.path, props);
  if (!nk) return candidates.find((i) => i.origin === 'add' && sameContent(run, menu.path, i, props));
  const key = keyString(nk);
  const keyOf = (i: Item): string | undefined => {
    const k = naturalKey(menu.path, view(i));
    return k && keyString(k);
  };
  return (
    candidates.find((i) => keyOf(i) === key) ??
    candidates.find((i) => {
      const v = view(i);
      return nk.every(([name, value]) => v.get(name) === value);
    })
  );
}

/** Identity conditions (`default-name=ether1`) and properties together, as a key sees them. */
function view(item: Item): Map<string, string> {
  if (item.identity.length === 0) return item.props;
  const m = new Map(item.identity.map((a): [string, string] => [a.name, a.value ?? '']));
  for (const [k, v] of item.props) m.set(k, v);
  return m;
}

/** Unkeyed items are the same when their properties are, counting a default value and its absence as equal. */
function sameContent(run: Run, path: string, item: Item, props: Map<string, string>): boolean {
  for (const k of item.props.keys()) if (!props.has(k)) return false;
  for (const [k, v] of props) {
    const have = item.props.get(k);
    if (have === undefined ? !isDefault(run, path, item, k, v) : have !== v) return false;
  }
  return true;
}

function isDefault(run: Run, path: string, item: Item, name: string, value: string): boolean {
  if (name === 'name' && item.identity.some((a) => a.name === 'default-name' && a.value === value)) return true;
  return isDefaultValue(path, name, value, run.major);
}

function setProps(run: Run, path: string, item: Item, props: Map<string, string>): void {
  for (const [k, v] of props) {
    if (!item.props.has(k) && isDefault(run, path, item, k, v)) continue;
    item.props.set(k, v);
  }
}

function set(run: Run, menu: MenuState, sel: Selector | undefined, props: Map<string, string>, line: number): void {
  let targets = sel ? live(run, menu, sel) : menu.items.filter((i) => i.origin === 'singleton');
  if (targets.length === 0) {
    // Removed earlier in this script: nothing left to set.
    if (sel && select(menu, sel).length > 0) return;
    // A built-in item the export does not mention (exports leave out untouched defaults), as applyCommands does.
    const item: Item = sel
      ? { ...selectorKey(sel), keyed: true, origin: 'set', props: new Map(), line }
      : { key: '', keyed: true, origin: 'singleton', identity: [], props: new Map(), line };
    if (sel && item.identity.length === 0) item.selector = sel;
    menu.items.push(item);
    targets = [item];
  }
  for (const t of targets) setProps(run, menu.path, t, props);
}

function unset(run: Run, menu: MenuState, cmd: Command): void {
  const names: string[] = [];
  for (const a of cmd.args) {
    if (a.name === 'value-name') names.push(...(a.value ?? '').split(',').filter(Boolean));
    else if (a.value === undefined && a.name !== '') names.push(a.name);
  }
  const targets = cmd.selector
    ? live(run, menu, cmd.selector)
    : menu.items.filter((i) => i.origin === 'singleton' && !run.removed.has(i));
  for (const t of targets) for (const n of names) t.props.delete(n);
}

/**
 * Ordered menus: the items the script added or matched take the script's relative order within the positions
 * the matched ones already hold (other items stay where they are); new items go right after their predecessor
 * in the script, or before their successor, or at the end.
 */
function placeInOrder(menu: MenuState, adds: Array<{ item: Item; fresh: boolean }>, removed: Set<Item>): void {
  const order = adds.filter((a) => !removed.has(a.item));
  const fresh = new Set(order.filter((a) => a.fresh).map((a) => a.item));
  menu.items = menu.items.filter((i) => !fresh.has(i));
  const matched = order.filter((a) => !a.fresh).map((a) => a.item);
  const slots = matched.map((i) => menu.items.indexOf(i)).sort((x, y) => x - y);
  slots.forEach((slot, k) => {
    menu.items[slot] = matched[k] as Item;
  });
  order.forEach(({ item }, k) => {
    if (!fresh.has(item)) return;
    const before = order
      .slice(0, k)
      .reverse()
      .find((a) => menu.items.includes(a.item));
    if (before) {
      menu.items.splice(menu.items.indexOf(before.item) + 1, 0, item);
      return;
    }
    const after = order.slice(k + 1).find((a) => menu.items.includes(a.item));
    if (after) menu.items.splice(menu.items.indexOf(after.item), 0, item);
    else menu.items.push(item);
  });
}
