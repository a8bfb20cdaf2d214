import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// SRP-6a as pinned by issue 6 (docs/AUTH.md). Integers are big-endian; PAD(x) left-pads to the byte length of N.
// The group and hash are parameters so the core can also be checked against RFC 5054's 1024-bit/SHA-1 vectors.

export type SrpGroup = { N: bigint; g: bigint; bytes: number; hash: 'sha256' | 'sha1' };

/** RFC 5054 Appendix A, 3072-bit group (the same prime as RFC 3526 group 15), g = 5. */
export const GROUP_3072: SrpGroup = {
  N: BigInt(
    '0x' +
      'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
      'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
      'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
      '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
      'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
      '15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7' +
      'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c' +
      'bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff',
  ),
  g: 5n,
  bytes: 384,
  hash: 'sha256',
};

/** Bad protocol input from a client (A ≡ 0, u = 0, malformed numbers). Callers answer it like a wrong password. */
export class SrpError extends Error {
  constructor(readonly reason: 'bad_A' | 'bad_u' | 'bad_number') {
    super(`SRP: ${reason}`);
    this.name = 'SrpError';
  }
}

export const H = (group: SrpGroup, ...parts: Uint8Array[]): Buffer => {
  const h = createHash(group.hash);
  for (const p of parts) h.update(p);
  return h.digest();
};

export const toBigInt = (b: Uint8Array): bigint =>
  b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);

/** The minimal big-endian bytes of a non-negative integer (0 → one zero byte). */
export function toBytes(x: bigint): Buffer {
  if (x < 0n) throw new RangeError('negative integer');
  const hex = x.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

export function pad(group: SrpGroup, x: bigint): Buffer {
  const b = toBytes(x);
  if (b.length > group.bytes) throw new SrpError('bad_number');
  return Buffer.concat([Buffer.alloc(group.bytes - b.length), b]);
}

/** base^exp mod m by square-and-multiply; bigint has no built-in modpow. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
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
