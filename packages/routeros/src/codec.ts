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

import { decodeWord, encodedLength, fixWin1252, hasC1, type WordEncoding, writeText } from './encoding.js';
import { RouterOSProtocolError } from './errors.js';

export { decodeWord, encodeText, type WordEncoding } from './encoding.js';
export { RouterOSProtocolError } from './errors.js';

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

export interface SentenceDecoderOptions {
  /** Largest word accepted (bytes). Default 16 MiB: RouterOS files and scripts stay well below. */
  maxWordBytes?: number;
  /** Most words in one sentence. Default 65536. */
  maxSentenceWords?: number;
}

/**
 * The framing state machine, shared by the byte and text decoders. Subclasses turn each word (bytes
 * `src[start..end)`) into their word type. Works for any split of the stream: a length prefix or a word may be cut
 * anywhere. After a protocol error the parser stays failed: every later `push` throws the same error, since the
 * stream position is lost. Empty sentences (a lone terminator) are skipped.
 */
abstract class FrameParser<W> {
  private readonly maxWordBytes: number;
  private readonly maxSentenceWords: number;
  private words: W[] = [];
  // Length prefix being assembled across chunks: bytes still needed, and the value so far.
  private prefixNeed = 0;
  private prefixAcc = 0;
  // Word body being assembled across chunks.
  private partial: Buffer | null = null;
  private partialFill = 0;
  private failed: RouterOSProtocolError | null = null;

  constructor(opts: SentenceDecoderOptions = {}) {
    this.maxWordBytes = opts.maxWordBytes ?? 16 * 1024 * 1024;
    this.maxSentenceWords = opts.maxSentenceWords ?? 65536;
  }

  protected abstract makeWord(src: Buffer, start: number, end: number): W;

  /** True when no partial sentence is buffered (a clean boundary). */
  get idle(): boolean {
    return this.words.length === 0 && this.prefixNeed === 0 && this.partial === null;
  }

  /** Feed one chunk; returns the sentences it completed. */
  push(chunk: Buffer): W[][] {
    if (this.failed) throw this.failed;
    try {
      return this.run(chunk);
    } catch (e) {
      if (e instanceof RouterOSProtocolError) this.failed = e;
      throw e;
    }
  }

  private run(chunk: Buffer): W[][] {
    const out: W[][] = [];
    const end = chunk.length;
    let pos = 0;

    // Finish a word body cut by the previous chunk.
    if (this.partial !== null) {
      const want = this.partial.length - this.partialFill;
      const take = Math.min(want, end);
      chunk.copy(this.partial, this.partialFill, 0, take);
      this.partialFill += take;
      pos = take;
      if (this.partialFill < this.partial.length) return out;
      const full = this.partial;
      this.partial = null;
      this.addWord(this.makeWord(full, 0, full.length));
    }
    // Finish a length prefix cut by the previous chunk.
    if (this.prefixNeed > 0) {
      while (this.prefixNeed > 0 && pos < end) {
        this.prefixAcc = this.prefixAcc * 256 + chunk[pos++]!;
        this.prefixNeed--;
      }
      if (this.prefixNeed > 0) return out;
      const len = this.prefixAcc;
      if (len === 0) {
        // Only reachable with a non-minimal multi-byte encoding of 0; RouterOS reads it as a terminator too.
        this.endSentence(out);
      } else {
        this.checkWord(len);
        if (end - pos >= len) {
          this.addWord(this.makeWord(chunk, pos, pos + len));
          pos += len;
        } else {
          this.startPartial(chunk, pos, len);
          return out;
        }
      }
    }

    while (pos < end) {
      const b = chunk[pos]!;
      let len: number;
      let size: number;
      if (b < 0x80) {
        len = b;
        size = 1;
      } else if (b < 0xc0) {
        size = 2;
        len = b & 0x3f;
      } else if (b < 0xe0) {
        size = 3;
        len = b & 0x1f;
      } else if (b < 0xf0) {
        size = 4;
        len = b & 0x0f;
      } else if (b === 0xf0) {
        size = 5;
        len = 0;
      } else if (b >= 0xf8) {
        throw new RouterOSProtocolError(
          'control_byte',
          `control byte 0x${b.toString(16)} where a word length was expected`,
        );
      } else {
        throw new RouterOSProtocolError('bad_length', `invalid length prefix byte 0x${b.toString(16)}`);
      }
      if (size > 1) {
        if (pos + size > end) {
          // Prefix cut by the chunk end: keep what we have.
          this.prefixAcc = len;
          this.prefixNeed = size - 1;
          pos++;
          while (pos < end) {
            this.prefixAcc = this.prefixAcc * 256 + chunk[pos++]!;
            this.prefixNeed--;
          }
          return out;
        }
        for (let i = 1; i < size; i++) len = len * 256 + chunk[pos + i]!;
      }
      pos += size;
      if (len === 0) {
        this.endSentence(out);
        continue;
      }
      this.checkWord(len);
      if (end - pos >= len) {
        this.addWord(this.makeWord(chunk, pos, pos + len));
        pos += len;
      } else {
        this.startPartial(chunk, pos, len);
        return out;
      }
    }
    return out;
  }

  private startPartial(chunk: Buffer, pos: number, len: number): void {
    const buf = Buffer.allocUnsafe(len);
    const n = chunk.copy(buf, 0, pos);
    this.partial = buf;
    this.partialFill = n;
  }

  private checkWord(len: number): void {
    if (len > this.maxWordBytes) {
      throw new RouterOSProtocolError(
        'word_too_long',
        `word of ${len} bytes exceeds the limit of ${this.maxWordBytes}`,
      );
    }
  }

  private addWord(w: W): void {
    if (this.words.length >= this.maxSentenceWords) {
      throw new RouterOSProtocolError(
        'sentence_too_long',
        `sentence exceeds the limit of ${this.maxSentenceWords} words`,
      );
    }
    this.words.push(w);
  }

  private endSentence(out: W[][]): void {
    if (this.words.length === 0) return;
    out.push(this.words);
    this.words = [];
  }
}

/**
 * Incremental sentence decoder returning word bytes. Copy-free where possible: a word inside one chunk is a
 * subarray of that chunk, so do not mutate a chunk after pushing it; only words cut across chunks are copied.
 */
export class SentenceDecoder extends FrameParser<Buffer> {
  protected makeWord(src: Buffer, start: number, end: number): Buffer {
    return src.subarray(start, end);
  }
}

/**
 * Incremental sentence decoder returning words as text in `encoding`. This is the fast path the client uses: for
 * the single-byte encodings each chunk is turned into one string once and words are substrings of it, instead of
 * one native decode call per word.
 */
export class TextSentenceDecoder extends FrameParser<string> {
  private readonly encoding: WordEncoding;
  private chunk: Buffer | null = null;
  private chunkText = '';
  private chunkNeedsFix = false;

  constructor(encoding: WordEncoding = 'win1252', opts: SentenceDecoderOptions = {}) {
    super(opts);
    this.encoding = encoding;
  }

  protected makeWord(src: Buffer, start: number, end: number): string {
    if (this.encoding === 'utf8') return src.toString('utf8', start, end);
    if (src !== this.chunk) {
      // A word that was assembled across chunks, or the first word of a new chunk.
      if (start === 0 && end === src.length) return decodeWord(src, this.encoding);
      this.chunk = src;
      this.chunkText = src.toString('latin1');
      this.chunkNeedsFix = this.encoding === 'win1252' && hasC1(this.chunkText);
    }
    const s = this.chunkText.slice(start, end);
    return this.chunkNeedsFix ? fixWin1252(s) : s;
  }
}
