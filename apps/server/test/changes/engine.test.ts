import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addSimDevice, routerApi } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';
import { type ChangesEnv, startChangesEnv, submit, waitOperation } from './helpers.js';

// The apply-with-revert engine against simulated routers: RouterOS 7.18 (safe mode over the API) and 6.49
// (scheduler watchdog), every mode, a refused command, and changes that cut TOD off.

vi.setConfig({ testTimeout: 120_000 });
let e: ChangesEnv;
const ids: string[] = [];
const V7 = 0;
const V6 = 1;

beforeAll(async () => {
  e = await startChangesEnv([
    { version: '7.18.2', identity: 'edge-v7', safeModeTimeoutMs: 1500 },
    { version: '6.49.10', identity: 'edge-v6' },
    { version: '7.18.2', identity: 'dhcp-v7', generate: { dhcpLeases: 2 } },
  ]);
  ids.push(await addSimDevice(e, V7), await addSimDevice(e, V6), await addSimDevice(e, 2));
}, 60_000);
afterAll(() => e?.stop());

const identity = async (index: number) => {
  const c = await routerApi(e, index);
  try {
    return (await c.command('/system/identity/print'))[0]?.name;
  } finally {
    await c.close();
  }
};
const rows = async (index: number, path: string) => {
  const c = await routerApi(e, index);
  try {
    return await c.command(`${path}/print`);
  } finally {
    await c.close();
  }
};

describe.each([
  ['v7 (safe mode)', V7, 'safe_mode'],
  ['v6 (watchdog)', V6, 'watchdog'],
])('%s', (_name, index, strategy) => {
  it('a safe edit lands, is verified and confirmed; nothing of TOD is left on the device', async () => {
    const id = await submit(e, ids[index]!, {
      changes: [
        { path: '/system/identity', action: 'set', properties: { name: `renamed-${index}` } },
        {
          path: '/ip/firewall/filter',
          action: 'add',
          properties: { chain: 'forward', action: 'drop', 'src-address': '192.0.2.66', comment: 'tod-test' },
        },
      ],
    });
    const op = await waitOperation(e, ids[index]!, id);
    expect(op.status, JSON.stringify(op)).toBe('confirmed');
    expect(op.strategy).toBe(strategy);
    expect(op.steps.map((s) => s.status)).toEqual([
      'pending',
      'backing_up',
      'arming',
      'applying',
      'verifying',
      'confirmed',
    ]);
    expect(op.commands[0]).toMatch(/^\/system identity set name=renamed-/);
    expect(await identity(index)).toBe(`renamed-${index}`);
    expect((await rows(index, '/ip/firewall/filter')).some((r) => r.comment === 'tod-test')).toBe(true);
    expect((await rows(index, '/system/scheduler')).filter((r) => /^tod-/.test(r.name ?? ''))).toEqual([]);
    expect((await rows(index, '/file')).filter((r) => /^tod-/.test(r.name ?? ''))).toEqual([]);
  });

  it('test mode waits for Keep; Keep confirms', async () => {
    const id = await submit(e, ids[index]!, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: `kept-${index}` } }],
      mode: 'test',
      confirm_within_seconds: 60,
    });
    const waiting = await waitOperation(e, ids[index]!, id, (o) => o.status === 'awaiting_confirmation');
    expect(waiting.policies.confirm).toBe(true);
    expect(new Date(waiting.deadline!).getTime()).toBeGreaterThan(Date.now() + 30_000);
    expectStatus(await e.admin.post(`${e.base}/devices/${ids[index]}/operations/${id}/confirm`), 200);
    const op = await waitOperation(e, ids[index]!, id);
    expect(op.status).toBe('confirmed');
    expect(await identity(index)).toBe(`kept-${index}`);
  });

  it('test mode: Revert undoes the change and proves it', async () => {
    const before = await identity(index);
    const id = await submit(e, ids[index]!, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: 'not-kept' } }],
      mode: 'test',
    });
    await waitOperation(e, ids[index]!, id, (o) => o.status === 'awaiting_confirmation');
    expect(await identity(index)).toBe('not-kept');
    expectStatus(await e.admin.post(`${e.base}/devices/${ids[index]}/operations/${id}/revert`), 200);
    const op = await waitOperation(e, ids[index]!, id);
    expect(op.status).toBe('reverted');
    expect(op.reverted_verified).toBe(true);
    expect(op.revert_reason).toBe('requested');
    expect(await identity(index)).toBe(before);
  });

  it('a command the router refuses stops the change and reverts what went before it', async () => {
    const before = await identity(index);
    const id = await submit(e, ids[index]!, {
      changes: [
        { path: '/system/identity', action: 'set', properties: { name: 'half-done' } },
        { path: '/ip/address', action: 'add', properties: { address: '10.99.0.1/24', interface: 'no-such-port' } },
      ],
    });
    const op = await waitOperation(e, ids[index]!, id);
    expect(op.status).toBe('reverted');
    expect(op.revert_reason).toBe('apply_failed');
    expect(op.reverted_verified).toBe(true);
    expect(op.applied_count).toBe(1);
    expect(op.error?.message).toMatch(/input does not match any value of interface \(interface\): \/ip address add/);
    expect(await identity(index)).toBe(before);
  });

  it('standard mode applies without an on-device revert', async () => {
    const id = await submit(e, ids[index]!, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: `std-${index}` } }],
      mode: 'standard',
    });
    const op = await waitOperation(e, ids[index]!, id);
    expect(op.status).toBe('confirmed');
    expect(op.strategy).toBe('none');
    expect(await identity(index)).toBe(`std-${index}`);
  });
});

