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
  /** Words that are neither attributes nor API words: the reason of a `!fatal`. */
  bare: string[];
}

const TAG_PREFIX = Buffer.from('.tag=', 'latin1');

/** Find the `.tag` of a sentence without decoding the other words (used to route replies cheaply). */
export function findTag(words: readonly Buffer[]): string | undefined {
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.length >= 5 && w[0] === 0x2e && w[1] === 0x74 && w[2] === 0x61 && w[3] === 0x67 && w[4] === 0x3d) {
      return w.toString('latin1', TAG_PREFIX.length);
    }
  }
  return undefined;
}

/** Decode one sentence into a Reply. Throws RouterOSProtocolError when the first word is not a reply type. */
export function parseReply(words: readonly Buffer[], encoding: WordEncoding = 'win1252'): Reply {
  const first = words[0];
  if (first === undefined || first.length < 2 || first[0] !== 0x21 /* ! */) {
    const shown = first ? JSON.stringify(first.toString('latin1', 0, Math.min(first.length, 40))) : 'nothing';
    throw new RouterOSProtocolError('bad_reply', `reply sentence must start with a !type word, got ${shown}`);
  }
  const reply: Reply = { type: first.toString('latin1'), tag: undefined, attrs: {}, bare: [] };
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.length > 0 && w[0] === 0x3d /* = */) {
      const s = decodeWord(w, encoding);
      const eq = s.indexOf('=', 1);
      if (eq < 0) setAttr(reply.attrs, s.slice(1), '');
      else setAttr(reply.attrs, s.slice(1, eq), s.slice(eq + 1));
    } else if (w.length > 0 && w[0] === 0x2e /* . */) {
      const s = decodeWord(w, encoding);
      const eq = s.indexOf('=');
      const name = eq < 0 ? s : s.slice(0, eq);
      const value = eq < 0 ? '' : s.slice(eq + 1);
      if (name === '.tag') reply.tag = value;
      else setAttr(reply.attrs, name, value);
    } else {
      reply.bare.push(decodeWord(w, encoding));
    }
  }
  return reply;
}

// A router (or anything pretending to be one) could send `=__proto__=x`; keep it an own data property.
function setAttr(row: Row, name: string, value: string): void {
  if (name === '__proto__')
    Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
  else row[name] = value;
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
