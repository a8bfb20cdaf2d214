// Reads the RouterOS CLI text an operator types for a bulk command, as the terminal would: one command per line,
// `#` comment lines, blank lines, `\` continuations, absolute menus (`/ip address print`, `/ip/address/print`) and
// relative ones (a menu line alone moves into it, `..` goes up, commands after it run there). Quoting, escapes and
// `[ … ]` grouping come from @tod/rsc's lexer; conditions (`where …`, `[ find … ]`) from expr.ts. Forms that would
// mean something different on each device — item numbers, `.id`s, variables — are refused here with the reason.
import { lexLine, ParseError, SourceText, scanBracket, scanQuoted, type Token } from '@tod/rsc';
import { type Condition, parseCondition, quotedValue } from './expr.js';
import { type CommandIssue, issue } from './issues.js';
import { KNOWN_VERBS, SELECTOR_VERBS } from './verbs.js';

export const MAX_COMMANDS = 100;
export const MAX_TEXT_BYTES = 64 * 1024;

/** `[ find … ]`: the items matching `condition` (all of them when it is absent). */
export type FindSelector = { kind: 'find'; condition?: Condition; raw: string };
export type Selector = FindSelector | { kind: 'name'; value: string; quoted?: boolean };

export type Arg = {
  /** Property name (v7 `.mode=` expanded after `configuration.country=`); a bare word is a name without value;
   * `''` for a positional quoted value or `[ … ]`. */
  name: string;
  value?: string;
  quoted?: boolean;
  /** The value was `[ find … ]` (`place-before=[ find comment=x ]`). */
  find?: FindSelector;
  /** The value was another `[ … ]` expression (its inner text); never run. */
  expr?: string;
  column: number;
};

export type BulkCommand = {
  /** 1-based line and column where the command starts in the text as typed. */
  line: number;
  column: number;
  /** Menu with slashes, `/` for the root (`/ping`, `/export`). */
  path: string;
  verb: string;
  selector?: Selector;
  args: Arg[];
  /** `print where …`. */
  where?: Condition;
  /** The line as written (continuations joined). */
  raw: string;
};

export type ParseResult = { commands: BulkCommand[]; errors: CommandIssue[] };

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ITEM_NUMBERS = /^\d+(?:[-,]\d+)*$/;
const NUMBERS_MESSAGE =
  'item numbers differ from device to device: address items with [ find … ] (e.g. [ find name=ether1 ])';

type Line = { nav: string[] } | { command: BulkCommand };

/** Parses the whole text; every line's problem is reported, not just the first. */
export function parseCommands(text: string): ParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES)
    return {
      commands: [],
      errors: [issue('commands_too_large', 1, 1, `at most ${MAX_TEXT_BYTES / 1024} KiB of text`)],
    };
  let src: SourceText;
  try {
    src = new SourceText(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  } catch (e) {
    return { commands: [], errors: [syntaxIssue(e)] };
  }
  const s = src.text;
  const commands: BulkCommand[] = [];
  const errors: CommandIssue[] = [];
  let menu: string[] = [];
  let pos = 0;
  while (pos <= s.length) {
    let eol = s.indexOf('\n', pos);
    if (eol < 0) eol = s.length;
    let start = pos;
    while (start < eol && isSpace(s[start])) start++;
    if (start < eol && s[start] !== '#') {
      try {
        let r: Line;
        if (s[start] === ':' || s[start] === '{') {
          const end = statementEnd(src, start);
          if (end > eol) {
            eol = end;
            throw src.error('script blocks are not run by bulk commands', start);
          }
          r = { command: putStatement(src, start, eol, menu) };
        } else r = parseLine(src, start, eol, menu);
        if ('nav' in r) menu = r.nav;
        else commands.push(r.command);
      } catch (e) {
        errors.push(syntaxIssue(e));
      }
    }
    pos = eol + 1;
  }
  if (commands.length === 0 && errors.length === 0) errors.push(issue('command_syntax', 1, 1, 'no command to run'));
  const over = commands[MAX_COMMANDS];
  if (over) errors.push(issue('commands_too_large', over.line, over.column, `at most ${MAX_COMMANDS} commands`));
  return { commands, errors };
}

function syntaxIssue(e: unknown): CommandIssue {
  if (e instanceof ParseError) return issue('command_syntax', e.line, e.column, e.reason);
  throw e;
}

