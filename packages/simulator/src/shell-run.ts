// The RouterOS console's commands, for the interactive shell and for `ssh router '<command>'`: menu navigation,
// `print` (table, `detail`, `terse`, `count-only`, `where …`), `add`, `set`, `unset`, `remove`, `enable`, `disable`,
// `get`, `find`, `export` and the other console-only commands (shell-special.ts), `/system reboot` (asks first),
// `:put`, `:log`, `quit`, and any other command of a menu as the API has it. Changes go through the API's own
// handlers (commands/index.ts `dispatch`), so the checks, error messages, log lines and safe-mode counting are the
// API's. Item numbers are the console's: assigned per menu by the last `print` of this session (or as if one ran,
// when none did) and kept until the next one, so a removed item's number is `no such item` afterwards.
import { type Caller, CommandError, type Out } from './commands/context.js';
import { dispatch } from './commands/index.js';
import type { Device } from './device.js';
import type { Row } from './query.js';
import { runScript } from './script.js';
import { SelectorError } from './select.js';
import { at, CliError, type CommandLine, parseCommand, type Token, trimBlanks, unquote } from './shell-parse.js';
import { formatPrint, keyValues, logLines } from './shell-print.js';
import {
  type CliIo,
  type CliOutcome,
  confirm,
  isSpecial,
  runSpecial,
  SPECIAL_VERBS,
  specialCommand,
} from './shell-special.js';
import { compileWhere, WhereError } from './shell-where.js';
import { SINGLETON_MENUS } from './store.js';
import { formatId, parseId } from './values.js';

export interface LineResult extends CliOutcome {
  /** The session ends (`quit`). */
  quit?: boolean;
  /** The line failed (its error was printed). */
  failed?: boolean;
}

// Commands whose first unnamed word is a named argument (`monitor-traffic ether1` is `interface=ether1`).
const UNNAMED: Record<string, string> = { 'monitor-traffic': 'interface' };
const PRINT_FLAGS = new Set(['detail', 'terse', 'brief', 'count-only', 'without-paging', 'show-ids']);
const EXTRA_MENUS = Object.keys(SPECIAL_VERBS);

/** One command's replies, collected (a streaming command's rows also go to `onRow` as they come). */
class Collect implements Out {
  ended = false;
  rows: Row[] = [];
  ret: string | undefined;
  trapMessage: string | undefined;
  onRow: ((row: Row) => void) | undefined;
  onDone: (() => void) | undefined;
  re(row: Row): void {
    this.rows.push(row);
    this.onRow?.(row);
  }
  trap(message: string): void {
    this.trapMessage ??= message;
  }
  empty(): void {}
  done(attrs?: Row): void {
    if (this.ended) return;
    this.ended = true;
    this.ret = attrs?.ret;
    this.onDone?.();
  }
}

interface Words {
  /** `name=value`, unquoted. */
  named: Map<string, string>;
  /** Words without `=` (item numbers, names, `[ find … ]`, flags). */
  bare: Token[];
}

function split(args: Token[]): Words {
  const named = new Map<string, string>();
  const bare: Token[] = [];
  for (const t of args) {
    const eq = t.text.startsWith('[') || t.text.startsWith('"') ? -1 : t.text.indexOf('=');
    if (eq > 0) named.set(t.text.slice(0, eq), unquote(t.text.slice(eq + 1)));
    else bare.push(t);
  }
  return { named, bare };
}

export class Console {
  /** The current menu (`''` is the root). */
  cwd = '';
  /** Terminal width, for wrapping `print detail`. */
  cols = 80;
  /** Item ids by number, per menu, as the last print assigned them. */
  private readonly numbers = new Map<string, number[]>();

  constructor(
    readonly device: Device,
    readonly caller: Caller,
  ) {}

  /** `[admin@MikroTik] /ip address> ` (v7: `/ip/address> `), `[admin@MikroTik] > ` at the root. */
  prompt(): string {
    const who = `[${this.caller.userName}@${this.device.identity}]`;
    if (this.cwd === '') return `${who} > `;
    const menu = this.device.behaviour.v7 ? this.cwd : `/${this.cwd.slice(1).replaceAll('/', ' ')}`;
    return `${who} ${menu}> `;
  }

  /** Runs one line; errors are printed as RouterOS words them. */
  async run(line: string, lineNo: number, io: CliIo): Promise<LineResult> {
    try {
      return await this.line(line, lineNo, io);
    } catch (e) {
      const message =
        e instanceof CliError || e instanceof CommandError || e instanceof SelectorError
          ? e.message
          : e instanceof Error && e.name === 'ParseError'
            ? `syntax error (line ${lineNo})`
            : `failure: ${(e as Error).message}`;
      await io.write(`${message}\r\n`);
      return { failed: true };
    }
  }

