// Configuration operations: /import and /system/script/run (the command subset TOD generates), scheduler items
// that really fire, backup save/load, and /safe-mode bound to the session (7.18+).
import type { RouterOSClient } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const users = [{ name: 'admin', password: 'pw' }];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [
      { version: '7.18.2', users, rebootDelayMs: 200 },
      { version: '7.16', users },
      { version: '7.18.2', users, rebootDelayMs: 200 },
    ],
  });
});
afterAll(() => fleet.stop());

async function identity(c: RouterOSClient): Promise<string | undefined> {
  return (await c.command('/system/identity/print'))[0]?.name;
}

async function reconnect(i: number): Promise<RouterOSClient> {
  for (let n = 0; n < 50; n++) {
    try {
      return await connect(fleet.devices[i]!);
    } catch {
      await sleep(50);
    }
  }
  throw new Error('device did not come back');
}

describe('import and scripts', () => {
  it('/import runs a script file: add/set/remove with [ find k=v ] selectors', async () => {
    const c = await connect(fleet.devices[0]!);
    const script = [
      '/ip address',
      'add address=192.0.2.10/24 interface=ether2 comment=tod-managed',
      '/interface ethernet set [ find default-name=ether3 ] comment="uplink \\"A\\""',
      '/ip firewall filter add chain=input action=drop comment=tod-drop',
      '/ip firewall filter remove [ find comment=tod-drop ]',
      ':log info "tod import done"',
    ].join('\n');
    await c.command('/file/add', { name: 'tod.rsc', contents: script });
    await c.command('/import', { 'file-name': 'tod.rsc' });
    const [addr] = await c.command('/ip/address/print', ['?comment=tod-managed']);
    expect(addr).toMatchObject({ address: '192.0.2.10/24', interface: 'ether2' });
    const [eth] = await c.command('/interface/ethernet/print', ['?default-name=ether3']);
    expect(eth?.comment).toBe('uplink "A"');
    expect(await c.command('/ip/firewall/filter/print', ['?comment=tod-drop'])).toEqual([]);
    expect((await c.command('/log/print')).map((l) => l.message)).toContain('tod import done');
    await c.close();
  });

  it('an import stops at the first error and reports its line', async () => {
    const c = await connect(fleet.devices[0]!);
    await c.command('/file/add', {
      name: 'bad.rsc',
      contents:
        '/system identity set name=half\n/ip address add address=1.1.1.1/32 interface=nope\n/system identity set name=never',
    });
    await expect(c.command('/import', { 'file-name': 'bad.rsc' })).rejects.toThrow(/line 2: input does not match/);
    expect(await identity(c)).toBe('half');
    await c.command('/system/identity/set', { name: 'MikroTik' });
    await c.close();
  });

  it('/system/script/run executes the source', async () => {
    const c = await connect(fleet.devices[0]!);
    await c.command('/system/script/add', { name: 'rename', source: '/system identity set name=from-script' });
    await c.command('/system/script/run', { number: 'rename' });
    expect(await identity(c)).toBe('from-script');
    const [s] = await c.command('/system/script/print', ['?name=rename']);
    expect(s?.['run-count']).toBe('1');
    await c.close();
  });
});

