// Runs RouterOS script text (the subset TOD generates: menu commands with `[ find k=v ]` selectors, `:log`,
// `:delay`) through the same command handlers the API uses. Used by /import, /system/script/run, the scheduler.
import { type Arg, type Command, type ExportDocument, parseExport, type Selector } from '@tod/rsc';
import { type Caller, CommandError, type Out } from './commands/context.js';
import { dispatch, splitCommand } from './commands/index.js';
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

export function runScript(device: Device, text: string, userName: string): ScriptResult {
  let doc: ExportDocument;
  try {
    doc = parseExport(text);
  } catch (e) {
    return { error: `syntax error: ${(e as Error).message}` };
  }
  const user = device.findUser(userName);
  const caller: Caller = {
    id: 0,
    userName,
    user,
    policies: user ? device.policies(user) : ALL_POLICIES,
    remote: '',
    script: true,
  };
  if (!user) caller.policies = ALL_POLICIES;
  let ret: string | undefined;
  for (const section of doc.sections) {
    for (const cmd of section.commands) {
      try {
        if (cmd.verb === 'script') {
          const err = statement(device, cmd.script ?? '');
          if (err) return { error: `line ${cmd.line}: ${err}` };
          continue;
        }
        // `/system reboot` parses as menu `/system` verb `reboot`; `/import file-name=x` as menu `` verb `import`.
        let path = section.path;
        let verb = cmd.verb;
        if (path === '' && verb.startsWith('/')) [path, verb] = splitCommand(verb);
        ret = runCommand(device, caller, path, { ...cmd, verb });
      } catch (e) {
        if (e instanceof CommandError || e instanceof SelectorError) return { error: `line ${cmd.line}: ${e.message}` };
        throw e;
      }
    }
  }
  return ret !== undefined ? { ret } : {};
}
