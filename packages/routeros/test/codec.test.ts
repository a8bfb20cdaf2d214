import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeWord,
  encodeLength,
  encodeSentence,
  encodeText,
  encodeWord,
  RouterOSProtocolError,
  SentenceDecoder,
} from '../src/index.js';

function decodeAll(chunks: Buffer[], opts?: ConstructorParameters<typeof SentenceDecoder>[0]): Buffer[][] {
  const d = new SentenceDecoder(opts);
  const out: Buffer[][] = [];
  for (const c of chunks) out.push(...d.push(c));
  return out;
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(buf.subarray(prev, p));
    prev = p;
  }
  parts.push(buf.subarray(prev));
  return parts;
}

describe('length prefixes', () => {
  const cases: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [0x7f, '7f'],
    [0x80, '8080'],
    [0x3fff, 'bfff'],
    [0x4000, 'c04000'],
    [0x1fffff, 'dfffff'],
    [0x200000, 'e0200000'],
    [0xfffffff, 'efffffff'],
    [0x10000000, 'f010000000'],
    [0xffffffff, 'f0ffffffff'],
  ];
  it.each(cases)('encodes %i as %s', (n, hex) => {
    expect(encodeLength(n).toString('hex')).toBe(hex);
  });

  it('rejects lengths that cannot be encoded', () => {
    for (const n of [-1, 0x100000000, 1.5, Number.NaN]) {
      expect(() => encodeLength(n)).toThrow(RouterOSProtocolError);
    }
  });

  it('decodes every prefix size back (via a header-only stream with limits out of the way)', () => {
    // Prefixes of 1..4 bytes with real bodies; the 5-byte form with a body too large to allocate is checked
    // through the size limit error, which proves the length was read correctly.
    for (const n of [0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000]) {
      const word = Buffer.alloc(n, 0x61);
      const [s] = decodeAll([encodeSentence([word])], { maxWordBytes: n });
      expect(s?.[0]?.length).toBe(n);
    }
    const five = Buffer.concat([encodeLength(0x10000001), Buffer.alloc(3)]);
    expect(() => decodeAll([five], { maxWordBytes: 0x10000000 })).toThrow(/268435457 bytes/);
    const four = encodeLength(0xfffffff);
    expect(() => decodeAll([four], { maxWordBytes: 0xffffffe })).toThrow(/268435455 bytes/);
  });
});

describe('sentences', () => {
  it('encodes words and the terminator', () => {
    expect(encodeSentence(['/login', '=name=a']).toString('hex')).toBe(
      `06${Buffer.from('/login').toString('hex')}07${Buffer.from('=name=a').toString('hex')}00`,
    );
    expect(encodeWord('abc').toString('hex')).toBe('03616263');
  });

  it('decodes several sentences from one chunk and skips empty sentences', () => {
    const bytes = Buffer.concat([
      encodeSentence(['!re', '=name=ether1']),
      Buffer.from([0]),
      encodeSentence(['!done', '.tag=7']),
    ]);
    const out = decodeAll([bytes]).map((s) => s.map((w) => w.toString()));
    expect(out).toEqual([
      ['!re', '=name=ether1'],
      ['!done', '.tag=7'],
    ]);
  });

  it('keeps binary values byte-exact', () => {
    const bin = Buffer.from([0, 1, 0xf8, 0xff, 0x80, 0x0a]);
    const [s] = decodeAll([encodeSentence([Buffer.from('=v='), bin])]);
    expect(s?.[1]?.equals(bin)).toBe(true);
  });

  it('rejects control bytes >= 0xF8 and reserved prefixes, then stays failed', () => {
    for (const b of [0xf8, 0xfb, 0xff]) {
      const d = new SentenceDecoder();
      let err: unknown;
      try {
        d.push(Buffer.concat([encodeWord('!re'), Buffer.from([b])]));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RouterOSProtocolError);
      expect((err as RouterOSProtocolError).code).toBe('control_byte');
      expect(() => d.push(encodeSentence(['!done']))).toThrow(RouterOSProtocolError);
    }
    expect(() => decodeAll([Buffer.from([0xf3, 0, 0, 0, 1])])).toThrow(/invalid length prefix/);
  });

  it('enforces word and sentence limits with typed errors', () => {
    const big = encodeSentence(['x'.repeat(1000)]);
    try {
      decodeAll([big], { maxWordBytes: 999 });
      expect.unreachable();
    } catch (e) {
      expect((e as RouterOSProtocolError).code).toBe('word_too_long');
    }
    try {
      decodeAll([encodeSentence(['a', 'b', 'c'])], { maxSentenceWords: 2 });
      expect.unreachable();
    } catch (e) {
      expect((e as RouterOSProtocolError).code).toBe('sentence_too_long');
    }
  });
});