describe('scheduler', () => {
  it('an interval item fires its on-event (a script body), again and again', async () => {
    const c = await connect(fleet.devices[1]!);
    await c.command('/system/scheduler/add', {
      name: 'tick',
      interval: '1s',
      'on-event': '/ip address add address=198.18.0.1/32 interface=ether1 comment=tick',
    });
    await sleep(2300);
    const fired = await c.command('/ip/address/print', ['?comment=tick']);
    expect(fired.length).toBeGreaterThanOrEqual(2);
    const [item] = await c.command('/system/scheduler/print', ['?name=tick']);
    expect(Number(item?.['run-count'])).toBe(fired.length);
    expect(item?.['next-run']).toBeDefined();
    await c.command('/system/scheduler/remove', { '.id': item?.['.id'] });
    await c.close();
  });

  it('on-event naming a script runs that script; a watchdog can revert via backup load', async () => {
    const c = await connect(fleet.devices[2]!);
    await c.command('/system/backup/save', { name: 'good' });
    await c.command('/system/identity/set', { name: 'risky-change' });
    await c.command('/system/script/add', { name: 'revert', source: '/system backup load name=good.backup' });
    await c.command('/system/scheduler/add', { name: 'watchdog', interval: '1s', 'on-event': 'revert' });
    const closed = new Promise((r) => c.once('close', r));
    await closed; // the backup load reboots the device
    const after = await reconnect(2);
    expect(await identity(after)).toBe('MikroTik');
    // The watchdog itself was added after the backup, so it is gone too.
    expect(await after.command('/system/scheduler/print')).toEqual([]);
    await after.close();
  });

  it('start-time=startup runs after a reboot', async () => {
    const c = await connect(fleet.devices[0]!);
    await c.command('/system/scheduler/add', {
      name: 'boot',
      'start-time': 'startup',
      'on-event': '/system identity set name=booted',
    });
    c.command('/system/reboot').catch(() => {});
    await new Promise((r) => c.once('close', r));
    const after = await reconnect(0);
    await sleep(50);
    expect(await identity(after)).toBe('booted');
    await after.command('/system/scheduler/remove', { numbers: 'boot' });
    await after.close();
  });
});

describe('backup', () => {
  it('save makes a /file entry; load restores the configuration and reboots', async () => {
    const c = await connect(fleet.devices[0]!);
    await c.command('/system/identity/set', { name: 'saved' });
    await c.command('/system/backup/save', { name: 'snap' });
    const [file] = await c.command('/file/print', ['?name=snap.backup']);
    expect(file?.type).toBe('backup');
    await c.command('/system/identity/set', { name: 'changed' });
    await c.command('/ip/address/add', { address: '10.99.0.1/24', interface: 'ether1' });
    c.command('/system/backup/load', { name: 'snap.backup' }).catch(() => {});
    await new Promise((r) => c.once('close', r));
    const after = await reconnect(0);
    expect(await identity(after)).toBe('saved');
    expect(await after.command('/ip/address/print', ['?address=10.99.0.1/24'])).toEqual([]);
    await expect(after.command('/system/backup/load', { name: 'missing.backup' })).rejects.toThrow(/no such file/);
    await after.close();
  });
});

describe('safe mode', () => {
  it('unroll reverts the changes made in safe mode', async () => {
    const c = await reconnect(0);
    const before = await identity(c);
    await c.command('/safe-mode/take');
    await c.command('/system/identity/set', { name: 'in-safe-mode' });
    await c.command('/safe-mode/unroll');
    expect(await identity(c)).toBe(before);
    await c.close();
  });

  it('release keeps the changes', async () => {
    const c = await reconnect(0);
    await c.command('/safe-mode/take');
    await c.command('/system/identity/set', { name: 'kept' });
    await c.command('/safe-mode/release');
    await c.close();
    const again = await connect(fleet.devices[0]!);
    expect(await identity(again)).toBe('kept');
    await again.close();
  });

  it('a dropped session reverts its safe-mode changes; another session cannot take it meanwhile', async () => {
    const c = await reconnect(0);
    const other = await connect(fleet.devices[0]!);
    await c.command('/safe-mode/take');
    await expect(other.command('/safe-mode/take')).rejects.toThrow(/already taken/);
    await c.command('/system/identity/set', { name: 'lost' });
    c.destroy();
    await sleep(50);
    expect(await identity(other)).toBe('kept');
    await other.command('/safe-mode/take');
    await other.command('/safe-mode/release');
    await other.close();
  });

  it('does not exist before 7.18', async () => {
    const c = await connect(fleet.devices[1]!);
    await expect(c.command('/safe-mode/take')).rejects.toThrow(/no such command prefix/);
    await c.close();
  });
});
