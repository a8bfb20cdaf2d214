// WireGuard on RouterOS 7 (v6 has no such menu): interfaces with generated or given x25519 keys and their derived
// public key, peers with the checks RouterOS makes, both in `/export` as RouterOS writes them, an address on the
// interface, and the version differences of peer properties (7.15 names, 7.17 `responder`).
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { type RouterOSClient, TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExport } from '../../../fixtures/index.js';
import { Device, type DeviceInfo, type Fleet, type Item, startFleet } from '../src/index.js';
import { rowOf } from '../src/rows.js';
import { connect } from './helpers.js';

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    sshPort: false,
    specs: [{ version: '7.16' }, { version: '7.12.1' }, { version: '7.20.4' }, { version: '6.49.10' }],
    base: { users: [{ name: 'admin', password: 'pw' }] },
  });
});
afterAll(() => fleet?.stop());

/** A key pair made here, independently of the simulator: base64 raw private and public keys. */
function keyPair(): { priv: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const b64 = (s: string | undefined) => Buffer.from(s as string, 'base64url').toString('base64');
  return { priv: b64(privateKey.export({ format: 'jwk' }).d), pub: b64(publicKey.export({ format: 'jwk' }).x) };
}

/** The public key of a base64 private key, as WireGuard computes it (Node's x25519 over RFC 8410 DER). */
function publicOf(priv: string): string {
  const der = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), Buffer.from(priv, 'base64')]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url').toString('base64');
}

async function trapOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TrapError);
  return (e as TrapError).trapMessage;
}

async function exported(c: RouterOSClient, i: number, args: Record<string, string> = {}): Promise<string> {
  await c.command('/export', { file: 'wg', ...args });
  return (fleet.device(i).fileContents('wg.rsc') ?? '').replace(/\\\r?\n {4}/g, '');
}

