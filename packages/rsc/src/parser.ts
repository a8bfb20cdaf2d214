// Parser for RouterOS `/export` output (v5-v7; compact, verbose and terse) and simple script files.
import { ParseError } from './errors.js';
import { parseHeader } from './header.js';
import { lexLine, scanQuoted, type Token } from './lexer.js';
import { SourceText } from './source.js';
import type { Arg, Command, ExportDocument, Section, Selector } from './types.js';

/** Verbs that may appear as commands. Anything else on a command line is an error (catches garbage early). */
export const VERBS = new Set([
  'add',
  'set',
  'remove',
  'enable',
  'disable',
  'unset',
  'move',
  'comment',
  'edit',
  'reset',
  'reset-counters',
  'reset-counters-all',
  'print',
  'export',
  'import',
  'get',
  'find',
  'run',
]);

/** Verbs whose first positional word addresses items (`set 0`, `set ether1`, `remove [ find ... ]`). */
const SELECTOR_VERBS = new Set([
  'set',
  'remove',
  'enable',
  'disable',
  'unset',
  'move',
  'comment',
  'edit',
  'get',
  'reset-counters',
]);

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Parse export/script text. Throws ParseError (with 1-based line/column) on anything that is not RouterOS. */
export function parseExport(text: string): ExportDocument {
  return new Parser(new SourceText(text)).parse();
}

class Parser {
  private readonly sections: Section[] = [];
  private current: Section | undefined;
  private pending: string[] = [];
  private terse = false;

  constructor(private readonly src: SourceText) {}

  parse(): ExportDocument {
    const s = this.src.text;
    const headerLines: string[] = [];
    let inHeader = true;
    let pos = 0;
    while (pos <= s.length) {
      let eol = s.indexOf('\n', pos);
      if (eol < 0) eol = s.length;
      let start = pos;
      while (start < eol && isBlank(s.charCodeAt(start))) start++;
      const c = s[start];
      if (start >= eol) {
        // blank line
      } else if (c === '#') {
        const text = stripCr(s.slice(start + 1, eol));
        // Only reachable with stray CRs at the end of the file: written back, it would join the next line.
        if (escaped(text, text.length))
          throw this.src.error('line continuation (\\) at end of file', start + text.length);
        if (inHeader) headerLines.push(text);
        else this.pending.push(text);
      } else if (c === ':' || c === '{') {
        inHeader = false;
        eol = this.scriptStatement(start);
      } else {
        inHeader = false;
        this.line(start, eol);
      }
      pos = eol + 1;
    }
    const doc: ExportDocument = { header: parseHeader(headerLines), sections: this.sections };
    if (this.pending.length > 0) doc.trailingComments = this.pending;
    doc.style = this.terse ? 'terse' : 'compact';
    return doc;
  }

  private lineOf(offset: number): number {
    return this.src.position(offset).line;
  }

  private takeComments<T extends { comments?: string[] }>(target: T): T {
    if (this.pending.length > 0) {
      target.comments = this.pending;
      this.pending = [];
    }
    return target;
  }

  private openSection(path: string, offset: number, withComments = true): Section {
    const fresh: Section = { path, commands: [], line: this.lineOf(offset) };
    const section = withComments ? this.takeComments(fresh) : fresh;
    this.sections.push(section);
    this.current = section;
    return section;
  }

  private sectionForCommands(offset: number): Section {
    return this.current ?? this.openSection('', offset);
  }

  /** A menu line, a terse line or a command line. */
  private line(start: number, eol: number): void {
    const tokens = lexLine(this.src, start, eol);
    const first = tokens[0];
    if (first === undefined) return;
    if (first.t === 'bare' && first.text.startsWith('/')) {
      this.menuLine(tokens, first.text, first.pos);
      return;
    }
    if (first.t !== 'bare' || !VERBS.has(first.text)) {
      const shown =
        first.t === 'bare' ? first.text : first.t === 'prop' ? `${first.name}=` : first.t === 'quoted' ? '"' : '[';
      throw this.src.error(
        `expected a menu path (/...), a command (add, set, remove, ...) or a comment, found "${clip(shown)}"`,
        first.pos,
      );
    }
    const section = this.sectionForCommands(first.pos);
    section.commands.push(this.command(first.text, tokens, 1, first.pos));
  }

