import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Srp from '../src/index.js';
import { AUTH_VECTORS as V } from './auth-vectors.js';
import { type BrowserPage, openSrpPage } from './chromium.js';

// The same source, bundled for the browser, in a real Chromium: the docs/AUTH.md vectors (full 650,000
// iterations) and a typed error must come out exactly as they do in Node.
type Page = typeof globalThis & { TodSrp: typeof Srp };

let browser: BrowserPage;
beforeAll(async () => {
  browser = await openSrpPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('@tod/srp in Chromium', () => {
  it('reproduces the docs/AUTH.md vectors through the page’s WebCrypto', async () => {
    const input = {
      email: V.email,
      password: V.password,
      key: V.secretKeyText,
      a: V.a.toString(16),
      b: V.b.toString(16),
    };
    const out = await browser.page.evaluate(async (i) => {
      const S = (globalThis as Page).TodSrp;
      const G = S.GROUP_3072;
      const d = await S.deriveSteps({
        email: i.email,
        password: i.password,
        secretKey: S.parseSecretKey(i.key),
        salt: S.hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'),
      });
      const v = S.verifierFor(d.x);
      const k = await S.multiplier(G);
      const B = (k * v + S.modPow(G.g, BigInt(`0x${i.b}`), G.N)) % G.N;
      const salt = S.hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
      const c = await S.clientExchange({ email: i.email, salt, B, x: d.x, a: BigInt(`0x${i.a}`) });
      const h = async (n: bigint) => S.bytesToHex(await S.hash(G, S.pad(G, n)));
      return {
        saltP: S.bytesToHex(d.saltP),
        p: S.bytesToHex(d.p),
        q: S.bytesToHex(d.q),
        x: S.bytesToHex(d.xBytes),
        hv: await h(v),
        hA: await h(c.A),
        hB: await h(B),
        K: S.bytesToHex(c.K),
        M1: S.bytesToHex(c.M1),
        M2: S.bytesToHex(c.expectedM2),
      };
    }, input);
    expect(out).toEqual({
      saltP: V.saltP,
      p: V.p,
      q: V.q,
      x: V.x,
      hv: V.hv,
      hA: V.hA,
      hB: V.hB,
      K: V.K,
      M1: V.M1,
      M2: V.M2,
    });
  }, 60_000);

  it('refuses B = 0 with SrpClientError code bad_B', async () => {
    const code = await browser.page.evaluate(async () => {
      const S = (globalThis as Page).TodSrp;
      try {
        await S.signInProof({
          email: 'a@b.test',
          password: 'pw',
          secretKey: new Uint8Array(16),
          init: { salt: 'a0'.repeat(16), B: '00'.repeat(384), iterations: 1000 },
        });
        return 'no error';
      } catch (e) {
        return e instanceof S.SrpClientError ? e.code : String(e);
      }
    });
    expect(code).toBe('bad_B');
  });
});
