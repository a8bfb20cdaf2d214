import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { setAuthCookies } from '../auth/auth.cookies.js';
import { clientMeta, tokenBody } from '../auth/auth.http.js';
import { registerSrpBody, srpInitBody, srpInitOut, srpVerifyBody, srpVerifyOut } from './srp.schema.js';
import { SRP_ITERATIONS, type SrpService } from './srp.service.js';

const fromHex = (h: string) => Buffer.from(h, 'hex');

export function srpRoutes(
  app: FastifyInstance,
  srp: SrpService,
  opts: { secureCookies: boolean; ratePerMinute: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  const rateLimit = { max: opts.ratePerMinute, timeWindow: 60_000 };

  r.post('/api/auth/srp/init', {
    config: { access: access.public, rateLimit },
    schema: { tags, security: [], body: srpInitBody, response: { 200: srpInitOut, ...errorResponses } },
    handler: async (req) => {
      const s = await srp.init(req.body.email);
      return {
        session_id: s.sessionId,
        salt: s.salt.toString('hex'),
        B: s.B.toString('hex'),
        iterations: SRP_ITERATIONS,
      };
    },
  });

  r.post('/api/auth/srp/verify', {
    config: { access: access.public, rateLimit },
    schema: { tags, security: [], body: srpVerifyBody, response: { 200: srpVerifyOut, ...errorResponses } },
    handler: async (req, reply) => {
      const b = req.body;
      const { M2, tokens } = await srp.verify(b.session_id, fromHex(b.A), fromHex(b.M1), clientMeta(req));
      setAuthCookies(reply, tokens, opts.secureCookies);
      return { M2: M2.toString('hex'), ...tokenBody(tokens) };
    },
  });

  r.post('/api/auth/register-srp', {
    config: { access: access.enrolling, rateLimit },
    schema: { tags, body: registerSrpBody, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      const { salt, verifier, proof } = req.body;
      await srp.register(
        actorOf(req),
        fromHex(salt),
        fromHex(verifier),
        proof && { sessionId: proof.session_id, A: fromHex(proof.A), M1: fromHex(proof.M1) },
      );
      return reply.status(204).send(null);
    },
  });
}