  private menuLine(tokens: Token[], head: string, headPos: number): void {
    const segments: string[] = [];
    let verb: string | undefined;
    const parts = head.slice(1).split('/');
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k] ?? '';
      if (p === '' && k === parts.length - 1) break; // trailing slash or bare "/"
      if (k === parts.length - 1 && segments.length > 0 && VERBS.has(p)) {
        verb = p; // v7 style `/ip/address/add`
        break;
      }
      if (!SEGMENT.test(p)) throw this.src.error(`invalid menu path "${clip(head)}"`, headPos);
      segments.push(p);
    }
    let k = 1;
    while (verb === undefined && k < tokens.length) {
      const t = tokens[k];
      if (t?.t !== 'bare') break;
      k++;
      if (VERBS.has(t.text)) verb = t.text;
      else if (SEGMENT.test(t.text)) segments.push(t.text);
      else throw this.src.error(`invalid menu path segment "${clip(t.text)}"`, t.pos);
    }
    const path = `/${segments.join('/')}`;
    if (verb === undefined) {
      if (k < tokens.length) {
        const t = tokens[k];
        throw this.src.error('expected a command after the menu path (add, set, ...)', t?.pos ?? headPos);
      }
      this.openSection(path, headPos);
      return;
    }
    this.terse = true;
    const section = this.current?.path === path ? this.current : this.openSection(path, headPos, false);
    // Comments above a terse line belong to its command, not to the (possibly merged) section.
    section.commands.push(this.command(verb, tokens, k, headPos));
  }

  private command(verb: string, tokens: Token[], from: number, pos: number): Command {
    const cmd = this.takeComments<Command>({ verb, args: [], line: this.lineOf(pos) });
    let k = from;
    if (SELECTOR_VERBS.has(verb)) {
      const t = tokens[k];
      const selector = t ? this.selector(t) : undefined;
      if (selector) {
        cmd.selector = selector;
        k++;
      }
    }
    let prevName = '';
    for (; k < tokens.length; k++) {
      const t = tokens[k] as Token;
      if (t.t === 'prop') {
        let name = t.name;
        if (name.startsWith('.') && name.length > 1 && prevName.includes('.'))
          name = prevName.slice(0, prevName.lastIndexOf('.')) + name;
        prevName = name;
        const arg: Arg = { name, value: t.value };
        if (t.quoted) arg.quoted = true;
        if (t.expr) arg.expr = true;
        cmd.args.push(arg);
      } else if (t.t === 'bare') {
        cmd.args.push({ name: t.text });
      } else if (t.t === 'quoted') {
        cmd.args.push({ name: '', value: t.value, quoted: true });
      } else {
        cmd.args.push({ name: '', value: t.inner, expr: true });
      }
    }
    return cmd;
  }

  private selector(t: Token): Selector | undefined {
    if (t.t === 'bracket') return { kind: 'find', conditions: this.findConditions(t.inner, t.innerPos), raw: t.inner };
    if (t.t === 'quoted') return { kind: 'name', value: t.value, quoted: true };
    if (t.t === 'bare') {
      if (/^\d+$/.test(t.text)) return { kind: 'position', index: Number(t.text) };
      return { kind: 'name', value: t.text };
    }
    return undefined;
  }

  /** The simple `name=value` conditions of a `find` expression; anything fancier stays only in `raw`. */
  private findConditions(inner: string, innerPos: number): Arg[] {
    let tokens: Token[];
    try {
      tokens = lexLine(this.src, innerPos, innerPos + inner.length);
    } catch (e) {
      if (e instanceof ParseError) return [];
      throw e;
    }
    const out: Arg[] = [];
    for (const t of tokens) {
      if (t.t === 'prop' && !t.expr)
        out.push(t.quoted ? { name: t.name, value: t.value, quoted: true } : { name: t.name, value: t.value });
    }
    return out;
  }

  /** `:global x`, `:if (...) do={ ... }` or a `{ ... }` block, possibly over several lines. Returns its end. */
  private scriptStatement(start: number): number {
    const s = this.src.text;
    let depth = 0;
    const opens: number[] = [];
    let i = start;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        const eol = s.indexOf('\n', i);
        i = scanQuoted(this.src, i, eol < 0 ? s.length : eol);
      } else if (c === 0x5c) {
        i++;
      } else if (c === 0x7b /* { */) {
        depth++;
        opens.push(i);
      } else if (c === 0x7d /* } */) {
        if (--depth < 0) throw this.src.error('unmatched }', i);
        opens.pop();
      } else if (c === 0x0a && depth === 0) {
        break;
      }
    }
    if (depth > 0) throw this.src.error('unterminated { block', opens[opens.length - 1] ?? start);
    const section = this.sectionForCommands(start);
    let end = i;
    // Drop the CR of a CRLF ending, unless a backslash escapes it (then it is part of the statement).
    while (end > start && s.charCodeAt(end - 1) === 0x0d && !escaped(s, end - 1)) end--;
    section.commands.push(
      this.takeComments<Command>({ verb: 'script', args: [], line: this.lineOf(start), script: s.slice(start, end) }),
    );
    return i;
  }
}

/** Whether the char at `at` is preceded by an odd run of backslashes. */
function escaped(s: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && s.charCodeAt(at - n - 1) === 0x5c) n++;
  return n % 2 === 1;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** Comment text without the CR(s) of a CRLF ending (trailing CRs can never survive a rewrite anyway). */
function stripCr(text: string): string {
  return text.replace(/\r+$/, '');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
