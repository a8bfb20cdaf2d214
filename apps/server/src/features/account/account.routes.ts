import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { clearAuthCookies } from '../auth/auth.cookies.js';
import { accountExportOut, deleteAccountBody, deletionReceiptOut } from './account.schema.js';
import type { AccountService } from './account.service.js';

const fromHex = (h: string) => Buffer.from(h, 'hex');

// Counted per person rather than per address: an export reads everything they did, and an office behind one
// address should not share a budget.
const perPerson = (req: FastifyRequest) => {
  const p = req.principal;
  return p?.kind === 'user' ? `account:${p.userId}` : `account-ip:${req.ip}`;
};

export function accountRoutes(
  app: FastifyInstance,
  account: AccountService,
  opts: { secureCookies: boolean; ratePerMinute: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  const rateLimit = { max: opts.ratePerMinute, timeWindow: 60_000, keyGenerator: perPerson };

  r.get('/api/auth/me/export', {
    config: { access: access.signedIn, rateLimit },
    schema: {
      tags,
      description:
        'Everything TOD holds about the signed-in person, as JSON: account, sessions, reset links, API keys they made (no secrets), preferences, and their own audit entries. Audited (account.export).',
      response: { 200: accountExportOut, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await account.exportData(actorOf(req));
      return reply.header('Content-Disposition', 'attachment; filename="tod-personal-data.json"').send(out);
    },
  });

  r.delete('/api/auth/me', {
    config: { access: access.signedIn, rateLimit },
    schema: {
      tags,
      description:
        'Deletes the signed-in account after a fresh SRP proof of the current password and the email typed as confirmation: sessions end, API keys it made are revoked, its audit entries are anonymised (the chain still verifies). Answers the deletion receipt; the last super_admin and the last admin of an organisation are refused.',
      body: deleteAccountBody,
      response: { 200: deletionReceiptOut, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { proof, confirm } = req.body;
      const receipt = await account.deleteAccount(actorOf(req), {
        proof: { sessionId: proof.session_id, A: fromHex(proof.A), M1: fromHex(proof.M1) },
        confirm,
      });
      clearAuthCookies(reply, opts.secureCookies);
      return receipt;
    },
  });
}
