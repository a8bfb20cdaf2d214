import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { bigIntToBytes, bytesToBigInt, GROUP_3072, modPow, type SrpGroup } from '@tod/srp';

// The server's side of SRP-6a as pinned by docs/AUTH.md. The group and the big-integer helpers come from
// @tod/srp (the client the browser runs); hashing stays synchronous node:crypto so a request does not bounce
// through WebCrypto's promise queue. The group is a parameter so tests can check against RFC 5054's vectors.

export { GROUP_3072, modPow, type SrpGroup };

/** Bad protocol input from a client (A ≡ 0, u = 0, malformed numbers). Callers answer it like a wrong password. */
export class SrpError extends Error {
  constructor(readonly reason: 'bad_A' | 'bad_u' | 'bad_number') {
    super(`SRP: ${reason}`);
    this.name = 'SrpError';
  }
}

const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-1': 'sha1' } as const;

export const H = (group: SrpGroup, ...parts: Uint8Array[]): Buffer => {
  const h = createHash(NODE_HASH[group.hash]);
  for (const p of parts) h.update(p);
  return h.digest();
};

export const toBigInt = (b: Uint8Array): bigint => bytesToBigInt(b);

/** PAD(x): x left-padded to the byte length of N; too long (or negative) is the client's fault. */
export function pad(group: SrpGroup, x: bigint): Buffer {
  if (x < 0n) throw new SrpError('bad_number');
  const b = bigIntToBytes(x);
  if (b.length > group.bytes) throw new SrpError('bad_number');
  const out = Buffer.alloc(group.bytes);
  out.set(b, group.bytes - b.length);
  return out;
}

export const multiplier = (group: SrpGroup) => toBigInt(H(group, pad(group, group.N), pad(group, group.g)));

export function scramble(group: SrpGroup, A: bigint, B: bigint): bigint {
  const u = toBigInt(H(group, pad(group, A), pad(group, B)));
  if (u === 0n) throw new SrpError('bad_u');
  return u;
}

/** B = (k·v + g^b) mod N. */
export const serverPublic = (group: SrpGroup, v: bigint, b: bigint) =>
  (multiplier(group) * v + modPow(group.g, b, group.N)) % group.N;

/** A fresh 256-bit private exponent (never 0). */
export function randomExponent(): bigint {
  for (;;) {
    const x = toBigInt(randomBytes(32));
    if (x !== 0n) return x;
  }
}

/** M1 = H( (H(PAD(N)) XOR H(PAD(g))) ‖ H(I) ‖ s ‖ PAD(A) ‖ PAD(B) ‖ K ). */
export function clientProof(
  group: SrpGroup,
  p: { I: Uint8Array; salt: Uint8Array; A: bigint; B: bigint; K: Uint8Array },
): Buffer {
  const hN = H(group, pad(group, group.N));
  const hg = H(group, pad(group, group.g));
  const x = Buffer.alloc(hN.length);
  for (let i = 0; i < hN.length; i++) x[i] = hN[i]! ^ hg[i]!;
  return H(group, x, H(group, p.I), p.salt, pad(group, p.A), pad(group, p.B), p.K);
}

/** M2 = H(PAD(A) ‖ M1 ‖ K). */
export const serverProof = (group: SrpGroup, A: bigint, M1: Uint8Array, K: Uint8Array) =>
  H(group, pad(group, A), M1, K);

/** The server's premaster secret S = (A·v^u)^b mod N; rejects A ≡ 0 mod N and u = 0. */
export function serverSecret(group: SrpGroup, p: { A: bigint; B: bigint; b: bigint; v: bigint }): bigint {
  if (p.A % group.N === 0n) throw new SrpError('bad_A');
  const u = scramble(group, p.A, p.B);
  return modPow((p.A * modPow(p.v, u, group.N)) % group.N, p.b, group.N);
}

/**
 * The server side of the proof check: returns M2 when the client's M1 matches, undefined otherwise.
 * Throws SrpError for protocol violations (A ≡ 0, u = 0).
 */
export function verifyClient(
  group: SrpGroup,
  p: { I: Uint8Array; salt: Uint8Array; A: bigint; B: bigint; b: bigint; v: bigint; M1: Uint8Array },
): Buffer | undefined {
  const S = serverSecret(group, p);
  const K = H(group, pad(group, S));
  const expected = clientProof(group, { I: p.I, salt: p.salt, A: p.A, B: p.B, K });
  if (p.M1.length !== expected.length || !timingSafeEqual(p.M1, expected)) return undefined;
  return serverProof(group, p.A, expected, K);
}

/** I: the email, trimmed and lower-cased, as UTF-8. */
export const identity = (email: string) => Buffer.from(email.trim().toLowerCase(), 'utf8');
