// Text <-> bytes for RouterOS words. RouterOS stores bytes, not Unicode: WinBox and the console show them as the
// device's code page, which is Windows-1252 on almost every western device. So the default is win1252; latin1 and
// utf8 are selectable per device. win1252 and latin1 differ only in 0x80-0x9F.

import { RouterOSProtocolError } from './errors.js';

export type WordEncoding = 'win1252' | 'latin1' | 'utf8';

// Windows-1252 0x80..0x9F. The five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the
// same value (as the WHATWG encoding standard does), so every byte decodes and re-encodes to itself.
const WIN1252_HIGH: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
];

const WIN1252_DECODE_HIGH: string[] = WIN1252_HIGH.map((cp) => String.fromCharCode(cp));
const WIN1252_ENCODE = new Map<number, number>();
for (let i = 0; i < WIN1252_HIGH.length; i++) WIN1252_ENCODE.set(WIN1252_HIGH[i]!, 0x80 + i);

const C1_RANGE = /[\u0080-\u009f]/g;
const NON_LATIN1 = /[^\u0000-\u00ff]/;
// Characters encoded the same in latin1 and win1252 (ASCII and 0xA0-0xFF).
const NOT_SHARED = /[^\u0000-\u007f\u00a0-\u00ff]/;
const SHORT_WORD = 64;

/** Decode one word's bytes to a JS string. */
export function decodeWord(word: Buffer, encoding: WordEncoding = 'win1252'): string {
  if (encoding === 'utf8') return word.toString('utf8');
  const s = word.toString('latin1');
  if (encoding === 'latin1') return s;
  return hasC1(s) ? fixWin1252(s) : s;
}

const HAS_C1 = /[\u0080-\u009f]/;

/** Does latin1-decoded text contain bytes 0x80-0x9F (where win1252 differs from latin1)? */
export function hasC1(latin1Text: string): boolean {
  return HAS_C1.test(latin1Text);
}

/** Turn latin1-decoded text into win1252 text: latin1 maps byte b to U+00b; only 0x80-0x9F need remapping. */
export function fixWin1252(latin1Text: string): string {
  C1_RANGE.lastIndex = 0;
  return latin1Text.replace(C1_RANGE, (c) => WIN1252_DECODE_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Number of bytes `text` occupies in `encoding`. Single-byte encodings: one byte per UTF-16 code unit. */
export function encodedLength(text: string, encoding: WordEncoding = 'win1252'): number {
  return encoding === 'utf8' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/**
 * Write `text` into `out` at `offset`, returning bytes written. Throws RouterOSProtocolError('unencodable') for a
 * character the single-byte code page cannot hold, instead of silently writing '?' into a router's config.
 */
export function writeText(text: string, out: Buffer, offset: number, encoding: WordEncoding = 'win1252'): number {
  if (encoding === 'utf8') return out.write(text, offset, 'utf8');
  const n = text.length;
  if (n <= SHORT_WORD) {
    // Short words (most of a sentence): a JS loop beats a native write call. Bail out to the checked path on any
    // character outside the bytes both code pages share.
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80 && (c < 0xa0 || c > 0xff)) break;
      out[offset + i] = c;
    }
    if (i === n) return n;
  } else if (!NOT_SHARED.test(text)) {
    return out.write(text, offset, n, 'latin1');
  }
  if (encoding === 'latin1') {
    if (NON_LATIN1.test(text)) throw unencodable(text, encoding);
    return out.write(text, offset, 'latin1');
  }
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let b: number | undefined;
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) b = c;
    else b = WIN1252_ENCODE.get(c);
    if (b === undefined) throw unencodable(text, encoding);
    out[offset + i] = b;
  }
  return n;
}

/** Encode `text` to a new Buffer. */
export function encodeText(text: string, encoding: WordEncoding = 'win1252'): Buffer {
  const out = Buffer.allocUnsafe(encodedLength(text, encoding));
  writeText(text, out, 0, encoding);
  return out;
}

function unencodable(text: string, encoding: WordEncoding): RouterOSProtocolError {
  const bad = [...text].find((ch) => {
    const c = ch.codePointAt(0)!;
    if (encoding === 'latin1') return c > 0xff;
    return !(c < 0x80 || (c >= 0xa0 && c <= 0xff) || WIN1252_ENCODE.has(c));
  });
  const cp = bad ? `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : 'a character';
  return new RouterOSProtocolError(
    'unencodable',
    `${cp} cannot be represented in ${encoding}; use the utf8 encoding for this device`,
  );
}
