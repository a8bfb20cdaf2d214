import { hkdf, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  clientProof,
  GROUP_3072,
  H,
  identity,
  modPow,
  multiplier,
  pad,
  randomExponent,
  type SrpGroup,
  scramble,
  serverProof,
  toBigInt,
} from './srp.math.js';

// The reference client: what a browser does, written from the protocol text. Tests sign in with it, and the web
// app's tests compare against it. Nothing here runs on the server.

export const PBKDF2_ITERATIONS = 650_000;
const hkdfAsync = promisify(hkdf);
const pbkdf2Async = promisify(pbkdf2);

/** 2SKD: x = p XOR q, p from the password (PBKDF2), q from the Secret Key (HKDF); both salted by I. */
export async function deriveX(o: {
  email: string;
  password: string;
  secretKey: Uint8Array;
  salt: Uint8Array;
  iterations?: number;
}): Promise<bigint> {
  const I = identity(o.email);
  const P = Buffer.from(o.password.normalize('NFKC').trim(), 'utf8');
  const saltP = Buffer.from(await hkdfAsync('sha256', o.salt, I, 'tod/2skd/pbkdf2-salt', 32));
  const p = await pbkdf2Async(P, saltP, o.iterations ?? PBKDF2_ITERATIONS, 32, 'sha256');
  const q = Buffer.from(await hkdfAsync('sha256', o.secretKey, I, 'tod/2skd/secret-key', 32));
  const x = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) x[i] = p[i]! ^ q[i]!;
  return toBigInt(x);
}

export const verifierFor = (x: bigint, group: SrpGroup = GROUP_3072) => modPow(group.g, x, group.N);

/** What enrolment sends to /api/auth/register-srp. */
export async function enrol(o: { email: string; password: string; secretKey: Uint8Array }) {
  const salt = randomBytes(16);
  const x = await deriveX({ ...o, salt });
  return { salt: salt.toString('hex'), verifier: pad(GROUP_3072, verifierFor(x)).toString('hex') };
}

/** The client's half of one exchange, given the server's salt and B and the derived x. */
export function clientExchange(
  o: { email: string; salt: Uint8Array; B: bigint; x: bigint; a?: bigint },
  group: SrpGroup = GROUP_3072,
) {
  if (o.B % group.N === 0n) throw new Error('SRP: server sent B ≡ 0 mod N');
  const a = o.a ?? randomExponent();
  const A = modPow(group.g, a, group.N);
  const u = scramble(group, A, o.B);
  const k = multiplier(group);
  const base = (((o.B - ((k * modPow(group.g, o.x, group.N)) % group.N)) % group.N) + group.N) % group.N;
  const S = modPow(base, a + u * o.x, group.N);
  const K = H(group, pad(group, S));
  const M1 = clientProof(group, { I: identity(o.email), salt: o.salt, A, B: o.B, K });
  return { A, M1, K, expectedM2: serverProof(group, A, M1, K) };
}
