import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { type Fleet, startFleet } from '@tod/simulator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteAccessService } from '../../src/features/remote-access/remote-access.service.js';
import type { Actor } from '../../src/platform/auth/principal.js';
import { openAuditRows } from '../audit/open.js';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';
import { openTerminal } from './terminal-client.js';

// The browser terminal and WinBox tunnels against simulated routers over real sockets: the WebSocket relay to an
// SSH PTY, single-use tokens, sessions and their audit, ending by an admin, transcripts, tunnels that carry bytes
// only for the allowed address, and a port pool shared by two processes.

/** Whether 127.0.0.1:port can be listened on now (released at once). */
const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/**
 * The tunnel pool's 3 ports: below the ephemeral range (32768+), where any outgoing connection of a test running
 * beside this one could hold one of them, and free when this file starts (CI once found the pool short by one).
 */
async function freeRun(n: number): Promise<number> {
  for (;;) {
    const first = 31_000 + Math.floor(Math.random() * 1_700);
    let free = true;
    for (let p = first; p < first + n && free; p++) free = await canListen(p);
    if (free) return first;
  }
}

const FIRST = await freeRun(3);
let ctx: TestContext;
let s: Seed;
let fleet: Fleet;
let port: number;
let operator: Api;
let admin: Api;
let deviceId: string;
let base: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROMPT = /\[admin@[^\]]+\] > $/;

async function waitUntil<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

type SessionJson = {
  id: string;
  kind: string;
  state: string;
  close_reason: string | null;
  bytes_in: number;
  bytes_out: number;
  has_transcript: boolean;
  uri: string | null;
  policies: { end: boolean; read_transcript: boolean };
};
const sessions = async (api: Api = admin) =>
  expectStatus<{ items: SessionJson[] }>(await api.get(`${base}/sessions?state=all&limit=100`), 200).items;
const sessionNamed = (id: string) => async () => (await sessions()).find((x) => x.id === id);

beforeAll(async () => {
  ctx = await createTestContext({
    WINBOX_PORT_RANGE: `${FIRST}-${FIRST + 2}`,
    WINBOX_BIND_ADDRESS: '127.0.0.1',
  });
  s = await seed(ctx);
  fleet = await startFleet({ specs: [{ identity: 'edge-1' }] });
  operator = apiAs(ctx, s, 'operator');
  admin = apiAs(ctx, s, 'admin');
  base = `/api/tenants/${s.a.id}/devices/`;
  const d = fleet.devices[0]!;
  deviceId = expectStatus<{ id: string }>(
    await admin.post(`/api/tenants/${s.a.id}/devices?probe=false`, {
      name: 'edge-1',
      host: d.address,
      port: d.port,
      tls_port: d.tlsPort ?? 1,
      tls_mode: 'plain',
      ssh_port: d.sshPort,
      winbox_port: d.winboxPort,
      username: d.username,
      password: d.password,
    }),
    201,
  ).id;
  base = `/api/tenants/${s.a.id}/devices/${deviceId}`;
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await fleet?.stop();
  await ctx?.close();
});

const newToken = async (api: Api = operator) =>
  expectStatus<{ token: string; session_id: string; url: string; expires_at: string }>(
    await api.post(`${base}/ssh-session`),
    201,
  );

