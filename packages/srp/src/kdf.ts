import { bytesToBigInt, xor } from './bytes.js';
import { SrpClientError } from './errors.js';
import { hkdf32, pbkdf2_32 } from './webcrypto.js';

// 2SKD (docs/AUTH.md, "Key derivation"): x = int(p XOR q), p from the password by PBKDF2, q from the Secret Key
// by HKDF, both salted by the identity I so a verifier is bound to one email.

export const PBKDF2_ITERATIONS = 650_000;
/** A server asking for more than this is refused rather than freezing the page for minutes. */
export const MAX_ITERATIONS = 10_000_000;

const utf8 = (s: string) => new TextEncoder().encode(s);

/** I: the email with surrounding whitespace removed, lower-cased, as UTF-8. */
export const identity = (email: string) => utf8(email.trim().toLowerCase());

/** P: the password after NFKC normalisation with surrounding whitespace removed, as UTF-8. */
export const passwordBytes = (password: string) => utf8(password.normalize('NFKC').trim());

export type DeriveInput = {
  email: string;
  password: string;
  secretKey: Uint8Array;
  salt: Uint8Array;
  iterations?: number;
};

/** The intermediate values too, so tests (and other implementers) can compare step by step. */
export async function deriveSteps(o: DeriveInput) {
  const iterations = o.iterations ?? PBKDF2_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS)
    throw new SrpClientError('bad_iterations', `iterations must be an integer from 1 to ${MAX_ITERATIONS}`);
  if (o.salt.length === 0) throw new SrpClientError('bad_salt', 'salt is empty');
  if (o.secretKey.length !== 16) throw new SrpClientError('bad_secret_key', 'the Secret Key must be 16 bytes');
  const I = identity(o.email);
  const saltP = await hkdf32(o.salt, I, 'tod/2skd/pbkdf2-salt');
  const p = await pbkdf2_32(passwordBytes(o.password), saltP, iterations);
  const q = await hkdf32(o.secretKey, I, 'tod/2skd/secret-key');
  const xBytes = xor(p, q);
  return { I, saltP, p, q, xBytes, x: bytesToBigInt(xBytes) };
}

/** x = int(p XOR q). Costs one PBKDF2 run of `iterations` (650,000 by default). */
export const deriveX = async (o: DeriveInput): Promise<bigint> => (await deriveSteps(o)).x;
