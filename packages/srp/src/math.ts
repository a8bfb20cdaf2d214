import { bytesToBigInt, modPow, pad, xor } from './bytes.js';
import type { SrpGroup } from './group.js';
import { hash } from './webcrypto.js';

// The SRP-6a formulas shared by both sides (docs/AUTH.md, "Step 2"). Async because hashing goes through WebCrypto.

/** k = int(H(PAD(N) ‖ PAD(g))). */
export const multiplier = async (group: SrpGroup) =>
  bytesToBigInt(await hash(group, pad(group, group.N), pad(group, group.g)));

/** u = int(H(PAD(A) ‖ PAD(B))); the caller must refuse u = 0. */
export const scramble = async (group: SrpGroup, A: bigint, B: bigint) =>
  bytesToBigInt(await hash(group, pad(group, A), pad(group, B)));

/** The client's premaster secret S = (B − k·g^x) ^ (a + u·x) mod N, with B − k·g^x taken non-negative mod N. */
export function clientSecret(group: SrpGroup, p: { B: bigint; x: bigint; a: bigint; u: bigint; k: bigint }): bigint {
  const { N, g } = group;
  const base = (((p.B - ((p.k * modPow(g, p.x, N)) % N)) % N) + N) % N;
  return modPow(base, p.a + p.u * p.x, N);
}

/** M1 = H( (H(PAD(N)) XOR H(PAD(g))) ‖ H(I) ‖ s ‖ PAD(A) ‖ PAD(B) ‖ K ). */
export async function clientProof(
  group: SrpGroup,
  p: { I: Uint8Array; salt: Uint8Array; A: bigint; B: bigint; K: Uint8Array },
) {
  const hNg = xor(await hash(group, pad(group, group.N)), await hash(group, pad(group, group.g)));
  return hash(group, hNg, await hash(group, p.I), p.salt, pad(group, p.A), pad(group, p.B), p.K);
}

/** M2 = H(PAD(A) ‖ M1 ‖ K). */
export const serverProof = (group: SrpGroup, A: bigint, M1: Uint8Array, K: Uint8Array) =>
  hash(group, pad(group, A), M1, K);
