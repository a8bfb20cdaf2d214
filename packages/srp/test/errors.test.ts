import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  checkServerProof,
  clientExchange,
  deriveX,
  GROUP_3072,
  hexToBytes,
  MAX_ITERATIONS,
  pad,
  SecretKeyFormatError,
  SrpClientError,
  signInProof,
} from '../src/index.js';

const N = GROUP_3072.N;
const key = new Uint8Array(16);
const hex768 = (x: bigint) => bytesToHex(pad(GROUP_3072, x));
const good = { salt: 'a0'.repeat(16), B: hex768(12345n), iterations: 1000 };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SrpClientError) return e.code;
    if (e instanceof SecretKeyFormatError) return 'secret_key_format';
    throw e;
  }
  return 'no error';
}
const proof = (init: Record<string, unknown>, secretKey: Uint8Array | string = key) =>
  signInProof({ email: 'a@b.test', password: 'pw', secretKey, init: { ...good, ...init } as typeof good });

describe('bad server input is refused with a typed error, before any expensive work', () => {
  it('hex', () => {
    for (const bad of ['0', 'zz', 'a0 b1', '0x12'])
      expect(() => hexToBytes(bad), bad).toThrow(expect.objectContaining({ code: 'bad_hex' }));
    expect(bytesToHex(hexToBytes('00FFab'))).toBe('00ffab');
  });

  it('signInProof: bad salt, bad B, B ≡ 0 mod N, B ≥ N, too long', async () => {
    expect(await code(proof({ salt: 'xyz' }))).toBe('bad_hex');
    expect(await code(proof({ salt: '' }))).toBe('bad_salt');
    expect(await code(proof({ B: '12g4' }))).toBe('bad_hex');
    expect(await code(proof({ B: hex768(0n) }))).toBe('bad_B');
    expect(await code(proof({ B: '' }))).toBe('bad_B');
    expect(await code(proof({ B: hex768(N) }))).toBe('bad_B');
    expect(await code(proof({ B: `00${hex768(1n)}` }))).toBe('bad_B');
    expect(await code(proof({ B: null }))).toBe('bad_hex');
  });

  it('iterations outside 1..MAX_ITERATIONS (a hostile server cannot freeze the page)', async () => {
    for (const iterations of [0, -1, 1.5, Number.NaN, MAX_ITERATIONS + 1, 1e12])
      expect(await code(proof({ iterations })), String(iterations)).toBe('bad_iterations');
  });

  it('Secret Key: wrong byte length or unreadable text', async () => {
    expect(await code(proof({}, new Uint8Array(15)))).toBe('bad_secret_key');
    expect(await code(proof({}, 'A3-NOT-A-KEY'))).toBe('secret_key_format');
    expect(await code(deriveX({ email: 'e', password: 'p', secretKey: key, salt: new Uint8Array() }))).toBe('bad_salt');
  });

  it('clientExchange rejects B = 0, B = N, B = 2N', async () => {
    for (const B of [0n, N, 2n * N, -1n])
      expect(await code(clientExchange({ email: 'e', salt: new Uint8Array(16), B, x: 1n }))).toBe('bad_B');
  });

  it('a well-formed init gives hex of the documented lengths; checkServerProof compares hex', async () => {
    const r = await proof({});
    expect(r.A).toMatch(/^[0-9a-f]{768}$/);
    expect(r.M1).toMatch(/^[0-9a-f]{64}$/);
    expect(checkServerProof(r.expectedM2, r.expectedM2.toUpperCase())).toBe(true);
    expect(checkServerProof(r.expectedM2, `${r.expectedM2.slice(0, -1)}0`)).toBe(r.expectedM2.endsWith('0'));
    expect(checkServerProof(r.expectedM2, 'nothex')).toBe(false);
    expect(checkServerProof(r.expectedM2, '')).toBe(false);
  });
});
