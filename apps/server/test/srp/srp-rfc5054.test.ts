import { GROUP_1024_SHA1 as G } from '@tod/srp';
import { describe, expect, it } from 'vitest';
import { RFC5054 as V } from '../../../../packages/srp/test/rfc5054-vectors.js';
import {
  H,
  modPow,
  multiplier,
  pad,
  SrpError,
  scramble,
  serverPublic,
  serverSecret,
  toBigInt,
} from '../../src/features/srp/srp.math.js';

// The server's SRP maths against RFC 5054 Appendix B (1024-bit group, g = 2, SHA-1): the same functions
// srp.service.ts calls, with the RFC's group instead of the 3072-bit one.
describe('server SRP maths: RFC 5054 Appendix B vectors', () => {
  it('k, v and B = k·v + g^b', () => {
    expect(multiplier(G)).toBe(V.k);
    expect(modPow(G.g, V.x, G.N)).toBe(V.v);
    expect(serverPublic(G, V.v, V.b)).toBe(V.B);
  });

  it('u and the premaster secret S = (A·v^u)^b', () => {
    expect(scramble(G, V.A, V.B)).toBe(V.u);
    expect(serverSecret(G, { A: V.A, B: V.B, b: V.b, v: V.v })).toBe(V.S);
  });

  it("x as the RFC derives it (SHA1(s | SHA1(I | ':' | P))) with the server's hash", () => {
    const inner = H(G, Buffer.from(`${V.I}:${V.P}`));
    expect(toBigInt(H(G, Buffer.from(V.s, 'hex'), inner))).toBe(V.x);
  });

  it('refuses A ≡ 0 (mod N) and integers wider than N', () => {
    for (const A of [0n, G.N, 3n * G.N]) expect(() => serverSecret(G, { A, B: V.B, b: V.b, v: V.v })).toThrow(SrpError);
    expect(() => pad(G, 1n << 1024n)).toThrow(SrpError);
  });
});