describe('text encodings', () => {
  it('win1252 maps 0x80-0x9F to their real characters and latin1 does not', () => {
    const bytes = Buffer.from([0x80, 0x8a, 0x99, 0x9f, 0xe9, 0x41]);
    expect(decodeWord(bytes)).toBe('€Š™Ÿ\u00e9A');
    expect(decodeWord(bytes, 'latin1')).toBe('\u0080\u008a\u0099\u009f\u00e9A');
    expect(encodeText('€Š™Ÿé').toString('hex')).toBe('808a999fe9');
  });

  it('every byte round-trips through win1252 and latin1', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (const enc of ['win1252', 'latin1'] as const) {
      expect(encodeText(decodeWord(all, enc), enc).equals(all)).toBe(true);
    }
  });

  it('utf8 is available per device', () => {
    expect(encodeText('ž€', 'utf8').toString('hex')).toBe('c5bee282ac');
    expect(decodeWord(Buffer.from('c5bee282ac', 'hex'), 'utf8')).toBe('ž€');
  });

  it('refuses characters the code page cannot hold instead of writing "?"', () => {
    expect(() => encodeSentence(['=comment=日本'])).toThrow(/U\+65E5 cannot be represented in win1252/);
    expect(() => encodeText('€', 'latin1')).toThrow(RouterOSProtocolError);
  });
});

const wordArb = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 100, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 16_380, maxLength: 16_400 }) },
);
const streamArb = fc.array(fc.array(wordArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 });

describe('incremental decoding (property)', () => {
  it('any split of the byte stream yields the same sentences', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 40 }), (sentences, cuts) => {
        const expected = sentences.map((s) => s.map((w) => Buffer.from(w)));
        const bytes = Buffer.concat(expected.map((s) => encodeSentence(s)));
        const got = decodeAll(splitAt(bytes, cuts));
        expect(got.map((s) => s.map((w) => w.toString('hex')))).toEqual(
          expected.map((s) => s.map((w) => w.toString('hex'))),
        );
      }),
      { numRuns: 300 },
    );
  }, 60_000); // CPU-bound: slow on a loaded machine, not wrong

  it('byte-at-a-time feeding works (every prefix split, incl. 5-byte lengths and large words)', () => {
    const words = [Buffer.alloc(0x4000, 1), Buffer.alloc(0x7f, 2), Buffer.from('=a=b')];
    const bytes = encodeSentence(words);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const [s] = decodeAll(chunks);
    expect(s?.map((w) => w.length)).toEqual([0x4000, 0x7f, 4]);
    // A 5-byte prefix cut at every position: length 0x10000000 is over the limit, so we see the error right
    // after the fifth prefix byte, never before.
    const prefix = encodeLength(0x10000000);
    for (let cut = 1; cut < 5; cut++) {
      const d = new SentenceDecoder({ maxWordBytes: 10 });
      expect(d.push(prefix.subarray(0, cut))).toEqual([]);
      expect(() => d.push(prefix.subarray(cut))).toThrow(/268435456 bytes/);
    }
  });

  it('returns the same words as strings with random text and splits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ minLength: 1, maxLength: 30, unit: 'binary-ascii' }), { minLength: 1 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (sentences, cuts) => {
          const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));
          const got = decodeAll(splitAt(bytes, cuts)).map((s) => s.map((w) => decodeWord(w)));
          expect(got).toEqual(sentences);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('fuzz: random bytes', () => {
  it('either decodes or throws a RouterOSProtocolError; never anything else, never hangs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 20 }), (data, cuts) => {
        const d = new SentenceDecoder({ maxWordBytes: 1 << 20, maxSentenceWords: 1000 });
        try {
          for (const c of splitAt(Buffer.from(data), cuts)) d.push(c);
        } catch (e) {
          expect(e).toBeInstanceOf(RouterOSProtocolError);
          expect(['control_byte', 'bad_length', 'word_too_long', 'sentence_too_long', 'sentence_too_large']).toContain(
            (e as RouterOSProtocolError).code,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('words from random bytes decode to text in every encoding without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        const b = Buffer.from(data);
        for (const enc of ['win1252', 'latin1', 'utf8'] as const) expect(typeof decodeWord(b, enc)).toBe('string');
      }),
    );
  });
});
