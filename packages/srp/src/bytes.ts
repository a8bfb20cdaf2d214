import { SrpClientError } from './errors.js';
import type { SrpGroup } from './group.js';

// Byte and big-integer helpers. Integers are unsigned big-endian throughout (docs/AUTH.md, Notation).
// Return types are Uint8Array<ArrayBuffer> so results can go straight to WebCrypto under the DOM typings.

export type Bytes = Uint8Array<ArrayBuffer>;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function hexToBytes(hex: string): Bytes {
  if (typeof hex !== 'string' || !HEX.test(hex))
    throw new SrpClientError('bad_hex', 'expected an even-length hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export const bytesToBigInt = (bytes: Uint8Array): bigint =>
  bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);

/** The minimal big-endian bytes of a non-negative integer (0 → one zero byte). */
export function bigIntToBytes(x: bigint): Bytes {
  if (x < 0n) throw new SrpClientError('bad_number', 'negative integer');
  const hex = x.toString(16);
  return hexToBytes(hex.length % 2 ? `0${hex}` : hex);
}

/** PAD(x): x left-padded with zero bytes to the byte length of N. */
export function pad(group: SrpGroup, x: bigint): Bytes {
  const b = bigIntToBytes(x);
  if (b.length > group.bytes) throw new SrpClientError('bad_number', `integer longer than ${group.bytes} bytes`);
  const out = new Uint8Array(group.bytes);
  out.set(b, group.bytes - b.length);
  return out;
}

/** base^exp mod m by square-and-multiply; BigInt has no built-in modular power. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m <= 0n || exp < 0n) throw new SrpClientError('bad_number', 'modPow needs m > 0 and exp >= 0');
  if (m === 1n) return 0n;
  let result = 1n;
  let b = ((base % m) + m) % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    e >>= 1n;
    b = (b * b) % m;
  }
  return result;
}

export function xor(a: Uint8Array, b: Uint8Array): Bytes {
  if (a.length !== b.length) throw new RangeError('xor: lengths differ');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Compares without an early exit, so timing does not reveal where two proofs differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
