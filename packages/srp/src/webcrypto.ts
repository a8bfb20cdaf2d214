import { type Bytes, concat } from './bytes.js';
import { SrpClientError } from './errors.js';
import type { SrpGroup } from './group.js';

// The only door to platform crypto: WebCrypto, present in Node 20 and in browsers on secure origins
// (https or http://127.0.0.1 / localhost). Anything else gets a clear error instead of a TypeError.

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new SrpClientError('no_webcrypto', 'WebCrypto is unavailable (a browser needs https or localhost)');
  return s;
}

export function randomBytes(n: number): Bytes {
  const c = globalThis.crypto;
  if (!c?.getRandomValues) throw new SrpClientError('no_webcrypto', 'crypto.getRandomValues is unavailable');
  return c.getRandomValues(new Uint8Array(n));
}

/** H(parts…) with the group's hash. */
export async function hash(group: SrpGroup, ...parts: Uint8Array[]): Promise<Bytes> {
  return new Uint8Array(await subtle().digest(group.hash, concat(...parts)));
}

/** HKDF-SHA256 with a 32-byte output. */
export async function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: string): Promise<Bytes> {
  const key = await subtle().importKey('raw', concat(ikm), 'HKDF', false, ['deriveBits']);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: concat(salt), info: new TextEncoder().encode(info) };
  return new Uint8Array(await subtle().deriveBits(params, key, 256));
}

/** PBKDF2-HMAC-SHA256 with a 32-byte output. */
export async function pbkdf2_32(password: Uint8Array, salt: Uint8Array, iterations: number): Promise<Bytes> {
  const key = await subtle().importKey('raw', concat(password), 'PBKDF2', false, ['deriveBits']);
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt: concat(salt), iterations };
  return new Uint8Array(await subtle().deriveBits(params, key, 256));
}
