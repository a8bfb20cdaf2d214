import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, formatSecretKey, newSecretKey, parseSecretKey, SecretKeyFormatError } from '../src/index.js';

describe('Secret Key format', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i);

  it('writes bytes 00..0f as the document says', () => {
    expect(formatSecretKey(key)).toBe('A3-000G40-R40M3-0E209-185GR-38E1W');
  });

  it('formats 16 bytes as A3- and 26 Crockford characters and parses them back leniently', () => {
    const text = formatSecretKey(key);
    expect(text).toMatch(/^A3-[0-9A-HJKMNP-TV-Z]{6}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    expect(parseSecretKey(text)).toEqual(key);
    expect(parseSecretKey(text.toLowerCase().replace(/-/g, ' '))).toEqual(key);
    expect(parseSecretKey(text.slice(3).replace(/0/g, 'o').replace(/1/g, 'l'))).toEqual(key);
    expect(parseSecretKey(`  ${text.replace(/-/g, '')}  `)).toEqual(key);
  });

  it('round-trips any 16 bytes; newSecretKey makes fresh 16-byte keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        expect(bytesToHex(parseSecretKey(formatSecretKey(b)))).toBe(bytesToHex(b));
      }),
    );
    const a = newSecretKey();
    expect(a).toHaveLength(16);
    expect(bytesToHex(a)).not.toBe(bytesToHex(newSecretKey()));
  });

  it('rejects wrong lengths, foreign characters and non-zero padding bits with SecretKeyFormatError', () => {
    const text = formatSecretKey(key);
    for (const bad of [
      'A3-ABC',
      '',
      `${text}0`,
      text.replace('G', 'U'),
      `${text.slice(0, -1)}U`,
      `${text.slice(0, -1)}X`,
    ])
      expect(() => parseSecretKey(bad), bad).toThrow(SecretKeyFormatError);
    expect(() => formatSecretKey(new Uint8Array(15))).toThrow(SecretKeyFormatError);
  });
});
