// Conditions as RouterOS writes them after `print where …` and inside `[ find … ]`, read into a tree.
// Grammar (RouterOS's usual precedence: not, then and, then or; terms side by side are ANDed as `find` args are):
//   or   := and (('or' | '||') and)*
//   and  := not (('and' | '&&')? not)*
//   not  := ('!' | 'not') not | '(' or ')' | name op value | name
// A bare name is a yes/no property that is true (`where disabled`). Quoted values use RouterOS escapes
// (`unescapeQuoted` from @tod/rsc). The API has no regular-expression or prefix queries, and the values a device
// would substitute (`$var`, `[ … ]`) are unknown here, so `~`, `in`, variables and expressions are refused.
import { escapeQuoted, type SourceText, scanQuoted, unescapeQuoted } from '@tod/rsc';

export type Comparison = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';

export type Condition =
  | { op: Comparison; name: string; value: string }
  /** `disabled`: the property is yes. */
  | { op: 'flag'; name: string }
  | { op: 'and' | 'or'; items: Condition[] }
  | { op: 'not'; item: Condition };

type Tok =
  | { t: 'word'; text: string; pos: number }
  | { t: 'quoted'; value: string; pos: number }
  | { t: 'op'; text: string; pos: number };

const OPS: Record<string, Comparison> = { '=': 'eq', '!=': 'ne', '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' };
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Stops a bare word: whitespace, grouping, operators and the characters refused below.
const STOP = new Set([' ', '\t', '\r', '(', ')', '=', '!', '<', '>', '~', '"', '[', ']', '$', '\\', '&', '|']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';

function tokens(src: SourceText, start: number, end: number): Tok[] {
  const s = src.text;
  const out: Tok[] = [];
  let i = start;
  while (i < end) {
    const c = s[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '&&' || two === '||') {
      out.push({ t: 'op', text: two, pos: i });
      i += 2;
    } else if ('()=!<>'.includes(c)) {
      out.push({ t: 'op', text: c, pos: i });
      i++;
    } else if (c === '~') {
      throw src.error('regular-expression conditions (~) are not supported: the router API cannot query them', i);
    } else if (c === '"') {
      const close = scanQuoted(src, i, end);
      out.push({ t: 'quoted', value: quotedValue(src, i, close), pos: i });
      i = close + 1;
    } else if (c === '$') {
      throw src.error('variables ($name) are not available in bulk commands', i);
    } else if (c === '[' || c === ']') {
      throw src.error('[ … ] expressions inside conditions are not supported', i);
    } else if (c === '\\') {
      throw src.error('unexpected \\ outside a quoted string', i);
    } else if (c === '&' || c === '|') {
      throw src.error(`unexpected "${c}" (use "and"/"&&" or "or"/"||")`, i);
    } else {
      let j = i;
      while (j < end && !STOP.has(s[j] as string)) j++;
      out.push({ t: 'word', text: s.slice(i, j), pos: i });
      i = j;
    }
  }
  return out;
}

/** The unescaped value of the quoted string from `open` to `close`, refusing `$` that the device would substitute. */
export function quotedValue(src: SourceText, open: number, close: number): string {
  const body = src.text.slice(open + 1, close);
  for (let k = 0; k < body.length; k++) {
    if (body[k] === '\\') k++;
    else if (body[k] === '$')
      throw src.error('variables ($name) are not available in bulk commands; write \\$ for a literal $', open + 1 + k);
  }
  try {
    return unescapeQuoted(body);
  } catch (e) {
    const offset = (e as { offset?: number }).offset ?? 0;
    throw src.error((e as Error).message, open + 1 + offset);
  }
}

/** Parses the condition text from `start` to `end`; undefined when there is none (`[ find ]`). */
export function parseCondition(src: SourceText, start: number, end: number): Condition | undefined {
  const toks = tokens(src, start, end);
  if (toks.length === 0) return undefined;
  let k = 0;
  const peek = () => toks[k];
  const isWord = (t: Tok | undefined, w: string) => t?.t === 'word' && t.text === w;
  const isOp = (t: Tok | undefined, o: string) => t?.t === 'op' && t.text === o;
  const fail = (message: string, t: Tok | undefined): never => {
    throw src.error(message, t?.pos ?? end);
  };

  const or = (): Condition => {
    const items = [and()];
    while (isWord(peek(), 'or') || isOp(peek(), '||')) {
      k++;
      items.push(and());
    }
    return group('or', items);
  };
  const startsTerm = (t: Tok | undefined) =>
    t !== undefined && ((t.t === 'word' && t.text !== 'or' && t.text !== 'and') || isOp(t, '!') || isOp(t, '('));
  const and = (): Condition => {
    const items = [not()];
    for (;;) {
      if (isWord(peek(), 'and') || isOp(peek(), '&&')) {
        k++;
        items.push(not());
      } else if (startsTerm(peek())) items.push(not());
      else break;
    }
    return group('and', items);
  };
  const not = (): Condition => {
    const t = peek();
    if (isOp(t, '!') || isWord(t, 'not')) {
      k++;
      return { op: 'not', item: not() };
    }
    if (isOp(t, '(')) {
      k++;
      const inner = or();
      if (!isOp(peek(), ')')) fail('expected ")"', peek());
      k++;
      return inner;
    }
    return comparison();
  };
  const comparison = (): Condition => {
    const t = peek();
    if (t?.t !== 'word') return fail(t ? 'expected a property name' : 'expected a condition', t);
    if (t.text === 'where') return fail('"where" only once, at the start of the conditions', t);
    if (!NAME.test(t.text)) return fail(`invalid property name "${t.text}"`, t);
    k++;
    const o = peek();
    if (isWord(o, 'in')) fail('"in" conditions are not supported: the router API cannot query address ranges', o);
    if (o?.t !== 'op' || OPS[o.text] === undefined) return { op: 'flag', name: t.text };
    k++;
    const v = peek();
    if (v?.t === 'quoted' || v?.t === 'word') {
      k++;
      return { op: OPS[o.text] as Comparison, name: t.text, value: v.t === 'quoted' ? v.value : v.text };
    }
    // `comment=` with nothing after it compares with the empty value, as RouterOS does.
    if (v === undefined || isOp(v, ')') || isOp(v, '&&') || isOp(v, '||'))
      return { op: OPS[o.text] as Comparison, name: t.text, value: '' };
    return fail('expected a value', v);
  };

  const result = or();
  if (k < toks.length) fail('unexpected text in the condition', peek());
  return result;
}

/** One and/or node; `(a and b) and c` is flattened to `a and b and c` so equal conditions have one tree. */
function group(op: 'and' | 'or', items: Condition[]): Condition {
  if (items.length === 1) return items[0] as Condition;
  return { op, items: items.flatMap((i) => (i.op === op ? i.items : [i])) };
}

/** The condition as RouterOS would print it back (for messages and the terminal line of a step). */
export function conditionText(c: Condition): string {
  switch (c.op) {
    case 'flag':
      return c.name;
    case 'not':
      return `!${c.item.op === 'and' || c.item.op === 'or' ? `(${conditionText(c.item)})` : conditionText(c.item)}`;
    case 'and':
    case 'or':
      return c.items
        .map((i) => (i.op === 'or' || (i.op === 'and' && c.op === 'or') ? `(${conditionText(i)})` : conditionText(i)))
        .join(` ${c.op} `);
    default: {
      const sym = Object.entries(OPS).find(([, v]) => v === c.op)?.[0] ?? '=';
      return `${c.name}${sym}${quote(c.value)}`;
    }
  }
}

function quote(v: string): string {
  // Bare only where the condition reader reads it back as the same word.
  if (v !== '' && [...v].every((ch) => !STOP.has(ch) && ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f))
    if (v !== 'and' && v !== 'or' && v !== 'not' && v !== 'in' && v !== 'where') return v;
  return `"${escapeQuoted(v)}"`;
}
