// Bytes straight to Reply objects: the client's receive path. Same result as TextSentenceDecoder + parseReply, but
// attribute names and values are cut directly out of each chunk's text, without a string per word in between, and
// attribute names repeat from reply to reply so the name seen at the same position last time is reused when it
// matches (V8 then gets an already-internalized property key instead of hashing a fresh substring).

import { isAscii } from 'node:buffer';
import { decodeWord, fixWin1252, hasC1, type WordEncoding } from './encoding.js';
import { RouterOSProtocolError } from './errors.js';
import { FrameParser, type SentenceDecoderOptions } from './frame.js';
import type { Reply, Row } from './reply.js';

const KEY_CACHE_SIZE = 128;

/** `name` as V8's internalized (flat, shared) string: what a property key becomes. */
const internalized = (name: string): string => Object.keys({ [name]: 0 })[0] ?? name;
const NO_WORDS: readonly string[] = [];

export class ReplyDecoder extends FrameParser<Reply> {
  private readonly encoding: WordEncoding;
  // Text of the current chunk (single-byte encodings), decoded once per chunk on first use.
  private chunk: Buffer | null = null;
  private chunkText = '';
  private chunkNeedsFix = false;
  // The reply being assembled.
  private index = 0;
  private type = '';
  private tag: string | undefined = undefined;
  private attrs: Row = {};
  private bare: string[] | undefined = undefined;
  private readonly keys: string[] = new Array<string>(KEY_CACHE_SIZE).fill('');

  constructor(encoding: WordEncoding = 'win1252', opts: SentenceDecoderOptions = {}) {
    super(opts);
    this.encoding = encoding;
  }

  /**
   * The chunk's text serves its own words only: forgotten once it is done, so an idle or dead session keeps neither
   * the chunk (a read buffer of up to 64 KB, which pinned its memory between polls) nor its text.
   */
  override push(chunk: Buffer): Reply[] {
    try {
      return super.push(chunk);
    } finally {
      this.chunk = null;
      this.chunkText = '';
    }
  }

  protected word(src: Buffer, start: number, end: number): void {
    let text: string;
    let s: number;
    let e: number;
    if (this.encoding !== 'utf8' && src === this.chunk && !this.chunkNeedsFix) {
      text = this.chunkText;
      s = start;
      e = end;
    } else if (this.encoding !== 'utf8' && src !== this.chunk && (start > 0 || end < src.length)) {
      // First word taken from a new chunk: decode the chunk once.
      this.chunk = src;
      this.chunkText = src.toString('latin1');
      // isAscii is a native scan, much cheaper than a regex over the text; most chunks are pure ASCII.
      this.chunkNeedsFix = this.encoding === 'win1252' && !isAscii(src) && hasC1(this.chunkText);
      this.word(src, start, end);
      return;
    } else {
      // utf8, a word assembled across chunks, or a chunk with win1252-specific bytes: decode this word alone.
      text =
        this.encoding === 'utf8'
          ? src.toString('utf8', start, end)
          : src === this.chunk
            ? fixWin1252(this.chunkText.slice(start, end))
            : decodeWord(src.subarray(start, end), this.encoding);
      s = 0;
      e = text.length;
    }
    this.add(text, s, e);
  }

  private add(text: string, s: number, e: number): void {
    const i = this.index++;
    if (i === 0) {
      if (e - s < 2 || text.charCodeAt(s) !== 0x21 /* ! */) {
        const shown = JSON.stringify(text.slice(s, Math.min(e, s + 40)));
        throw new RouterOSProtocolError('bad_reply', `reply sentence must start with a !type word, got ${shown}`);
      }
      this.type = text.slice(s, e);
      return;
    }
    const c = text.charCodeAt(s);
    if (c === 0x3d /* = */) {
      let name = i < KEY_CACHE_SIZE ? this.keys[i]! : '';
      let eq = s + 1 + name.length;
      if (!(name.length > 0 && eq < e && text.charCodeAt(eq) === 0x3d && text.startsWith(name, s + 1))) {
        eq = text.indexOf('=', s + 1);
        if (eq < 0 || eq >= e) eq = e;
        name = text.slice(s + 1, eq);
        // Kept as the internalized copy: a slice of the chunk's text would keep all of that text alive.
        if (i < KEY_CACHE_SIZE) this.keys[i] = name = internalized(name);
      }
      const value = eq >= e ? '' : text.slice(eq + 1, e);
      if (name.length === 9 && name === '__proto__') {
        Object.defineProperty(this.attrs, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        this.attrs[name] = value;
      }
    } else if (c === 0x2e /* . */) {
      let eq = text.indexOf('=', s);
      if (eq < 0 || eq >= e) eq = e;
      const name = text.slice(s, eq);
      const value = eq >= e ? '' : text.slice(eq + 1, e);
      if (name === '.tag') this.tag = value;
      else this.attrs[name] = value;
    } else {
      if (this.bare === undefined) this.bare = [];
      this.bare.push(text.slice(s, e));
    }
  }

  protected take(bytes: number): Reply {
    const words = this.index;
    const reply: Reply = {
      type: this.type,
      tag: this.tag,
      attrs: this.attrs,
      bare: this.bare ?? NO_WORDS,
      bytes,
      words,
    };
    this.index = 0;
    this.type = '';
    this.tag = undefined;
    this.attrs = {};
    this.bare = undefined;
    return reply;
  }
}
