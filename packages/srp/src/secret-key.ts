import type { Bytes } from './bytes.js';
import { randomBytes } from './webcrypto.js';

// The Secret Key: 16 random bytes shown as `A3-` + 26 Crockford base32 characters, grouped 6-5-5-5-5
// (docs/AUTH.md, "The Secret Key").
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'A3';

export class SecretKeyFormatError extends Error {
  constructor(detail: string) {
    super(`Secret Key: ${detail}`);
    this.name = 'SecretKeyFormatError';
  }
}

export const newSecretKey = (): Bytes => randomBytes(16);

/** 16 bytes → `A3-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX` (128 bits plus two zero bits make 26 characters). */
export function formatSecretKey(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new SecretKeyFormatError('must be 16 bytes');
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  bits <<= 2n;
  let chars = '';
  for (let i = 25; i >= 0; i--) chars += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  const groups = [chars.slice(0, 6), chars.slice(6, 11), chars.slice(11, 16), chars.slice(16, 21), chars.slice(21)];
  return [PREFIX, ...groups].join('-');
}

/** Accepts any case, dashes and spaces; O reads as 0, I and L as 1. The `A3` prefix is optional. */
export function parseSecretKey(text: string): Bytes {
  if (typeof text !== 'string') throw new SecretKeyFormatError('expected text');
  let s = text.toUpperCase().replace(/[\s-]/g, '');
  if (s.length === 28 && s.startsWith(PREFIX)) s = s.slice(2);
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 26) throw new SecretKeyFormatError('expected 26 characters after A3-');
  let bits = 0n;
  for (const c of s) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new SecretKeyFormatError(`"${c}" is not a Secret Key character`);
    bits = (bits << 5n) | BigInt(v);
  }
  if (bits & 3n) throw new SecretKeyFormatError('last character is not valid (check for a typo)');
  bits >>= 2n;
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
}
