// RouterOS API framing. A sentence is a list of words followed by a zero-length word; each word is a length prefix
// (1-5 bytes) and that many bytes. Length prefix by first byte:
//   0xxxxxxx                     1 byte,  len < 0x80
//   10xxxxxx +1                  2 bytes, len < 0x4000
//   110xxxxx +2                  3 bytes, len < 0x200000
//   1110xxxx +3                  4 bytes, len < 0x10000000
//   11110000 +4                  5 bytes, len < 2^32
//   0xF8-0xFF                    reserved control bytes: never valid from a peer -> fatal protocol error
// The decoder is incremental and copy-free where it can be: a word that lies inside one chunk is returned as a
// subarray of that chunk; only words cut across chunks are copied (once, into a buffer of their exact size).

import { isAscii } from 'node:buffer';
import { decodeWord, encodedLength, fixWin1252, hasC1, type WordEncoding, writeText } from './encoding.js';
import { RouterOSProtocolError } from './errors.js';
import { FrameParser, type SentenceDecoderOptions } from './frame.js';

export { decodeWord, encodeText, type WordEncoding } from './encoding.js';
export { RouterOSProtocolError } from './errors.js';
export type { SentenceDecoderOptions } from './frame.js';

export const MAX_WORD_LENGTH = 0xffffffff;

/** Bytes the length prefix of a `n`-byte word takes. */
export function lengthPrefixSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  return 5;
}

function checkLength(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORD_LENGTH) {
    throw new RouterOSProtocolError('word_too_long', `word length ${n} cannot be encoded (0..${MAX_WORD_LENGTH})`);
  }
}

/** Write the length prefix for `n` into `out` at `offset`; returns bytes written. */
export function writeLength(n: number, out: Buffer, offset: number): number {
  if (n < 0x80) {
    out[offset] = n;
    return 1;
  }
  if (n < 0x4000) {
    out[offset] = (n >>> 8) | 0x80;
    out[offset + 1] = n & 0xff;
    return 2;
  }
  if (n < 0x200000) {
    out[offset] = (n >>> 16) | 0xc0;
    out[offset + 1] = (n >>> 8) & 0xff;
    out[offset + 2] = n & 0xff;
    return 3;
  }
  if (n < 0x10000000) {
    out[offset] = (n >>> 24) | 0xe0;
    out[offset + 1] = (n >>> 16) & 0xff;
    out[offset + 2] = (n >>> 8) & 0xff;
    out[offset + 3] = n & 0xff;
    return 4;
  }
  out[offset] = 0xf0;
  out[offset + 1] = (n >>> 24) & 0xff;
  out[offset + 2] = (n >>> 16) & 0xff;
  out[offset + 3] = (n >>> 8) & 0xff;
  out[offset + 4] = n & 0xff;
  return 5;
}

/** The 1-5 byte length prefix for a word of `n` bytes. */
export function encodeLength(n: number): Buffer {
  checkLength(n);
  const out = Buffer.allocUnsafe(lengthPrefixSize(n));
  writeLength(n, out, 0);
  return out;
}

/** One word: length prefix + bytes. Strings are encoded with `encoding` (default win1252). */
export function encodeWord(word: string | Buffer, encoding: WordEncoding = 'win1252'): Buffer {
  return encodeSentenceInner([word], encoding, false);
}

/** A whole sentence: every word, then the zero-length terminator. */
export function encodeSentence(words: ReadonlyArray<string | Buffer>, encoding: WordEncoding = 'win1252'): Buffer {
  return encodeSentenceInner(words, encoding, true);
}

function encodeSentenceInner(
  words: ReadonlyArray<string | Buffer>,
  encoding: WordEncoding,
  terminate: boolean,
): Buffer {
  // Two passes (size, then write) so the sentence is one allocation.
  const sizes = new Array<number>(words.length);
  let total = terminate ? 1 : 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const n = typeof w === 'string' ? encodedLength(w, encoding) : w.length;
    checkLength(n);
    sizes[i] = n;
    total += lengthPrefixSize(n) + n;
  }
  const out = Buffer.allocUnsafe(total);
  let off = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const n = sizes[i]!;
    off += writeLength(n, out, off);
    if (typeof w === 'string') off += writeText(w, out, off, encoding);
    else off += w.copy(out, off);
  }
  if (terminate) out[off++] = 0;
  return out;
}

/**
 * Incremental sentence decoder returning word bytes. Copy-free where possible: a word inside one chunk is a
 * subarray of that chunk, so do not mutate a chunk after pushing it; only words cut across chunks are copied.
 */
export class SentenceDecoder extends FrameParser<Buffer[]> {
  private words: Buffer[] = [];
  protected word(src: Buffer, start: number, end: number): void {
    this.words.push(src.subarray(start, end));
  }
  protected take(): Buffer[] {
    const w = this.words;
    this.words = [];
    return w;
  }
}

/**
 * Incremental sentence decoder returning words as text in `encoding`. This is the fast path the client uses: for
 * the single-byte encodings each chunk is turned into one string once and words are substrings of it, instead of
 * one native decode call per word.
 */
export class TextSentenceDecoder extends FrameParser<string[]> {
  private readonly encoding: WordEncoding;
  private words: string[] = [];
  private chunk: Buffer | null = null;
  private chunkText = '';
  private chunkNeedsFix = false;

  constructor(encoding: WordEncoding = 'win1252', opts: SentenceDecoderOptions = {}) {
    super(opts);
    this.encoding = encoding;
  }

  protected word(src: Buffer, start: number, end: number): void {
    this.words.push(this.text(src, start, end));
  }

  protected take(): string[] {
    const w = this.words;
    this.words = [];
    return w;
  }

  private text(src: Buffer, start: number, end: number): string {
    if (this.encoding === 'utf8') return src.toString('utf8', start, end);
    if (src !== this.chunk) {
      // A word that was assembled across chunks, or the first word of a new chunk.
      if (start === 0 && end === src.length) return decodeWord(src, this.encoding);
      this.chunk = src;
      this.chunkText = src.toString('latin1');
      this.chunkNeedsFix = this.encoding === 'win1252' && !isAscii(src) && hasC1(this.chunkText);
    }
    const s = this.chunkText.slice(start, end);
    return this.chunkNeedsFix ? fixWin1252(s) : s;
  }
}
