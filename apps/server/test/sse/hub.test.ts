import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { features } from '../../src/features/index.js';
import { createLiveHub } from '../../src/features/sse/hub.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { createMemoryBus } from '../../src/platform/bus/index.js';
import { registerCatalogs } from '../../src/platform/feature/assemble.js';

registerCatalogs(features);

// The per-process live hub over the real in-memory bus: a message after a quiet spell goes out at once, a burst is
// gathered for the flush interval with device states coalesced to the latest per device, every stream gets one
// write per flush, and streams with the same permissions share one encoded text.

const bus = createMemoryBus({ log: pino({ level: 'silent' }) });
afterAll(() => bus.close());

const TENANT = '00000000-0000-4000-8000-000000000001';
const user = (role: 'viewer' | 'admin', n: number): Principal => ({
  kind: 'user',
  userId: `00000000-0000-4000-8000-00000000010${n}`,
  tenantId: TENANT,
  role,
  email: `${role}${n}@example.test`,
  name: role,
  sessionId: `00000000-0000-4000-8000-00000000020${n}`,
  mustUpgradeAuth: false,
  scope: 'full',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live hub', () => {
  it('coalesces device states per flush, writes once per stream per flush, and filters by permission', async () => {
    const hub = createLiveHub({
      subscribe: bus.subscribeTenant.bind(bus),
      permissions: { 'device.state': 'devices.read', 'audit.secret': 'audit.list' },
      coalesce: { 'device.state': (m) => m.deviceId as string },
      flushMs: 200,
    });
    const writes = new Map<string, string[]>();
    const stream = (name: string, p: Principal) => {
      writes.set(name, []);
      return hub.join(TENANT, { principal: p, write: (t) => writes.get(name)!.push(t) });
    };
    const leave = [stream('v1', user('viewer', 1)), stream('v2', user('viewer', 2)), stream('a1', user('admin', 3))];
    const state = (deviceId: string, cpu: number) =>
      bus.publishLive({ type: 'device.state', tenantId: TENANT, deviceId, cpu });

    state('d1', 1); // after a quiet spell: sent at once
    await sleep(20);
    expect(writes.get('v1')).toHaveLength(1);
    for (let i = 0; i < 50; i++) state(`d${i % 5}`, 100 + i);
    bus.publishLive({ type: 'audit.secret', tenantId: TENANT, x: 1 });
    bus.publishLive({ type: 'audit.secret', tenantId: TENANT, x: 2 });
    await sleep(20);
    expect(writes.get('v1')).toHaveLength(1); // gathered, not yet sent
    await sleep(300);
    for (const name of ['v1', 'v2', 'a1']) expect(writes.get(name)).toHaveLength(2);
    const burst = writes.get('a1')![1]!;
    // The latest state per device, once each; both uncoalesced messages, in order.
    const states = [...burst.matchAll(/event: device\.state\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!));
    expect(states.map((s) => [s.deviceId, s.cpu])).toEqual([
      ['d0', 145],
      ['d1', 146],
      ['d2', 147],
      ['d3', 148],
      ['d4', 149],
    ]);
    expect([...burst.matchAll(/event: audit\.secret\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!).x)).toEqual([1, 2]);
    // Viewers may not read the audit log: their text lacks it, and they share one string.
    expect(writes.get('v1')![1]).not.toContain('audit.secret');
    expect(writes.get('v1')![1]).toBe(writes.get('v2')![1]);
    expect(writes.get('v1')![1]).toContain('"cpu":149');
    expect(writes.get('v1')![1]).not.toContain('"cpu":144');

    for (const l of leave) l();
    expect(hub.rooms).toBe(0);
    state('d1', 999);
    await sleep(250);
    expect(writes.get('v1')).toHaveLength(2);
  });
});
