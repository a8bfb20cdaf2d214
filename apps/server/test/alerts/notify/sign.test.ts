import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newChannelSecret, signatureHeader, verifySignature } from '../../../src/features/alerts/notify/sign.js';

const secret = 'whsec_test-secret';
const body = Buffer.from('{"event":"alert.firing","value":95}');
const t = 1_777_000_000;

describe('webhook signatures', () => {
  it('is t=<seconds>,v1=<HMAC-SHA256 of "<t>.<body>"> in hex', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body.toString()}`).digest('hex');
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
    expect(signatureHeader(secret, t, body.toString())).toBe(signatureHeader(secret, t, body));
  });

  it('verifies what it signed', () => {
    expect(verifySignature(secret, signatureHeader(secret, t, body), body, t)).toBe(true);
  });

  it('refuses a changed body, another secret, or a changed timestamp', () => {
    const h = signatureHeader(secret, t, body);
    expect(verifySignature(secret, h, Buffer.from('{"event":"alert.firing","value":96}'), t)).toBe(false);
    expect(verifySignature('whsec_other', h, body, t)).toBe(false);
    expect(verifySignature(secret, h.replace(`t=${t}`, `t=${t + 1}`), body, t)).toBe(false);
  });

  it('refuses a signature older or newer than the tolerance', () => {
    const h = signatureHeader(secret, t, body);
    expect(verifySignature(secret, h, body, t + 300)).toBe(true);
    expect(verifySignature(secret, h, body, t + 301)).toBe(false);
    expect(verifySignature(secret, h, body, t - 301)).toBe(false);
    expect(verifySignature(secret, h, body, t + 3600, 7200)).toBe(true);
  });

  it('refuses malformed headers', () => {
    const v1 = signatureHeader(secret, t, body).split(',')[1]!;
    for (const h of ['', 'garbage', `t=abc,${v1}`, `${v1}`, `t=${t}`, `t=${t},v1=zz`, `t=${t},v1=${'0'.repeat(64)}`])
      expect(verifySignature(secret, h, body, t)).toBe(false);
  });

  it('accepts any one of several v1 values (a rotation)', () => {
    const good = signatureHeader(secret, t, body).split(',')[1]!;
    expect(verifySignature(secret, `t=${t},v1=${'0'.repeat(64)},${good}`, body, t)).toBe(true);
  });

  it('makes distinct channel secrets', () => {
    const a = newChannelSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newChannelSecret()).not.toBe(a);
  });
});
