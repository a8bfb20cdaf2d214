// A small evaluator of add/set/unset/remove/move commands on a ConfigState. It checks that generated commands
// address the intended items (tests), and lets callers preview a change without a device.
import { parseExport } from '../parser.js';
import type { Arg, ExportDocument, Selector } from '../types.js';
import { isOrderedMenu } from './keys.js';
import {
  type ConfigState,
  copyState,
  type Item,
  type MenuState,
  matchesConditions,
  newAddedItem,
  propsOf,
  selectorKey,
} from './state.js';

export class ApplyError extends Error {
  override readonly name = 'ApplyError';
}

/** Apply every command of `doc` to a deep copy of `state` and return the result. */
export function applyCommands(state: ConfigState, doc: ExportDocument): ConfigState {
  const out = copyState(state);
  for (const section of doc.sections) {
    let menu = out.get(section.path);
    if (!menu) {
      menu = { path: section.path, ordered: isOrderedMenu(section.path), items: [] };
      out.set(section.path, menu);
    }
    for (const cmd of section.commands) {
      const where = `line ${cmd.line} (${section.path} ${cmd.verb})`;
      const args = cmd.args.filter((a) => a.name !== 'place-before' && a.name !== 'destination');
      if (cmd.verb === 'add') {
        const item = newAddedItem(menu, propsOf(args), cmd.line);
        const before = cmd.args.find((a) => a.name === 'place-before');
        insert(menu, item, before ? one(menu, exprSelector(before), where) : undefined);
      } else if (cmd.verb === 'set' || cmd.verb === 'unset') {
        const targets = cmd.selector ? select(menu, cmd.selector) : menu.items.filter((i) => i.origin === 'singleton');
        if (targets.length === 0) {
          if (cmd.verb === 'unset') throw new ApplyError(`${where}: no item matches`);
          // A built-in item the state did not mention yet (exports omit untouched defaults).
          const item: Item = cmd.selector
            ? { ...selectorKey(cmd.selector), keyed: true, origin: 'set', props: new Map(), line: cmd.line }
            : { key: '', keyed: true, origin: 'singleton', identity: [], props: new Map(), line: cmd.line };
          if (cmd.selector && item.identity.length === 0) item.selector = cmd.selector;
          menu.items.push(item);
          targets.push(item);
        }
        for (const t of targets) {
          if (cmd.verb === 'set') for (const [k, v] of propsOf(args)) t.props.set(k, v);
          else
            for (const a of args)
              if (a.name === 'value-name') for (const n of (a.value ?? '').split(',')) t.props.delete(n);
        }
      } else if (cmd.verb === 'remove') {
        const targets = new Set(cmd.selector ? select(menu, cmd.selector) : []);
        if (targets.size === 0) throw new ApplyError(`${where}: no item matches`);
        menu.items = menu.items.filter((i) => !targets.has(i));
      } else if (cmd.verb === 'move') {
        const item = one(menu, cmd.selector, where);
        const dest = cmd.args.find((a) => a.name === 'destination');
        const before = dest ? one(menu, exprSelector(dest), where) : undefined;
        menu.items = menu.items.filter((i) => i !== item);
        insert(menu, item, before);
      } else {
        throw new ApplyError(`${where}: verb not supported by the evaluator`);
      }
    }
  }
  return out;
}

function insert(menu: MenuState, item: Item, before: Item | undefined): void {
  const at = before ? menu.items.indexOf(before) : -1;
  if (at < 0) menu.items.push(item);
  else menu.items.splice(at, 0, item);
}

/** `place-before=[ find ... ]` / `destination=[ find ... ]`, parsed with the real parser. */
function exprSelector(arg: Arg): Selector {
  const cmd = parseExport(`/x set [ ${arg.value ?? ''} ]`).sections[0]?.commands[0];
  if (!cmd?.selector) throw new ApplyError(`cannot read selector [ ${arg.value ?? ''} ]`);
  return cmd.selector;
}

function one(menu: MenuState, sel: Selector | undefined, where: string): Item {
  const found = sel ? select(menu, sel) : [];
  if (found.length !== 1) throw new ApplyError(`${where}: selector matches ${found.length} items, expected 1`);
  return found[0] as Item;
}

/** Items a selector addresses: conditions compare against identity first, then properties. */
export function select(menu: MenuState, sel: Selector): Item[] {
  if (sel.kind === 'position') return menu.items.filter((i) => i.key === `#${sel.index}` && i.origin === 'set');
  if (sel.kind === 'name') return menu.items.filter((i) => matchesConditions(i, [{ name: 'name', value: sel.value }]));
  if (sel.conditions.length === 0 && !/^find(\s+where)?$/.test(sel.raw.trim())) {
    const key = selectorKey(sel).key;
    return menu.items.filter((i) => i.key === key);
  }
  return menu.items.filter((i) => matchesConditions(i, sel.conditions));
}
