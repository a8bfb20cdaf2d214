// Generic menu commands on store menus: print (queries, proplist, count-only, follow), get, add, set, unset,
// remove, enable, disable, move, listen.
import { INTERFACE_REFS, INTERFACE_TYPES, REQUIRED, UNIQUE_NAME_MENUS } from '../menus.js';
import { compileQuery, QueryError, type Row } from '../query.js';
import { type Entry, entriesOf, rowOf } from '../rows.js';
import { ConfigStore, type Item, SINGLETON_MENUS } from '../store.js';
import { formatId, fromApiValue, parseId } from '../values.js';
import { prepareWireguard } from '../wireguard.js';
import { checkValues } from './checked.js';
import { argFlag, type CommandContext, CommandError, requirePolicy } from './context.js';

// Words of add/set that address items rather than set properties.
const META = new Set(['.id', 'numbers', '.proplist', 'place-before', 'destination']);
const READ_ONLY = new Set(['.id', 'dynamic', 'running', 'default-name', 'type', 'invalid', 'slave', 'actual-mtu']);

function project(row: Row, proplist: string[] | undefined): Row {
  if (!proplist) return row;
  const out: Row = {};
  for (const p of proplist) if (p in row) out[p] = row[p] as string;
  return out;
}

export function printRows(ctx: CommandContext, entries: Entry[]): Row[] {
  const now = Date.now();
  let filter: ((r: Row) => boolean) | undefined;
  try {
    filter = compileQuery(ctx.query);
  } catch (e) {
    if (e instanceof QueryError) throw new CommandError(e.message, 1);
    throw e;
  }
  const rows: Row[] = [];
  for (const e of entries) {
    const row = rowOf(ctx.device, ctx.path, e, now, ctx.caller.policies.has('sensitive'));
    if (!filter || filter(row)) rows.push(row);
  }
  return rows;
}

export function print(ctx: CommandContext): void {
  const entries = entriesOf(ctx.device, ctx.path);
  const rows = printRows(ctx, entries);
  if (argFlag(ctx, 'count-only')) {
    ctx.out.done({ ret: String(rows.length) });
    return;
  }
  const followOnly = argFlag(ctx, 'follow-only');
  if (!followOnly) for (const r of rows) ctx.out.re(project(r, ctx.proplist));
  if (argFlag(ctx, 'follow') || followOnly) {
    listen(ctx);
    return;
  }
  if (rows.length === 0 && ctx.device.behaviour.emptyReply) ctx.out.empty();
  ctx.out.done();
}

/** Stream changes of the menu as `!re` (removed items as `=.dead=true`) until cancelled. */
export function listen(ctx: CommandContext): void {
  if (ctx.caller.script) throw new CommandError('listen is not available in scripts');
  const paths = ctx.path === '/interface' ? new Set(INTERFACE_TYPES.keys()) : new Set([ctx.path]);
  const filter = compileQuery(ctx.query);
  const off = ctx.device.store.onChange((path, item, kind) => {
    if (!paths.has(path) || ctx.out.ended) return;
    if (kind === 'remove') {
      ctx.out.re({ '.id': formatId(item.id), '.dead': 'true' });
      return;
    }
    const row = rowOf(ctx.device, ctx.path, { path, item }, Date.now(), ctx.caller.policies.has('sensitive'));
    if (!filter || filter(row)) ctx.out.re(project(row, ctx.proplist));
  });
  ctx.onCancel(off);
}

/** Items named by `=.id=` / `=numbers=`: ids (`*1A`) or names, comma-separated. */
export function resolve(ctx: CommandContext, required = true): Entry[] {
  const spec = ctx.args.get('.id') ?? ctx.args.get('numbers');
  if (spec === undefined || spec === '') {
    if (required) throw new CommandError('no such item');
    return [];
  }
  const entries = entriesOf(ctx.device, ctx.path);
  const out: Entry[] = [];
  for (const part of spec.split(',')) {
    const id = parseId(part);
    const found =
      id !== undefined
        ? entries.find((e) => e.item.id === id)
        : entries.find((e) => ConfigStore.get(e.item, 'name') === part);
    if (!found) throw new CommandError(id !== undefined ? 'no such item' : `no such item (${part})`);
    out.push(found);
  }
  return out;
}

function propsFromArgs(ctx: CommandContext): Map<string, string> {
  const props = new Map<string, string>();
  for (const [k, v] of ctx.args) {
    if (META.has(k)) continue;
    if (READ_ONLY.has(k)) throw new CommandError(`failure: ${k} is read-only`, 1);
    props.set(k, fromApiValue(v));
  }
  return props;
}

function interfaceNames(ctx: CommandContext): Set<string> {
  const names = new Set<string>(['all']);
  for (const e of entriesOf(ctx.device, '/interface')) {
    const n = ConfigStore.get(e.item, 'name');
    if (n) names.add(n);
  }
  for (const l of ctx.device.store.menu('/interface/list', false)?.items ?? []) {
    const n = ConfigStore.get(l, 'name');
    if (n) names.add(n);
  }
  return names;
}

