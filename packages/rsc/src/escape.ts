// RouterOS string escapes. Values are byte strings: `\D2` decodes to the char with code 0xD2 (one char per byte),
// which is how RouterOS writes non-ASCII text (often Windows-1251 or UTF-8 bytes) in exports.

const SIMPLE: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  $: '$',
  '?': '?',
  _: ' ',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

const HEX = /^[0-9A-F]{2}$/;

/** Thrown by `unescapeQuoted`; the parser turns it into a ParseError with a position. */
export class EscapeError extends Error {
  constructor(
    message: string,
    /** Offset of the offending backslash inside the quoted body. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Decode the body of a quoted string (between the quotes, continuations already joined). */
export function unescapeQuoted(body: string): string {
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const bs = body.indexOf('\\', i);
    if (bs < 0) {
      out += body.slice(i);
      break;
    }
    out += body.slice(i, bs);
    const c = body[bs + 1];
    if (c === undefined) throw new EscapeError('backslash at end of string', bs);
    const simple = SIMPLE[c];
    if (simple !== undefined) {
      out += simple;
      i = bs + 2;
      continue;
    }
    const hex = body.slice(bs + 1, bs + 3);
    if (HEX.test(hex)) {
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i = bs + 3;
      continue;
    }
    throw new EscapeError(`invalid escape sequence \\${c === '\n' ? 'newline' : c}`, bs);
  }
  return out;
}

/** Encode a value as the body of a RouterOS quoted string (without the quotes). */
export function escapeQuoted(value: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    let rep: string | undefined;
    if (code === 0x22) rep = '\\"';
    else if (code === 0x5c) rep = '\\\\';
    else if (code === 0x24) rep = '\\$';
    else if (code === 0x3f) rep = '\\?';
    else if (code === 0x0a) rep = '\\n';
    else if (code === 0x0d) rep = '\\r';
    else if (code === 0x09) rep = '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0xff))
      rep = `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    if (rep !== undefined) {
      out += value.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return start === 0 ? value : out + value.slice(start);
}

// Characters RouterOS exports leave unquoted (e.g. `10M-half,10M-full`, `!LAN`, `*1A`, `0.0.0.0/0`, `ether1:2`).
const SAFE_BARE = /^[A-Za-z0-9_.:,/@+*%!^~&|<>-]+$/;

/** Whether a value must be quoted for RouterOS to read it back as the same string. */
export function needsQuotes(value: string): boolean {
  return !SAFE_BARE.test(value);
}

// What our lexer reads back as one unquoted token: no whitespace/control chars, no quote or backslash, and not
// starting with `[` (an expression); empty is fine (`comment=`). Used to keep the source's unquoted spelling (e.g. `$var` in scripts).
const LEXICAL_BARE = /^(?:[^\x00-\x20\x7f"\\[][^\x00-\x20\x7f"\\]*)?$/;

/**
 * A value as it should appear after `name=`. `keep-quoted`/`keep-bare` preserve the source spelling (bare only
 * while it still reads back as the same token); `canonical` quotes exactly where RouterOS needs it.
 */
export function formatValue(value: string, mode: 'keep-quoted' | 'keep-bare' | 'canonical' = 'canonical'): string {
  if (mode === 'keep-quoted') return `"${escapeQuoted(value)}"`;
  if (mode === 'keep-bare' && LEXICAL_BARE.test(value)) return value;
  return needsQuotes(value) ? `"${escapeQuoted(value)}"` : value;
}
