import type * as Srp from '../src/index.js';
import { bytesToHex, deriveSteps, PBKDF2_ITERATIONS, parseSecretKey } from '../src/index.js';
import { AUTH_VECTORS as V } from '../test/auth-vectors.js';
import { openSrpPage } from '../test/chromium.js';

// One full 2SKD derivation (PBKDF2 at 650,000 iterations plus two HKDFs), timed five times in Node and five
// times in headless Chromium, both through WebCrypto. Every run must produce the docs/AUTH.md x, so a fast but
// wrong derivation cannot produce a figure. Last stdout line: one JSON object.

const RUNS = 5;
const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { runs: s.length, min_ms: r(s[0]!), median_ms: r(s[Math.floor(s.length / 2)]!), max_ms: r(s.at(-1)!) };
};
const input = { email: V.email, password: V.password, key: V.secretKeyText, salt: bytesToHex(V.salt), runs: RUNS };

async function inNode() {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const d = await deriveSteps({
      email: V.email,
      password: V.password,
      secretKey: parseSecretKey(V.secretKeyText),
      salt: V.salt,
    });
    times.push(performance.now() - t);
    if (bytesToHex(d.xBytes) !== V.x) throw new Error('Node derived the wrong x');
    console.error(`node run ${i + 1}: ${times.at(-1)!.toFixed(0)} ms`);
  }
  return { ...stats(times), version: process.version };
}

async function inChromium() {
  const b = await openSrpPage();
  try {
    const out = await b.page.evaluate(async (i) => {
      const S = (globalThis as typeof globalThis & { TodSrp: typeof Srp }).TodSrp;
      const times: number[] = [];
      const xs: string[] = [];
      for (let r = 0; r < i.runs; r++) {
        const t = performance.now();
        const d = await S.deriveSteps({
          email: i.email,
          password: i.password,
          secretKey: S.parseSecretKey(i.key),
          salt: S.hexToBytes(i.salt),
        });
        times.push(performance.now() - t);
        xs.push(S.bytesToHex(d.xBytes));
      }
      return { times, xs };
    }, input);
    if (out.xs.some((x) => x !== V.x)) throw new Error('Chromium derived the wrong x');
    console.error(`chromium runs: ${out.times.map((t) => t.toFixed(0)).join(', ')} ms`);
    return { ...stats(out.times), version: b.page.context().browser()?.version() ?? 'unknown' };
  } finally {
    await b.close();
  }
}

const node = await inNode();
const chromium = await inChromium();
console.log(JSON.stringify({ node, chromium, iterations: PBKDF2_ITERATIONS }));
