// Menu commands with our client over TCP: print queries (RouterOS stack semantics), proplist, count-only, get,
// add/set/remove/enable/disable/move, unset, validation, policies of a read-only user, dynamic/built-in items.
import { q, TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    base: {
      version: '7.16',
      users: [
        { name: 'admin', password: 'a' },
        { name: 'viewer', password: 'v', group: 'read' },
      ],
      generate: { interfaces: 4, firewallRules: 6, dhcpLeases: 3 },
    },
  });
});
afterAll(() => fleet.stop());

const admin = () => connect(fleet.devices[0]!);
const viewer = () => connect({ ...fleet.devices[0]!, username: 'viewer', password: 'v' });

describe('print', () => {
  it('?name=value, ?-name, ?name, ?<, ?> and ?#| / ?#! / ?#& combine on a stack', async () => {
    const c = await admin();
    const all = await c.command('/ip/firewall/filter/print');
    expect(all).toHaveLength(6);
    const forward = await c.command('/ip/firewall/filter/print', undefined, { query: q.eq('chain', 'forward') });
    expect(forward.map((r) => r.chain)).toEqual(['forward', 'forward', 'forward', 'forward']);
    const noPort = await c.command('/ip/firewall/filter/print', undefined, { query: q.missing('dst-port') });
    expect(noPort).toHaveLength(2);
    const withPort = await c.command('/ip/firewall/filter/print', undefined, { query: q.has('dst-port') });
    expect(withPort).toHaveLength(4);
    const lt = await c.command('/ip/firewall/filter/print', undefined, { query: q.lt('dst-port', 1003) });
    expect(lt.map((r) => r['dst-port'])).toEqual(['1001', '1002']);
    const gt = await c.command('/ip/firewall/filter/print', undefined, { query: q.gt('dst-port', 1003) });
    expect(gt.map((r) => r['dst-port'])).toEqual(['1004']);
    // Raw stack words: (chain=input OR dst-port=1002), then NOT of action=drop, ANDed at the end.
    const raw = await c.command('/ip/firewall/filter/print', [
      '?chain=input',
      '?dst-port=1002',
      '?#|',
      '?action=drop',
      '?#!',
    ]);
    expect(raw.map((r) => r.chain + (r['dst-port'] ?? ''))).toEqual(['input', 'forward1002']);
    const and = await c.command('/ip/firewall/filter/print', ['?chain=input', '?action=drop', '?#&']);
    expect(and).toHaveLength(1);
    await c.close();
  });

  it('.proplist limits the properties; count-only returns !done =ret=N', async () => {
    const c = await admin();
    const rows = await c.command('/interface/print', undefined, { proplist: ['.id', 'name', 'rx-byte'] });
    expect(rows).toHaveLength(4 + 1); // ether1-4 + bridge
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['.id', 'name', 'rx-byte']);
    const r = await c.run('/interface/print', { 'count-only': '' });
    expect(r.rows).toEqual([]);
    expect(r.done.ret).toBe('5');
    await c.close();
  });

  it('ids are *hex and increase', async () => {
    const c = await admin();
    const ids = (await c.command('/ip/firewall/filter/print')).map((r) =>
      Number.parseInt((r['.id'] ?? '').slice(1), 16),
    );
    for (const id of ids) expect(id).toBeGreaterThan(0);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    await c.close();
  });

  it('get returns one value in =ret=', async () => {
    const c = await admin();
    const [first] = await c.command('/interface/print', undefined, { query: q.eq('name', 'ether1') });
    const r = await c.run('/interface/get', { '.id': first?.['.id'], 'value-name': 'name' });
    expect(r.done.ret).toBe('ether1');
    expect((await c.run('/system/identity/get', { 'value-name': 'name' })).done.ret).toBe('MikroTik');
    await c.close();
  });
});

