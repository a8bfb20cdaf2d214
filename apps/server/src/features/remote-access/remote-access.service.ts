import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, actorId, actorLabel } from '../../platform/auth/principal.js';
import { type Db, withSystem, withTenant } from '../../platform/db/tx.js';
import { COUNT_CAP, cappedTotal, encodeCursor } from '../../platform/http/cursor.js';
import { AppError, forbidden, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyActor, type KeyUse, useBy } from '../../platform/kms/key-use.js';
import { recordAudit, recordRawAudit } from '../audit/audit.service.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { devicesRepo } from '../devices/devices.repo.js';
import { createLiveRegistry } from './live.js';
import { type ClosedRow, type Counters, liveRepo } from './live.repo.js';
import { CLOSE, statusText } from './messages.js';
import { type NewSession, remoteAccessRepo, type SessionRow } from './remote-access.repo.js';
import {
  SESSIONS_CURSOR,
  type SessionsQuery,
  type Settings,
  type SettingsBody,
  type WinboxBody,
} from './remote-access.schema.js';
import { relayTerminal } from './terminal.js';
import { createTranscript, transcriptContext } from './transcript.js';
import { openTunnel } from './tunnel.js';

// Remote access to a device for a person: a browser terminal (an SSH shell relayed over a WebSocket opened with a
// single-use token) and WinBox tunnels (a port of the pool forwarded to the device's WinBox port). Credentials stay
// in TOD: the SSH session is opened by device access with the stored ones and the pinned host key. Sessions are
// rows (who, when, how long, bytes each way), capped per device and per person, ended by idle time, lifetime, their
// owner or an admin, audited when opened and closed.

const TOKEN_TTL_MS = 120_000;
/** Terminals and tunnels open on one device at once, and per person across the organisation. */
export const MAX_PER_DEVICE = 4;
export const MAX_PER_PERSON = 8;
export type RemoteAccessOptions = {
  winbox: { first: number; last: number; bindHost: string; publicHost?: string };
};

const hashToken = (t: string) => createHash('sha256').update(t).digest();
const isWildcard = (h: string) => h === '0.0.0.0' || h === '::';
/** WinBox takes `host:port`; an IPv6 address goes in brackets. */
const winboxUri = (host: string, port: number) => `winbox://${host.includes(':') ? `[${host}]` : host}:${port}`;

function keyActorOfRow(r: { user_id: string | null; actor_label: string }): KeyActor {
  return r.user_id
    ? { kind: 'user', id: r.user_id, label: r.actor_label }
    : { kind: 'api_key', id: null, label: r.actor_label };
}

