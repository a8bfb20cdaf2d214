// Which items a script/export selector addresses: `[ find k=v ]`, `set ether1`, `set 0`.
import type { Arg, Selector } from '@tod/rsc';
import { ConfigStore, type Item, type Menu } from './store.js';
import { fromApiValue } from './values.js';

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

function valueMatches(have: string | undefined, want: string): boolean {
  if (have === undefined) return want === '';
  return have === want || fromApiValue(have) === fromApiValue(want);
}

export function matches(item: Item, conditions: Arg[]): boolean {
  return conditions.every((c) => {
    if (c.value === undefined) {
      // A bare word: a flag such as `dynamic` or `disabled` (true when `yes`), `!dynamic` negated.
      const neg = c.name.startsWith('!');
      const name = neg ? c.name.slice(1) : c.name;
      const on = flagValue(item, name) === 'yes';
      return neg ? !on : on;
    }
    return valueMatches(ConfigStore.get(item, c.name) ?? flagValue(item, c.name), c.value);
  });
}

function flagValue(item: Item, name: string): string | undefined {
  if (name === 'dynamic') return item.dynamic ? 'yes' : 'no';
  if (name === 'default') return ConfigStore.get(item, 'default') ?? (item.builtin ? 'yes' : 'no');
  if (name === 'disabled') return item.props.get('disabled') ?? 'no';
  return ConfigStore.get(item, name);
}

/** Items addressed by `sel`; throws SelectorError for `find` expressions this simulator cannot evaluate. */
export function selectItems(menu: Menu | undefined, sel: Selector): Item[] {
  if (!menu) return [];
  if (sel.kind === 'position') {
    const item = menu.items[sel.index];
    return item ? [item] : [];
  }
  if (sel.kind === 'name') return menu.items.filter((i) => ConfigStore.get(i, 'name') === sel.value);
  const rest = sel.raw.replace(/^find(\s+where)?/, '').trim();
  // `name~"regex"`: RouterOS's regular-expression match (POSIX extended; JavaScript's agrees on what scripts use).
  const re = /^([a-z][a-z0-9.-]*)~"((?:[^"\\]|\\.)*)"$/i.exec(rest);
  if (re) {
    let pattern: RegExp;
    try {
      pattern = new RegExp((re[2] as string).replace(/\\"/g, '"'));
    } catch {
      throw new SelectorError(`invalid regular expression in [ ${sel.raw} ]`);
    }
    return menu.items.filter((i) => pattern.test(ConfigStore.get(i, re[1] as string) ?? ''));
  }
  const plain = rest.match(/(?:[^\s"=]+=(?:"(?:[^"\\]|\\.)*"|[^\s"]*)|!?[a-z][a-z0-9.-]*)/gi) ?? [];
  if (plain.join(' ').length !== rest.replace(/\s+/g, ' ').length && rest !== '') {
    throw new SelectorError(`unsupported find expression: [ ${sel.raw} ]`);
  }
  if (rest === '') return [...menu.items];
  const conds: Arg[] = sel.conditions.length > 0 ? sel.conditions : plain.map((w) => ({ name: w }));
  return menu.items.filter((i) => matches(i, conds));
}
