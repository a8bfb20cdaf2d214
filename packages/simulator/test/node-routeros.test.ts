// A RouterOS client nobody on this team wrote (node-routeros, from npm) against the simulator: connect, login,
// print, add, a trap. Where it fails on valid RouterOS 7.18+ protocol (`!empty`), the test pins down that the bug
// is node-routeros's.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RouterOSAPI } from 'node-routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { rawLogin } from './helpers.js';

let fleet: Fleet;
const users = [{ name: 'admin', password: 'np' }];

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [
      { version: '7.16', users },
      { version: '6.42.12', users },
      { version: '7.18.2', users },
    ],
  });
});
afterAll(() => fleet.stop());

function client(i: number): RouterOSAPI {
  const d = fleet.devices[i]!;
  return new RouterOSAPI({ host: d.address, port: d.port, user: d.username, password: d.password, timeout: 5 });
}

describe('node-routeros', () => {
  it('connects, logs in (6.43+ style), prints, adds, removes and sees a trap', async () => {
    const api = client(0);
    await api.connect();
    const res = await api.write('/system/resource/print');
    expect(res[0]?.['board-name']).toBe('hAP ac^2');
    const added = await api.write('/ip/address/add', ['=address=192.0.2.77/24', '=interface=ether2']);
    expect(added[0]?.ret).toMatch(/^\*[0-9A-F]+$/);
    const printed = await api.write('/ip/address/print', [`?.id=${added[0]?.ret}`]);
    expect(printed).toHaveLength(1);
    expect(printed[0]?.address).toBe('192.0.2.77/24');
    await api.write('/ip/address/remove', [`=.id=${added[0]?.ret}`]);
    const err = await api.write('/ip/address/add', ['=address=1.1.1.1/32', '=interface=nope']).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/input does not match any value of interface/);
    await api.close();
  });

  it('logs in to a pre-6.43 device with the MD5 challenge', async () => {
    const api = client(1);
    await api.connect();
    const id = await api.write('/system/identity/print');
    expect(id[0]?.name).toBe('MikroTik');
    await api.close();
  });

  it('a wrong password is reported as a login failure', async () => {
    const d = fleet.devices[0]!;
    const api = new RouterOSAPI({ host: d.address, port: d.port, user: 'admin', password: 'wrong', timeout: 5 });
    await expect(api.connect()).rejects.toThrow(/password is invalid/i);
  });

  it('7.18 `!empty` is valid RouterOS but node-routeros does not know it (its bug, not the simulator)', async () => {
    // The simulator sends exactly `!empty` then `!done` (the RouterOS 7.18 wire format) ...
    const raw = await rawLogin(fleet.devices[2]!);
    raw.send('/ip/address/print', '?address=203.0.113.250/32', '.tag=1');
    expect(await raw.untilDone('1')).toEqual([
      ['!empty', '.tag=1'],
      ['!done', '.tag=1'],
    ]);
    raw.close();
    // ... and node-routeros throws UNKNOWNREPLY from an event handler for it, while a non-empty print works.
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'clients/node-routeros-print.cjs');
    const d = fleet.devices[2]!;
    // A child process (asynchronously: the simulator serves from this process's event loop).
    const run = async (...words: string[]) => {
      const { stdout } = await promisify(execFile)(
        'node',
        [script, d.address, String(d.port), d.username, d.password, ...words],
        { timeout: 15_000 },
      );
      return JSON.parse(stdout);
    };
    expect((await run('/system/identity/print')).rows).toEqual([{ name: 'MikroTik' }]);
    const empty = await run('/ip/address/print', '?address=203.0.113.250/32');
    expect(empty.rows).toBeUndefined();
    expect(JSON.stringify(empty)).toMatch(/UNKNOWNREPLY/);
  });
});
