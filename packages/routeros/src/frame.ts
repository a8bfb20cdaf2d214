// The RouterOS framing state machine (see codec.ts for the length prefix table), independent of what a word
// becomes. Incremental and copy-free where it can be: words inside one chunk are passed as offsets into that chunk;
// only a word cut across chunks is copied, once, into a buffer of its exact size.

import { RouterOSProtocolError } from './errors.js';

export interface SentenceDecoderOptions {
  /** Largest word accepted (bytes). Default 16 MiB: RouterOS files and scripts stay well below. */
  maxWordBytes?: number;
  /** Most words in one sentence. Default 65536. */
  maxSentenceWords?: number;
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
  private count = 0; // words in the current sentence
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

  /** One word of the current sentence. `src` may be the pushed chunk or a buffer holding a word cut across chunks. */
  protected abstract word(src: Buffer, start: number, end: number): void;
  /** The finished (non-empty) sentence; reset for the next one. */
  protected abstract take(): S;

  /** True when no partial sentence is buffered (a clean boundary). */
  get idle(): boolean {
    return this.count === 0 && this.prefixNeed === 0 && this.partial === null;
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
      const want = this.partial.length - this.partialFill;
      const take = Math.min(want, end);
      chunk.copy(this.partial, this.partialFill, 0, take);
      this.partialFill += take;
      pos = take;
      if (this.partialFill < this.partial.length) return out;
      const full = this.partial;
      this.partial = null;
      this.addWord(full, 0, full.length);
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
    this.count = 0;
    out.push(this.take());
  }
}
