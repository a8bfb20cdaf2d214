import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/http/errors.js';

export type AccessClaims = { sub: string; sid: string };

const ISSUER = 'tod';
const AUDIENCE = 'tod-api';
// TOD only ever issues this header, so verification compares bytes instead of trusting the token's `alg`
// (no alg=none, no algorithm confusion). A general JWT library spent ~140 µs per verify here; this takes a few.
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function createTokenSigner(secret: string, accessMinutes: number) {
  const key = Buffer.from(secret, 'utf8');
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();
  const invalid = () => new AppError('not_authenticated', 'invalid access token');

  return {
    accessTtlSeconds: accessMinutes * 60,
    async sign(claims: AccessClaims): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        sid: claims.sid,
        sub: claims.sub,
        iss: ISSUER,
        aud: AUDIENCE,
        iat: now,
        exp: now + accessMinutes * 60,
      };
      const body = `${HEADER}.${b64json(payload)}`;
      return `${body}.${mac(body).toString('base64url')}`;
    },
    async verify(token: string): Promise<AccessClaims> {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== HEADER) throw invalid();
      // Compare the encoded text, not decoded bytes: base64url decoding ignores a last character's spare bits
      // (and stray characters), so several spellings decode to one MAC. Only the exact one TOD issued verifies.
      const given = Buffer.from(parts[2]!, 'utf8');
      const expected = Buffer.from(mac(`${parts[0]}.${parts[1]}`).toString('base64url'), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      let p: Record<string, unknown>;
      try {
        p = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      if (p.iss !== ISSUER || p.aud !== AUDIENCE || typeof p.sub !== 'string' || typeof p.sid !== 'string')
        throw invalid();
      if (typeof p.exp !== 'number' || p.exp <= Date.now() / 1000)
        throw new AppError('token_expired', 'access token expired; refresh it');
      return { sub: p.sub, sid: p.sid };
    },
  };
}
export type TokenSigner = ReturnType<typeof createTokenSigner>;

/** Opaque random tokens (refresh tokens, API keys) are stored only as SHA-256. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest();
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
