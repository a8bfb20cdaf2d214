import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The server's SRP maths (sync, node:crypto): the package client must satisfy it byte for byte.
import {
  GROUP_3072 as SERVER_GROUP,
  identity as serverIdentity,
  serverPublic,
  verifyClient,
} from '../../../apps/server/src/features/srp/srp.math.js';
import {
  bytesToBigInt,
  bytesToHex,
  checkServerProof,
  deriveX,
  enrol,
  GROUP_3072,
  hexToBytes,
  modPow,
  newSecretKey,
  randomExponent,
  signInProof,
} from '../src/index.js';

const ITERATIONS = 1000; // the protocol is the same at any count; the full count is covered by auth-vectors.test.ts

/** One enrolment and one sign-in: the package plays the browser, srp.math.ts plays the api. */
async function run(email: string, password: string, typedPassword = password) {
  const secretKey = newSecretKey();
  const reg = await enrol({ email, password, secretKey, iterations: ITERATIONS });
  const v = bytesToBigInt(hexToBytes(reg.verifier));
  const b = randomExponent();
  const B = serverPublic(SERVER_GROUP, v, b);
  const init = { salt: reg.salt, B: B.toString(16).padStart(768, '0'), iterations: ITERATIONS };
  const c = await signInProof({ email, password: typedPassword, secretKey, init });
  const M2 = verifyClient(SERVER_GROUP, {
    I: serverIdentity(email),
    salt: hexToBytes(reg.salt),
    A: bytesToBigInt(hexToBytes(c.A)),
    B,
    b,
    v,
    M1: hexToBytes(c.M1),
  });
  return { c, M2: M2 && bytesToHex(M2), reg, secretKey };
}

describe('package client against the server verifier (apps/server srp.math.ts)', () => {
  it('the server uses the package group', () => {
    expect(SERVER_GROUP).toBe(GROUP_3072);
  });

  it('random emails and passwords: the server accepts M1 and returns the M2 the client expects', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.emailAddress(),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        async (email, password) => {
          const { c, M2 } = await run(` ${email.toUpperCase()} `, password);
          expect(M2).toBe(c.expectedM2);
          expect(checkServerProof(c.expectedM2, M2!)).toBe(true);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('a wrong password is refused by the server', async () => {
    const { M2 } = await run('someone@example.test', 'right password', 'wrong password');
    expect(M2).toBeUndefined();
  });

  it('enrol stores PAD(v) for the derived x and a fresh 16-byte salt', async () => {
    const { reg, secretKey } = await run('x@example.test', 'pw');
    expect(reg.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(reg.verifier).toMatch(/^[0-9a-f]{768}$/);
    const x = await deriveX({
      email: 'x@example.test',
      password: 'pw',
      secretKey,
      salt: hexToBytes(reg.salt),
      iterations: ITERATIONS,
    });
    expect(bytesToBigInt(hexToBytes(reg.verifier))).toBe(modPow(GROUP_3072.g, x, GROUP_3072.N));
  });
});
