import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access, actorOf } from '../../platform/http/access.js';
import { AppError } from '../../platform/http/errors.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import type { SessionRow } from './remote-access.repo.js';
import {
  deviceParams,
  sessionParams,
  sessionsPage,
  sessionsQuery,
  settingsBody,
  settingsOut,
  sshSessionOut,
  transcriptOut,
  tunnelParams,
  winboxBody,
  winboxOut,
} from './remote-access.schema.js';
import type { RemoteAccessService } from './remote-access.service.js';

const base = '/api/tenants/:tenant_id/devices/:device_id';
const tags = ['remote access'];
const noStore = { 'cache-control': 'no-store' };
// A paste is one message; anything bigger is not typing.
const MAX_MESSAGE_BYTES = 1024 * 1024;

const wsQuery = z.object({
  token: z.string().max(100),
  cols: z.coerce.number().int().min(1).max(1000).default(80),
  rows: z.coerce.number().int().min(1).max(1000).default(24),
});

declare module 'fastify' {
  interface FastifyRequest {
    remoteSession?: SessionRow;
  }
}

export async function remoteAccessRoutes(fastify: FastifyInstance, svc: RemoteAccessService) {
  await fastify.register(websocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(`${base}/ssh-session`, {
    config: { access: access.can('remote.connect') },
    schema: {
      tags,
      summary: 'A single-use token (valid 120 s) to open the device’s terminal at /ws/ssh?token=…',
      params: deviceParams,
      response: { 201: sshSessionOut, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .headers(noStore)
        .send(await svc.createSshSession(actorOf(req), req.params.device_id)),
  });

  app.post(`${base}/winbox-session`, {
    config: { access: access.can('remote.connect') },
    schema: {
      tags,
      summary: 'Open a WinBox tunnel to the device on a port of the pool; only the allowed addresses may connect',
      params: deviceParams,
      body: winboxBody,
      response: { 201: winboxOut, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .headers(noStore)
        .send(
          await svc.openWinbox(actorOf(req), req.params.device_id, req.body ?? {}, req.hostname.replace(/:\d+$/, '')),
        ),
  });

  app.delete(`${base}/winbox-session/:tunnel_id`, {
    config: { access: access.can('remote.connect') },
    schema: {
      tags,
      summary: 'Close a WinBox tunnel (closing a closed one is not an error)',
      params: tunnelParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.end(actorOf(req), req.params.device_id, req.params.tunnel_id, 'winbox');
      return reply.code(204).send(null);
    },
  });

  app.get(`${base}/sessions`, {
    config: { access: access.can('remote.sessions.read') },
    schema: {
      tags,
      summary: 'Terminal sessions and WinBox tunnels of the device, newest first',
      params: deviceParams,
      querystring: sessionsQuery,
      response: { 200: sessionsPage, ...errorResponses },
    },
    handler: (req) => svc.list(actorOf(req), req.params.device_id, req.query),
  });

  app.delete(`${base}/sessions/:session_id`, {
    config: { access: access.can('remote.connect') },
    schema: {
      tags,
      summary: 'End a terminal session or tunnel (its owner, or an admin)',
      params: sessionParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await svc.end(actorOf(req), req.params.device_id, req.params.session_id);
      return reply.code(204).send(null);
    },
  });

  app.get(`${base}/sessions/:session_id/transcript`, {
    config: { access: access.can('remote.transcripts.read') },
    schema: {
      tags,
      summary: 'The recorded terminal output of a session (admins; when the organisation records transcripts)',
      params: sessionParams,
      response: { 200: transcriptOut, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.headers(noStore).send(await svc.transcript(actorOf(req), req.params.device_id, req.params.session_id)),
  });

  app.get('/api/tenants/:tenant_id/remote-access/settings', {
    config: { access: access.can('remote.sessions.read') },
    schema: {
      tags,
      summary: 'Idle timeout, maximum lifetime and transcript recording of remote sessions',
      params: tenantParams,
      response: { 200: settingsOut, ...errorResponses },
    },
    handler: (req) => svc.settings(actorOf(req)),
  });

  app.put('/api/tenants/:tenant_id/remote-access/settings', {
    config: { access: access.can('remote.settings.write') },
    schema: {
      tags,
      summary: 'Change the remote session settings (new sessions use them)',
      params: tenantParams,
      body: settingsBody,
      response: { 200: settingsOut, ...errorResponses },
    },
    handler: (req) => svc.putSettings(actorOf(req), req.body),
  });

  // The terminal: the token (single use, 120 s) is the whole authorisation, checked before the upgrade so a refused
  // browser gets an HTTP answer (401) rather than a socket that closes.
  fastify.get(
    '/ws/ssh',
    {
      websocket: true,
      schema: { hide: true, querystring: wsQuery },
      preValidation: async (req) => {
        const token = (req.query as { token?: unknown }).token;
        const row = typeof token === 'string' ? await svc.useToken(token, req.ip ?? null) : undefined;
        if (!row) throw new AppError('remote_token_invalid', 'the terminal token is unknown, already used or expired');
        req.remoteSession = row;
      },
    },
    (socket, req) => {
      const q = req.query as z.infer<typeof wsQuery>;
      void svc.attachTerminal(socket, req.remoteSession as SessionRow, { cols: q.cols, rows: q.rows });
    },
  );
}
