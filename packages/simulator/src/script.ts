// Runs RouterOS script text (the subset TOD generates: menu commands with `[ find k=v ]` selectors, `:log`,
// `:delay`) through the same command handlers the API uses. Used by /import, /system/script/run, the scheduler.
import { type Arg, type Command, ParseError, parseExport, type Selector, VERBS } from '@tod/rsc';
import { type Caller, CommandError, type Out } from './commands/context.js';
import { dispatch } from './commands/index.js';
import type { Device } from './device.js';
import type { Row } from './query.js';
import { entriesOf } from './rows.js';
import { SelectorError, selectItems } from './select.js';
import { formatId } from './values.js';

export interface ScriptResult {
  error?: string;
  /** `!done =ret=` of the last command (e.g. the id an `add` returned). */
  ret?: string;
}

const ALL_POLICIES = new Set([
  'local',
  'telnet',
  'ssh',
  'ftp',
  'reboot',
  'read',
  'write',
  'policy',
  'test',
  'winbox',
  'password',
  'web',
  'sniff',
  'sensitive',
  'api',
  'romon',
  'rest-api',
]);

class ScriptOut implements Out {
  ended = false;
  trapMessage: string | undefined;
  ret: string | undefined;
  rows: Row[] = [];
  re(row: Row): void {
    this.rows.push(row);
  }
  trap(message: string): void {
    this.trapMessage ??= message;
  }
  empty(): void {}
  done(attrs?: Row): void {
    this.ended = true;
    this.ret = attrs?.ret;
  }
}

function statement(device: Device, text: string): string | undefined {
  const t = text.trim();
  const log = /^:log\s+(debug|info|warning|error)\s+(.*)$/s.exec(t);
  if (log) {
    const raw = (log[2] as string).trim();
    device.log(
      `script,${log[1]}`,
      raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw,
    );
    return undefined;
  }
  if (/^:(delay|put)\b/.test(t) || t === '') return undefined;
  return `unsupported script statement: ${t.slice(0, 60)}`;
}

/** `[ find name=x ]` inside an argument (place-before, destination) → the id it names. */
function exprToId(device: Device, path: string, value: string): string {
  const inner = parseExport(`/x set [ ${value} ]`).sections[0]?.commands[0]?.selector;
  if (!inner) throw new CommandError(`cannot evaluate [ ${value} ]`);
  const [item] = selectItems(device.store.menu(path, false), inner);
  if (!item) throw new CommandError('no such item');
  return formatId(item.id);
}

function idsFor(device: Device, path: string, sel: Selector): string[] | undefined {
  if (path === '/interface') {
    const entries = entriesOf(device, path);
    const pseudo = { path, singleton: false, items: entries.map((e) => e.item) };
    return selectItems(pseudo, sel).map((i) => formatId(i.id));
  }
  const items = selectItems(device.store.menu(path, false), sel);
  if (items.length === 0 && sel.kind !== 'find') return undefined;
  return items.map((i) => formatId(i.id));
}

function runCommand(device: Device, caller: Caller, path: string, cmd: Command): string | undefined {
  const args = new Map<string, string>();
  for (const a of cmd.args as Arg[]) {
    if (a.name === '') {
      // A positional word: `run myscript`, `print`... treated as the item name.
      if (a.value !== undefined) args.set('numbers', a.value);
      continue;
    }
    if (a.expr) {
      if (a.name === 'place-before' || a.name === 'destination')
        args.set(a.name, exprToId(device, path, a.value ?? ''));
      else throw new CommandError(`cannot evaluate ${a.name}=[${a.value ?? ''}]`);
    } else args.set(a.name, a.value ?? 'yes');
  }
  if (cmd.selector) {
    const ids = idsFor(device, path, cmd.selector);
    if (ids === undefined) throw new CommandError('no such item');
    if (ids.length === 0) return undefined; // `[ find ... ]` matching nothing: RouterOS does nothing
    args.set('numbers', ids.join(','));
  }
  const out = new ScriptOut();
  dispatch({ device, caller, path, verb: cmd.verb, args, query: [], proplist: undefined, out, onCancel: () => {} });
  if (out.trapMessage) throw new CommandError(out.trapMessage);
  return out.ret;
}

// Verbs beyond rsc's export verbs that TOD's scripts use (`/system reboot`, `/system backup load name=x`).
const EXTRA_VERBS = new Set(['reboot', 'save', 'load', 'take', 'release', 'unroll', 'check-for-updates', 'import']);
const HEAD_WORD = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

interface Line {
  path: string;
  verb: string | undefined;
  rest: string;
}

/** Split a script line into menu path, verb and the rest (arguments), relative to the current menu. */
function splitLine(text: string, menu: string): Line {
  const absolute = text.startsWith('/');
  const words = (absolute ? text.slice(1) : text).split(/[\s]+/);
  const head: string[] = [];
  let verb: string | undefined;
  let used = 0;
  for (const w of words) {
    const parts = w.split('/').filter((p) => p !== '');
    if (parts.length === 0 || !parts.every((p) => HEAD_WORD.test(p))) break;
    used++;
    let found = false;
    for (const p of parts) {
      if (verb === undefined && (VERBS.has(p) || EXTRA_VERBS.has(p))) {
        verb = p;
        found = true;
        break;
      }
      head.push(p);
    }
    if (found) break;
  }
  const rest = words.slice(used).join(' ');
  const path = absolute
    ? head.length > 0
      ? `/${head.join('/')}`
      : ''
    : head.length > 0
      ? `${menu}/${head.join('/')}`
      : menu;
  return { path, verb, rest };
}

/** Selector and arguments of `rest`, lexed by rsc's parser (quotes, escapes, `[ find ... ]`). */
function parseRest(verb: string, rest: string): Command {
  const selectorVerb = verb !== 'add' && verb !== 'import' && verb !== 'save' && verb !== 'load' && verb !== 'reboot';
  const cmd = parseExport(`/x ${selectorVerb ? 'set' : 'add'} ${rest}`).sections[0]?.commands[0];
  if (!cmd) throw new CommandError(`cannot parse: ${rest}`);
  return { ...cmd, verb };
}

export function runScript(device: Device, text: string, userName: string): ScriptResult {
  const user = device.findUser(userName);
  const caller: Caller = {
    id: 0,
    userName,
    user,
    policies: user ? device.policies(user) : ALL_POLICIES,
    remote: '',
    script: true,
  };
  let ret: string | undefined;
  let menu = '';
  // Continuation lines (a trailing backslash, even inside quotes) are joined first, as RouterOS does.
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      if (line.startsWith(':') || line.startsWith('{')) {
        const err = statement(device, line);
        if (err) return { error: `line ${n + 1}: ${err}` };
        continue;
      }
      const l = splitLine(line, menu);
      if (l.verb === undefined) {
        if (l.rest !== '') return { error: `line ${n + 1}: bad command name ${l.rest.split(' ')[0]}` };
        menu = l.path;
        continue;
      }
      ret = runCommand(device, caller, l.path, parseRest(l.verb, l.rest));
    } catch (e) {
      if (e instanceof CommandError || e instanceof SelectorError) return { error: `line ${n + 1}: ${e.message}` };
      if (e instanceof ParseError) return { error: `line ${n + 1}: syntax error: ${e.message}` };
      throw e;
    }
  }
  return ret !== undefined ? { ret } : {};
}
