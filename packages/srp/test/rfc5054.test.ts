import { describe, expect, it } from 'vitest';
import {
  bytesToBigInt,
  clientExchange,
  clientSecret,
  GROUP_1024_SHA1 as G,
  hash,
  hexToBytes,
  modPow,
  multiplier,
  pad,
  scramble,
  verifierFor,
} from '../src/index.js';
import { RFC5054 as V } from './rfc5054-vectors.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('RFC 5054 Appendix B vectors (1024-bit group, SHA-1)', () => {
  it('the group prime is the RFC one (A and v below would not match otherwise) and g = 2', () => {
    expect(G.N.toString(16)).toMatch(/^eeaf0ab9adb38dd6/);
    expect(G.N.toString(16)).toMatch(/c0eb06e3$/);
    expect(pad(G, G.N)).toHaveLength(128);
  });

  it('k, x, v', async () => {
    expect(await multiplier(G)).toBe(V.k);
    // RFC 5054's own x = SHA1(s | SHA1(I | ":" | P)); TOD derives x differently (2SKD), so it is computed here.
    const inner = await hash(G, utf8(`${V.I}:${V.P}`));
    const x = bytesToBigInt(await hash(G, hexToBytes(V.s), inner));
    expect(x).toBe(V.x);
    expect(verifierFor(V.x, G)).toBe(V.v);
  });

  it('A, B, u, S and the client exchange', async () => {
    expect(modPow(G.g, V.a, G.N)).toBe(V.A);
    const k = await multiplier(G);
    expect((k * V.v + modPow(G.g, V.b, G.N)) % G.N).toBe(V.B);
    const u = await scramble(G, V.A, V.B);
    expect(u).toBe(V.u);
    expect(clientSecret(G, { B: V.B, x: V.x, a: V.a, u, k })).toBe(V.S);
    // The whole client run with the RFC's a: same A, and K = H(PAD(S)) of the RFC's S.
    const c = await clientExchange({ email: V.I, salt: hexToBytes(V.s), B: V.B, x: V.x, a: V.a }, G);
    expect(c.A).toBe(V.A);
    expect(c.K).toEqual(await hash(G, pad(G, V.S)));
  });
});
