// Turning decoded sentences into replies. Reply words: the type (`!re`, `!done`, `!trap`, `!fatal`, `!empty`),
// attribute words `=name=value` (the value may itself contain `=` and may be empty), API attribute words such as
// `.tag=5` (which may appear anywhere in the sentence), and for `!fatal` a bare reason word.

import { decodeWord, type WordEncoding } from './encoding.js';
import { RouterOSProtocolError } from './errors.js';

export type ReplyType = '!re' | '!done' | '!trap' | '!fatal' | '!empty';

export type Row = Record<string, string>;

export interface Reply {
  type: ReplyType | (string & {});
  tag: string | undefined;
  /** `=name=value` words (and `.name=value` API words other than `.tag`, keyed with their dot). */
  attrs: Row;
  /** Words that are neither attributes nor API words: the reason of a `!fatal`. Do not mutate. */
  bare: readonly string[];
  /** Bytes of the sentence's words as received (set by ReplyDecoder). */
  bytes?: number;
  /** Number of words in the sentence (set by ReplyDecoder). */
  words?: number;
}

/**
 * What a word costs in memory beyond its text (key string, property slot, hidden class share): measured at 30-70
 * bytes per attribute. Counted by the reply size limits so that a flood of tiny attributes costs its memory,
 * not its few wire bytes (without it, 32 MiB of `=kN=v` words grew the heap by ~270 MB).
 */
export const REPLY_WORD_OVERHEAD = 32;

/** A reply's size as the reply limits count it: its words' bytes plus REPLY_WORD_OVERHEAD per word. */
export function replySize(reply: Reply): number {
  return (reply.bytes ?? 0) + REPLY_WORD_OVERHEAD * (reply.words ?? 0);
}

/** Find the `.tag` of a sentence without parsing the other words (used to route replies cheaply). */
export function findTag(words: readonly string[]): string | undefined {
  // The tag is usually the last word; search from the end.
  for (let i = words.length - 1; i >= 1; i--) {
    const w = words[i]!;
    if (w.charCodeAt(0) === 0x2e /* . */ && w.startsWith('.tag=')) return w.slice(5);
  }
  return undefined;
}

/** Parse a sentence of decoded words into a Reply. Throws RouterOSProtocolError when it is not a reply. */
export function parseReply(words: readonly string[]): Reply {
  const type = words[0];
  if (type === undefined || type.length < 2 || type.charCodeAt(0) !== 0x21 /* ! */) {
    const shown = type === undefined ? 'nothing' : JSON.stringify(type.slice(0, 40));
    throw new RouterOSProtocolError('bad_reply', `reply sentence must start with a !type word, got ${shown}`);
  }
  let tag: string | undefined;
  let bare: string[] | undefined;
  const attrs: Row = {};
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const c = w.charCodeAt(0);
    if (c === 0x3d /* = */) {
      // Replies of one print share their keys in the same order: reuse the key string seen at this position when
      // it matches, so V8 gets an already-internalized key instead of hashing a fresh substring per attribute.
      let name = i < KEY_CACHE_SIZE ? keyCache[i]! : '';
      let eq = name.length + 1;
      if (!(name.length > 0 && w.charCodeAt(eq) === 0x3d && w.startsWith(name, 1))) {
        eq = w.indexOf('=', 1);
        name = eq < 0 ? w.slice(1) : w.slice(1, eq);
        if (i < KEY_CACHE_SIZE) keyCache[i] = name;
      }
      const value = eq < 0 ? '' : w.slice(eq + 1);
      if (name.length === 9 && name === '__proto__') setProto(attrs, value);
      else attrs[name] = value;
    } else if (c === 0x2e /* . */) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      const value = eq < 0 ? '' : w.slice(eq + 1);
      if (name === '.tag') tag = value;
      else attrs[name] = value;
    } else {
      if (bare === undefined) bare = [];
      bare.push(w);
    }
  }
  return { type, tag, attrs, bare: bare ?? NO_WORDS };
}

const NO_WORDS: string[] = [];
const KEY_CACHE_SIZE = 128;
const keyCache: string[] = new Array<string>(KEY_CACHE_SIZE).fill('');

/** `parseReply` for word bytes (from SentenceDecoder), decoding each word with `encoding`. */
export function parseReplyBytes(words: readonly Buffer[], encoding: WordEncoding = 'win1252'): Reply {
  return parseReply(words.map((w) => decodeWord(w, encoding)));
}

// A router (or anything pretending to be one) could send `=__proto__=x`; keep it an own data property.
function setProto(row: Row, value: string): void {
  Object.defineProperty(row, '__proto__', { value, enumerable: true, writable: true, configurable: true });
}

/** A `!trap` as category + message. Category is absent on some traps (e.g. login failures on old versions). */
export function trapInfo(reply: Reply): { category: number | undefined; message: string } {
  const c = reply.attrs.category;
  const n = c === undefined ? Number.NaN : Number(c);
  return { category: Number.isInteger(n) ? n : undefined, message: reply.attrs.message ?? '' };
}

/** The reason of a `!fatal`: RouterOS sends it as a bare word; tolerate `=message=` too. */
export function fatalReason(reply: Reply): string {
  return reply.bare.join(' ') || reply.attrs.message || 'no reason given';
}

/** Receives the replies of one tagged command. `onClose` runs if the connection ends first. */
export interface ReplyHandler {
  onReply(reply: Reply): void;
  onClose(error: Error): void;
}
