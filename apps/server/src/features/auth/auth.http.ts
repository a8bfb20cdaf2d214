import type { FastifyRequest } from 'fastify';
import type { ClientMeta, IssuedTokens } from './auth.service.js';

// Shared by every route that signs someone in (password, SRP, reset link): where the call came from, and the body
// that answers it (the same tokens the cookies carry).

export const clientMeta = (req: FastifyRequest): ClientMeta => ({
  ip: req.ip ?? null,
  userAgent: req.headers['user-agent'] ?? null,
  requestId: String(req.id),
});

export const tokenBody = (t: IssuedTokens) => ({
  access_token: t.accessToken,
  token_type: 'bearer' as const,
  expires_in: t.expiresIn,
});
