import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  clientExchange,
  deriveSteps,
  GROUP_3072 as G,
  hash,
  modPow,
  multiplier,
  pad,
  parseSecretKey,
  passwordBytes,
  scramble,
  serverProof,
  verifierFor,
} from '../src/index.js';
import { AUTH_VECTORS as V } from './auth-vectors.js';

// Every intermediate value docs/AUTH.md publishes ("Test vectors"), reproduced with the full 650,000 iterations.
describe('docs/AUTH.md 2SKD and exchange vectors', () => {
  it('reproduces every listed value', async () => {
    const secretKey = parseSecretKey(V.secretKeyText);
    expect(bytesToHex(secretKey)).toBe(V.secretKeyHex);
    expect(bytesToHex(passwordBytes(V.password))).toBe(V.P);
    const d = await deriveSteps({ email: V.email, password: V.password, secretKey, salt: V.salt });
    expect(new TextDecoder().decode(d.I)).toBe('alice@example.test');
    expect(bytesToHex(d.saltP)).toBe(V.saltP);
    expect(bytesToHex(d.p)).toBe(V.p);
    expect(bytesToHex(d.q)).toBe(V.q);
    expect(bytesToHex(d.xBytes)).toBe(V.x);

    const h = async (n: bigint) => bytesToHex(await hash(G, pad(G, n)));
    const v = verifierFor(d.x);
    expect(await h(v)).toBe(V.hv);
    const k = await multiplier(G);
    expect(k.toString(16).padStart(64, '0')).toBe(V.k);
    // The server's B, from the document's formula, for the exchange below.
    const B = (k * v + modPow(G.g, V.b, G.N)) % G.N;
    expect(await h(B)).toBe(V.hB);
    const c = await clientExchange({ email: V.email, salt: V.salt, B, x: d.x, a: V.a });
    expect(await h(c.A)).toBe(V.hA);
    expect((await scramble(G, c.A, B)).toString(16).padStart(64, '0')).toBe(V.u);
    expect(bytesToHex(c.K)).toBe(V.K);
    expect(bytesToHex(c.M1)).toBe(V.M1);
    expect(bytesToHex(c.expectedM2)).toBe(V.M2);
    expect(bytesToHex(await serverProof(G, c.A, c.M1, c.K))).toBe(V.M2);
  });
});