describe('changes', () => {
  it('set on a singleton menu nothing has set yet (/ip dns on a fresh router)', async () => {
    const c = await admin();
    await c.command('/ip/dns/set', { servers: '9.9.9.9' });
    const [row] = await c.command('/ip/dns/print');
    expect(row?.servers).toBe('9.9.9.9');
  });

  it('add returns =ret=*N; set, disable, enable, remove act on it', async () => {
    const c = await admin();
    const added = await c.run('/ip/address/add', { address: '192.0.2.1/24', interface: 'ether3', comment: 'test' });
    const id = added.done.ret as string;
    expect(id).toMatch(/^\*[0-9A-F]+$/);
    await c.command('/ip/address/set', { '.id': id, comment: 'changed' });
    await c.command('/ip/address/disable', { '.id': id });
    let [row] = await c.command('/ip/address/print', undefined, { query: q.eq('.id', id) });
    expect(row).toMatchObject({ comment: 'changed', disabled: 'true', interface: 'ether3' });
    await c.command('/ip/address/enable', { numbers: id });
    [row] = await c.command('/ip/address/print', undefined, { query: q.eq('.id', id) });
    expect(row?.disabled).toBe('false');
    await c.command('/ip/address/unset', { '.id': id, 'value-name': 'comment' });
    [row] = await c.command('/ip/address/print', undefined, { query: q.eq('.id', id) });
    expect(row?.comment).toBeUndefined();
    await c.command('/ip/address/remove', { '.id': id });
    expect(await c.command('/ip/address/print', undefined, { query: q.eq('.id', id) })).toEqual([]);
    await expect(c.command('/ip/address/remove', { '.id': id })).rejects.toThrow(/no such item/);
    await c.close();
  });

  it('move reorders firewall rules', async () => {
    const c = await admin();
    const before = await c.command('/ip/firewall/filter/print');
    const last = before.at(-1)?.['.id'] as string;
    const first = before[0]?.['.id'] as string;
    await c.command('/ip/firewall/filter/move', { numbers: last, destination: first });
    const after = await c.command('/ip/firewall/filter/print');
    expect(after[0]?.['.id']).toBe(last);
    expect(after[1]?.['.id']).toBe(first);
    await c.close();
  });

  it('RouterOS-like validation: missing required, unknown interface, duplicate names', async () => {
    const c = await admin();
    await expect(c.command('/ip/address/add', { interface: 'ether1' })).rejects.toThrow(/address must be set/);
    await expect(c.command('/ip/address/add', { address: '1.1.1.1/32', interface: 'nope' })).rejects.toThrow(
      /input does not match any value of interface/,
    );
    await expect(c.command('/interface/bridge/add', { name: 'ether1' })).rejects.toThrow(/already exists/);
    await c.close();
  });

  it('dynamic items cannot be removed or changed; built-in interfaces cannot be removed', async () => {
    const c = await admin();
    const leases = await c.command('/ip/dhcp-server/lease/print');
    expect(leases).toHaveLength(3);
    expect(leases[0]?.dynamic).toBe('true');
    await expect(c.command('/ip/dhcp-server/lease/remove', { '.id': leases[0]?.['.id'] })).rejects.toThrow(/dynamic/);
    await expect(c.command('/ip/dhcp-server/lease/set', { '.id': leases[0]?.['.id'], comment: 'x' })).rejects.toThrow(
      /dynamic/,
    );
    const [ether] = await c.command('/interface/print', undefined, { query: q.eq('name', 'ether2') });
    await expect(c.command('/interface/remove', { '.id': ether?.['.id'] })).rejects.toBeInstanceOf(TrapError);
    await c.close();
  });

  it('set via /interface changes the underlying interface (rename shows everywhere)', async () => {
    const c = await admin();
    const [e4] = await c.command('/interface/print', undefined, { query: q.eq('name', 'ether4') });
    await c.command('/interface/set', { '.id': e4?.['.id'], name: 'uplink', comment: 'to core' });
    const [eth] = await c.command('/interface/ethernet/print', undefined, {
      query: q.eq('.id', e4?.['.id'] as string),
    });
    expect(eth).toMatchObject({ name: 'uplink', 'default-name': 'ether4', comment: 'to core' });
    await c.close();
  });
});

describe('policies', () => {
  it('a read-only user can print but every write is a trap', async () => {
    const c = await viewer();
    expect((await c.command('/system/resource/print')).length).toBe(1);
    const err = await c
      .command('/ip/address/add', { address: '1.1.1.1/32', interface: 'ether1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrapError);
    expect((err as TrapError).trapMessage).toBe('not enough permissions (9)');
    await expect(c.command('/system/identity/set', { name: 'x' })).rejects.toThrow(/not enough permissions/);
    await c.close();
  });
});
