import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeWord,
  encodedLength,
  encodeSentence,
  fatalReason,
  findTag,
  parseReply,
  parseReplyBytes,
  ReplyDecoder,
  RouterOSProtocolError,
  SentenceDecoder,
  TextSentenceDecoder,
  trapInfo,
  type WordEncoding,
} from '../src/index.js';

/** Obviously-correct reference for `=name=value` parsing. */
function reference(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words.slice(1)) {
    if (!w.startsWith('=')) continue;
    const rest = w.slice(1);
    const i = rest.indexOf('=');
    const [k, v] = i < 0 ? [rest, ''] : [rest.slice(0, i), rest.slice(i + 1)];
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe('parseReply', () => {
  it('parses types, attributes with = in values, empty values, tags anywhere, fatal reasons', () => {
    const r = parseReply(['!re', '.tag=12', '=comment=a=b', '=empty=', '=flag', '.section=2']);
    expect(r.type).toBe('!re');
    expect(r.tag).toBe('12');
    expect(r.attrs).toEqual({ comment: 'a=b', empty: '', flag: '', '.section': '2' });
    expect(findTag(['!done', '.tag=x', '=ret=*1'])).toBe('x');
    expect(findTag(['!done'])).toBeUndefined();
    expect(fatalReason(parseReply(['!fatal', 'session terminated on request']))).toBe('session terminated on request');
    expect(trapInfo(parseReply(['!trap', '=category=2', '=message=interrupted']))).toEqual({
      category: 2,
      message: 'interrupted',
    });
    expect(trapInfo(parseReply(['!trap', '=message=cannot log in']))).toEqual({
      category: undefined,
      message: 'cannot log in',
    });
  });

  it('keeps =__proto__= an own property instead of changing the prototype', () => {
    const r = parseReply(['!re', '=__proto__=x', '=a=1']);
    expect(Object.getPrototypeOf(r.attrs)).toBe(Object.prototype);
    expect(Object.keys(r.attrs)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(r.attrs, '__proto__')?.value).toBe('x');
  });

  it('rejects sentences that are not replies', () => {
    expect(() => parseReply(['=a=b'])).toThrow(RouterOSProtocolError);
    expect(() => parseReply([])).toThrow(/!type/);
  });

  it('matches a reference parser on random keys, including shared prefixes and changing key orders', () => {
    const key = fc.oneof(
      fc.constantFrom('name', 'names', 'nam', 'rx-byte', 'rx-bytes', 'a', '.id', 'n=x'),
      fc.string({ minLength: 1, maxLength: 6 }),
    );
    const attr = fc.tuple(key, fc.string({ maxLength: 8 })).map(([k, v]) => `=${k}=${v}`);
    const sentence = fc.array(attr, { maxLength: 10 }).map((a) => ['!re', ...a]);
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 6 }), (sentences) => {
        // Consecutive sentences exercise the key reuse across replies.
        for (const s of sentences) expect(parseReply(s).attrs).toEqual(reference(s));
      }),
      { numRuns: 500 },
    );
  });
});

describe('TextSentenceDecoder', () => {
  const encodings: WordEncoding[] = ['win1252', 'latin1', 'utf8'];

  it('gives the same words as SentenceDecoder + decodeWord for any split and any encoding', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom(...encodings),
        (sentences, cuts, encoding) => {
          const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s.map((w) => Buffer.from(w)))));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          const text = new TextSentenceDecoder(encoding);
          const raw = new SentenceDecoder();
          const got: string[][] = [];
          const want: string[][] = [];
          for (const c of chunks) {
            got.push(...text.push(c));
            want.push(...raw.push(c).map((s) => s.map((w) => decodeWord(w, encoding))));
          }
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes win1252 bytes in a chunk that mixes plain and 0x80-0x9F words', () => {
    const bytes = encodeSentence([Buffer.from('!re'), Buffer.from([0x3d, 0x61, 0x3d, 0x80]), Buffer.from('=b=plain')]);
    const [s] = new TextSentenceDecoder().push(bytes);
    expect(s).toEqual(['!re', '=a=€', '=b=plain']);
    expect(parseReplyBytes(new SentenceDecoder().push(bytes)[0]!).attrs).toEqual({ a: '€', b: 'plain' });
  });
});

describe('ReplyDecoder', () => {
  const key = fc.oneof(
    fc.constantFrom('name', 'names', 'nam', 'rx-byte', '.id', 'comment', '__proto__'),
    fc.string({ minLength: 1, maxLength: 5 }),
  );
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.constantFrom('€uro', 'a=b=c', ''),
  );
  const word = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(key, value).map(([k, v]) => `=${k}=${v}`) },
    { weight: 1, arbitrary: key.map((k) => `=${k}`) },
    { weight: 1, arbitrary: fc.nat(999).map((n) => `.tag=${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('.section=1', 'bare reason', '.about') },
  );
  const reply = fc.tuple(
    fc.constantFrom('!re', '!done', '!trap', '!fatal', '!empty'),
    fc.array(word, { maxLength: 8 }),
  );

  it('equals TextSentenceDecoder + parseReply for any split, encoding and key order', () => {
    fc.assert(
      fc.property(
        fc.array(reply, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 25 }),
        fc.constantFrom<WordEncoding>('win1252', 'latin1', 'utf8'),
        (replies, cuts, encoding) => {
          const sentences = replies.map(([t, ws]) => [t, ...ws]);
          let bytes: Buffer;
          try {
            bytes = Buffer.concat(sentences.map((s) => encodeSentence(s, encoding)));
          } catch {
            return; // text the encoding cannot hold: nothing to decode
          }
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          const direct = new ReplyDecoder(encoding);
          const viaText = new TextSentenceDecoder(encoding);
          const got: unknown[] = [];
          const want: unknown[] = [];
          let n = 0;
          for (const c of chunks) {
            got.push(...direct.push(c).map((r) => ({ ...r, attrs: { ...r.attrs }, bare: [...r.bare] })));
            want.push(
              ...viaText.push(c).map((s) => {
                const r = parseReply(s);
                // ReplyDecoder also reports the sentence's size (what reply limits count).
                const sentence = sentences[n++]!;
                const bytes = sentence.reduce((sum, w) => sum + encodedLength(w, encoding), 0);
                return { ...r, attrs: { ...r.attrs }, bare: [...r.bare], bytes, words: sentence.length };
              }),
            );
          }
          expect(got).toEqual(want);
          expect(got).toHaveLength(sentences.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rejects a sentence that does not start with a reply type', () => {
    const d = new ReplyDecoder();
    expect(() => d.push(encodeSentence(['=name=x']))).toThrow(RouterOSProtocolError);
    expect(() => d.push(encodeSentence(['!done']))).toThrow(/!type/);
  });
});

describe('fuzz: random bytes into ReplyDecoder', () => {
  it('only ever throws RouterOSProtocolError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1500 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.constantFrom<WordEncoding>('win1252', 'latin1', 'utf8'),
        (data, cuts, encoding) => {
          const bytes = Buffer.from(data);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const d = new ReplyDecoder(encoding, { maxWordBytes: 1 << 20 });
          let prev = 0;
          try {
            for (const p of [...points, bytes.length]) {
              d.push(bytes.subarray(prev, p));
              prev = p;
            }
          } catch (e) {
            expect(e).toBeInstanceOf(RouterOSProtocolError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