describe('browser terminal', () => {
  it('relays a PTY: a command, a change the router keeps, then the session closed and audited', async () => {
    const t = await newToken();
    expect(t.url).toBe(`/ws/ssh?token=${t.token}`);
    expect(Date.parse(t.expires_at) - Date.now()).toBeGreaterThan(100_000);
    const term = await openTerminal(port, t.token);
    await term.waitStatus((m) => m.state === 'connected');
    await term.waitFor(PROMPT);
    let at = term.text().length;
    term.type('/ip address print\r');
    const listed = await term.waitFor(/ADDRESS[\s\S]*\] > $/, at);
    expect(listed).toMatch(/INTERFACE/);
    at = term.text().length;
    term.type('/system identity set name=renamed-by-terminal\r');
    await term.waitFor(/\[admin@renamed-by-terminal\] > $/, at);
    // The router itself changed (what the next poll reads).
    expect(fleet.device(0).identity).toBe('renamed-by-terminal');
    term.resize(120, 40);
    at = term.text().length;
    term.type(':put "Zürich ✓"\r');
    await term.waitFor(/Zürich ✓/, at);

    // Open: listed with the bytes both ways once the process has beaten.
    await ctx.services.remoteAccess.registry.tick();
    const open = await sessionNamed(t.session_id)();
    expect(open).toMatchObject({ kind: 'ssh', state: 'open' });
    expect(open!.bytes_in).toBeGreaterThan(40);
    expect(open!.bytes_out).toBeGreaterThan(open!.bytes_in);

    term.ws.close();
    const closed = await waitUntil(async () => {
      const x = await sessionNamed(t.session_id)();
      return x?.state === 'closed' ? x : undefined;
    }, 'the session closed');
    expect(closed.close_reason).toBe('closed by the browser');
    const audit = await openAuditRows(
      ctx,
      (
        await ctx.pools.system.query(
          `select tenant_id, entry_id, details, details_sealed, action, actor_label, target_id from audit_logs
            where action like 'remote.ssh_%' and tenant_id = $1 order by id`,
          [s.a.id],
        )
      ).rows,
    );
    const mine = audit.filter((a) => a.details.session_id === t.session_id);
    expect(mine.map((a) => a.action)).toEqual(['remote.ssh_opened', 'remote.ssh_closed']);
    expect(mine[1]).toMatchObject({ actor_label: s.a.users.operator.email, target_id: deviceId });
    expect(mine[1]!.details).toMatchObject({ reason: 'closed by the browser' });
    expect(mine[1]!.details.bytes_out as number).toBeGreaterThan(100);
    expect(typeof mine[1]!.details.duration_seconds).toBe('number');
  });

  it('refuses a reused, an expired and an unknown token before the upgrade', async () => {
    const t = await newToken();
    const term = await openTerminal(port, t.token);
    await expect(openTerminal(port, t.token)).rejects.toMatchObject({ status: 401 });
    term.ws.close();
    const old = await newToken();
    await ctx.pools.system.query(
      "update remote_sessions set token_expires_at = now() - interval '1 second' where id = $1",
      [old.session_id],
    );
    await expect(openTerminal(port, old.token)).rejects.toMatchObject({ status: 401 });
    await expect(openTerminal(port, 'x'.repeat(43))).rejects.toMatchObject({ status: 401 });
  });

  it('an admin ends an operator’s session; the operator may not end another’s', async () => {
    const t = await newToken();
    const term = await openTerminal(port, t.token);
    await term.waitFor(PROMPT);
    const other = await newToken(admin);
    expect((await operator.delete(`${base}/sessions/${other.session_id}`)).statusCode).toBe(403);
    const listed = (await sessions(operator)).find((x) => x.id === t.session_id)!;
    expect(listed.policies.end).toBe(true);
    expect(((await sessions(operator)).find((x) => x.id === other.session_id) as SessionJson).policies.end).toBe(false);
    expect((await admin.delete(`${base}/sessions/${t.session_id}`)).statusCode).toBe(204);
    const status = await term.waitStatus((m) => m.state === 'closed');
    expect(status.reason).toBe(`ended by ${s.a.users.admin.email}`);
    expect((await term.closed).code).toBe(4000);
    // A token never used is closed at once.
    expect((await admin.delete(`${base}/sessions/${other.session_id}`)).statusCode).toBe(204);
    expect((await sessionNamed(other.session_id)())?.state).toBe('closed');
    await expect(openTerminal(port, other.token)).rejects.toMatchObject({ status: 401 });
  });

  it('records an encrypted transcript when the organisation asks, readable by admins only', async () => {
    expectStatus(await admin.put(`/api/tenants/${s.a.id}/remote-access/settings`, { record_transcripts: true }), 200);
    const t = await newToken();
    const term = await openTerminal(port, t.token);
    await term.waitFor(PROMPT);
    const at = term.text().length;
    term.type(':put "transcript-marker-42"\r');
    await term.waitFor(/transcript-marker-42\r\n[\s\S]*\] > $/, at);
    term.ws.close();
    await waitUntil(
      async () => ((await sessionNamed(t.session_id)())?.state === 'closed' ? true : undefined),
      'closed',
    );
    const raw = await ctx.pools.system.query<{ data_enc: Buffer }>(
      'select data_enc from remote_transcript_chunks where session_id = $1',
      [t.session_id],
    );
    expect(raw.rows.length).toBeGreaterThan(0);
    expect(Buffer.concat(raw.rows.map((r) => r.data_enc)).includes('transcript-marker-42')).toBe(false);
    expect((await operator.get(`${base}/sessions/${t.session_id}/transcript`)).statusCode).toBe(403);
    const tr = expectStatus<{ text: string }>(await admin.get(`${base}/sessions/${t.session_id}/transcript`), 200);
    expect(tr.text).toContain('transcript-marker-42');
    expect((await sessionNamed(t.session_id)())?.policies.read_transcript).toBe(true);
    expectStatus(await admin.put(`/api/tenants/${s.a.id}/remote-access/settings`, { record_transcripts: false }), 200);
  });

  it('another organisation sees neither the device nor its sessions', async () => {
    const b = apiAs(ctx, s, 'admin', s.b);
    expect((await b.post(`/api/tenants/${s.b.id}/devices/${deviceId}/ssh-session`)).statusCode).toBe(404);
    expect((await b.get(`/api/tenants/${s.b.id}/devices/${deviceId}/sessions`)).statusCode).toBe(404);
  });
});