/** One logical line: a menu change or a command in `menu` (or in the absolute menu it names). */
function parseLine(src: SourceText, start: number, end: number, menu: string[]): Line {
  const s = src.text;
  const where = findWhere(src, start, end);
  const toks = lexLine(src, start, where ?? end);
  let segs = [...menu];
  let verb: string | undefined;
  let k = 0;
  for (; k < toks.length && verb === undefined; k++) {
    const t = toks[k] as Token;
    if (t.t !== 'bare') break;
    let text = t.text;
    if (text.startsWith('/')) {
      if (k > 0) throw src.error('a menu path starts only at the beginning of the line', t.pos);
      segs = [];
      text = text.slice(1);
    }
    const parts = text === '' ? [] : text.split('/');
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p] as string;
      if (part === '' && p === parts.length - 1) break; // `/ip/` or `/`
      if (verb !== undefined) throw src.error(`unexpected "${clip(part)}" after the command "${verb}"`, t.pos);
      if (part === '..') segs.pop();
      else if (KNOWN_VERBS.has(part)) verb = part;
      else if (SEGMENT.test(part)) segs.push(part);
      else throw src.error(`invalid menu name "${clip(part)}"`, t.pos);
    }
  }
  if (verb === undefined) {
    if (k === toks.length && where === undefined) return { nav: segs };
    const last = toks[k - 1];
    if (last?.t === 'bare')
      throw src.error(`"${clip(last.text.split('/').pop() ?? '')}" is not a command TOD knows`, last.pos);
    throw src.error('expected a menu path or a command', toks[k]?.pos ?? where ?? start);
  }
  const pos = src.position(start);
  const command: BulkCommand = {
    line: pos.line,
    column: pos.column,
    path: `/${segs.join('/')}`,
    verb,
    args: [],
    raw: s.slice(start, end).trimEnd(),
  };
  if (SELECTOR_VERBS.has(verb) && k < toks.length) {
    const selector = selectorOf(src, toks[k] as Token, end);
    if (selector) {
      command.selector = selector;
      k++;
    }
  }
  let prevName = '';
  for (; k < toks.length; k++) {
    const arg = argOf(src, toks[k] as Token, end);
    if (arg.name.startsWith('.') && arg.name.length > 1 && prevName.includes('.') && arg.value !== undefined)
      arg.name = prevName.slice(0, prevName.lastIndexOf('.')) + arg.name;
    if (arg.name !== '') prevName = arg.name;
    command.args.push(arg);
  }
  if (where !== undefined) {
    if (verb !== 'print')
      throw src.error('"where" goes with print; pick items for other commands with [ find where … ]', where);
    const condition = parseCondition(src, where + 5, end);
    if (!condition) throw src.error('expected a condition after "where"', where);
    command.where = condition;
  }
  return { command };
}

function selectorOf(src: SourceText, t: Token, end: number): Selector | undefined {
  if (t.t === 'bracket') {
    const find = findOf(src, t.inner, t.innerPos);
    if (!find) throw src.error('items are picked with [ find … ]', t.pos);
    return find;
  }
  if (t.t === 'quoted')
    return { kind: 'name', value: quotedValue(src, t.pos, scanQuoted(src, t.pos, end)), quoted: true };
  if (t.t === 'bare') {
    if (ITEM_NUMBERS.test(t.text)) throw src.error(NUMBERS_MESSAGE, t.pos);
    checkBare(src, t.text, t.pos);
    return { kind: 'name', value: t.text };
  }
  return undefined;
}

function argOf(src: SourceText, t: Token, end: number): Arg {
  const column = src.position(t.pos).column;
  if (t.t === 'bare') {
    checkBare(src, t.text, t.pos);
    return { name: t.text, column };
  }
  if (t.t === 'quoted')
    return { name: '', value: quotedValue(src, t.pos, scanQuoted(src, t.pos, end)), quoted: true, column };
  if (t.t === 'bracket') return bracketArg(src, '', t.inner, t.innerPos, column);
  if (t.expr) {
    // lexLine trimmed the value; find the inner text again for positions inside it.
    const open = t.pos + t.name.length + 1;
    const close = scanBracket(src, open, end);
    const raw = src.text.slice(open + 1, close);
    return bracketArg(src, t.name, raw.trim(), open + 1 + (raw.length - raw.trimStart().length), column);
  }
  if (t.quoted) {
    const open = t.pos + t.name.length + 1;
    return { name: t.name, value: quotedValue(src, open, scanQuoted(src, open, end)), quoted: true, column };
  }
  if (t.value.includes('$')) throw src.error('variables ($name) are not available in bulk commands', t.pos);
  if (/^\*[0-9A-Fa-f]+(?:,\*[0-9A-Fa-f]+)*$/.test(t.value))
    throw src.error('.id values (*1A) differ from device to device: use [ find … ]', t.pos);
  return { name: t.name, value: t.value, column };
}

