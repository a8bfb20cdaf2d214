import { type Bytes, bytesToBigInt, bytesToHex, equalBytes, hexToBytes, modPow, pad } from './bytes.js';
import { SrpClientError } from './errors.js';
import { GROUP_3072, type SrpGroup } from './group.js';
import { deriveX, identity } from './kdf.js';
import { clientProof, clientSecret, multiplier, scramble, serverProof } from './math.js';
import { parseSecretKey } from './secret-key.js';
import { hash, randomBytes } from './webcrypto.js';

// The client side of enrolment and sign-in, written from docs/AUTH.md. The server never sees x, a, or the
// password; it gets the verifier once (enrol) and A and M1 per sign-in.

/** v = g^x mod N. */
export const verifierFor = (x: bigint, group: SrpGroup = GROUP_3072) => modPow(group.g, x, group.N);

/** A fresh 256-bit private exponent (never 0). */
export function randomExponent(): bigint {
  for (;;) {
    const a = bytesToBigInt(randomBytes(32));
    if (a !== 0n) return a;
  }
}

const keyBytes = (k: Uint8Array | string) => (typeof k === 'string' ? parseSecretKey(k) : k);

/** What enrolment sends to POST /api/auth/register-srp: a fresh 16-byte salt and PAD(v), both hex. */
export async function enrol(o: {
  email: string;
  password: string;
  secretKey: Uint8Array | string;
  iterations?: number;
}): Promise<{ salt: string; verifier: string }> {
  const salt = randomBytes(16);
  const x = await deriveX({ ...o, secretKey: keyBytes(o.secretKey), salt });
  return { salt: bytesToHex(salt), verifier: bytesToHex(pad(GROUP_3072, verifierFor(x))) };
}

export type Exchange = { A: bigint; M1: Bytes; K: Bytes; expectedM2: Bytes };

/** The client's half of one exchange, given the server's salt and B and the derived x. */
export async function clientExchange(
  o: { email: string; salt: Uint8Array; B: bigint; x: bigint; a?: bigint },
  group: SrpGroup = GROUP_3072,
): Promise<Exchange> {
  const { N, g } = group;
  // B outside 1..N-1 covers B ≡ 0 (mod N) and values that could never have come from an honest server.
  if (o.B <= 0n || o.B >= N) throw new SrpClientError('bad_B', 'server sent B ≡ 0 (mod N) or B out of range');
  const a = o.a ?? randomExponent();
  const A = modPow(g, a, N);
  const u = await scramble(group, A, o.B);
  if (u === 0n) throw new SrpClientError('bad_u', 'u = 0');
  const k = await multiplier(group);
  const S = clientSecret(group, { B: o.B, x: o.x, a, u, k });
  const K = await hash(group, pad(group, S));
  const M1 = await clientProof(group, { I: identity(o.email), salt: o.salt, A, B: o.B, K });
  return { A, M1, K, expectedM2: await serverProof(group, A, M1, K) };
}

/** What POST /api/auth/srp/init returns, as the client receives it. */
export type SrpInit = { salt: string; B: string; iterations: number };

/**
 * Everything a sign-in page does between `init` and `verify`: derive x, run the exchange, and hex-encode.
 * Send `A` and `M1`; keep `expectedM2` and accept the session only if `checkServerProof` agrees.
 */
export async function signInProof(o: {
  email: string;
  password: string;
  secretKey: Uint8Array | string;
  init: SrpInit;
}): Promise<{ A: string; M1: string; expectedM2: string }> {
  const group = GROUP_3072;
  const salt = hexToBytes(o.init.salt);
  const Bbytes = hexToBytes(o.init.B);
  if (Bbytes.length > group.bytes) throw new SrpClientError('bad_B', `B is longer than ${group.bytes} bytes`);
  const B = bytesToBigInt(Bbytes);
  // Check B before the expensive derivation so a bad server answer fails fast.
  if (B <= 0n || B >= group.N) throw new SrpClientError('bad_B', 'server sent B ≡ 0 (mod N) or B out of range');
  const x = await deriveX({
    email: o.email,
    password: o.password,
    secretKey: keyBytes(o.secretKey),
    salt,
    iterations: o.init.iterations,
  });
  const c = await clientExchange({ email: o.email, salt, B, x }, group);
  return { A: bytesToHex(pad(group, c.A)), M1: bytesToHex(c.M1), expectedM2: bytesToHex(c.expectedM2) };
}

/** True when the server's M2 (hex, any case) equals the expected one; compared without an early exit. */
export function checkServerProof(expectedM2: string, M2: string): boolean {
  try {
    return equalBytes(hexToBytes(expectedM2), hexToBytes(M2));
  } catch {
    return false;
  }
}
