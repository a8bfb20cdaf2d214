import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKey, publicKeyOf } from '../../src/features/vpn/keys.js';
import { DUMP_FILE, readStatus } from '../../src/features/vpn/status.js';
import { startEventDispatcher } from '../../src/platform/events/index.js';
import { deliveries } from '../events/helpers.js';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';
import { log } from '../poller/poller-fixture.js';

// The hub and its peers through the API, with the worker's event handlers running: a hub per organisation (its own
// keys, block and port), onboarding in one transaction, keys sealed, the hub's files rewritten once per change, and
// handshakes read from a hub's dump.

type Hub = {
  configured: boolean;
  hub: null | {
    interface: string;
    public_key: string;
    listen_port: number;
    network: string;
    hub_address: string;
    endpoint_host: string | null;
    router_interface: string;
  };
  peers_count: number;
  connected_count: number;
  status: { applied_at: string | null; apply_error: string | null; status_at: string | null };
  onboarding: { available: boolean; reason: string | null };
  policies: { write: boolean };
};
type Onboarded = { device_id: string; peer_id: string; address: string; routeros_commands: string[] };
type Peer = {
  id: string;
  device_id: string;
  device_name: string;
  address: string;
  public_key: string;
  preshared_key: boolean;
  status: { connected: boolean; last_handshake_at: string | null; rx_bytes: number | null; tx_bytes: number | null };
};

