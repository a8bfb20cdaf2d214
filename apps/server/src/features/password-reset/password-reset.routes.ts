import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { setAuthCookies } from '../auth/auth.cookies.js';
import { clientMeta, tokenBody } from '../auth/auth.http.js';
import { tokenOut } from '../auth/auth.schema.js';
import type { PasswordResetService } from './password-reset.service.js';

export function passwordResetRoutes(
  app: FastifyInstance,
  resets: PasswordResetService,
  opts: { secureCookies: boolean; ratePerMinute: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  const rateLimit = { max: opts.ratePerMinute, timeWindow: 60_000 };

  r.get('/api/auth/options', {
    config: { access: access.public },
    schema: {
      tags,
      security: [],
      description: 'What the sign-in page may offer before anyone is signed in.',
      response: { 200: z.object({ password_reset_email: z.boolean() }) },
    },
    handler: async () => ({ password_reset_email: resets.enabled }),
  });

  r.post('/api/auth/forgot-password', {
    config: { access: access.public, rateLimit },
    schema: {
      tags,
      security: [],
      description: 'Emails a single-use reset link if the address belongs to an active account. Always 202.',
      body: z.strictObject({ email: z.string().min(1).max(320) }),
      response: { 202: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await resets.request(req.body.email, clientMeta(req));
      return reply.status(202).send(null);
    },
  });

  r.post('/api/auth/reset-password', {
    config: { access: access.public, rateLimit },
    schema: {
      tags,
      security: [],
      description: 'Spends a reset link: answers an enrol-only session (choose a new password and Secret Key).',
      body: z.strictObject({ token: z.string().min(20).max(200) }),
      response: { 200: tokenOut, ...errorResponses },
    },
    handler: async (req, reply) => {
      const t = await resets.complete(req.body.token, clientMeta(req));
      setAuthCookies(reply, t, opts.secureCookies);
      return tokenBody(t);
    },
  });
}
