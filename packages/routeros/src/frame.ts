// The RouterOS framing state machine (see codec.ts for the length prefix table), independent of what a word
// becomes. Incremental and copy-free where it can be: words inside one chunk are passed as offsets into that chunk;
// only a word cut across chunks is copied. Memory follows the bytes that actually arrived, never the length a peer
// announces: a cut word of up to 64 KiB gets a buffer of its exact size, a longer one a buffer that doubles as its
// bytes come in (so a peer announcing 8 MiB and then stalling costs 64 KiB, not 8 MiB).

import { RouterOSProtocolError } from './errors.js';

/** Default largest word: far above anything RouterOS sends (`/file/read` chunks are at most 32 KiB, `/file`
 * `contents` and `/tool/fetch output=user` data at most 64 KiB, script sources a few KiB to some hundred KiB). */
export const DEFAULT_MAX_WORD_BYTES = 8 * 1024 * 1024;
/** Default most bytes in one sentence (sum of its words' lengths): twice the default word limit. */
export const DEFAULT_MAX_SENTENCE_BYTES = 2 * DEFAULT_MAX_WORD_BYTES;

// Cut words up to this size are allocated at once (cheap, and the common case: a word straddling two segments).
const EXACT_ALLOC_BYTES = 64 * 1024;

export interface SentenceDecoderOptions {
  /** Largest word accepted (bytes). Default 8 MiB (`DEFAULT_MAX_WORD_BYTES`). */
  maxWordBytes?: number;
  /** Most words in one sentence. Default 65536. */
  maxSentenceWords?: number;
  /** Most bytes in one sentence, summing its words. Default twice `maxWordBytes` (16 MiB). */
  maxSentenceBytes?: number;
}

/**
 * The framing state machine, shared by the byte, text and reply decoders. Subclasses receive each word as bytes
 * `src[start..end)` (`word`) and hand over each finished sentence (`take`). Works for any split of the stream: a length prefix or a word may be cut
 * anywhere. After a protocol error the parser stays failed: every later `push` throws the same error, since the
 * stream position is lost. Empty sentences (a lone terminator) are skipped.
 */
export abstract class FrameParser<S> {
  private readonly maxWordBytes: number;
  private readonly maxSentenceWords: number;
  private readonly maxSentenceBytes: number;
  private count = 0; // words in the current sentence
  private bytes = 0; // bytes of the current sentence's words, counting a word in progress at its announced length
  // Length prefix being assembled across chunks: bytes still needed, and the value so far.
  private prefixNeed = 0;
  private prefixAcc = 0;
  // Word body being assembled across chunks: `partialLen` bytes announced, `partialFill` of them in `partial`
  // (which may be shorter than `partialLen` and grows as bytes arrive).
  private partial: Buffer | null = null;
  private partialFill = 0;
  private partialLen = 0;
  private failed: RouterOSProtocolError | null = null;

  constructor(opts: SentenceDecoderOptions = {}) {
    this.maxWordBytes = opts.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES;
    this.maxSentenceWords = opts.maxSentenceWords ?? 65536;
    this.maxSentenceBytes = opts.maxSentenceBytes ?? 2 * this.maxWordBytes;
  }

  /** One word of the current sentence. `src` may be the pushed chunk or a buffer holding a word cut across chunks. */
  protected abstract word(src: Buffer, start: number, end: number): void;
  /** The finished (non-empty) sentence, `bytes` the sum of its words' lengths; reset for the next one. */
  protected abstract take(bytes: number): S;

  /** True when no partial sentence is buffered (a clean boundary). */
  get idle(): boolean {
    return this.count === 0 && this.prefixNeed === 0 && this.partial === null;
  }

  /** Bytes buffered for a word cut across chunks (what a stalled peer costs; tests and diagnostics). */
  get bufferedBytes(): number {
    return this.partial?.length ?? 0;
  }

  /** Drop any partial sentence and refuse further input (the connection is gone: keep no peer bytes alive). */
  discard(): void {
    if (this.count > 0) this.take(0);
    this.partial = null;
    this.partialFill = 0;
    this.partialLen = 0;
    this.prefixNeed = 0;
    this.count = 0;
    this.bytes = 0;
    this.failed ??= new RouterOSProtocolError('discarded', 'the decoder was discarded');
  }

  /** Feed one chunk; returns the sentences it completed. */
  push(chunk: Buffer): S[] {
    if (this.failed) throw this.failed;
    try {
      return this.run(chunk);
    } catch (e) {
      if (e instanceof RouterOSProtocolError) this.failed = e;
      throw e;
    }
  }

  private run(chunk: Buffer): S[] {
    const out: S[] = [];
    const end = chunk.length;
    let pos = 0;

    // Finish a word body cut by the previous chunk.
    if (this.partial !== null) {
      const take = Math.min(this.partialLen - this.partialFill, end);
      this.fillPartial(chunk, 0, take);
      pos = take;
      if (this.partialFill < this.partialLen) return out;
      const full = this.partial;
      this.partial = null;
      this.addWord(full, 0, this.partialLen);
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
          this.addWord(chunk, pos, pos + len);
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
        this.addWord(chunk, pos, pos + len);
        pos += len;
      } else {
        this.startPartial(chunk, pos, len);
        return out;
      }
    }
    return out;
  }

  private startPartial(chunk: Buffer, pos: number, len: number): void {
    const have = chunk.length - pos;
    const size = len <= EXACT_ALLOC_BYTES ? len : Math.min(len, Math.max(EXACT_ALLOC_BYTES, have * 2));
    this.partial = Buffer.allocUnsafe(size);
    this.partialLen = len;
    this.partialFill = chunk.copy(this.partial, 0, pos);
  }

  /** Append `src[start..end)` to the partial word, doubling its buffer (up to the announced length) when full. */
  private fillPartial(src: Buffer, start: number, end: number): void {
    let buf = this.partial!;
    const need = this.partialFill + (end - start);
    if (need > buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.partialLen, Math.max(need, buf.length * 2)));
      buf.copy(grown, 0, 0, this.partialFill);
      buf = grown;
      this.partial = grown;
    }
    this.partialFill += src.copy(buf, this.partialFill, start, end);
  }

  /** Check an announced word against the word and sentence limits before any of its bytes are kept. */
  private checkWord(len: number): void {
    if (len > this.maxWordBytes) {
      throw new RouterOSProtocolError(
        'word_too_long',
        `word of ${len} bytes exceeds the limit of ${this.maxWordBytes}`,
      );
    }
    if (this.bytes + len > this.maxSentenceBytes) {
      throw new RouterOSProtocolError(
        'sentence_too_large',
        `sentence of at least ${this.bytes + len} bytes exceeds the limit of ${this.maxSentenceBytes}`,
      );
    }
    this.bytes += len;
  }

  private addWord(src: Buffer, start: number, end: number): void {
    if (this.count >= this.maxSentenceWords) {
      throw new RouterOSProtocolError(
        'sentence_too_long',
        `sentence exceeds the limit of ${this.maxSentenceWords} words`,
      );
    }
    this.count++;
    this.word(src, start, end);
  }

  private endSentence(out: S[]): void {
    if (this.count === 0) return;
    const bytes = this.bytes;
    this.count = 0;
    this.bytes = 0;
    out.push(this.take(bytes));
  }
}
