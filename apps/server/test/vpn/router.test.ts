import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publicKeyOf } from '../../src/features/vpn/keys.js';
import { type ChangesEnv, startChangesEnv, waitOperation } from '../changes/helpers.js';
import { addSimDevice, routerApi } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';

// WireGuard onboarding against simulated routers: the commands onboarding answers, run on a RouterOS 7 router as its
// terminal would (a script), and the same commands applied to a device TOD reaches through the safe-change engine.
// RouterOS 6 has no WireGuard and refuses both.

vi.setConfig({ testTimeout: 120_000 });
let e: ChangesEnv;
let dir: string;
let applied: string;
const USERS = [{ name: 'admin', password: 'sim-password' }];
const vpn = () => `${e.base}/vpn`;
type Row = Record<string, string>;
type Hub = { hub: { public_key: string; listen_port: number; hub_address: string; network: string } };
type Peer = { id: string; device_id: string; public_key: string; address: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tod-wg-router-'));
  e = await startChangesEnv(
    [
      { version: '7.16', identity: 'paste-v7', users: USERS },
      { version: '7.16', identity: 'apply-v7', users: USERS },
      { version: '6.49.10', identity: 'old-v6', users: USERS },
    ],
    { WIREGUARD_CONFIG_PATH: dir, WIREGUARD_ENDPOINT: 'hub.example.net', WIREGUARD_APPLY: 'never' },
  );
  // Like a default configuration: a drop at the end of the input chain (here for addresses the test never uses).
  for (const i of [0, 1, 2])
    await rows(i, '/ip/firewall/filter/add', {
      chain: 'input',
      action: 'drop',
      'src-address': '203.0.113.0/24',
      comment: 'defconf: drop',
    });
}, 120_000);
afterAll(async () => {
  await e?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function rows(index: number, command: string, args: Record<string, string> = {}): Promise<Row[]> {
  const c = await routerApi(e, index);
  try {
    return (await c.command(command, args)) as Row[];
  } finally {
    await c.close();
  }
}

/** Runs terminal lines on the router as a script, as pasting them into its terminal would; the error, if any. */
async function paste(index: number, lines: string[]): Promise<string | undefined> {
  const name = `tod-paste-${Math.random().toString(36).slice(2, 8)}`;
  await rows(index, '/system/script/add', { name, source: lines.join('\n') });
  try {
    await rows(index, '/system/script/run', { number: name });
    return undefined;
  } catch (err) {
    if (err instanceof TrapError) return err.trapMessage;
    throw err;
  }
}

const hub = async () => expectStatus<Hub>(await e.admin.get(vpn()), 200).hub;

describe('onboarding commands', () => {
  it('a RouterOS 7 router accepts them and ends up with the tunnel, its address and TOD’s input rule first', async () => {
    const made = expectStatus<{ peer_id: string; address: string; routeros_commands: string[] }>(
      await e.admin.post(`${vpn()}/onboard`, { name: 'branch', username: 'admin', password: 'sim-password' }),
      201,
    );
    const h = await hub();
    expect(await paste(0, made.routeros_commands)).toBeUndefined();

    const [iface] = await rows(0, '/interface/wireguard/print');
    const peer = expectStatus<{ items: Peer[] }>(await e.admin.get(`${vpn()}/peers`), 200).items.find(
      (p) => p.id === made.peer_id,
    );
    expect(iface).toMatchObject({ name: 'tod-wg', 'listen-port': '13231', 'public-key': peer?.public_key });
    expect(publicKeyOf(iface?.['private-key'] ?? '')).toBe(peer?.public_key);
    const [hubPeer] = await rows(0, '/interface/wireguard/peers/print');
    expect(hubPeer).toMatchObject({
      interface: 'tod-wg',
      'public-key': h.public_key,
      'endpoint-address': 'hub.example.net',
      'endpoint-port': String(h.listen_port),
      'allowed-address': `${h.hub_address}/32`,
      'persistent-keepalive': '25s',
    });
    expect(hubPeer?.['preshared-key']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const addresses = await rows(0, '/ip/address/print');
    expect(addresses.find((a) => a.interface === 'tod-wg')?.address).toBe(`${made.address}/24`);
    const input = (await rows(0, '/ip/firewall/filter/print')).filter((r) => r.chain === 'input');
    expect(input[0]).toMatchObject({
      action: 'accept',
      'in-interface': 'tod-wg',
      'src-address': h.hub_address,
      protocol: 'tcp',
      'dst-port': '8728,8729,22',
    });
    expect(input.at(-1)?.comment).toBe('defconf: drop');
  });

  it('RouterOS 6 has no WireGuard: the first command is refused and nothing is added', async () => {
    const made = expectStatus<{ routeros_commands: string[] }>(
      await e.admin.post(`${vpn()}/onboard`, { name: 'old', username: 'admin', password: 'sim-password' }),
      201,
    );
    // Line 3: the first command (after the two comment lines).
    expect(await paste(2, made.routeros_commands)).toMatch(/^line 3: no such command/);
    expect((await rows(2, '/ip/address/print')).some((a) => a.interface === 'tod-wg')).toBe(false);
  });
});

describe('applied through the safe-change engine', () => {
  it('configures a RouterOS 7 device TOD reaches: confirmed, its keys masked in what the operation shows', async () => {
    const id = await addSimDevice(e, 1);
    applied = id;
    const r = expectStatus<{ peer_id: string; address: string; operation_id: string; routeros_commands: null }>(
      await e.admin.post(`${vpn()}/peers`, { device_id: id, apply: true }),
      201,
    );
    expect(r.routeros_commands).toBeNull();
    const op = await waitOperation(e, id, r.operation_id, undefined, 90_000);
    expect(op.status, JSON.stringify(op)).toBe('confirmed');
    expect(op.commands).toHaveLength(4);
    expect(op.commands[0]).toContain('private-key=********');
    expect(op.commands[1]).toContain('preshared-key=********');

    const h = await hub();
    const peer = expectStatus<{ items: Peer[] }>(await e.admin.get(`${vpn()}/peers`), 200).items.find(
      (p) => p.id === r.peer_id,
    );
    const [iface] = await rows(1, '/interface/wireguard/print');
    expect(iface?.['public-key']).toBe(peer?.public_key);
    expect((await rows(1, '/interface/wireguard/peers/print'))[0]?.['public-key']).toBe(h.public_key);
    expect((await rows(1, '/ip/address/print')).some((a) => a.address === `${r.address}/24`)).toBe(true);
    const input = (await rows(1, '/ip/firewall/filter/print')).filter((x) => x.chain === 'input');
    expect(input[0]).toMatchObject({ action: 'accept', 'in-interface': 'tod-wg', 'src-address': h.hub_address });
    // Nothing secret in what the operation stored in the clear.
    const stored = await e.ctx.pools.system.query<{ t: string }>(
      'select t::text as t from change_operations t where id = $1',
      [r.operation_id],
    );
    expect(stored.rows[0]?.t).not.toContain(iface?.['private-key']);
  });

  it('a second time the router already has the interface: the operation fails before changing anything', async () => {
    const id = applied;
    const peers = expectStatus<{ items: Peer[] }>(await e.admin.get(`${vpn()}/peers`), 200).items;
    await e.admin.delete(`${vpn()}/peers/${peers.find((p) => p.device_id === id)?.id}`);
    const r = expectStatus<{ operation_id: string }>(
      await e.admin.post(`${vpn()}/peers`, { device_id: id, apply: true }),
      201,
    );
    const op = await waitOperation(e, id, r.operation_id, undefined, 90_000);
    expect(op.status).toBe('failed');
    expect(op.error?.code).toBe('vpn_peer_exists');
    expect(op.applied_count).toBe(0);
    expect(await rows(1, '/interface/wireguard/print')).toHaveLength(1);
  });

  it('a RouterOS 6 device: the operation fails, nothing applied', async () => {
    const id = await addSimDevice(e, 2);
    const r = expectStatus<{ operation_id: string }>(
      await e.admin.post(`${vpn()}/peers`, { device_id: id, apply: true }),
      201,
    );
    const op = await waitOperation(e, id, r.operation_id, undefined, 90_000);
    expect(op.status).toBe('failed');
    expect(op.error?.code).toBe('vpn_unsupported');
    expect(op.applied_count).toBe(0);
  });
});
