import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../platform/http/errors.js';

export type AccessClaims = { sub: string; sid: string };

const ISSUER = 'tod';
const AUDIENCE = 'tod-api';

export function createTokenSigner(secret: string, accessMinutes: number) {
  const key = new TextEncoder().encode(secret);
  return {
    accessTtlSeconds: accessMinutes * 60,
    async sign(claims: AccessClaims): Promise<string> {
      return new SignJWT({ sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${accessMinutes * 60}s`)
        .sign(key);
    },
    async verify(token: string): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error('claims');
        return { sub: payload.sub, sid: payload.sid };
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw new AppError('token_expired', 'access token expired; refresh it');
        throw new AppError('not_authenticated', 'invalid access token');
      }
    },
  };
}
export type TokenSigner = ReturnType<typeof createTokenSigner>;

/** Opaque random tokens (refresh tokens, API keys) are stored only as SHA-256. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest();
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