function validate(ctx: CommandContext, path: string, props: Map<string, string>, self: Item | undefined): void {
  // Menus whose add fills in defaults (a WireGuard key, name, port) or normalises values before the checks.
  prepareWireguard(ctx.device, path, props, self);
  checkValues(ctx, path);
  const refs = INTERFACE_REFS.get(path);
  if (refs) {
    const names = interfaceNames(ctx);
    for (const r of refs) {
      const v = props.get(r);
      if (v !== undefined && !names.has(v)) throw new CommandError(`input does not match any value of ${r}`, 1);
    }
  }
  const name = props.get('name');
  if (name !== undefined && UNIQUE_NAME_MENUS.has(path)) {
    const scope = INTERFACE_TYPES.has(path) ? entriesOf(ctx.device, '/interface') : entriesOf(ctx.device, path);
    if (scope.some((e) => e.item !== self && ConfigStore.get(e.item, 'name') === name)) {
      throw new CommandError(
        `failure: ${INTERFACE_TYPES.has(path) ? 'interface' : 'item'} with such name already exists`,
      );
    }
  }
}

export function add(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  if (ctx.path === '/interface') throw new CommandError('no such command');
  const props = propsFromArgs(ctx);
  for (const r of REQUIRED.get(ctx.path) ?? []) {
    if (!props.has(r)) throw new CommandError(`failure: ${r} must be set`, 1);
  }
  validate(ctx, ctx.path, props, undefined);
  let before: Item | undefined;
  const pb = ctx.args.get('place-before');
  if (pb !== undefined) {
    const id = parseId(pb);
    before = ctx.device.store.menu(ctx.path, false)?.items.find((i) => i.id === id);
    if (!before) throw new CommandError('no such item (place-before)', 1);
  }
  const item = ctx.device.store.add(ctx.path, props, {}, before);
  ctx.device.log('system,info', `${ctx.path.slice(1).replaceAll('/', ' ')} added by ${ctx.caller.userName}`);
  ctx.out.done({ ret: formatId(item.id) });
}

function changeable(e: Entry): void {
  if (e.item.dynamic) throw new CommandError('failure: can not change dynamic item');
}

export function set(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const menu = ctx.device.store.menu(ctx.path, false);
  const props = propsFromArgs(ctx);
  // A singleton menu exists on every device, also before anything set it (`/ip dns set` on a fresh router).
  if (menu?.singleton || SINGLETON_MENUS.has(ctx.path)) {
    const item = ctx.device.store.singleton(ctx.path);
    ctx.device.store.set(ctx.path, item, props);
  } else {
    const targets = resolve(ctx);
    for (const e of targets) {
      changeable(e);
      validate(ctx, e.path, props, e.item);
    }
    for (const e of targets) ctx.device.store.set(e.path, e.item, props);
  }
  ctx.device.log('system,info', `${ctx.path.slice(1).replaceAll('/', ' ')} changed by ${ctx.caller.userName}`);
  ctx.out.done();
}

export function unset(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const names = (ctx.args.get('value-name') ?? '').split(',').filter((n) => n !== '');
  const menu = ctx.device.store.menu(ctx.path, false);
  const targets = menu?.singleton ? [{ path: ctx.path, item: ctx.device.store.singleton(ctx.path) }] : resolve(ctx);
  for (const e of targets) {
    changeable(e);
    ctx.device.store.unset(e.path, e.item, names);
  }
  ctx.out.done();
}

export function enableDisable(ctx: CommandContext, disabled: boolean): void {
  requirePolicy(ctx, 'write');
  const targets = resolve(ctx);
  for (const e of targets) changeable(e);
  for (const e of targets) ctx.device.store.set(e.path, e.item, new Map([['disabled', disabled ? 'yes' : 'no']]));
  ctx.out.done();
}

export function remove(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const targets = resolve(ctx);
  for (const e of targets) {
    if (e.item.dynamic) throw new CommandError('failure: can not remove dynamic item');
    if (e.item.builtin) throw new CommandError('failure: can not remove builtin item');
  }
  for (const e of targets) ctx.device.store.remove(e.path, e.item);
  ctx.device.log('system,info', `${ctx.path.slice(1).replaceAll('/', ' ')} removed by ${ctx.caller.userName}`);
  ctx.out.done();
}

export function move(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const targets = resolve(ctx);
  const dest = ctx.args.get('destination');
  let before: Item | undefined;
  if (dest !== undefined) {
    const id = parseId(dest);
    before = ctx.device.store.menu(ctx.path, false)?.items.find((i) => i.id === id);
    if (!before) throw new CommandError('no such item (destination)', 1);
  }
  for (const e of targets) ctx.device.store.move(e.path, e.item, before);
  ctx.out.done();
}

export function get(ctx: CommandContext): void {
  const name = ctx.args.get('value-name');
  if (!name) throw new CommandError('value-name must be set', 1);
  const menu = ctx.device.store.menu(ctx.path, false);
  let e: Entry;
  if (menu?.singleton) e = { path: ctx.path, item: ctx.device.store.singleton(ctx.path) };
  else {
    const [first] = resolve(ctx);
    e = first as Entry;
  }
  const row = rowOf(ctx.device, ctx.path, e, Date.now(), ctx.caller.policies.has('sensitive'));
  if (!(name in row)) throw new CommandError(`no such property: ${name}`, 1);
  ctx.out.done({ ret: row[name] as string });
}
