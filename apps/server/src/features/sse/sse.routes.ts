import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../platform/auth/principal.js';
import type { LiveHandler, LiveMessage } from '../../platform/bus/types.js';
import type { LivePermissions } from '../../platform/events/live.js';
import { access, actorOf } from '../../platform/http/access.js';
import { errorResponses, tenantParams } from '../../platform/http/schemas.js';
import { createLiveHub } from './hub.js';

export type SubscribeTenant = (tenantId: string, handler: LiveHandler) => () => void;

/** Cheap re-checks of a caller that authenticated when its stream opened. */
export type PrincipalChecks = {
  /** Session not revoked or expired, account still active. */
  session: (userId: string, sessionId: string) => Promise<boolean>;
  /** API key neither revoked (deleted) nor expired. */
  apiKey: (keyId: string) => Promise<boolean>;
};

export const principalChecks = (s: {
  auth: { sessionStillValid: PrincipalChecks['session'] };
  apiKeys: { stillValid: PrincipalChecks['apiKey'] };
}): PrincipalChecks => ({ session: s.auth.sessionStillValid, apiKey: s.apiKeys.stillValid });

const stillValid = (checks: PrincipalChecks, p: Principal): Promise<boolean> =>
  p.kind === 'user'
    ? checks.session(p.userId, p.sessionId)
    : p.kind === 'api_key'
      ? checks.apiKey(p.keyId)
      : Promise.resolve(false);

export type SseOptions = {
  subscribe: SubscribeTenant;
  /** Asked at every heartbeat: a revoked session or deleted API key ends its streams within one heartbeat. */
  recheck: PrincipalChecks;
  /** Message type → permission needed to receive it (declared by the features); other types are never sent. */
  livePermissions: LivePermissions;
  /** Message type → schema of its data: documented as the route's 200 response (one message). */
  liveSchemas?: Readonly<Record<string, z.ZodType>>;
  heartbeatMs?: number;
  /** Streams end after this long anyway; EventSource reconnects, authenticating again. */
  maxAgeMs?: number;
  /** A client this far behind is dropped rather than buffered without bound. */
  maxBufferedBytes?: number;
  /** Message type → coalescing key (hub.ts). */
  liveCoalesce?: Readonly<Record<string, (msg: LiveMessage) => string | undefined>>;
};

/**
 * Live updates of one tenant as Server-Sent Events. Works with the browser's EventSource: same-origin requests
 * carry the httpOnly access cookie; scripts can use Authorization or X-API-Key instead.
 */
export function sseRoutes(app: FastifyInstance, o: SseOptions) {
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const maxAgeMs = o.maxAgeMs ?? 10 * 60_000;
  const maxBuffered = o.maxBufferedBytes ?? 1 << 20;
  const documented = Object.entries(o.liveSchemas ?? {}).map(([type, data]) =>
    z.object({ type: z.literal(type), data }),
  );
  const messages =
    documented.length > 1
      ? z.discriminatedUnion('type', documented as [(typeof documented)[0], ...typeof documented])
      : documented[0];
  const hub = createLiveHub({
    subscribe: o.subscribe,
    permissions: o.livePermissions,
    ...(o.liveCoalesce ? { coalesce: o.liveCoalesce } : {}),
  });
  // Open streams end when the server shuts down; otherwise close() would wait for every browser tab.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });
  app.withTypeProvider<ZodTypeProvider>().get('/api/tenants/:tenant_id/stream', {
    config: { access: access.can('devices.read') },
    schema: {
      tags: ['live'],
      description:
        'text/event-stream of live updates. Each message is `event: <type>` and `data: <JSON>`; the 200 schema describes one message as {type, data}. A caller receives only the types its permissions allow. A comment line every 15 s keeps proxies from closing it.',
      params: tenantParams,
      produces: ['text/event-stream'],
      response: { ...(messages ? { 200: messages } : {}), ...errorResponses },
    },
    handler: (req, reply) => {
      const { tenantId, principal } = actorOf(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(req.id),
        'x-content-type-options': 'nosniff',
      });
      res.write(`retry: 3000\n: connected ${new Date().toISOString()}\n\n`);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(expiry);
        open.delete(close);
        res.end();
      };
      open.add(close);
      const unsubscribe = hub.join(tenantId!, {
        principal,
        write: (text) => {
          if (closed) return;
          if (res.writableLength > maxBuffered) return close();
          res.write(text);
        },
      });
      let checking = false;
      const beat = async () => {
        res.write(': ping\n\n');
        if (checking) return; // the previous check is still running
        checking = true;
        // A failed check ends the stream too: the client reconnects and authenticates again.
        const ok = await stillValid(o.recheck, principal).catch((err) => {
          req.log.warn({ err }, 'SSE: re-checking the caller failed; ending the stream');
          return false;
        });
        checking = false;
        if (!ok) close();
      };
      const heartbeat = setInterval(() => void beat(), heartbeatMs);
      const expiry = setTimeout(close, maxAgeMs);
      req.raw.on('close', close);
    },
  });
}
