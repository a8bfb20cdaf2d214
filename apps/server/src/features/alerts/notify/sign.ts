import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Webhook signatures. The header is `X-TOD-Signature: t=<unix seconds>,v1=<hex>`, where hex is
// HMAC-SHA256(secret, "<t>.<raw body>") over the exact bytes sent. A receiver recomputes it over the body it read
// (before parsing it), compares in constant time, and refuses a `t` far from its clock so a captured request
// cannot be replayed later. `verifySignature` below is that check.

export const SIGNATURE_HEADER = 'X-TOD-Signature';

const mac = (secret: string, t: number, body: Buffer | string) =>
  createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

export function signatureHeader(secret: string, unixSeconds: number, rawBody: Buffer | string): string {
  return `t=${unixSeconds},v1=${mac(secret, unixSeconds, rawBody)}`;
}

/** Whether `header` signs `rawBody` with `secret`, made within `toleranceSeconds` of `nowSeconds`. */
export function verifySignature(
  secret: string,
  header: string,
  rawBody: Buffer | string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    parts.set(k, [...(parts.get(k) ?? []), part.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  if (t === undefined || !/^\d{1,12}$/.test(t)) return false;
  const ts = Number(t);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(mac(secret, ts, rawBody), 'hex');
  // A header may carry several v1 values (signed with an old and a new secret): one match is enough.
  return (parts.get('v1') ?? []).some((v) => {
    if (!/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}

/** A new channel's signing secret: `whsec_` and 32 random bytes, base64url. */
export function newChannelSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
