// The decoder against a peer that announces more than it sends: memory follows the bytes that arrived, words and
// sentences are capped, and long words cut at random places still decode exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_SENTENCE_BYTES,
  DEFAULT_MAX_WORD_BYTES,
  encodeLength,
  encodeSentence,
  encodeWord,
  REPLY_WORD_OVERHEAD,
  ReplyDecoder,
  RouterOSProtocolError,
  replySize,
  SentenceDecoder,
} from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RouterOSProtocolError);
    return (e as RouterOSProtocolError).code;
  }
  return undefined;
}

describe('a word announced but not (yet) sent', () => {
  it('costs what arrived, not what was announced', () => {
    const d = new SentenceDecoder({ maxWordBytes: 16 << 20 });
    // The 5-byte form (0xF0 + 4 bytes) announcing 16 MiB, then 1 KiB of it.
    const prefix = Buffer.from([0xf0, 0x01, 0x00, 0x00, 0x00]);
    d.push(Buffer.concat([encodeWord('!re'), prefix, Buffer.alloc(1024, 0x61)]));
    expect(d.bufferedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(d.idle).toBe(false);
    // Trickling in: the buffer stays within twice what arrived.
    let arrived = 1024;
    for (let i = 0; i < 200; i++) {
      d.push(Buffer.alloc(4096, 0x62));
      arrived += 4096;
      expect(d.bufferedBytes).toBeLessThanOrEqual(Math.max(64 * 1024, 2 * arrived));
    }
  });

  it('a word cut across chunks up to 64 KiB gets one buffer of its exact size', () => {
    const d = new SentenceDecoder();
    d.push(Buffer.concat([encodeLength(60_000), Buffer.alloc(10)]));
    expect(d.bufferedBytes).toBe(60_000);
  });

  it('over the word limit fails on the announcement, before any body byte', () => {
    expect(DEFAULT_MAX_WORD_BYTES).toBe(8 << 20);
    const d = new SentenceDecoder();
    expect(codeOf(() => d.push(encodeLength(DEFAULT_MAX_WORD_BYTES + 1)))).toBe('word_too_long');
    expect(d.bufferedBytes).toBe(0);
  });

  it('keeps no chunk between pushes: an idle session holds none of the bytes it read', () => {
    const d = new ReplyDecoder();
    const chunk = Buffer.concat([
      encodeSentence(['!re', '=last-link-up-time=2026-12-04 10:00:00', '=name=ether1']),
      encodeSentence(['!done']),
    ]);
    const [row] = d.push(chunk);
    expect(row!.attrs).toEqual({ 'last-link-up-time': '2026-12-04 10:00:00', name: 'ether1' });
    const held = d as unknown as { chunk: Buffer | null; chunkText: string };
    expect(held.chunk).toBeNull();
    expect(held.chunkText).toBe('');
    // The next reply decodes the same (the attribute names it remembers are its own copies).
    expect(d.push(chunk)[0]!.attrs).toEqual(row!.attrs);
  });

  it('discard() drops the partial word and refuses further input', () => {
    const d = new ReplyDecoder();
    d.push(Buffer.concat([encodeWord('!re'), encodeWord('=a=b'), encodeLength(100_000), Buffer.alloc(500)]));
    expect(d.bufferedBytes).toBeGreaterThan(0);
    d.discard();
    expect(d.bufferedBytes).toBe(0);
    expect(d.idle).toBe(true);
    expect(codeOf(() => d.push(encodeSentence(['!done'])))).toBe('discarded');
  });
});

describe('sentence size limit', () => {
  it('many mid-size words in one sentence: sentence_too_large once the sum would pass the limit', () => {
    const d = new SentenceDecoder({ maxWordBytes: 1 << 20, maxSentenceBytes: 4 << 20 });
    const word = encodeWord(Buffer.alloc(1 << 20, 0x7a));
    d.push(encodeWord('!re'));
    for (let i = 0; i < 3; i++) d.push(word); // 3 MiB + 3 bytes
    // The fourth announcement would take the sentence past 4 MiB: refused before its body arrives.
    expect(codeOf(() => d.push(encodeLength(1 << 20)))).toBe('sentence_too_large');
  });

  it('the limit is per sentence: the count starts again after each terminator', () => {
    const d = new SentenceDecoder({ maxWordBytes: 1 << 20, maxSentenceBytes: 2 << 20 });
    const s = encodeSentence([Buffer.alloc(1 << 20), Buffer.alloc((1 << 20) - 10)]);
    for (let i = 0; i < 5; i++) expect(d.push(s)).toHaveLength(1);
  });

  it('defaults to twice the word limit (16 MiB)', () => {
    expect(DEFAULT_MAX_SENTENCE_BYTES).toBe(16 << 20);
    const d = new SentenceDecoder({ maxWordBytes: 32 << 20 });
    d.push(Buffer.concat([encodeWord('!re'), encodeLength(32 << 20)]));
    expect(codeOf(() => d.push(Buffer.alloc(1)))).toBeUndefined();
    const e = new SentenceDecoder();
    e.push(Buffer.concat([encodeLength(8 << 20), Buffer.alloc(1)]));
    expect(codeOf(() => e.push(Buffer.concat([Buffer.alloc((8 << 20) - 1), encodeLength(8 << 20)])))).toBeUndefined();
    expect(codeOf(() => e.push(Buffer.concat([Buffer.alloc(8 << 20), encodeLength(1)])))).toBe('sentence_too_large');
  });

  it('ReplyDecoder reports the bytes and words of each sentence; replySize adds the per-word overhead', () => {
    const d = new ReplyDecoder();
    const [a, b] = d.push(Buffer.concat([encodeSentence(['!re', '=name=x', '.tag=1']), encodeSentence(['!done'])]));
    expect(a).toMatchObject({ bytes: 3 + 7 + 6, words: 3 });
    expect(b).toMatchObject({ bytes: 5, words: 1 });
    expect(replySize(a!)).toBe(16 + 3 * REPLY_WORD_OVERHEAD);
  });
});

describe('long words at random splits (property)', () => {
  // Words past the exact-allocation size take the growing-buffer path; contents are a pattern so they can be big
  // without fast-check generating every byte.
  const pattern = (n: number, seed: number) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
    return b;
  };
  it('decode exactly whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 300_000 }), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (specs, cuts) => {
          const words = specs.map(([n, seed]) => pattern(n, seed));
          const bytes = encodeSentence([Buffer.from('!re'), ...words]);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const d = new SentenceDecoder();
          const got: Buffer[][] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            got.push(...d.push(bytes.subarray(prev, p)));
            prev = p;
          }
          expect(got).toHaveLength(1);
          expect(got[0]!.slice(1).map((w) => w.length)).toEqual(words.map((w) => w.length));
          for (let i = 0; i < words.length; i++) expect(got[0]![i + 1]!.equals(words[i]!)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
