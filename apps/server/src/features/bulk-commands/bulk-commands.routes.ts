import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, idParams, tenantParams } from '../../platform/http/schemas.js';
import { rolloutAccepted } from '../rollouts/rollouts.schema.js';
import { bulkCommandBody, bulkResults, resultsQuery } from './bulk-commands.schema.js';
import type { BulkCommandsService } from './bulk-commands.service.js';

const tags = ['bulk-commands'];
const base = '/api/tenants/:tenant_id/bulk-commands';

const runDescription = `Runs RouterOS CLI commands on every target device as a rollout (follow it under /rollouts/{id}).
The whole text is checked first: any problem answers 422 with the first problem's code (command_syntax,
command_unsupported, command_denied, commands_too_large) and every problem in \`errors\` (\`path\`: "line N").

- Only reads (print, get, export, monitor … once, ping count=N): run directly on each device in the order typed.
  Defaults: no canary, one wave, 25 devices at once, never paused by failures.
- Changes (add, set, remove, enable, disable, unset, move, comment, make-static): all of a device's changes go
  through the safe-change engine as one operation (backup, armed revert, verification; \`rollout.mode\`). Reads
  typed before the first change run before it, reads typed after the last change once it is confirmed; a read
  between two changes is refused. Needs changes.apply. Rollout defaults apply (a canary, pause at the first failure).
- Actions (dns cache flush, dhcp-client renew, check-for-updates, …): run directly, in order with reads, never
  with changes; one that drops the session (reboot, reset, install) must be last. Needs changes.apply.

Deny-listed commands (reset-configuration, reboot, shutdown, /user, /certificate, /file remove, package installs,
scripts, …) are refused (command_denied) unless \`allow\` names their entries: only an admin may do that
(403 command_allow_forbidden otherwise), for this run only, and the audit entry lists them. The commands are kept
sealed; what is shown and audited has secret values masked.`;

export function bulkCommandsRoutes(fastify: FastifyInstance, svc: BulkCommandsService) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(base, {
    config: { access: access.can('bulk_commands.run') },
    schema: {
      tags,
      summary: 'Run commands on many devices (202 with the rollout)',
      description: runDescription,
      params: tenantParams,
      body: bulkCommandBody,
      response: { 202: rolloutAccepted, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(202).send(await svc.start(actorOf(req), req.body)),
  });

  app.get(`${base}/:rollout_id/results`, {
    config: { access: access.can('bulk_commands.read') },
    schema: {
      tags,
      summary: 'Outputs grouped by identical result, or a CSV/JSON file of one row per device',
      params: idParams('rollout_id'),
      querystring: resultsQuery,
      response: { 200: bulkResults, ...errorResponses },
    },
    handler: async (req, reply) => {
      const id = String(req.params.rollout_id);
      const format = req.query.format;
      if (!format) return svc.results(actorOf(req), id);
      const file = await svc.download(actorOf(req), id, format);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .header('Cache-Control', 'no-store')
        .serializer((x: unknown) => x as string)
        .send(file.body as never);
    },
  });
}