describe('v7 WireGuard interfaces and peers', () => {
  it('add fills in name, port, MTU and a key; print derives the public key; /interface shows type wg', async () => {
    const d = fleet.devices[0] as DeviceInfo;
    const c = await connect(d);
    try {
      const first = (await c.run('/interface/wireguard/add', {})).done.ret;
      expect(first).toMatch(/^\*[0-9A-F]+$/);
      const given = keyPair();
      await c.command('/interface/wireguard/add', { name: 'wg-tod', 'private-key': given.priv, comment: 'tod' });
      const rows = await c.command('/interface/wireguard/print');
      expect(rows).toHaveLength(2);
      const [auto, tod] = rows;
      expect(auto).toMatchObject({ name: 'wireguard1', 'listen-port': '13231', mtu: '1420', running: 'true' });
      expect(auto?.['private-key']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(auto?.['public-key']).toBe(publicOf(auto?.['private-key'] as string));
      expect(tod).toMatchObject({ name: 'wg-tod', 'listen-port': '13232', 'public-key': given.pub, comment: 'tod' });

      const iface = (await c.command('/interface/print')).find((r) => r.name === 'wg-tod');
      expect(iface).toMatchObject({ type: 'wg', mtu: '1420', running: 'true' });
      await c.command('/ip/address/add', { address: '10.99.0.1/24', interface: 'wg-tod' });
      expect((await c.command('/ip/address/print')).find((r) => r.interface === 'wg-tod')?.address).toBe(
        '10.99.0.1/24',
      );

      expect(await trapOf(c.command('/interface/wireguard/add', { name: 'bad', 'private-key': 'abc' }))).toBe(
        'invalid value for argument private-key',
      );
      expect(await trapOf(c.command('/interface/wireguard/set', { numbers: 'wg-tod', 'public-key': given.pub }))).toBe(
        'failure: public-key is read-only',
      );
      expect(await trapOf(c.command('/interface/wireguard/add', { name: 'wg-tod' }))).toBe(
        'failure: interface with such name already exists',
      );
      // A new private key gives a new public key.
      const next = keyPair();
      await c.command('/interface/wireguard/set', { numbers: 'wg-tod', 'private-key': next.priv });
      expect((await c.command('/interface/wireguard/print')).find((r) => r.name === 'wg-tod')?.['public-key']).toBe(
        next.pub,
      );
      await c.command('/interface/wireguard/disable', { numbers: 'wireguard1' });
      expect((await c.command('/interface/wireguard/print'))[0]?.running).toBe('false');
    } finally {
      await c.close();
    }
  });

  it('peers: keys checked, one peer per public key, prefixes and keepalive normalised, read-only state', async () => {
    const c = await connect(fleet.devices[0] as DeviceInfo);
    try {
      const peer = keyPair();
      const psk = keyPair().priv;
      await c.command('/interface/wireguard/peers/add', {
        interface: 'wg-tod',
        'public-key': peer.pub,
        'preshared-key': psk,
        'allowed-address': '10.99.0.2,fd00:99::2/128',
        'endpoint-address': '198.51.100.7',
        'endpoint-port': '51820',
        'persistent-keepalive': '25',
        comment: 'branch',
      });
      const [row] = await c.command('/interface/wireguard/peers/print');
      expect(row).toMatchObject({
        interface: 'wg-tod',
        name: 'peer1',
        'public-key': peer.pub,
        'preshared-key': psk,
        'allowed-address': '10.99.0.2/32,fd00:99::2/128',
        'endpoint-address': '198.51.100.7',
        'endpoint-port': '51820',
        'persistent-keepalive': '25s',
        'current-endpoint-address': '',
        'current-endpoint-port': '0',
        rx: '0',
        tx: '0',
        disabled: 'false',
      });
      expect(row?.['last-handshake']).toBeUndefined();

      const add = (args: Record<string, string>) =>
        trapOf(
          c.command('/interface/wireguard/peers/add', {
            interface: 'wg-tod',
            'allowed-address': '10.99.0.3/32',
            ...args,
          }),
        );
      for (const bad of [
        'abc',
        peer.pub.slice(0, 43),
        `${peer.pub.slice(0, 42)}==`,
        Buffer.alloc(33).toString('base64'),
      ])
        expect(await add({ 'public-key': bad })).toBe('invalid value for argument public-key');
      expect(await add({ 'public-key': peer.pub })).toBe('failure: entry already exists');
      expect(await add({ 'public-key': keyPair().pub, 'preshared-key': 'short' })).toBe(
        'invalid value for argument preshared-key',
      );
      expect(await add({ 'public-key': keyPair().pub, 'allowed-address': '10.0.0.0/33' })).toBe(
        'invalid value for argument allowed-address',
      );
      expect(await add({ 'public-key': keyPair().pub, interface: 'ether1' })).toBe(
        'input does not match any value of interface',
      );
      expect(await add({})).toBe('missing value(s) of argument(s) public-key');
      expect(await add({ 'public-key': keyPair().pub, responder: 'yes' })).toBe('unknown parameter responder');
      await c.command('/interface/wireguard/peers/add', {
        interface: 'wg-tod',
        'public-key': keyPair().pub,
        'allowed-address': '10.99.0.3/32',
        'is-responder': 'yes',
      });
      const names = (await c.command('/interface/wireguard/peers/print')).map((r) => r.name);
      expect(names).toEqual(['peer1', 'peer2']);
      // Without the `sensitive` policy the keys are not shown.
      await c.command('/user/group/add', { name: 'ro', policy: 'read,api' });
      await c.command('/user/add', { name: 'viewer', group: 'ro', password: 'v' });
      const viewer = await connect(fleet.devices[0] as DeviceInfo, { username: 'viewer', password: 'v' });
      const [seen] = await viewer.command('/interface/wireguard/peers/print');
      expect(seen?.['preshared-key']).toBeUndefined();
      expect((await viewer.command('/interface/wireguard/print'))[1]?.['private-key']).toBeUndefined();
      await viewer.close();
      await c.command('/interface/wireguard/peers/remove', { numbers: 'peer2' });
    } finally {
      await c.close();
    }
  });

  it('export: RouterOS order, keys only with show-sensitive; the text loads back with the same keys', async () => {
    const c = await connect(fleet.devices[0] as DeviceInfo);
    try {
      const text = await exported(c, 0);
      expect(text).toMatch(
        /^\/interface wireguard\r?\nadd disabled=yes listen-port=13231 mtu=1420 name=wireguard1\r?$/m,
      );
      expect(text).toMatch(/^add comment=tod listen-port=13232 mtu=1420 name=wg-tod\r?$/m);
      expect(text).toMatch(
        /^\/interface wireguard peers\r?\nadd allowed-address=10\.99\.0\.2\/32,fd00:99::2\/128 comment=branch endpoint-address=198\.51\.100\.7 endpoint-port=51820 interface=wg-tod name=peer1 persistent-keepalive=25s public-key="[A-Za-z0-9+/]{43}="\r?$/m,
      );
      expect(text).not.toContain('private-key');
      expect(text).not.toContain('preshared-key');
      expect(text).toMatch(/^add address=10\.99\.0\.1\/24 interface=wg-tod\r?$/m);

      const full = await exported(c, 0, { 'show-sensitive': 'yes' });
      expect(full).toMatch(/name=wg-tod private-key="[A-Za-z0-9+/]{43}="/);
      expect(full).toMatch(/persistent-keepalive=25s preshared-key="[A-Za-z0-9+/]{43}=" public-key=/);
      const copy = new Device({ exportText: full });
      const before = (await c.command('/interface/wireguard/print')).map((r) => r['public-key']);
      const origin = copy.store.menu('/interface/wireguard', false)?.items ?? [];
      expect(origin.map((i) => publicOf(i.props.get('private-key') as string))).toEqual(before);
      copy.stop();
    } finally {
      await c.close();
    }
  });
});

describe('a real export', () => {
  it('v7.23 (keys hidden when exported): the interface still has a stable key pair, peers keep their names', () => {
    const d = new Device({ exportText: readExport('v7.23-terse-bkk00.rsc') });
    try {
      const [wg] = d.store.menu('/interface/wireguard', false)?.items ?? [];
      const print = () => rowOf(d, '/interface/wireguard', { path: '/interface/wireguard', item: wg as Item }, 0, true);
      const row = print();
      expect(row).toMatchObject({ name: 'wg_rotko', 'listen-port': '51820', running: 'true' });
      expect(row['public-key']).toBe(publicOf(row['private-key'] as string));
      expect(print()['public-key']).toBe(row['public-key']);
      const peers = d.store.menu('/interface/wireguard/peers', false)?.items ?? [];
      expect(peers.map((p) => p.props.get('name'))).toContain('peer12');
    } finally {
      d.stop();
    }
  });
});

describe('versions', () => {
  it('before 7.15 peers have no name; 7.17+ says responder, not is-responder', async () => {
    const old = await connect(fleet.devices[1] as DeviceInfo);
    const recent = await connect(fleet.devices[2] as DeviceInfo);
    try {
      await old.command('/interface/wireguard/add', { name: 'wg1' });
      const pub = keyPair().pub;
      expect(
        await trapOf(old.command('/interface/wireguard/peers/add', { interface: 'wg1', 'public-key': pub, name: 'x' })),
      ).toBe('unknown parameter name');
      await old.command('/interface/wireguard/peers/add', { interface: 'wg1', 'public-key': pub });
      const [row] = await old.command('/interface/wireguard/peers/print');
      expect(row?.name).toBeUndefined();
      expect(row?.['client-endpoint']).toBeUndefined();

      await recent.command('/interface/wireguard/add', { name: 'wg1' });
      const args = { interface: 'wg1', 'public-key': keyPair().pub };
      expect(await trapOf(recent.command('/interface/wireguard/peers/add', { ...args, 'is-responder': 'yes' }))).toBe(
        'unknown parameter is-responder',
      );
      await recent.command('/interface/wireguard/peers/add', { ...args, responder: 'yes' });
      expect((await recent.command('/interface/wireguard/peers/print'))[0]).toMatchObject({
        responder: 'true',
        name: 'peer1',
      });
    } finally {
      await old.close();
      await recent.close();
    }
  });

  it('RouterOS 6 has no WireGuard menu', async () => {
    const c = await connect(fleet.devices[3] as DeviceInfo);
    try {
      for (const [path, args] of [
        ['/interface/wireguard/print', {}],
        ['/interface/wireguard/add', { name: 'wg1' }],
        ['/interface/wireguard/peers/print', {}],
        ['/interface/wireguard/peers/add', { interface: 'wg1', 'public-key': keyPair().pub }],
      ] as const) {
        expect(await trapOf(c.command(path, args))).toBe('no such command prefix');
      }
      expect((await c.command('/interface/print')).some((r) => r.type === 'wg')).toBe(false);
    } finally {
      await c.close();
    }
  });
});
