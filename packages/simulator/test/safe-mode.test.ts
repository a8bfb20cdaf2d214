// Safe mode as RouterOS keeps it (7.18+ over the API), on real sockets: bound to the session that takes it; the
// changes of every session and script are undone when that session ends — at once when it is closed, after the TCP
// timeout when the firewall drops its packets; more than 100 changes put it out of safe mode with nothing undone;
// a backup load reboots into the backup with nothing undone.
import type { RouterOSClient } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Device, type Fleet, startFleet } from '../src/index.js';
import { connect, waitFor } from './helpers.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 'pw' }];
const V = '7.18.2';
const BLACK_HOLE_TIMEOUT_MS = 3000;

const SPECS = {
  anySession: { version: V },
  quit: { version: V },
  apiOff: { version: V },
  blackHoled: { version: V, safeModeTimeoutMs: BLACK_HOLE_TIMEOUT_MS },
  history100: { version: V },
  history101: { version: V },
  backupLoad: { version: V, rebootDelayMs: 200 },
  v717: { version: '7.17.2' },
  v6: { version: '6.49.10' },
};
type Name = keyof typeof SPECS;
const names = Object.keys(SPECS) as Name[];
const info = (n: Name) => fleet.devices[names.indexOf(n)]!;
const device = (n: Name): Device => fleet.device(names.indexOf(n));

beforeAll(async () => {
  fleet = await startFleet({ tls: false, specs: names.map((n) => ({ ...SPECS[n], users })) });
});
afterAll(() => fleet.stop());

const taken = async (c: RouterOSClient) => (await c.command('/safe-mode/print'))[0]?.taken;
const listSize = (d: Device, list: string) =>
  (d.store.menu('/ip/firewall/address-list', false)?.items ?? []).filter((i) => i.props.get('list') === list).length;

/** `n` changes on `c`, pipelined: address-list entries in `list`. */
function addEntries(c: RouterOSClient, list: string, n: number, from = 0): Promise<unknown> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      c.command('/ip/firewall/address-list/add', { list, address: `198.18.${(from + i) >> 8}.${(from + i) & 255}` }),
    ),
  );
}