  private async line(text: string, lineNo: number, io: CliIo): Promise<LineResult> {
    const trimmed = trimBlanks(text);
    if (trimmed === '' || trimmed.startsWith('#')) return {};
    if (trimmed.startsWith(':')) return this.scripting(trimmed, text.indexOf(':') + 1, lineNo, io);
    const cmd = parseCommand(this.device, text, lineNo, this.cwd, EXTRA_MENUS);
    if (!cmd.verb) {
      this.cwd = cmd.path;
      return {};
    }
    const value = await this.execute(cmd, text, lineNo, io);
    return value.result;
  }

  /** `:put`, `:log`, `:delay`; other `:` commands are unknown. */
  private async scripting(text: string, col: number, lineNo: number, io: CliIo): Promise<LineResult> {
    const word = /^:([a-z-]*)/.exec(text)?.[1] ?? '';
    if (word === 'put') {
      const rest = trimBlanks(text.slice(4));
      await io.write(`${await this.evaluate(rest, lineNo, io)}\r\n`);
      return {};
    }
    if (word === 'log' || word === 'delay') {
      const r = runScript(this.device, text, this.caller.userName);
      if (r.error) throw new CommandError(r.error.replace(/^line \d+: /, ''));
      return {};
    }
    throw new CliError(`bad command name ${word} ${at(lineNo, col + 1)}`);
  }

  /** The value of an expression: a quoted string, a number or word, or `[ command ]` (its return value). */
  private async evaluate(expr: string, lineNo: number, io: CliIo): Promise<string> {
    let e = trimBlanks(expr);
    while (e.startsWith('(') && e.endsWith(')')) e = trimBlanks(e.slice(1, -1));
    if (e.startsWith('[') && e.endsWith(']')) {
      const inner = e.slice(1, -1);
      const cmd = parseCommand(this.device, inner, lineNo, this.cwd, EXTRA_MENUS);
      if (!cmd.verb) return '';
      // A command inside `[ ]` gives its value and prints nothing (`:put [/ip address print count-only]`).
      const quiet: CliIo = { ...io, write: async () => {} };
      return (await this.execute(cmd, inner, lineNo, quiet)).value ?? '';
    }
    return unquote(e);
  }

  private async execute(
    cmd: CommandLine,
    text: string,
    lineNo: number,
    io: CliIo,
  ): Promise<{ result: LineResult; value?: string }> {
    const verb = cmd.verb as Token;
    const { path } = cmd;
    if (verb.text === 'quit' && (path === '' || path === this.cwd)) return { result: { quit: true } };
    if (isSpecial(path, verb.text)) {
      const special = specialCommand(this.device, path, verb.text, cmd.args, lineNo);
      return { result: await runSpecial(this.device, this.caller, special, io) };
    }
    if (path === '/system' && verb.text === 'reboot') return { result: await this.reboot(cmd, lineNo, io) };
    switch (verb.text) {
      case 'print':
        return { result: {}, value: await this.print(cmd, text, lineNo, io) };
      case 'find':
        return {
          result: {},
          value: this.find(path, text.slice(verb.col - 1 + verb.text.length), verb.col + 4, lineNo).join(';'),
        };
      case 'add':
      case 'set':
      case 'remove':
      case 'enable':
      case 'disable':
      case 'unset':
      case 'get':
        return { result: {}, value: await this.change(cmd, lineNo) };
      default:
        return { result: {}, value: await this.other(cmd, lineNo, io) };
    }
  }

  /** Runs a command through the API's handlers; an unknown command is the console's `bad command name`. */
  private async call(
    path: string,
    verb: Token,
    lineNo: number,
    args: Map<string, string>,
    io?: CliIo,
    onRow?: (row: Row) => void,
  ): Promise<Collect> {
    const out = new Collect();
    out.onRow = onRow;
    const cleanup: Array<() => void> = [];
    try {
      dispatch({
        device: this.device,
        caller: this.caller,
        path,
        verb: verb.text,
        args,
        query: [],
        proplist: undefined,
        out,
        onCancel: (fn) => cleanup.push(fn),
      });
    } catch (e) {
      if (e instanceof CommandError && (e.message === 'no such command' || e.message === 'no such command prefix'))
        throw new CliError(`bad command name ${verb.text} ${at(lineNo, verb.col)}`);
      throw e;
    }
    if (!out.ended) {
      // A command that answers later (a download, a monitor): wait for it, or for Ctrl-C.
      await new Promise<void>((resolve) => {
        const off = io?.onInterrupt?.(() => {
          for (const c of cleanup) c();
          out.done();
        });
        out.onDone = () => {
          off?.();
          resolve();
        };
        if (out.ended) out.onDone();
      });
    }
    if (out.trapMessage) throw new CommandError(out.trapMessage);
    return out;
  }

