import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/features/auth/tokens.js';

const signer = createTokenSigner('test-jwt-secret-that-is-long-enough-0123456789', 15);
const claims = { sub: '00000000-0000-4000-8000-000000000001', sid: '00000000-0000-4000-8000-000000000002' };
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('access-token signatures', () => {
  it('only the exact encoding verifies: every other last character of the signature is refused', async () => {
    const token = await signer.sign(claims);
    await expect(signer.verify(token)).resolves.toEqual(claims);
    const body = token.slice(0, -1);
    const last = token.at(-1)!;
    // A 32-byte MAC is 43 characters whose last carries 2 spare bits: 3 other letters decode to the same bytes.
    const others = [...`${B64URL}+/=.`].filter((c) => c !== last);
    expect(others).toHaveLength(67);
    for (const c of others)
      await expect(signer.verify(body + c), `last character ${c}`).rejects.toMatchObject({ code: 'not_authenticated' });
  });

  it('padding, whitespace or a standard-base64 spelling of the same signature is refused', async () => {
    const token = await signer.sign(claims);
    const [h, p, sig] = token.split('.') as [string, string, string];
    const std = Buffer.from(sig, 'base64url').toString('base64'); // same bytes, '+' '/' and '=' padding
    for (const s of [
      `${sig}=`,
      `${sig} `,
      `${sig}\n`,
      std,
      std.replace(/=+$/, ''),
      `${sig.slice(0, 20)}\n${sig.slice(20)}`,
    ])
      if (s !== sig) await expect(signer.verify(`${h}.${p}.${s}`)).rejects.toMatchObject({ code: 'not_authenticated' });
  });
});