/** Connects to a tunnel and sends `data`; resolves with what came back before `ms`, and whether it was cut. */
function throughTunnel(tunnelPort: number, data: Buffer, ms = 1_500) {
  return new Promise<{ echoed: Buffer; closed: boolean; refused: boolean }>((resolve) => {
    const got: Buffer[] = [];
    let closed = false;
    const sock = net.connect({ host: '127.0.0.1', port: tunnelPort });
    sock.on('data', (b) => {
      got.push(b);
      if (Buffer.concat(got).length >= data.length) finish();
    });
    sock.on('connect', () => sock.write(data));
    sock.on('close', () => {
      closed = true;
      finish();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') resolve({ echoed: Buffer.alloc(0), closed: true, refused: true });
    });
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      sock.destroy();
      resolve({ echoed: Buffer.concat(got), closed, refused: false });
    }
  });
}

type TunnelJson = { tunnel_id: string; host: string; port: number; uri: string; allowed_addresses: string[] };

describe('WinBox tunnels', () => {
  it('carries bytes to the router and back for the requesting address, then closes on request (idempotently)', async () => {
    const t = expectStatus<TunnelJson>(await operator.post(`${base}/winbox-session`, {}), 201);
    expect(t.port).toBeGreaterThanOrEqual(FIRST);
    expect(t.port).toBeLessThanOrEqual(FIRST + 2);
    expect(t.host).toBe('127.0.0.1');
    expect(t.uri).toBe(`winbox://127.0.0.1:${t.port}`);
    expect(t.allowed_addresses).toEqual(['127.0.0.1']);
    const payload = Buffer.from([0x01, 0x00, 0xff, 0x10, ...Buffer.from('winbox-bytes')]);
    const r = await throughTunnel(t.port, payload);
    expect(r.echoed.equals(payload)).toBe(true);
    await ctx.services.remoteAccess.registry.tick();
    const listed = (await sessions()).find((x) => x.id === t.tunnel_id)!;
    expect(listed).toMatchObject({ kind: 'winbox', state: 'open', uri: t.uri, bytes_in: payload.length });
    expect(listed.bytes_out).toBe(payload.length);
    expect((await operator.delete(`${base}/winbox-session/${t.tunnel_id}`)).statusCode).toBe(204);
    expect((await operator.delete(`${base}/winbox-session/${t.tunnel_id}`)).statusCode).toBe(204);
    expect((await throughTunnel(t.port, payload)).refused).toBe(true);
    expect((await sessionNamed(t.tunnel_id)())?.close_reason).toBe(`ended by ${s.a.users.operator.email}`);
  });

  it('cuts off any other address before a byte reaches the router', async () => {
    const t = expectStatus<TunnelJson>(
      await operator.post(`${base}/winbox-session`, { allowed_addresses: ['192.0.2.10'] }),
      201,
    );
    const r = await throughTunnel(t.port, Buffer.from('hello'));
    expect(r.echoed.length).toBe(0);
    expect(r.closed).toBe(true);
    await ctx.services.remoteAccess.registry.tick();
    expect((await sessionNamed(t.tunnel_id)())?.bytes_in).toBe(0);
    expect((await operator.delete(`${base}/winbox-session/${t.tunnel_id}`)).statusCode).toBe(204);
  });

  it('closes a tunnel and a terminal left idle', async () => {
    expectStatus(await admin.put(`/api/tenants/${s.a.id}/remote-access/settings`, { idle_timeout_seconds: 10 }), 200);
    try {
      const t = expectStatus<TunnelJson>(await operator.post(`${base}/winbox-session`, {}), 201);
      const tok = await newToken();
      const term = await openTerminal(port, tok.token);
      await term.waitFor(PROMPT);
      expect((await throughTunnel(t.port, Buffer.from('ping'))).echoed.toString()).toBe('ping');
      const status = await term.waitStatus((m) => m.state === 'closed', 20_000);
      expect(status.reason).toBe('idle');
      const tunnel = await waitUntil(
        async () => {
          const x = await sessionNamed(t.tunnel_id)();
          return x?.state === 'closed' ? x : undefined;
        },
        'the tunnel closed',
        20_000,
      );
      expect(tunnel.close_reason).toBe('idle');
      expect((await throughTunnel(t.port, Buffer.from('late'))).refused).toBe(true);
    } finally {
      expectStatus(
        await admin.put(`/api/tenants/${s.a.id}/remote-access/settings`, { idle_timeout_seconds: 900 }),
        200,
      );
    }
  }, 40_000);

  it('two processes share the port pool without handing out a port twice', async () => {
    const other = createRemoteAccessService({
      appPool: ctx.pools.app,
      systemPool: ctx.pools.system,
      envelope: ctx.services.envelope,
      log: pino({ level: 'silent' }),
      deviceAccess: ctx.services.deviceAccess,
      options: { winbox: { first: FIRST, last: FIRST + 2, bindHost: '127.0.0.1' } },
    });
    const actor: Actor = {
      principal: {
        kind: 'user',
        userId: s.a.users.admin.id,
        tenantId: s.a.id,
        role: 'admin',
        email: s.a.users.admin.email,
        name: 'admin',
        sessionId: 'test',
        mustUpgradeAuth: false,
        scope: 'full',
      },
      tenantId: s.a.id,
      ip: '127.0.0.1',
      requestId: null,
    };
    try {
      const [a1, b1, a2] = await Promise.all([
        operator.post(`${base}/winbox-session`, {}),
        other.openWinbox(actor, deviceId, {}, 'tod.example'),
        operator.post(`${base}/winbox-session`, {}),
      ]);
      const ports = [expectStatus<TunnelJson>(a1, 201).port, b1.port, expectStatus<TunnelJson>(a2, 201).port];
      expect(new Set(ports).size).toBe(3);
      const full = await admin.post(`${base}/winbox-session`, {});
      expect(full.statusCode).toBe(503);
      expect(full.json().code).toBe('winbox_pool_exhausted');
      // Ending the other process's tunnel through this one: it learns of it at its next upkeep.
      expect((await admin.delete(`${base}/winbox-session/${b1.tunnel_id}`)).statusCode).toBe(204);
      await other.registry.tick();
      expect((await sessionNamed(b1.tunnel_id)())?.state).toBe('closed');
      const again = expectStatus<TunnelJson>(await admin.post(`${base}/winbox-session`, {}), 201);
      expect(again.port).toBe(b1.port);
      for (const t of [a1.json(), a2.json(), again] as TunnelJson[])
        expect((await admin.delete(`${base}/winbox-session/${t.tunnel_id}`)).statusCode).toBe(204);
    } finally {
      await other.stop();
    }
  });
});
