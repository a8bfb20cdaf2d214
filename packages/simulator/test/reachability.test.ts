// Changes that cut a manager off really cut it, on real sockets: `/ip service` disabled, moved to another port or
// limited by `address=`; input firewall rules that drop (black hole: no answer, socket kept open) or reject (closed
// at once); rules a device starts with are taken to let its manager in until they are changed.
import type { RouterOSClient } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Device, type Fleet, startFleet } from '../src/index.js';
import { connect, connectTls, waitFor } from './helpers.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 'pw' }];
const V7 = '7.16';
const V6 = '6.49.10';
// Started with a management rule the simulator cannot judge (an interface), a drop-all after it, and an API that
// allows one subnet: how a real router managed from an out-of-band network looks.
const MANAGED_FROM_OOB = `/ip firewall filter
add action=accept chain=input comment=oob in-interface=ether5 src-address=10.90.90.0/24
add action=drop chain=input comment="drop all remaining"
/ip service
set api address=10.90.90.0/24
`;

const SPECS = {
  apiOffV7: { version: V7 },
  apiOffV6: { version: V6 },
  sslOff: { version: V7 },
  port: { version: V7 },
  address: { version: V7 },
  dropV7: { version: V7 },
  dropV6: { version: V6 },
  reject: { version: V6, generate: { firewallRules: 0 } },
  states: { version: V7, generate: { firewallRules: 0 } },
  lists: { version: V7 },
  oob: { version: V7, exportText: MANAGED_FROM_OOB },
};
type Name = keyof typeof SPECS;
const names = Object.keys(SPECS) as Name[];
const info = (n: Name) => fleet.devices[names.indexOf(n)]!;
const device = (n: Name): Device => fleet.device(names.indexOf(n));

beforeAll(async () => {
  fleet = await startFleet({ specs: names.map((n) => ({ ...SPECS[n], users })) });
});
afterAll(() => fleet.stop());

/** How a connection attempt ends: `connected`, or the error's code (ECONNREFUSED, reset, login_timeout, …). */
async function outcome(p: Promise<RouterOSClient>): Promise<string> {
  try {
    (await p).destroy();
    return 'connected';
  } catch (e) {
    return (e as { code?: string }).code ?? 'error';
  }
}
// A connection accepted and reset at once: the client sees a reset during connect or a close before the login.
const RESET = ['ECONNRESET', 'reset', 'closed'];

/** Sessions of `d` whose packets the firewall drops now. */
const holes = (d: Device) => [...d.sessions].filter((s) => d.reach.holed(s)).length;
const identity = async (c: RouterOSClient) => (await c.command('/system/identity/print'))[0]?.name;

describe('/ip service', () => {
  it.each(['apiOffV7', 'apiOffV6'] as const)(
    'api disabled (%s): API sessions close, new ones are refused, api-ssl stays; enabled again it serves',
    async (n) => {
      const d = info(n);
      const a = await connect(d);
      const b = await connect(d);
      const ssl = await connectTls(d);
      await a.command('/ip/service/set', { numbers: 'api', disabled: 'yes' }).catch(() => {});
      await waitFor(() => a.closed && b.closed, 'the API sessions to close');
      expect(await outcome(connect(d))).toBe('ECONNREFUSED');
      expect(await identity(ssl)).toBe('MikroTik');
      await ssl.command('/ip/service/set', { numbers: 'api', disabled: 'no' });
      const again = await waitFor(() => connect(d).catch(() => undefined), 'the API to accept again');
      expect(await identity(again)).toBe('MikroTik');
      await again.close();
      await ssl.close();
    },
  );

  it('api-ssl disabled: api-ssl sessions close and new ones are refused; the plain API is untouched', async () => {
    const d = info('sslOff');
    const plain = await connect(d);
    const ssl = await connectTls(d);
    await plain.command('/ip/service/disable', { numbers: 'api-ssl' });
    await waitFor(() => ssl.closed, 'the api-ssl session to close');
    expect(await outcome(connectTls(d))).toBe('ECONNREFUSED');
    expect(await identity(plain)).toBe('MikroTik');
    await plain.command('/ip/service/enable', { numbers: 'api-ssl' });
    const again = await waitFor(() => connectTls(d).catch(() => undefined), 'api-ssl to accept again');
    await again.close();
    await plain.close();
  });

  it('port moved: the old port stops accepting, the open session stays; moved back it accepts', async () => {
    const d = info('port');
    const a = await connect(d);
    await a.command('/ip/service/set', { numbers: 'api', port: '18728' });
    await waitFor(async () => (await outcome(connect(d))) === 'ECONNREFUSED', 'the old port to refuse');
    expect(await identity(a)).toBe('MikroTik');
    await a.command('/ip/service/set', { numbers: 'api', port: '8728' });
    const again = await waitFor(() => connect(d).catch(() => undefined), 'the port to accept again');
    await again.close();
    await a.close();
  });

  it('address=: a client outside the list is refused at once; the open session stays', async () => {
    const d = info('address');
    const a = await connect(d);
    await a.command('/ip/service/set', { numbers: 'api', address: '10.0.0.0/8,192.168.88.0/24' });
    expect(RESET).toContain(await outcome(connect(d)));
    expect(await identity(a)).toBe('MikroTik');
    await a.command('/ip/service/set', { numbers: 'api', address: '10.0.0.0/8,127.0.0.0/8' });
    expect(await outcome(connect(d))).toBe('connected');
    await a.command('/ip/service/set', { numbers: 'api', address: '' });
    await a.close();
  });
});