  private singleton(path: string): boolean {
    return this.device.store.menu(path, false)?.singleton === true || SINGLETON_MENUS.has(path);
  }

  /** The full print of a menu (rows in print order), numbering its items as the console does. */
  private async rowsOf(path: string, verb: Token, lineNo: number): Promise<Row[]> {
    const rows = (await this.call(path, { text: 'print', col: verb.col }, lineNo, new Map())).rows;
    if (rows.some((r) => r['.id'] !== undefined))
      this.numbers.set(
        path,
        rows.map((r) => parseId(r['.id'] ?? '') ?? -1),
      );
    return rows;
  }

  private async print(cmd: CommandLine, text: string, lineNo: number, io: CliIo): Promise<string | undefined> {
    const verb = cmd.verb as Token;
    const flags = new Set<string>();
    let where: ((row: Row) => boolean) | undefined;
    for (const t of cmd.args) {
      if (t.text === 'where') {
        const start = t.col - 1 + t.text.length;
        try {
          where = compileWhere(text.slice(start));
        } catch (e) {
          if (e instanceof WhereError) throw new CliError(`syntax error ${at(lineNo, start + e.offset + 1)}`);
          throw e;
        }
        break;
      }
      if (!PRINT_FLAGS.has(t.text)) throw new CliError(`expected end of command ${at(lineNo, t.col)}`);
      flags.add(t.text);
    }
    const rows = await this.rowsOf(cmd.path, verb, lineNo);
    const shown = rows.map((row, number) => ({ number, row })).filter((r) => !where || where(r.row));
    if (flags.has('count-only')) {
      await io.write(`${shown.length}\r\n`);
      return String(shown.length);
    }
    const v7 = this.device.behaviour.v7;
    if (cmd.path === '/log') await io.write(logLines(shown.map((r) => r.row)));
    else if (this.singleton(cmd.path) || (rows.length > 0 && rows.every((r) => r['.id'] === undefined)))
      await io.write(shown.map((r) => keyValues(r.row)).join(''));
    else {
      const mode = flags.has('detail') ? 'detail' : flags.has('terse') ? 'terse' : 'table';
      await io.write(formatPrint({ v7, path: cmd.path, rows: shown, mode, cols: this.cols }));
    }
    return undefined;
  }

  /** Items a `find` condition selects (all with none), as ids. */
  private find(path: string, condition: string, col: number, lineNo: number): string[] {
    const text = condition.replace(/^\s*where\b/, '');
    let test: (row: Row) => boolean;
    try {
      test = compileWhere(text);
    } catch (e) {
      if (e instanceof WhereError) throw new CliError(`syntax error ${at(lineNo, col + e.offset)}`);
      throw e;
    }
    return this.printRows(path)
      .filter((r) => r['.id'] !== undefined && test(r))
      .map((r) => r['.id'] as string);
  }

  /**
   * The ids a console item word names: numbers from the last print (`0`, `0,2`), names, `*1A` ids, `[ find … ]`.
   * Numbers are assigned as if a print ran when none did (RouterOS does so since v3).
   */
  private async items(path: string, word: Token, lineNo: number): Promise<string[]> {
    const text = word.text;
    if (text.startsWith('[') && text.endsWith(']')) {
      const inner = trimBlanks(text.slice(1, -1));
      if (!/^find\b/.test(inner)) throw new CliError(`syntax error ${at(lineNo, word.col)}`);
      return this.find(path, inner.slice(4), word.col + 1 + text.indexOf('find') + 4, lineNo);
    }
    if (!this.numbers.has(path) && /(^|,)\d+(,|$)/.test(text)) await this.rowsOf(path, word, lineNo);
    const print = this.numbers.get(path) ?? [];
    const rows = this.printRows(path);
    const existing = new Set(rows.map((r) => r['.id']));
    const ids: string[] = [];
    for (const part of unquote(text).split(',')) {
      let id: string | undefined;
      if (/^\d+$/.test(part)) {
        const n = print[Number(part)];
        id = n === undefined ? undefined : formatId(n);
      } else if (parseId(part) !== undefined) id = part.toUpperCase();
      else id = rows.find((r) => r.name === part)?.['.id'];
      if (id === undefined || !existing.has(id)) throw new CommandError('no such item');
      ids.push(id);
    }
    return ids;
  }

