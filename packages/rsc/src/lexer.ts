// Splits one logical line (continuations already joined) into tokens. Whitespace separates tokens; quotes and
// `[ ... ]` brackets group. Positions are logical offsets into SourceText.text for error reporting.
import { EscapeError, unescapeQuoted } from './escape.js';
import type { SourceText } from './source.js';

export type Token =
  /** A word without `=` (verb, path, selector name, flag). */
  | { t: 'bare'; text: string; pos: number }
  /** A standalone quoted string. */
  | { t: 'quoted'; value: string; pos: number }
  /** A standalone `[ ... ]`; `inner` is the trimmed text between the brackets. */
  | { t: 'bracket'; inner: string; innerPos: number; pos: number }
  /** `name=value`. */
  | { t: 'prop'; name: string; value: string; quoted: boolean; expr: boolean; pos: number };

const NAME = /^[A-Za-z0-9._/!-]+$/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** Tokenise `src.text` from `start` to `end` (exclusive, no newline inside except within nothing). */
export function lexLine(src: SourceText, start: number, end: number): Token[] {
  const s = src.text;
  const out: Token[] = [];
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === 0x22 /* " */) {
      const close = scanQuoted(src, i, end);
      out.push({ t: 'quoted', value: decode(src, i, close), pos });
      i = afterGroup(src, close + 1, end);
    } else if (c === 0x5b /* [ */) {
      const close = scanBracket(src, i, end);
      const { inner, innerPos } = trimmed(s, i + 1, close);
      out.push({ t: 'bracket', inner, innerPos, pos });
      i = afterGroup(src, close + 1, end);
    } else {
      let j = i;
      while (j < end) {
        const d = s.charCodeAt(j);
        if (isSpace(d) || d === 0x3d /* = */) break;
        if (d === 0x22 || d === 0x5b) throw src.error(`unexpected ${s[j]} inside a word`, j);
        if (d === 0x5c) throw src.error('unexpected \\ outside a quoted string', j);
        j++;
      }
      const word = s.slice(i, j);
      if (j >= end || s.charCodeAt(j) !== 0x3d) {
        out.push({ t: 'bare', text: word, pos });
        i = j;
        continue;
      }
      if (word === '') throw src.error('expected a property name before "="', pos);
      if (!NAME.test(word)) throw src.error(`invalid property name "${word}"`, pos);
      const v = j + 1;
      const vc = s.charCodeAt(v);
      if (v < end && vc === 0x22) {
        const close = scanQuoted(src, v, end);
        out.push({ t: 'prop', name: word, value: decode(src, v, close), quoted: true, expr: false, pos });
        i = afterGroup(src, close + 1, end);
      } else if (v < end && vc === 0x5b) {
        const close = scanBracket(src, v, end);
        out.push({ t: 'prop', name: word, value: s.slice(v + 1, close).trim(), quoted: false, expr: true, pos });
        i = afterGroup(src, close + 1, end);
      } else {
        let k = v;
        while (k < end && !isSpace(s.charCodeAt(k))) {
          const d = s.charCodeAt(k);
          if (d === 0x22) throw src.error('unexpected " inside an unquoted value', k);
          if (d === 0x5c) throw src.error('unexpected \\ outside a quoted string', k);
          k++;
        }
        out.push({ t: 'prop', name: word, value: s.slice(v, k), quoted: false, expr: false, pos });
        i = k;
      }
    }
  }
  return out;
}

/** Offset of the closing quote of the string opening at `open`. */
export function scanQuoted(src: SourceText, open: number, end: number): number {
  const s = src.text;
  let i = open + 1;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c) i += 2;
    else i++;
  }
  throw src.error('unterminated quoted string', open);
}

/** Offset of the `]` matching the `[` at `open`; quotes and nested brackets inside are skipped. */
export function scanBracket(src: SourceText, open: number, end: number): number {
  const s = src.text;
  let depth = 0;
  let i = open;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x22) i = scanQuoted(src, i, end);
    else if (c === 0x5b) depth++;
    else if (c === 0x5d && --depth === 0) return i;
    else if (c === 0x5c) i++;
    i++;
  }
  throw src.error('unterminated [ bracket', open);
}

function afterGroup(src: SourceText, i: number, end: number): number {
  if (i < end && !isSpace(src.text.charCodeAt(i))) {
    throw src.error(`expected a space after the closing ${src.text[i - 1]}, found "${src.text[i]}"`, i);
  }
  return i;
}

function decode(src: SourceText, open: number, close: number): string {
  try {
    return unescapeQuoted(src.text.slice(open + 1, close));
  } catch (e) {
    if (e instanceof EscapeError) throw src.error(e.message, open + 1 + e.offset);
    throw e;
  }
}

function trimmed(s: string, from: number, to: number): { inner: string; innerPos: number } {
  let a = from;
  let b = to;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return { inner: s.slice(a, b), innerPos: a };
}