describe('input firewall', () => {
  it.each(['dropV7', 'dropV6'] as const)(
    'drop (%s): the open session is black-holed (no answer, socket open), new ones get no answer; removed, the waiting command is answered',
    async (n) => {
      const d = info(n);
      const dev = device(n);
      const a = await connect(d);
      const ssl = await connectTls(d);
      // Before the generated "accept established,related" rule, which would let the open session through.
      const [first] = await a.command('/ip/firewall/filter/print');
      expect(first?.['connection-state']).toBe('established,related');
      const rule = { chain: 'input', action: 'drop', protocol: 'tcp', 'dst-port': '8728', 'src-address': '127.0.0.1' };
      const before = { 'place-before': first?.['.id'] as string };
      const id = (await a.run('/ip/firewall/filter/add', { ...rule, ...before })).done.ret as string;
      await waitFor(() => holes(dev) === 1, 'the session to be black-holed');
      await expect(a.command('/system/identity/print', undefined, { timeoutMs: 300 })).rejects.toMatchObject({
        code: 'command_timeout',
      });
      expect(a.closed).toBe(false);
      expect(await outcome(connect(d, { loginTimeoutMs: 300 }))).toBe('login_timeout');
      // The rule names 8728: api-ssl (8729) is not caught.
      expect(await identity(ssl)).toBe('MikroTik');
      const waiting = a.command('/system/identity/print', undefined, { timeoutMs: 0 });
      await ssl.command('/ip/firewall/filter/remove', { numbers: id });
      expect((await waiting)[0]?.name).toBe('MikroTik');
      expect(holes(dev)).toBe(0);
      expect(await outcome(connect(d))).toBe('connected');
      await a.close();
      await ssl.close();
    },
  );

  it('reject: the open session is closed at once, new ones are refused', async () => {
    const d = info('reject');
    const a = await connect(d);
    const ssl = await connectTls(d);
    await a.command('/ip/firewall/filter/add', {
      chain: 'input',
      action: 'reject',
      protocol: 'tcp',
      'dst-port': '8728',
    });
    await waitFor(() => a.closed, 'the rejected session to close');
    expect(RESET).toContain(await outcome(connect(d)));
    const [r] = await ssl.command('/ip/firewall/filter/print', ['?action=reject']);
    await ssl.command('/ip/firewall/filter/remove', { numbers: r?.['.id'] as string });
    expect(await outcome(connect(d))).toBe('connected');
    await ssl.close();
  });

  it('connection-state: after "accept established", a drop cuts only new connections; disabling that accept cuts the open one', async () => {
    const d = info('states');
    const dev = device('states');
    const a = await connect(d);
    const est = (
      await a.run('/ip/firewall/filter/add', {
        chain: 'input',
        action: 'accept',
        'connection-state': 'established,related,untracked',
      })
    ).done.ret as string;
    await a.command('/ip/firewall/filter/add', {
      chain: 'input',
      action: 'drop',
      protocol: 'tcp',
      'dst-port': '8000-9000',
    });
    expect(await outcome(connect(d, { loginTimeoutMs: 300 }))).toBe('login_timeout');
    expect(await identity(a)).toBe('MikroTik');
    expect(holes(dev)).toBe(0);
    await a.command('/ip/firewall/filter/disable', { numbers: est });
    await waitFor(() => holes(dev) === 1, 'the open session to be black-holed');
    a.destroy();
  });

  it('src-address-list: an entry for the client blocks new connections; disabling the entry lets them in', async () => {
    const d = info('lists');
    const a = await connect(d);
    const entry = (await a.run('/ip/firewall/address-list/add', { list: 'blocked', address: '127.0.0.0/8' })).done
      .ret as string;
    await a.command('/ip/firewall/filter/add', {
      chain: 'input',
      action: 'drop',
      'connection-state': 'new',
      'src-address-list': 'blocked',
    });
    expect(await outcome(connect(d, { loginTimeoutMs: 300 }))).toBe('login_timeout');
    await a.command('/ip/firewall/address-list/disable', { numbers: entry });
    expect(await outcome(connect(d))).toBe('connected');
    await a.close();
  });

  it('rules and address= a device starts with let its manager in; changed, they are judged as written', async () => {
    const d = info('oob');
    const dev = device('oob');
    const a = await connect(d);
    expect(await identity(a)).toBe('MikroTik');
    // A new comment changes nothing; a changed list is judged as written.
    const [drop] = await a.command('/ip/firewall/filter/print', ['?comment=drop all remaining']);
    await a.command('/ip/firewall/filter/set', { numbers: drop?.['.id'] as string, comment: 'drop the rest' });
    expect(await outcome(connect(d))).toBe('connected');
    await a.command('/ip/service/set', { numbers: 'api', address: '10.90.90.0/24,10.91.0.0/16' });
    expect(RESET).toContain(await outcome(connect(d)));
    // The drop-all rule, changed, now catches everyone: the open session too.
    await a.command('/ip/firewall/filter/set', { numbers: drop?.['.id'] as string, protocol: 'tcp' });
    await waitFor(() => holes(dev) === 1, 'the open session to be black-holed');
    a.destroy();
  });
});