export function createRemoteAccessService(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  envelope: Envelope;
  log: Logger;
  deviceAccess: DeviceAccess;
  options: RemoteAccessOptions;
}) {
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);
  const tenantOf = (actor: Actor) => {
    if (!actor.tenantId) throw new AppError('validation_failed', 'an organisation is required');
    return actor.tenantId;
  };
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  type Owned = {
    tenant_id: string;
    device_id: string;
    user_id: string | null;
    actor_label: string;
    client_ip: string | null;
  };
  /** An audit entry in the session owner's name (the process carrying a session acts on their behalf). */
  const ownerEntry = (r: Owned, action: string, details: Record<string, unknown>) => ({
    tenantId: r.tenant_id,
    actorType: r.user_id ? ('user' as const) : ('api_key' as const),
    actorId: r.user_id,
    actorLabel: r.actor_label,
    ip: r.client_ip,
    action,
    targetType: 'device',
    targetId: r.device_id,
    details,
  });
  const auditAsOwner = (r: Owned, action: string, details: Record<string, unknown>) =>
    inTenant(r.tenant_id, (db) => recordRawAudit(db, ownerEntry(r, action, details)));

  /** The audit entry of a closed session (who, how long, bytes each way, why it ended), in the closing transaction. */
  const auditClosed = (db: pg.PoolClient, r: ClosedRow) => {
    const opened = r.opened_at ?? r.closed_at;
    return recordRawAudit(
      db,
      ownerEntry(r, `remote.${r.kind}_closed`, {
        session_id: r.id,
        reason: r.close_reason,
        opened_at: opened.toISOString(),
        duration_seconds: Math.round((r.closed_at.getTime() - opened.getTime()) / 1000),
        bytes_in: Number(r.bytes_in),
        bytes_out: Number(r.bytes_out),
      }),
    );
  };

  const registry = createLiveRegistry({
    systemPool: deps.systemPool,
    log: deps.log,
    instanceId,
    auditClosed,
  });

  // Closed and audited in one transaction: a session is never shown closed without its audit entry.
  const closeRow = (c: Counters, reason: string) =>
    withSystem(deps.systemPool, async (db) => {
      const r = await liveRepo.close(db, c, reason);
      await liveRepo.releasePort(db, c.id);
      if (r) await auditClosed(db, r);
    });

  async function loadDevice(db: Db, deviceId: string) {
    const d = await devicesRepo.get(db, deviceId);
    if (!d) throw notFound('device');
    if (d.disabled) throw new AppError('remote_device_disabled', 'the device is disabled; enable it to connect');
    return d;
  }

  /** A new session row within the caps, and its audit entry. */
  async function newSession(actor: Actor, deviceId: string, fill: (s: Settings, id: string) => Partial<NewSession>) {
    const tenantId = tenantOf(actor);
    const id = randomUUID();
    const label = actorLabel(actor.principal);
    return inTenant(tenantId, async (db) => {
      const device = await loadDevice(db, deviceId);
      // One person or one device at a time: concurrent requests of the same person serialise here.
      await db.query('select pg_advisory_xact_lock(hashtext($1))', [`remote:${tenantId}:${deviceId}`]);
      const n = await remoteAccessRepo.liveCounts(db, deviceId, label);
      if (n.device >= MAX_PER_DEVICE)
        throw new AppError('remote_session_limit', `the device already has ${MAX_PER_DEVICE} remote sessions`);
      if (n.user >= MAX_PER_PERSON)
        throw new AppError('remote_session_limit', `you already have ${MAX_PER_PERSON} remote sessions open`);
      const settings = await remoteAccessRepo.settings(db);
      const p = actor.principal;
      const session: NewSession = {
        id,
        tenantId,
        deviceId,
        kind: 'ssh',
        userId: p.kind === 'user' ? actorId(p) : null,
        actorLabel: label,
        requesterIp: actor.ip,
        settings,
        ...fill(settings, id),
      };
      await remoteAccessRepo.insert(db, session);
      return { session, device, settings };
    });
  }

  function view(actor: Actor, r: SessionRow) {
    const own = r.actor_label === actorLabel(actor.principal);
    const end =
      r.state !== 'closed' &&
      (can(actor.principal, 'remote.sessions.end_any') || (own && can(actor.principal, 'remote.connect')));
    const until = r.closed_at ?? (r.state === 'open' ? new Date() : null);
    const {
      tenant_id: _t,
      requester_ip: _r,
      bind_host: _b,
      public_host: _p,
      instance_id: _i,
      record_transcript: _x,
      ...rest
    } = r;
    return {
      ...jsonDates(rest),
      bytes_in: Number(r.bytes_in),
      bytes_out: Number(r.bytes_out),
      uri: r.kind === 'winbox' && r.port && r.public_host ? winboxUri(r.public_host, r.port) : null,
      duration_seconds: r.opened_at && until ? Math.round((until.getTime() - r.opened_at.getTime()) / 1000) : null,
      policies: { end, read_transcript: r.has_transcript && can(actor.principal, 'remote.transcripts.read') },
    };
  }

  /** Where the browser's user reaches the tunnel: the configured public host, the bind address, or the host it used. */
  const publicHost = (requestHost: string) =>
    deps.options.winbox.publicHost ??
    (isWildcard(deps.options.winbox.bindHost) ? requestHost || 'localhost' : deps.options.winbox.bindHost);

  return {
    registry,
    instanceId,

    async settings(actor: Actor): Promise<Settings> {
      assertCan(actor, 'remote.sessions.read');
      return inTenant(tenantOf(actor), (db) => remoteAccessRepo.settings(db));
    },

    async putSettings(actor: Actor, body: SettingsBody): Promise<Settings> {
      assertCan(actor, 'remote.settings.write');
      const tenantId = tenantOf(actor);
      return inTenant(tenantId, async (db) => {
        const next = { ...(await remoteAccessRepo.settings(db)), ...body };
        const saved = await remoteAccessRepo.putSettings(db, tenantId, next);
        await recordAudit(db, actor, { action: 'remote.settings_updated', details: { ...body } });
        return saved;
      });
    },

    /** A single-use token (valid 120 s) for `/ws/ssh`; the session is pending until a WebSocket uses it. */
    async createSshSession(actor: Actor, deviceId: string) {
      assertCan(actor, 'remote.connect');
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + TOKEN_TTL_MS);
      const { session } = await newSession(actor, deviceId, () => ({
        kind: 'ssh',
        tokenHash: hashToken(token),
        tokenExpiresAt: expiresAt,
      }));
      return {
        session_id: session.id,
        token,
        expires_at: expiresAt.toISOString(),
        url: `/ws/ssh?token=${token}`,
      };
    },

    /** Uses a terminal token (once); undefined when it is unknown, used or expired. */
    useToken(token: string, clientIp: string | null) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return Promise.resolve(undefined);
      return withSystem(deps.systemPool, (db) => liveRepo.useToken(db, hashToken(token), clientIp, instanceId));
    },

    /** Relays the session's terminal over the WebSocket until one side ends it. */
    async attachTerminal(ws: WebSocket, row: SessionRow, size: { cols: number; rows: number }) {
      const use: KeyUse = { actor: keyActorOfRow(row), purpose: 'terminal' };
      const ref = { tenantId: row.tenant_id, deviceId: row.device_id };
      const counters = { id: row.id, bytesIn: 0, bytesOut: 0, lastActivity: new Date() };
      let ended = false;
      let relay: ReturnType<typeof relayTerminal> | undefined;
      let release: (() => Promise<void>) | undefined;
      const transcript = row.record_transcript
        ? createTranscript({
            tenantId: row.tenant_id,
            sessionId: row.id,
            envelope: deps.envelope,
            use,
            appPool: deps.appPool,
            log: deps.log,
          })
        : undefined;

      const end = async (reason: string) => {
        if (ended) return;
        ended = true;
        registry.remove(row.id);
        const c = relay?.counters() ?? counters;
        relay?.stop();
        await release?.().catch(() => {});
        await transcript?.close().catch((e) => deps.log.warn({ err: e }, 'terminal transcript: last chunk lost'));
        await closeRow(c, reason).catch((e) => deps.log.warn({ err: e }, 'remote access: closing a session failed'));
        if (ws.readyState === ws.OPEN) {
          ws.send(statusText({ type: 'status', state: 'closed', session_id: row.id, reason }));
          ws.close(reason === 'closed by the router' ? CLOSE.normal : CLOSE.ended, reason.slice(0, 100));
        }
      };
      registry.add({ id: row.id, counters: () => relay?.counters() ?? counters, close: end });
      ws.on('close', () => void end('closed by the browser'));

      await auditAsOwner(row, 'remote.ssh_opened', { session_id: row.id, transcript: row.record_transcript });
      ws.send(statusText({ type: 'status', state: 'connecting', session_id: row.id }));
      try {
        const ssh = await deps.deviceAccess.openSsh(ref, 'remote', { use, waitMs: 10_000 });
        release = () => ssh.release();
        if (ended) return void (await ssh.release());
        const channel = await ssh.shell(size);
        if (ended) return void (await ssh.release());
        relay = relayTerminal({
          id: row.id,
          ws,
          channel,
          idleMs: row.idle_timeout_seconds * 1000,
          lifetimeMs: row.max_lifetime_seconds * 1000,
          ...(transcript ? { onOutput: (b: Buffer) => transcript.push(b) } : {}),
          onEnd: (reason) => void end(reason),
        });
        ws.send(statusText({ type: 'status', state: 'connected', session_id: row.id }));
      } catch (e) {
        const code = e instanceof AppError ? e.code : 'error';
        const message = e instanceof AppError ? e.message : 'the terminal could not be opened';
        if (ws.readyState === ws.OPEN) ws.send(statusText({ type: 'error', code, message }));
        await end(`failed: ${code}`);
      }
    },

    /** Opens a WinBox tunnel on a free port of the pool, for the caller's address (or the given ones). */
    async openWinbox(actor: Actor, deviceId: string, body: WinboxBody, host: string) {
      assertCan(actor, 'remote.connect');
      const w = deps.options.winbox;
      const allowed = body.allowed_addresses ?? (actor.ip ? [actor.ip] : []);
      if (allowed.length === 0)
        throw new AppError('validation_failed', 'give allowed_addresses: the caller has no address');
      const announced = publicHost(host);
      const { session, settings } = await newSession(actor, deviceId, () => ({
        kind: 'winbox',
        allowedAddresses: allowed,
        bindHost: w.bindHost,
        instanceId,
      }));
      const counters = { id: session.id, bytesIn: 0, bytesOut: 0, lastActivity: new Date() };
      let tunnel: Awaited<ReturnType<typeof openTunnel>> | undefined;
      let ended = false;
      const end = async (reason: string) => {
        if (ended) return;
        ended = true;
        registry.remove(session.id);
        tunnel?.stop();
        await closeRow(tunnel?.counters() ?? counters, reason).catch((e) =>
          deps.log.warn({ err: e }, 'remote access: closing a tunnel failed'),
        );
      };
      const skip: number[] = [];
      try {
        for (let attempt = 0; !tunnel; attempt++) {
          const port = await withSystem(deps.systemPool, (db) =>
            liveRepo.claimPort(db, {
              bindHost: w.bindHost,
              first: w.first,
              last: w.last,
              sessionId: session.id,
              instanceId,
              skip,
            }),
          );
          if (port === undefined) {
            const free = await withSystem(deps.systemPool, (db) => liveRepo.freePorts(db, w.bindHost, w.first, w.last));
            if (free - skip.length <= 0 || attempt > 20)
              throw new AppError('winbox_pool_exhausted', 'every port of WINBOX_PORT_RANGE is in use; try again later');
            continue;
          }
          try {
            tunnel = await openTunnel({
              id: session.id,
              bindHost: w.bindHost,
              port,
              allowed,
              idleMs: settings.idle_timeout_seconds * 1000,
              lifetimeMs: settings.max_lifetime_seconds * 1000,
              connect: () => deps.deviceAccess.connectTcp({ tenantId: session.tenantId, deviceId }, 'winbox'),
              onEnd: (reason) => void end(reason),
            });
            await inTenant(session.tenantId, async (db) => {
              await remoteAccessRepo.setPort(db, session.id, port, announced);
              await recordAudit(db, actor, {
                action: 'remote.winbox_opened',
                targetType: 'device',
                targetId: deviceId,
                details: { session_id: session.id, port, allowed_addresses: allowed },
              });
            });
            registry.add({ id: session.id, counters: () => tunnel?.counters() ?? counters, close: end });
            const expires = new Date(Date.now() + settings.max_lifetime_seconds * 1000);
            return {
              tunnel_id: session.id,
              host: announced,
              port,
              uri: winboxUri(announced, port),
              allowed_addresses: allowed,
              idle_timeout_seconds: settings.idle_timeout_seconds,
              expires_at: expires.toISOString(),
            };
          } catch (e) {
            // Another program holds the port: leave it to them and take another.
            if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (e as NodeJS.ErrnoException).code !== 'EACCES')
              throw e;
            skip.push(port);
            await withSystem(deps.systemPool, (db) => liveRepo.releasePort(db, session.id));
          }
        }
        throw new Error('unreachable');
      } catch (e) {
        await end('failed');
        throw e;
      }
    },

    async list(actor: Actor, deviceId: string, q: SessionsQuery) {
      assertCan(actor, 'remote.sessions.read');
      return inTenant(tenantOf(actor), async (db) => {
        if (!(await devicesRepo.get(db, deviceId))) throw notFound('device');
        const after = q.cursor ? { k: q.cursor.k, id: q.cursor.id } : undefined;
        const { rows, total } = await remoteAccessRepo.list(db, deviceId, { ...q, after, countCap: COUNT_CAP });
        const last = rows.length === q.limit ? rows.at(-1) : undefined;
        return {
          items: rows.map((r) => view(actor, r)),
          ...cappedTotal(total),
          limit: q.limit,
          offset: after ? 0 : q.offset,
          next_cursor: last ? encodeCursor({ s: SESSIONS_CURSOR, k: last.cursor_k, id: last.id }) : null,
        };
      });
    },

    /**
     * Ends a session: its owner (who may connect) or an admin. A pending token is closed at once; an open session is
     * ended by the process that carries it (this one at once, another within seconds). Ending a closed one is a no-op.
     */
    async end(actor: Actor, deviceId: string, sessionId: string, kind?: 'winbox') {
      assertCan(actor, 'remote.connect');
      const tenantId = tenantOf(actor);
      const label = actorLabel(actor.principal);
      const row = await inTenant(tenantId, async (db) => {
        const r = await remoteAccessRepo.get(db, deviceId, sessionId);
        if (!r || (kind && r.kind !== kind)) throw notFound(kind ? 'tunnel' : 'session');
        if (r.actor_label !== label && !can(actor.principal, 'remote.sessions.end_any'))
          throw forbidden('only its owner or an admin may end a session');
        if (r.state === 'closed') return r;
        if (await remoteAccessRepo.closePending(db, sessionId, `ended by ${label}`)) return r;
        await remoteAccessRepo.requestClose(db, sessionId, label);
        await recordAudit(db, actor, {
          action: 'remote.session_end_requested',
          targetType: 'device',
          targetId: deviceId,
          details: { session_id: sessionId, kind: r.kind },
        });
        return r;
      });
      if (row.state !== 'closed') await registry.get(sessionId)?.close(`ended by ${label}`);
    },

    async transcript(actor: Actor, deviceId: string, sessionId: string) {
      assertCan(actor, 'remote.transcripts.read');
      const tenantId = tenantOf(actor);
      const use = useBy(actor, 'read transcript');
      return inTenant(tenantId, async (db) => {
        const r = await remoteAccessRepo.get(db, deviceId, sessionId);
        if (!r) throw notFound('session');
        const { chunks, truncated } = await remoteAccessRepo.transcript(db, sessionId, 400);
        const parts: Buffer[] = [];
        for (const c of chunks)
          parts.push(await deps.envelope.decrypt(tenantId, c.data_enc, transcriptContext(sessionId, c.seq), use));
        await recordAudit(db, actor, {
          action: 'remote.transcript_read',
          targetType: 'device',
          targetId: deviceId,
          details: { session_id: sessionId },
        });
        return { session_id: sessionId, text: Buffer.concat(parts).toString('utf8'), truncated };
      });
    },

    /** Ends every session this process carries (shutdown). */
    stop: () => registry.stop(),
  };
}

export type RemoteAccessService = ReturnType<typeof createRemoteAccessService>;
