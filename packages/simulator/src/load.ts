// Loading an `/export` into the store: every add/set replayed the way the device would have applied it, keeping
// enough (the selector of built-in items) for `/export` to give the same configuration back.
import { type ExportDocument, parseExport, type Selector } from '@tod/rsc';
import { selectItems } from './select.js';
import type { ConfigStore, Item } from './store.js';

export class LoadError extends Error {
  override readonly name = 'LoadError';
}

/**
 * Properties of a command. A bare `!name` (verbose exports, and compact ones where unset is not the default) is
 * kept as the key `!name`: `/export` writes it back, print leaves it out (rows.ts), setting `name` replaces it.
 */
export function argsToProps(args: Array<{ name: string; value?: string; expr?: boolean }>): Map<string, string> {
  const props = new Map<string, string>();
  for (const a of args) {
    if (a.name === '') continue;
    props.set(a.name, a.expr ? `[${a.value ?? ''}]` : (a.value ?? ''));
  }
  return props;
}

/** Identity of a built-in item a selector names, kept as read-only properties. */
function identityOf(sel: Selector): Map<string, string> | undefined {
  if (sel.kind === 'name') return new Map([['name', sel.value]]);
  if (sel.kind === 'find' && sel.conditions.length > 0) {
    return new Map(sel.conditions.map((c) => [c.name, c.value ?? 'yes']));
  }
  return undefined;
}

export function loadExport(store: ConfigStore, input: string | ExportDocument): ExportDocument {
  const doc = typeof input === 'string' ? parseExport(input) : input;
  for (const section of doc.sections) {
    for (const cmd of section.commands) {
      const where = `line ${cmd.line} (${section.path} ${cmd.verb})`;
      if (cmd.verb === 'add') {
        store.add(section.path, argsToProps(cmd.args));
      } else if (cmd.verb === 'set' && !cmd.selector) {
        const item = store.singleton(section.path);
        store.set(section.path, item, argsToProps(cmd.args));
      } else if (cmd.verb === 'set' && cmd.selector) {
        const menu = store.menu(section.path);
        let targets: Item[] = selectItems(menu, cmd.selector).filter((i) => i.builtin || !i.dynamic);
        if (cmd.selector.kind === 'position') targets = targets.slice(0, 1);
        if (targets.length === 0) {
          // A built-in item the device has but the export does not create (exports omit untouched defaults).
          if (cmd.selector.kind === 'position') {
            // `set 8` addresses the ninth built-in item: stand-ins for the unmentioned ones keep positions right.
            while ((store.menu(section.path)?.items.length ?? 0) < cmd.selector.index) {
              store.add(section.path, new Map(), { builtin: true });
            }
          }
          const extra: Partial<Item> = { builtin: true, selector: cmd.selector };
          const fixed = identityOf(cmd.selector);
          if (fixed) extra.fixed = fixed;
          targets = [store.add(section.path, new Map(), extra)];
        }
        for (const t of targets) {
          t.selector ??= cmd.selector;
          store.set(section.path, t, argsToProps(cmd.args));
        }
      } else {
        throw new LoadError(`${where}: cannot load this command into the simulator`);
      }
    }
  }
  return doc;
}