describe('DHCP leases', () => {
  it('make-static turns a dynamic lease into a static one, addressed by its MAC address', async () => {
    const [lease] = await rows(2, '/ip/dhcp-server/lease');
    expect(lease?.dynamic).toBe('true');
    const dry = expectStatus<{ commands: string[] }>(
      await e.admin.post(`${e.base}/devices/${ids[2]}/config/changes`, {
        changes: [{ path: '/ip/dhcp-server/lease', action: 'make-static', id: lease!['.id'] }],
        dry_run: true,
      }),
      200,
    );
    expect(dry.commands[0]).toBe(
      `/ip dhcp-server lease make-static [ find mac-address=${lease!['mac-address']} server=${lease!.server} ]`,
    );
    const id = await submit(e, ids[2]!, {
      changes: [{ path: '/ip/dhcp-server/lease', action: 'make-static', id: lease!['.id'] }],
    });
    expect((await waitOperation(e, ids[2]!, id)).status).toBe('confirmed');
    const after = (await rows(2, '/ip/dhcp-server/lease')).find((r) => r['mac-address'] === lease!['mac-address']);
    expect(after?.dynamic).toBe('false');
    expect(after?.address).toBe(lease!.address);
  });
});

describe('safe mode history', () => {
  it('a change of more commands than RouterOS safe mode keeps (100) is guarded by the watchdog instead', async () => {
    const changes = Array.from({ length: 95 }, (_, i) => ({
      path: '/ip/dns/static',
      action: 'add',
      properties: { name: `bulk-${i}.example`, address: '192.0.2.10' },
    }));
    const id = await submit(e, ids[V7]!, { changes });
    const op = await waitOperation(e, ids[V7]!, id);
    expect(op.status, JSON.stringify(op.steps)).toBe('confirmed');
    expect(op.strategy).toBe('watchdog');
    expect((await rows(V7, '/ip/dns/static')).filter((r) => /^bulk-/.test(r.name ?? ''))).toHaveLength(95);
  });
});

describe('one operation at a time', () => {
  it('a second change to a busy device gets 409 with the running operation', async () => {
    const first = await submit(e, ids[V7]!, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: 'busy' } }],
      mode: 'test',
    });
    const r = await e.admin.post(`${e.base}/devices/${ids[V7]}/config/changes`, {
      changes: [{ path: '/system/identity', action: 'set', properties: { name: 'second' } }],
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error ?? r.json().code).toBeDefined();
    expect(r.body).toContain(first);
    await waitOperation(e, ids[V7]!, first, (o) => o.status === 'awaiting_confirmation');
    expectStatus(await e.admin.post(`${e.base}/devices/${ids[V7]}/operations/${first}/revert`), 200);
    await waitOperation(e, ids[V7]!, first);
  });
});