  /** add / set / remove / enable / disable / unset / get: items and properties as the API takes them. */
  private async change(cmd: CommandLine, lineNo: number): Promise<string | undefined> {
    const verb = cmd.verb as Token;
    const { named, bare } = split(cmd.args);
    const args = new Map<string, string>();
    // A one-item menu (identity, clock, resource) takes no item numbers.
    const rows = verb.text === 'add' || this.singleton(cmd.path) ? [] : this.printRows(cmd.path);
    const takesItems =
      verb.text !== 'add' &&
      !this.singleton(cmd.path) &&
      !(rows.length > 0 && rows.every((r) => r['.id'] === undefined));
    let rest = bare;
    if (takesItems && rest[0] && !named.has('numbers')) {
      args.set('numbers', (await this.items(cmd.path, rest[0], lineNo)).join(','));
      rest = rest.slice(1);
    } else if (named.has('numbers')) {
      const word = { text: named.get('numbers') as string, col: verb.col };
      args.set('numbers', (await this.items(cmd.path, word, lineNo)).join(','));
      named.delete('numbers');
    }
    // `get <item> <property>` and `unset <item> <property>` name the property without `value-name=`.
    if ((verb.text === 'get' || verb.text === 'unset') && rest[0] && !named.has('value-name')) {
      args.set('value-name', rest[0].text);
      rest = rest.slice(1);
    }
    if (rest[0]) throw new CliError(`expected end of command ${at(lineNo, rest[0].col)}`);
    for (const [k, v] of named) args.set(k, v);
    if (takesItems && !args.has('numbers')) throw new CommandError('no such item');
    const out = await this.call(cmd.path, verb, lineNo, args);
    return out.ret;
  }

  /** A menu's other commands (`check-for-updates`, `monitor ether1 once`): their rows as `name: value` lines. */
  private async other(cmd: CommandLine, lineNo: number, io: CliIo): Promise<string | undefined> {
    const verb = cmd.verb as Token;
    const { named, bare } = split(cmd.args);
    const args = new Map<string, string>();
    let rest = bare;
    const first = rest[0];
    const unnamed = UNNAMED[verb.text];
    // A number or `[ find ]` names items, so does an item's name (`monitor ether1`); other words are flags (`once`).
    if (first && unnamed && !named.has(unnamed)) {
      args.set(unnamed, unquote(first.text));
      rest = rest.slice(1);
    } else if (first && !named.has('numbers')) {
      if (/^(\d+(,\d+)*|\[.*\])$/.test(first.text)) {
        args.set('numbers', (await this.items(cmd.path, first, lineNo)).join(','));
        rest = rest.slice(1);
      } else if (this.printRows(cmd.path).some((r) => r.name === unquote(first.text))) {
        args.set('numbers', unquote(first.text));
        rest = rest.slice(1);
      }
    }
    for (const t of rest) args.set(t.text, '');
    for (const [k, v] of named) args.set(k, v);
    let pending = Promise.resolve();
    const out = await this.call(cmd.path, verb, lineNo, args, io, (row) => {
      pending = pending.then(() => io.write(`${keyValues(stripSection(row))}\r\n`));
    });
    await pending;
    return out.ret;
  }

  /** The rows a plain print of `path` gives now (none where it has no print). */
  private printRows(path: string): Row[] {
    const out = new Collect();
    try {
      dispatch({
        device: this.device,
        caller: this.caller,
        path,
        verb: 'print',
        args: new Map(),
        query: [],
        proplist: undefined,
        out,
        onCancel: () => {},
      });
    } catch {
      return [];
    }
    return out.rows;
  }

  /** `/system reboot`: asks, and on `y` the device reboots and the session ends. */
  private async reboot(cmd: CommandLine, lineNo: number, io: CliIo): Promise<LineResult> {
    const extra = cmd.args[0];
    if (extra) throw new CliError(`expected end of command ${at(lineNo, extra.col)}`);
    if (!this.caller.policies.has('reboot')) throw new CommandError('not enough permissions (9)');
    if (!(await confirm(io, 'Reboot, yes? [y/N]: '))) return {};
    await io.write('system will reboot shortly\r\n');
    return { reboot: true };
  }
}

function stripSection(row: Row): Row {
  const { '.section': _section, ...rest } = row;
  return rest;
}
