// The console's `print where …` and `find …` conditions, over the rows print gives: `name=value`, `!=`, `<`, `>`,
// `<=`, `>=`, `~"regexp"`, `address in 10.0.0.0/8`, a bare property (`dynamic`: true when it is `yes`/`true`, or set
// for other properties), `!` / `not`, `and` (also implied between two conditions), `or`, parentheses. Values are
// compared in either spelling of booleans (`yes` and `true`), as rows say `true` and people type `yes`.
import { inAddressSpec, ipv4 } from './firewall.js';
import type { Row } from './query.js';
import { fromApiValue } from './values.js';

/** A condition that does not parse; `offset` is where, from the start of the text (0-based). */
export class WhereError extends Error {
  constructor(readonly offset: number) {
    super('syntax error');
  }
}

type Test = (row: Row) => boolean;

const OPS = ['!=', '<=', '>=', '=', '~', '<', '>'];
const NAME = /^[A-Za-z0-9.][A-Za-z0-9._-]*/;

const same = (have: string, want: string) => fromApiValue(have) === fromApiValue(want);

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function condition(name: string, op: string, value: string, offset: number): Test {
  const get = (row: Row) => row[name] ?? '';
  switch (op) {
    case '=':
      return (row) => same(get(row), value);
    case '!=':
      return (row) => !same(get(row), value);
    case '<':
      return (row) => compare(get(row), value) < 0;
    case '>':
      return (row) => compare(get(row), value) > 0;
    case '<=':
      return (row) => compare(get(row), value) <= 0;
    case '>=':
      return (row) => compare(get(row), value) >= 0;
    case '~': {
      let re: RegExp;
      try {
        re = new RegExp(value);
      } catch {
        throw new WhereError(offset);
      }
      return (row) => re.test(get(row));
    }
    default: {
      // `in`: an address (or address/len) inside a prefix or range.
      return (row) => {
        const addr = ipv4(get(row).split('/')[0] ?? '');
        return addr !== undefined && inAddressSpec(addr, value);
      };
    }
  }
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  private blank(): void {
    while (this.i < this.text.length && /[ \t]/.test(this.text[this.i] as string)) this.i++;
  }

  private keyword(word: string): boolean {
    this.blank();
    const rest = this.text.slice(this.i);
    if (rest.startsWith(word) && !/[A-Za-z0-9._-]/.test(rest[word.length] ?? '')) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  private symbol(s: string): boolean {
    this.blank();
    if (this.text.startsWith(s, this.i)) {
      this.i += s.length;
      return true;
    }
    return false;
  }

  parse(): Test {
    this.blank();
    if (this.i >= this.text.length) return () => true;
    const t = this.or();
    this.blank();
    if (this.i < this.text.length) throw new WhereError(this.i);
    return t;
  }

  private or(): Test {
    let left = this.and();
    while (this.keyword('or') || this.symbol('||')) {
      const l = left;
      const r = this.and();
      left = (row) => l(row) || r(row);
    }
    return left;
  }

  private and(): Test {
    let left = this.unary();
    for (;;) {
      const explicit = this.keyword('and') || this.symbol('&&');
      this.blank();
      const next = this.text[this.i];
      // Two conditions side by side are both required; `or` and `)` end the run.
      if (!explicit && (next === undefined || next === ')' || this.peekKeyword('or') || next === '|')) return left;
      const l = left;
      const r = this.unary();
      left = (row) => l(row) && r(row);
    }
  }

  private peekKeyword(word: string): boolean {
    const save = this.i;
    const found = this.keyword(word);
    this.i = save;
    return found;
  }

  private unary(): Test {
    if (this.symbol('!') || this.keyword('not')) {
      const t = this.unary();
      return (row) => !t(row);
    }
    if (this.symbol('(')) {
      const t = this.or();
      if (!this.symbol(')')) throw new WhereError(this.i);
      return t;
    }
    return this.primary();
  }

  private primary(): Test {
    this.blank();
    const m = NAME.exec(this.text.slice(this.i));
    if (!m) throw new WhereError(this.i);
    const name = m[0];
    this.i += name.length;
    const opAt = this.i;
    let op = OPS.find((o) => this.text.startsWith(o, this.i));
    if (op) this.i += op.length;
    else if (this.peekKeyword('in')) {
      this.keyword('in');
      op = 'in';
    }
    if (!op) {
      return (row) => {
        const v = row[name];
        return v !== undefined && v !== '' && v !== 'false' && v !== 'no';
      };
    }
    if (op === 'in') this.blank();
    return condition(name, op, this.value(), opAt);
  }

  private value(): string {
    if (this.text[this.i] === '"') {
      let out = '';
      for (this.i++; this.i < this.text.length; this.i++) {
        const c = this.text[this.i] as string;
        if (c === '\\' && this.i + 1 < this.text.length) out += this.text[++this.i];
        else if (c === '"') {
          this.i++;
          return out;
        } else out += c;
      }
      throw new WhereError(this.i);
    }
    const start = this.i;
    while (this.i < this.text.length && !/[ \t()]/.test(this.text[this.i] as string)) this.i++;
    return this.text.slice(start, this.i);
  }
}

/** Compiles a condition; throws WhereError where it does not parse. */
export function compileWhere(text: string): (row: Row) => boolean {
  return new Parser(text).parse();
}
