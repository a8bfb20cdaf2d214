// The configuration an export describes, as items per menu: what the semantic diff compares.
import type { Arg, Command, ExportDocument, Selector } from '../types.js';
import { isOrderedMenu, keyString, naturalKey } from './keys.js';

export interface Item {
  /** Stable identity within the menu: `name=ether1`, `default-name=ether1`, `#0` (position), `` (singleton). */
  key: string;
  /** False when no natural key exists: matched by content, then by position among unkeyed items. */
  keyed: boolean;
  /** `add` (created), `set` (a built-in item addressed by a selector), `singleton`, `other` (anything else). */
  origin: 'add' | 'set' | 'singleton' | 'other';
  /** Conditions that find this item on a device, beyond its props (e.g. `default-name=ether1`). */
  identity: Arg[];
  /** The original selector of a `set` item (position/name/raw find) for building commands. */
  selector?: Selector;
  /** Properties, full dotted names; bare flags map to ''. */
  props: Map<string, string>;
  /** Source line of the first command that made it. */
  line: number;
  /** For `other`: the command text. */
  text?: string;
}

export interface MenuState {
  path: string;
  ordered: boolean;
  items: Item[];
}

/** Menus in first-appearance order. */
export type ConfigState = Map<string, MenuState>;

/** A copy whose items can be changed without touching `state`'s. */
export function copyState(state: ConfigState): ConfigState {
  const out: ConfigState = new Map();
  for (const [path, m] of state) {
    out.set(path, { ...m, items: m.items.map((i) => ({ ...i, props: new Map(i.props), identity: [...i.identity] })) });
  }
  return out;
}

export function propsOf(args: Arg[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of args) if (a.name !== '') m.set(a.name, a.expr ? `[${a.value ?? ''}]` : (a.value ?? ''));
  return m;
}

/** Key and identity of an item addressed by a selector. */
export function selectorKey(sel: Selector): { key: string; identity: Arg[] } {
  if (sel.kind === 'position') return { key: `#${sel.index}`, identity: [] };
  if (sel.kind === 'name')
    return { key: keyString([['name', sel.value]]), identity: [{ name: 'name', value: sel.value }] };
  const conds = sel.conditions.map((c): [string, string] => [c.name, c.value ?? '']);
  if (conds.length > 0 && isPlainFind(sel))
    return { key: keyString(conds), identity: sel.conditions.map((c) => ({ name: c.name, value: c.value ?? '' })) };
  return { key: `[${sel.raw}]`, identity: [] };
}

/** `find a=b c=d` with nothing but simple conditions. */
export function isPlainFind(sel: Selector & { kind: 'find' }): boolean {
  const rest = sel.raw.replace(/^find(\s+where)?/, '').trim();
  const words = rest.match(/(?:[^\s"]+="(?:[^"\\]|\\.)*"|[^\s"]+)/g) ?? [];
  return words.length === sel.conditions.length && words.every((w) => w.includes('='));
}

export function buildState(doc: ExportDocument): ConfigState {
  const state: ConfigState = new Map();
  const indexes = new Map<string, MenuIndex>();
  for (const section of doc.sections) {
    let menu = state.get(section.path);
    let index = indexes.get(section.path);
    if (!menu || !index) {
      menu = { path: section.path, ordered: isOrderedMenu(section.path), items: [] };
      index = { byKey: new Map(), unkeyedAdds: 0 };
      state.set(section.path, menu);
      indexes.set(section.path, index);
    }
    for (const cmd of section.commands) addCommand(menu, index, cmd);
  }
  return state;
}

/** Look-up tables for building a menu without quadratic scans; kept in step with `menu.items` pushes. */
interface MenuIndex {
  byKey: Map<string, Item>;
  unkeyedAdds: number;
  singleton?: Item;
}

function indexOf(menu: MenuState): MenuIndex {
  const index: MenuIndex = { byKey: new Map(), unkeyedAdds: 0 };
  for (const i of menu.items) track(index, i);
  return index;
}

function track(index: MenuIndex, item: Item): void {
  if (item.keyed && !index.byKey.has(item.key)) index.byKey.set(item.key, item);
  if (!item.keyed && item.origin === 'add') index.unkeyedAdds++;
  if (item.origin === 'singleton') index.singleton ??= item;
}

/** An item created by `add` with these props (not yet inserted into `menu`). */
export function newAddedItem(
  menu: MenuState,
  props: Map<string, string>,
  line: number,
  index: MenuIndex = indexOf(menu),
): Item {
  const nk = naturalKey(menu.path, props);
  if (nk) {
    let key = keyString(nk);
    // Duplicates (e.g. two DNS records with the same name) get an occurrence suffix.
    for (let n = 2; index.byKey.has(key); n++) key = `${keyString(nk)} #${n}`;
    return { key, keyed: true, origin: 'add', identity: [], props, line };
  }
  return { key: `#${index.unkeyedAdds}`, keyed: false, origin: 'add', identity: [], props, line };
}

function addCommand(menu: MenuState, index: MenuIndex, cmd: Command): void {
  const push = (item: Item): void => {
    menu.items.push(item);
    track(index, item);
  };
  if (cmd.verb === 'add') {
    push(newAddedItem(menu, propsOf(cmd.args), cmd.line, index));
    return;
  }
  if (cmd.verb === 'set') {
    const props = propsOf(cmd.args);
    if (!cmd.selector) {
      const existing = index.singleton;
      if (existing) for (const [k, v] of props) existing.props.set(k, v);
      else push({ key: '', keyed: true, origin: 'singleton', identity: [], props, line: cmd.line });
      return;
    }
    const { key, identity } = selectorKey(cmd.selector);
    const existing = index.byKey.get(key);
    if (existing) {
      for (const [k, v] of props) existing.props.set(k, v);
      return;
    }
    const item: Item = { key, keyed: true, origin: 'set', identity, props, line: cmd.line };
    if (identity.length === 0) item.selector = cmd.selector;
    push(item);
    return;
  }
  // remove/enable/disable/move/scripts...: kept as opaque, ordered entries so a change still shows up.
  const text = cmd.verb === 'script' ? (cmd.script ?? '') : commandText(cmd);
  push({ key: `!${text}`, keyed: false, origin: 'other', identity: [], props: new Map(), line: cmd.line, text });
}

function commandText(cmd: Command): string {
  const sel = cmd.selector
    ? ` ${cmd.selector.kind === 'find' ? `[ ${cmd.selector.raw} ]` : cmd.selector.kind === 'position' ? cmd.selector.index : cmd.selector.value}`
    : '';
  const args = cmd.args.map((a) => (a.value === undefined ? a.name : `${a.name}=${a.value}`)).join(' ');
  return `${cmd.verb}${sel}${args ? ` ${args}` : ''}`;
}

/**
 * Whether `item` satisfies `find` conditions: each is compared with the item's identity, else its property;
 * `x=""` also matches an item where `x` is not set (how RouterOS treats empty values).
 */
export function matchesConditions(item: Item, conditions: Arg[]): boolean {
  return conditions.every((c) => {
    const id = item.identity.find((x) => x.name === c.name);
    const have = id ? (id.value ?? '') : (item.props.get(c.name) ?? '');
    return have === (c.value ?? '');
  });
}
