// RouterOS commands that turn configuration A into B, from a semantic diff. Items are addressed with
// `[ find ... ]` on their natural key (never `.id`, which differs per device).
import { findSelector, menuLine, serializeCommand } from '../serialize.js';
import type { Arg, Command, Selector } from '../types.js';
import { naturalKey } from './keys.js';
import { type ExportDiff, longestIncreasing, type MenuDiff, matchItems } from './semantic.js';
import { type Item, type MenuState, matchesConditions } from './state.js';

/**
 * Terse command lines (`/ip address add ...`), in a safe order: removals (reverse menu order), then per menu
 * in B's order property changes, additions and moves. Where no command can be generated (an opaque script line,
 * an item indistinguishable from its twin) a `#` comment line says so.
 */
export function diffToCommands(diff: ExportDiff): string[] {
  const out: string[] = [];
  const emit = (path: string, cmd: Command): void => {
    out.push(`${menuLine(path)} ${serializeCommand(cmd, true)}`);
  };
  const cannot = (path: string, what: string, item: Item): void => {
    out.push(`# cannot ${what} automatically in ${menuLine(path)}: ${item.text ?? describe(item)}`);
  };
  for (const m of [...diff.menus].reverse()) {
    const aMenu = diff.a.get(m.path);
    const removedSet = new Set(m.removed);
    const gone = new Set<Item>();
    for (const item of [...m.removed].reverse()) {
      if (item.origin === 'other') {
        cannot(m.path, 'revert', item);
      } else if (item.origin === 'add') {
        // Twins that are all being removed may share one `remove [ find ... ]`.
        if (gone.has(item)) continue;
        const sel = selectorFor(m.path, item, aMenu, removedSet);
        if (!sel) {
          cannot(m.path, 'remove', item);
          continue;
        }
        emit(m.path, { verb: 'remove', selector: sel, args: [], line: 0 });
        if (sel.kind === 'find')
          for (const i of aMenu?.items ?? []) if (matchesConditions(i, sel.conditions)) gone.add(i);
      } else {
        // A customised built-in item vanished from the export: its properties went back to defaults.
        for (const name of item.props.keys()) unset(m.path, item, name, aMenu, emit, cannot);
      }
    }
  }
  for (const m of diff.menus) {
    const aMenu = diff.a.get(m.path);
    const bMenu = diff.b.get(m.path);
    for (const c of m.changed) {
      const set: Arg[] = [];
      const unsets: string[] = [];
      for (const p of c.changes) {
        if (p.new === undefined) unsets.push(p.name);
        else set.push({ name: p.name, value: p.new });
      }
      if (set.length > 0) {
        const cmd: Command = { verb: 'set', args: set, line: 0 };
        const sel = selectorFor(m.path, c.a, aMenu);
        if (sel) cmd.selector = sel;
        if (sel || c.a.origin === 'singleton') emit(m.path, cmd);
        else cannot(m.path, 'change', c.a);
      }
      if (unsets.length === 0) continue;
      // After the `set`, an item addressed by its content has its new values: address it by those.
      const mid: Item = { ...c.a, props: new Map(c.a.props) };
      for (const a of set) mid.props.set(a.name, a.value ?? '');
      const midMenu = aMenu && { ...aMenu, items: aMenu.items.map((i) => (i === c.a ? mid : i)) };
      for (const name of unsets) {
        unset(m.path, mid, name, midMenu, emit, cannot);
        mid.props.delete(name);
      }
    }
    if (m.ordered) placeOrdered(m, aMenu, bMenu, emit, cannot, out);
    else for (const item of m.added) addItem(m.path, item, undefined, bMenu, emit, cannot, out);
  }
  return out;
}

type Emit = (path: string, cmd: Command) => void;
type Cannot = (path: string, what: string, item: Item) => void;

function unset(path: string, item: Item, name: string, menu: MenuState | undefined, emit: Emit, cannot: Cannot): void {
  const cmd: Command = { verb: 'unset', args: [{ name: 'value-name', value: name }], line: 0 };
  const sel = selectorFor(path, item, menu);
  if (sel) cmd.selector = sel;
  if (sel || item.origin === 'singleton') emit(path, cmd);
  else cannot(path, `unset ${name}`, item);
}