function bracketArg(src: SourceText, name: string, inner: string, innerPos: number, column: number): Arg {
  const find = findOf(src, inner, innerPos);
  return find ? { name, find, column } : { name, expr: inner, column };
}

/** `find …` / `find where …` as a selector; undefined for any other `[ … ]` expression. */
function findOf(src: SourceText, inner: string, innerPos: number): FindSelector | undefined {
  if (!/^find(?:\s|$)/.test(inner)) return undefined;
  let from = innerPos + 4;
  const rest = inner.slice(4);
  const lead = rest.length - rest.trimStart().length;
  if (/^where(?:\s|$)/.test(rest.trimStart())) from += lead + 5;
  const condition = parseCondition(src, from, innerPos + inner.length);
  return condition ? { kind: 'find', condition, raw: inner } : { kind: 'find', raw: inner };
}

function checkBare(src: SourceText, text: string, pos: number): void {
  if (text.includes('$')) throw src.error('variables ($name) are not available in bulk commands', pos);
  if (/^\*[0-9A-Fa-f]+$/.test(text))
    throw src.error('.id values (*1A) differ from device to device: use [ find … ]', pos);
}

/** Offset of a `where` word outside quotes and brackets, which starts a condition that the lexer cannot read. */
function findWhere(src: SourceText, start: number, end: number): number | undefined {
  const s = src.text;
  let i = start;
  while (i < end) {
    if (isSpace(s[i])) {
      i++;
      continue;
    }
    const from = i;
    while (i < end && !isSpace(s[i])) {
      if (s[i] === '"') i = scanQuoted(src, i, end) + 1;
      else if (s[i] === '[') i = scanBracket(src, i, end) + 1;
      else if (s[i] === '\\') i += 2;
      else i++;
    }
    if (s.slice(from, i) === 'where') return from;
  }
  return undefined;
}

/**
 * A script statement. Only `:put [ <get or print count-only> ]` is run — it reads one value, like the command
 * inside it; anything else (`:local`, `:foreach`, `:if`, blocks) could do anything and is refused.
 */
function putStatement(src: SourceText, start: number, end: number, menu: string[]): BulkCommand {
  const refuse = () =>
    src.error(
      'script statements are not run by bulk commands (only :put [ … get … ] and :put [ … print count-only ])',
      start,
    );
  let toks: Token[];
  try {
    toks = lexLine(src, start, end);
  } catch (e) {
    if (e instanceof ParseError) throw refuse();
    throw e;
  }
  const [head, inner] = toks;
  if (toks.length !== 2 || head?.t !== 'bare' || head.text !== ':put' || inner?.t !== 'bracket') throw refuse();
  const r = parseLine(src, inner.innerPos, inner.innerPos + inner.inner.length, menu);
  if ('nav' in r) throw refuse();
  const c = r.command;
  const countOnly = c.verb === 'print' && c.args.some((a) => a.name === 'count-only' && a.value === undefined);
  if (c.verb !== 'get' && !countOnly) throw refuse();
  const pos = src.position(start);
  return { ...c, line: pos.line, column: pos.column, raw: src.text.slice(start, end).trimEnd() };
}

/** End of a script statement (a `{ … }` block may span lines); a broken one ends at its line. */
function statementEnd(src: SourceText, start: number): number {
  const s = src.text;
  const lineEnd = () => {
    const e = s.indexOf('\n', start);
    return e < 0 ? s.length : e;
  };
  let depth = 0;
  try {
    for (let i = start; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        const eol = s.indexOf('\n', i);
        i = scanQuoted(src, i, eol < 0 ? s.length : eol);
      } else if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '\n' && depth <= 0) return i;
    }
  } catch (e) {
    if (e instanceof ParseError) return lineEnd();
    throw e;
  }
  return s.length;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