let ctx: TestContext;
let s: Seed;
let dir: string;
let admin: Api;
let adminB: Api;
let dispatcher: Awaited<ReturnType<typeof startEventDispatcher>>;
const a = () => `/api/tenants/${s.a.id}/vpn`;
const b = () => `/api/tenants/${s.b.id}/vpn`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tod-wg-api-'));
  // No WIREGUARD_ENDPOINT: each organisation names its own below (and onboarding refuses until it does).
  ctx = await createTestContext({ WIREGUARD_CONFIG_PATH: dir, WIREGUARD_APPLY: 'never', SYSLOG_PORT: '5514' });
  s = await seed(ctx);
  admin = apiAs(ctx, s, 'admin');
  adminB = apiAs(ctx, s, 'admin', s.b);
  dispatcher = await startEventDispatcher({
    systemPool: ctx.pools.system,
    handlers: ctx.services.assembly.handlers(),
    log,
    registry: new Registry(),
    pollMs: 100,
  });
});
afterAll(async () => {
  await dispatcher?.stop();
  await ctx?.close();
  await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const fileOf = (iface: string) => join(dir, `${iface}.conf`);
const readIf = (path: string) => readFile(path, 'utf8').catch(() => undefined);
const onboard = (api: Api, url: string, body: object = {}) =>
  api.post(`${url}/onboard`, {
    name: `r-${Math.random().toString(36).slice(2)}`,
    username: 'tod',
    password: 'p',
    ...body,
  });

describe('the hub', () => {
  it('does not exist until made; routers cannot be onboarded without an endpoint to dial', async () => {
    const h = expectStatus<Hub>(await admin.get(a()), 200);
    expect(h).toMatchObject({ configured: false, hub: null, peers_count: 0, onboarding: { available: false } });
    const r = await onboard(admin, a());
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('vpn_not_configured');
    // Nothing was left behind: no device.
    expect(expectStatus<{ total: number }>(await admin.get(`/api/tenants/${s.a.id}/devices`), 200).total).toBe(0);
    // An install without hubs writes nothing (no firewall table on a host that never used WireGuard).
    expect(await ctx.services.vpn.files.write('all')).toEqual({ written: [], removed: [], applyError: null });
    expect(await readIf(join(dir, 'tod-wireguard.nft'))).toBeUndefined();
  });

  it('gives each organisation its own key pair, block, port and interface', async () => {
    const ha = expectStatus<Hub>(await admin.put(a(), { endpoint_host: 'vpn-a.example.net' }), 200);
    const hb = expectStatus<Hub>(
      await adminB.put(b(), { endpoint_host: 'vpn-b.example.net', keepalive_seconds: 15 }),
      200,
    );
    for (const h of [ha, hb]) {
      expect(h.configured).toBe(true);
      expect(isKey(h.hub?.public_key ?? '')).toBe(true);
      expect(h.hub?.hub_address).toBe(h.hub?.network.replace(/0\/24$/, '1'));
      expect(h.onboarding.available).toBe(true);
    }
    expect(ha.hub?.public_key).not.toBe(hb.hub?.public_key);
    expect(ha.hub?.network).not.toBe(hb.hub?.network);
    expect(ha.hub?.listen_port).not.toBe(hb.hub?.listen_port);
    expect(ha.hub?.interface).not.toBe(hb.hub?.interface);
    // PUT again changes settings only: the keys and place stay.
    const again = expectStatus<Hub>(await admin.put(a(), { router_interface: 'wg-tod' }), 200);
    const { updated_at: _u, ...place } = ha.hub as NonNullable<Hub['hub']> & { updated_at: string };
    expect(again.hub).toMatchObject({ ...place, router_interface: 'wg-tod', endpoint_host: 'vpn-a.example.net' });
    await admin.put(a(), { router_interface: 'tod-wg' });
  });

  it('a viewer sees the hub but not the right to change it; an operator may not change it', async () => {
    const v = expectStatus<Hub>(await apiAs(ctx, s, 'viewer').get(a()), 200);
    expect(v.policies.write).toBe(false);
    expect(v.hub?.public_key).toBeTruthy();
    expect((await apiAs(ctx, s, 'operator').put(a(), { keepalive_seconds: 10 })).statusCode).toBe(403);
    expect(
      (await apiAs(ctx, s, 'operator').post(`${a()}/onboard`, { name: 'x', username: 'a', password: 'b' })).statusCode,
    ).toBe(403);
  });
});

describe('onboarding', () => {
  let first: Onboarded;

  it('makes the device (its host the tunnel address) and its peer, and answers the router’s commands once', async () => {
    const h = expectStatus<Hub>(await admin.get(a()), 200);
    first = expectStatus<Onboarded>(await onboard(admin, a(), { name: 'branch-1', port: 8728, ssh_port: 2222 }), 201);
    const prefix = h.hub?.network.split('/')[1];
    expect(first.address).toBe(h.hub?.network.replace(/0\/24$/, '2'));
    const device = expectStatus<{ host: string; name: string }>(
      await admin.get(`/api/tenants/${s.a.id}/devices/${first.device_id}`),
      200,
    );
    expect(device).toMatchObject({ host: first.address, name: 'branch-1' });
    const lines = first.routeros_commands.filter((l) => !l.startsWith('#'));
    expect(lines).toHaveLength(4);
    const privateKey = /private-key="([^"]+)"/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(isKey(privateKey)).toBe(true);
    expect(lines[1]).toContain(`public-key="${h.hub?.public_key}"`);
    expect(lines[1]).toContain(`endpoint-address=vpn-a.example.net endpoint-port=${h.hub?.listen_port}`);
    expect(lines[1]).toContain(`allowed-address=${h.hub?.hub_address}/32`);
    expect(lines[1]).toMatch(/preshared-key="[A-Za-z0-9+/]{43}="/);
    expect(lines[2]).toBe(
      `/ip address add address=${first.address}/${prefix} interface=tod-wg comment="TOD WireGuard"`,
    );
    expect(lines[3]).toContain(`src-address=${h.hub?.hub_address} protocol=tcp dst-port=8728,8729,2222`);

    // The peer's public key is the private key's; the private key is never shown again, nor stored in the clear.
    const peers = expectStatus<{ items: Peer[] }>(await admin.get(`${a()}/peers`), 200).items;
    expect(peers).toEqual([
      expect.objectContaining({
        id: first.peer_id,
        device_id: first.device_id,
        device_name: 'branch-1',
        address: first.address,
        public_key: publicKeyOf(privateKey),
        preshared_key: true,
        status: expect.objectContaining({ connected: false, last_handshake_at: null }),
      }),
    ]);
    const everything = await ctx.pools.system.query<{ t: string }>(
      `select string_agg(t::text, ' ') as t from (select * from vpn_peers) t union all
       select string_agg(t::text, ' ') from (select * from vpn_hubs) t union all
       select string_agg(t::text, ' ') from audit_logs t union all
       select string_agg(t::text, ' ') from domain_events t union all
       select string_agg(t::text, ' ') from devices t`,
    );
    const stored = everything.rows.map((r) => r.t).join(' ');
    expect(stored).toContain(publicKeyOf(privateKey));
    expect(stored).not.toContain(privateKey);
    const r = await admin.get(`${a()}/peers`);
    expect(r.body).not.toContain(privateKey);
  });

  it('is one transaction: a device that cannot be made leaves no peer, and the next router gets the next address', async () => {
    const before = expectStatus<{ total: number }>(await admin.get(`${a()}/peers`), 200).total;
    const bad = await onboard(admin, a(), { site_id: '00000000-0000-4000-8000-000000000000' });
    expect(bad.statusCode).toBe(422);
    const dup = await onboard(admin, a(), { name: 'no-credentials', username: undefined, password: undefined });
    expect(dup.statusCode).toBe(422);
    expect(expectStatus<{ total: number }>(await admin.get(`${a()}/peers`), 200).total).toBe(before);
    const next = expectStatus<Onboarded>(await onboard(admin, a(), { preshared_key: false }), 201);
    expect(next.address).toBe(first.address.replace(/\.2$/, '.3'));
    expect(next.routeros_commands.join('\n')).not.toContain('preshared-key');
  });

  it('many at once in one organisation never share an address', async () => {
    const made = await Promise.all(Array.from({ length: 8 }, () => onboard(admin, a())));
    const addresses = made.map((r) => expectStatus<Onboarded>(r, 201).address);
    expect(new Set(addresses).size).toBe(8);
  });

  it('an existing device gets a peer and its commands; a second peer for it is refused', async () => {
    const dev = expectStatus<{ id: string }>(
      await admin.post(`/api/tenants/${s.a.id}/devices?probe=false`, {
        name: 'lan-router',
        host: '192.0.2.50',
        username: 'admin',
        password: 'x',
      }),
      201,
    );
    const p = expectStatus<{ peer_id: string; routeros_commands: string[]; operation_id: null }>(
      await admin.post(`${a()}/peers`, { device_id: dev.id }),
      201,
    );
    expect(p.operation_id).toBeNull();
    expect(p.routeros_commands.some((l) => l.startsWith('/interface wireguard add'))).toBe(true);
    const again = await admin.post(`${a()}/peers`, { device_id: dev.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('vpn_peer_exists');
    // A RouterOS 6 device (as the poller saw it) has no WireGuard.
    const old = expectStatus<{ id: string }>(
      await admin.post(`/api/tenants/${s.a.id}/devices?probe=false`, {
        name: 'old',
        host: '192.0.2.51',
        username: 'admin',
        password: 'x',
      }),
      201,
    );
    await ctx.pools.system.query(`update devices set version = '6.49.10' where id = $1`, [old.id]);
    const refused = await admin.post(`${a()}/peers`, { device_id: old.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('vpn_unsupported');
  });

  it('another organisation’s peers and devices are not found', async () => {
    const theirs = expectStatus<Onboarded>(await onboard(adminB, b()), 201);
    expect((await admin.delete(`${a()}/peers/${theirs.peer_id}`)).statusCode).toBe(404);
    expect((await admin.post(`${a()}/peers`, { device_id: theirs.device_id })).statusCode).toBe(404);
    expect((await admin.get(b())).statusCode).toBe(404);
    const mine = expectStatus<{ items: Peer[] }>(await admin.get(`${a()}/peers`), 200).items;
    expect(mine.map((p) => p.id)).not.toContain(theirs.peer_id);
  });
});

describe('the hub’s files', () => {
  it('are rewritten once per change by the worker, mode 0600, with each organisation’s peers only', async () => {
    const ha = expectStatus<Hub>(await admin.get(a()), 200);
    const hb = expectStatus<Hub>(await adminB.get(b()), 200);
    const peers = expectStatus<{ items: Peer[] }>(await admin.get(`${a()}/peers`), 200).items;
    const text = await waitFor('organisation A’s file with every peer', async () => {
      const t = await readIf(fileOf(ha.hub?.interface ?? ''));
      return t && peers.every((p) => t.includes(`PublicKey = ${p.public_key}`)) ? t : undefined;
    });
    expect((await stat(fileOf(ha.hub?.interface ?? ''))).mode & 0o777).toBe(0o600);
    // The file's private key is the hub's: the public key GET /vpn shows.
    const privateKey = /PrivateKey = (\S+)/.exec(text)?.[1] ?? '';
    expect(publicKeyOf(privateKey)).toBe(ha.hub?.public_key);
    expect(text).toContain(`ListenPort = ${ha.hub?.listen_port}`);
    expect(text).toContain(`Address = ${ha.hub?.hub_address}/24`);
    for (const p of peers) expect(text).toContain(`AllowedIPs = ${p.address}/32`);
    expect(text.match(/\[Peer\]/g)).toHaveLength(peers.length);
    const other = await waitFor('organisation B’s file', () => readIf(fileOf(hb.hub?.interface ?? '')));
    for (const p of peers) expect(other).not.toContain(p.public_key);

    const firewall = await readFile(join(dir, 'tod-wireguard.nft'), 'utf8');
    expect(firewall).toContain(`iifname "${ha.hub?.interface}" ip daddr != ${ha.hub?.hub_address} drop`);
    expect(firewall).toContain(`iifname "${hb.hub?.interface}" ip daddr != ${hb.hub?.hub_address} drop`);
    expect(firewall).toContain('iifname "todwg*" oifname "todwg*" drop');
    expect(firewall).toContain('udp dport 5514 accept');

    // Each change was handled once: one delivery per event, each done.
    const events = async () =>
      (
        await ctx.pools.system.query<{ n: number }>(
          `select count(*)::int as n from domain_events where type in ('vpn.peers_changed', 'vpn.hub_changed')`,
        )
      ).rows[0]?.n ?? -1;
    const d = await waitFor('every change handled', async () => {
      const x = await deliveries(ctx.pools, 'vpn.hub_file');
      return x.length === (await events()) && x.every((y) => y.status === 'done') ? x : undefined;
    });
    expect(d.length).toBeGreaterThan(10);
    expect(new Set(d.map((x) => x.event_id)).size).toBe(d.length);
    expect(d.every((x) => x.attempts === 1)).toBe(true);
  });

  it('lose a deleted peer at once, and a deleted device’s peer at the next reconciliation', async () => {
    const ha = expectStatus<Hub>(await admin.get(a()), 200);
    const [gone, deviceGone] = expectStatus<{ items: Peer[] }>(await admin.get(`${a()}/peers`), 200).items;
    expect(expectStatus(await admin.delete(`${a()}/peers/${gone?.id}`), 204)).toBeUndefined();
    expect((await admin.delete(`${a()}/peers/${gone?.id}`)).statusCode).toBe(404);
    await waitFor('the deleted peer out of the file', async () => {
      const t = await readIf(fileOf(ha.hub?.interface ?? ''));
      return t && !t.includes(gone?.public_key ?? '') ? t : undefined;
    });
    expect((await admin.delete(`/api/tenants/${s.a.id}/devices/${deviceGone?.device_id}`)).statusCode).toBe(204);
    const before = await readFile(fileOf(ha.hub?.interface ?? ''), 'utf8');
    expect(before).toContain(deviceGone?.public_key);
    const r = await ctx.services.vpn.files.write('all');
    expect(r.written).toEqual([ha.hub?.interface]);
    expect(await readFile(fileOf(ha.hub?.interface ?? ''), 'utf8')).not.toContain(deviceGone?.public_key);
    // Nothing changed since: nothing is written.
    expect((await ctx.services.vpn.files.write('all')).written).toEqual([]);
    // A file of an organisation that no longer exists goes.
    await writeFile(join(dir, 'todwg250.conf'), '[Interface]\n', { mode: 0o600 });
    expect((await ctx.services.vpn.files.write('all')).removed).toEqual(['todwg250']);
  });
});

describe('status', () => {
  it('shows each peer’s last handshake and transfer from the hub’s dump', async () => {
    const ha = expectStatus<Hub>(await admin.get(a()), 200);
    const [p1, p2] = expectStatus<{ items: Peer[] }>(await admin.get(`${a()}/peers`), 200).items;
    const now = Math.floor(Date.now() / 1000);
    // `wg show all dump` as a gateway's timer leaves it (README), its private key hidden.
    const dump = [
      `${ha.hub?.interface}\t(hidden)\t${ha.hub?.public_key}\t${ha.hub?.listen_port}\toff`,
      `${ha.hub?.interface}\t${p1?.public_key}\t(hidden)\t203.0.113.9:13231\t${p1?.address}/32\t${now - 20}\t4096\t8192\toff`,
      `${ha.hub?.interface}\t${p2?.public_key}\t(hidden)\t(none)\t${p2?.address}/32\t${now - 3600}\t1\t2\toff`,
      // Another organisation's interface cannot reach organisation A's peers, even naming their keys.
      `todwg200\t${p2?.public_key}\t(none)\t(none)\t(none)\t${now}\t999\t999\toff`,
    ].join('\n');
    await writeFile(join(dir, DUMP_FILE), `${dump}\n`);
    const result = await readStatus(ctx.pools.system, { dir });
    expect(result.source === 'file' || result.source === 'wg').toBe(true);
    const peers = expectStatus<{ items: Peer[] }>(await admin.get(`${a()}/peers`), 200).items;
    const one = peers.find((p) => p.id === p1?.id);
    const two = peers.find((p) => p.id === p2?.id);
    expect(one?.status).toMatchObject({
      connected: true,
      rx_bytes: 4096,
      tx_bytes: 8192,
      endpoint: '203.0.113.9:13231',
    });
    expect(one?.status.last_handshake_at).toBe(new Date((now - 20) * 1000).toISOString());
    expect(two?.status).toMatchObject({ connected: false, rx_bytes: 1, tx_bytes: 2 });
    const h = expectStatus<Hub>(await admin.get(a()), 200);
    expect(h.connected_count).toBe(1);
    expect(h.status.status_at).not.toBeNull();
    // A stale dump (a gateway that stopped) is not read.
    await writeFile(join(dir, DUMP_FILE), dump.replaceAll('4096', '5000'));
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(join(dir, DUMP_FILE), old, old);
    expect((await readStatus(ctx.pools.system, { dir })).source).toBeNull();
  });
});