function addItem(
  path: string,
  item: Item,
  before: Selector | undefined,
  bMenu: MenuState | undefined,
  emit: Emit,
  cannot: Cannot,
  out: string[],
): void {
  if (item.origin === 'other') {
    out.push(`${menuLine(path)} ${item.text ?? ''}`);
    return;
  }
  const args: Arg[] = [...item.props].map(([name, value]) => ({ name, value }));
  if (item.origin === 'add') {
    if (before?.kind === 'find') args.push({ name: 'place-before', value: before.raw, expr: true });
    emit(path, { verb: 'add', args, line: 0 });
    return;
  }
  // A built-in item (set [ find default-name=... ]) that only now has customised properties.
  const cmd: Command = { verb: 'set', args, line: 0 };
  const sel = selectorFor(path, item, bMenu);
  if (sel) cmd.selector = sel;
  if (sel || item.origin === 'singleton') emit(path, cmd);
  else cannot(path, 'set', item);
}

/**
 * Ordered menus: items outside the longest run that kept its order (moved and new ones) are placed in B order,
 * each before the next item of that run (or at the end), so they land between the right neighbours.
 */
function placeOrdered(
  m: MenuDiff,
  a: MenuState | undefined,
  b: MenuState | undefined,
  emit: Emit,
  cannot: Cannot,
  out: string[],
): void {
  if (!b) return;
  const pairs = a ? matchItems(a, b) : [];
  const keep = longestIncreasing(pairs.map((p) => p[1]));
  const settled = new Set<number>();
  pairs.forEach(([, j], k) => {
    if (keep.has(k)) settled.add(j);
  });
  const added = new Set(m.added);
  let anchorIndex = -1;
  for (let j = 0; j < b.items.length; j++) {
    if (settled.has(j)) continue;
    const item = b.items[j] as Item;
    if (anchorIndex < j) {
      anchorIndex = j + 1;
      while (anchorIndex < b.items.length && !settled.has(anchorIndex)) anchorIndex++;
    }
    const anchor = b.items[anchorIndex];
    const dest = anchor ? selectorFor(m.path, anchor, b) : undefined;
    if (anchor && dest?.kind !== 'find') {
      cannot(m.path, 'place', item);
      continue;
    }
    if (added.has(item)) {
      addItem(m.path, item, dest, b, emit, cannot, out);
      continue;
    }
    const sel = selectorFor(m.path, item, b);
    if (!sel) {
      cannot(m.path, 'move', item);
      continue;
    }
    const cmd: Command = { verb: 'move', selector: sel, args: [], line: 0 };
    if (dest?.kind === 'find') cmd.args.push({ name: 'destination', value: dest.raw, expr: true });
    emit(m.path, cmd);
  }
}

/**
 * How to address `item` on a device: its identity/selector, else its natural key, else all its properties plus
 * `x=""` for properties that look-alike items set. Undefined when nothing tells it apart (exact twins).
 * Items in `mayAlsoMatch` are allowed to match too (e.g. twins that are all being removed).
 */
export function selectorFor(
  path: string,
  item: Item,
  menu: MenuState | undefined,
  mayAlsoMatch?: Set<Item>,
): Selector | undefined {
  if (item.origin === 'singleton' || item.origin === 'other') return undefined;
  if (item.identity.length > 0) return findSelector(item.identity);
  if (item.selector) return item.selector;
  const others = (menu?.items ?? []).filter((i) => i !== item && i.origin !== 'other' && !mayAlsoMatch?.has(i));
  const unique = (conds: Arg[]): boolean => !others.some((o) => matchesConditions(o, conds));
  const nk = item.keyed ? naturalKey(path, item.props) : undefined;
  if (nk) {
    const conds = nk.map(([name, value]) => ({ name, value }));
    if (unique(conds)) return findSelector(conds);
  }
  const conds: Arg[] = [...item.props].map(([name, value]) => ({ name, value }));
  for (const o of others) {
    if (!matchesConditions(o, conds)) continue;
    const extra = [...o.props.keys()].find((k) => !item.props.has(k) && (o.props.get(k) ?? '') !== '');
    if (extra !== undefined) conds.push({ name: extra, value: '' });
  }
  return unique(conds) ? findSelector(conds) : undefined;
}

function describe(item: Item): string {
  return [...item.props].map(([k, v]) => `${k}=${v}`).join(' ') || item.key;
}