describe('safe mode', () => {
  it('undoes the changes of every session and script when the holder is closed by the client', async () => {
    const dev = device('anySession');
    const holder = await connect(info('anySession'));
    const other = await connect(info('anySession'));
    await holder.command('/safe-mode/take');
    expect(await taken(holder)).toBe('true');
    await holder.command('/system/identity/set', { name: 'by-holder' });
    await other.command('/ip/firewall/address-list/add', { list: 'other', address: '192.0.2.1' });
    await other.command('/system/script/add', {
      name: 's',
      source: '/ip address add address=192.0.2.9/24 interface=ether2',
    });
    await other.command('/system/script/run', { number: 's' });
    expect(dev.identity).toBe('by-holder');
    holder.destroy(); // a TCP close without release
    await waitFor(() => dev.identity === 'MikroTik', 'the changes to be undone');
    expect(await other.command('/ip/firewall/address-list/print', ['?list=other'])).toEqual([]);
    expect(await other.command('/system/script/print')).toEqual([]);
    expect(await other.command('/ip/address/print', ['?address=192.0.2.9/24'])).toEqual([]);
    expect(await taken(other)).toBe('false');
    await other.close();
  });

  it('a /quit without release undoes too (TOD must release before it logs out)', async () => {
    const dev = device('quit');
    const holder = await connect(info('quit'));
    await holder.command('/safe-mode/take');
    await holder.command('/system/identity/set', { name: 'quit' });
    await holder.close();
    await waitFor(() => dev.identity === 'MikroTik', 'the change to be undone');
  });

  it('disabling the API from the holder closes it, which undoes the change: the API is back', async () => {
    const d = info('apiOff');
    const holder = await connect(d);
    await holder.command('/safe-mode/take');
    await holder.command('/ip/service/set', { numbers: 'api', disabled: 'yes' }).catch(() => {});
    await waitFor(() => holder.closed, 'the holder to be closed');
    const again = await waitFor(() => connect(d).catch(() => undefined), 'the API to accept again');
    const [api] = await again.command('/ip/service/print', ['?name=api']);
    expect(api?.disabled).toBe('false');
    await again.close();
  });

  it('a holder black-holed by its own drop rule is undone only after the TCP timeout, its close unseen', async () => {
    const d = info('blackHoled');
    const dev = device('blackHoled');
    const holder = await connect(d);
    await holder.command('/safe-mode/take');
    await holder.command('/system/identity/set', { name: 'locked-out' });
    const [first] = await holder.command('/ip/firewall/filter/print');
    const rule = { chain: 'input', action: 'drop', protocol: 'tcp', 'dst-port': '8728', 'src-address': '127.0.0.1' };
    await holder.command('/ip/firewall/filter/add', { ...rule, 'place-before': first?.['.id'] as string });
    const cut = Date.now();
    await waitFor(() => [...dev.sessions].some((s) => dev.reach.holed(s)), 'the holder to be black-holed');
    holder.destroy(); // the router does not see this close: its packets are dropped
    expect(dev.identity).toBe('locked-out');
    expect(dev.safeMode).toBeDefined();
    await waitFor(() => dev.identity === 'MikroTik', 'the change to be undone', BLACK_HOLE_TIMEOUT_MS + 10_000);
    // Timers never fire early: the revert came no sooner than the timeout after the cut (a little slack for the
    // client reading the reply after the simulator started the timer).
    expect(Date.now() - cut).toBeGreaterThanOrEqual(BLACK_HOLE_TIMEOUT_MS - 100);
    expect(dev.store.menu('/ip/firewall/filter')?.items.some((r) => r.props.get('src-address') === '127.0.0.1')).toBe(
      false,
    );
    const again = await connect(d);
    expect((await again.command('/system/identity/print'))[0]?.name).toBe('MikroTik');
    await again.close();
  });

  it('100 changes stay in safe mode and are undone', async () => {
    const dev = device('history100');
    const holder = await connect(info('history100'));
    await holder.command('/safe-mode/take');
    await addEntries(holder, 'h', 100);
    expect(await taken(holder)).toBe('true');
    holder.destroy();
    await waitFor(() => listSize(dev, 'h') === 0, 'the 100 changes to be undone');
  });

  it('the 101st change (from any session) puts the holder out of safe mode, and nothing is undone', async () => {
    const dev = device('history101');
    const holder = await connect(info('history101'));
    const other = await connect(info('history101'));
    await holder.command('/safe-mode/take');
    await addEntries(holder, 'h', 50);
    await addEntries(other, 'h', 50, 50);
    expect(await taken(holder)).toBe('true');
    await other.command('/system/identity/set', { name: 'the-101st' });
    expect(await taken(holder)).toBe('false');
    await expect(holder.command('/safe-mode/release')).rejects.toThrow(/not taken/);
    holder.destroy();
    await waitFor(() => dev.sessions.size === 1, 'the holder session to end');
    expect(listSize(dev, 'h')).toBe(100);
    expect(dev.identity).toBe('the-101st');
    await other.close();
  });

  it('a backup load while it is held reboots into the backup: safe mode ends with nothing undone', async () => {
    const d = info('backupLoad');
    const c = await connect(d);
    await c.command('/system/identity/set', { name: 'in-backup' });
    await c.command('/system/backup/save', { name: 'b', password: 'bpw' });
    await c.command('/system/identity/set', { name: 'before-take' });
    await c.command('/safe-mode/take');
    await c.command('/system/identity/set', { name: 'in-safe-mode' });
    c.command('/system/backup/load', { name: 'b.backup', password: 'bpw' }).catch(() => {});
    await new Promise((r) => c.once('close', r));
    const after = await waitFor(() => connect(d).catch(() => undefined), 'the device to come back');
    expect((await after.command('/system/identity/print'))[0]?.name).toBe('in-backup');
    expect(await taken(after)).toBe('false');
    await after.close();
  });

  it.each(['v717', 'v6'] as const)('does not exist before 7.18 (%s)', async (n) => {
    const c = await connect(info(n));
    await expect(c.command('/safe-mode/take')).rejects.toThrow(/no such command prefix/);
    await c.close();
  });
});
