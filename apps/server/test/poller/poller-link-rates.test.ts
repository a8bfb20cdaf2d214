import { RouterOSClient } from '@tod/routeros';
import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedDevice } from '../../src/features/poller/claim.js';
import { collectLinkRates } from '../../src/features/poller/collect.js';
import { DeviceState } from '../../src/features/poller/device-state.js';
import { type PollDeps, pollDevice } from '../../src/features/poller/poll.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { Gate } from '../../src/platform/concurrency/gate.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, type DeviceRow, waitFor } from './poller-fixture.js';

// The poller reading each ethernet port's negotiated rate (/interface/ethernet/monitor) from simulated RouterOS 7
// and 6 routers over TCP, and putting it on every poll's interface samples: null for ports without link and for
// interfaces that are not ethernet; asked again when a port comes up, and after a reboot.

let ctx: TestContext;
let fleet: Fleet;
let tenant: string;
let devs: DeviceRow[];
let deps: PollDeps;

beforeAll(async () => {
  ctx = await createTestContext();
  fleet = await startFleet({
    base: { users: [{ name: 'admin', password: 'sim-pass' }], uptimeMs: 3_600_000, rebootDelayMs: 300 },
    specs: [
      { version: '7.16', traffic: { linkedPorts: 2, linkRates: { ether2: '100Mbps' } } },
      { version: '6.49.10', traffic: { linkedPorts: 1 } },
      { version: '7.16', traffic: { linkedPorts: 1, linkRates: { ether1: '1Gbps' } } },
      { version: '7.16', generate: { interfaces: 70 }, traffic: { linkedPorts: 70 } },
    ],
  });
  tenant = await createTenant(ctx);
  devs = await addDevices(ctx, tenant, fleet, { tlsMode: () => 'plain' });
  deps = {
    access: ctx.services.deviceAccess,
    pollerId: '00000000-0000-4000-8000-000000000001',
    connectTimeoutMs: 2000,
    commandTimeoutMs: 3000,
    slowIntervalMs: 3_600_000,
    linksIntervalMs: 3_600_000,
    connectSlots: new Gate(10),
  };
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
  await ctx?.close();
});

const claimOf = (i: number): ClaimedDevice => ({
  device_id: devs[i]!.id,
  due_at: new Date(),
  tenant_id: tenant,
  config_version: 1,
  disabled: false,
  status: 'unknown',
  uptime_seconds: null,
  booted_at: null,
  version: null,
  identity: null,
});
const newState = (i: number) => new DeviceState(devs[i]!.id, { maxFailures: 100, baseMs: 100, maxMs: 100 });
/** Interface name → linkSpeedBps of a poll result. */
const speeds = (r: PollResult) => Object.fromEntries((r.interfaces ?? []).map((i) => [i.name, i.linkSpeedBps]));

describe('negotiated link rates through the poller session', () => {
  it('RouterOS 7: the rate of each running ethernet port on every poll, null for the rest', async () => {
    const state = newState(0);
    try {
      const first = await pollDevice(deps, state, claimOf(0));
      expect(first.status).toBe('online');
      expect(speeds(first)).toMatchObject({ ether1: 1e9, ether2: 1e8, ether3: null, ether4: null, ether5: null });
      // Every sample says something: a number or null, never absent.
      for (const i of first.interfaces ?? []) expect(i.linkSpeedBps === null || (i.linkSpeedBps ?? 0) > 0).toBe(true);
      const virtual = (first.interfaces ?? []).filter((i) => i.type !== 'ether');
      expect(virtual.length).toBeGreaterThan(0);
      expect(virtual.every((i) => i.linkSpeedBps === null)).toBe(true);

      // A later poll (slow collection not due) carries the rates it keeps.
      const second = await pollDevice(deps, state, claimOf(0));
      expect(second.status).toBe('online');
      expect(speeds(second)).toMatchObject({ ether1: 1e9, ether2: 1e8 });
    } finally {
      state.closeSession();
    }
  });

  it('a port that goes down has no speed; when it comes up its rate is read again at once', async () => {
    const state = newState(0);
    const admin = await RouterOSClient.connect({
      host: fleet.devices[0]!.address,
      port: fleet.devices[0]!.port,
      username: 'admin',
      password: 'sim-pass',
      tlsMode: 'plain',
    });
    try {
      await pollDevice(deps, state, claimOf(0));
      await admin.command('/interface/ethernet/disable', { numbers: 'ether2' });
      const down = await pollDevice(deps, state, claimOf(0));
      expect(speeds(down)).toMatchObject({ ether1: 1e9, ether2: null });
      // The far end now settles on 10 Mbit/s: the port is new to the poller's state, so it asks.
      fleet.device(0).spec.traffic!.linkRates!.ether2 = '10Mbps';
      await admin.command('/interface/ethernet/enable', { numbers: 'ether2' });
      const up = await pollDevice(deps, state, claimOf(0));
      expect(up.status).toBe('online');
      expect(speeds(up)).toMatchObject({ ether1: 1e9, ether2: 1e7 });
    } finally {
      fleet.device(0).spec.traffic!.linkRates!.ether2 = '100Mbps';
      await admin.close();
      state.closeSession();
    }
  });

  it('RouterOS 6: the same, from its own monitor', async () => {
    const state = newState(1);
    try {
      const r = await pollDevice(deps, state, claimOf(1));
      expect(r.status).toBe('online');
      expect(speeds(r)).toMatchObject({ ether1: 1e9, ether2: null, ether5: null });
    } finally {
      state.closeSession();
    }
  });

  it('keeps the rates between slow collections, and reads them afresh after a reboot', async () => {
    const i = 2;
    const d = fleet.device(i);
    const state = newState(i);
    try {
      expect(speeds(await pollDevice(deps, state, claimOf(i))).ether1).toBe(1e9);
      // Renegotiated without the poller being told: it keeps what it read until the next slow collection…
      d.spec.traffic!.linkRates!.ether1 = '100Mbps';
      expect(speeds(await pollDevice(deps, state, claimOf(i))).ether1).toBe(1e9);
      // …or a reboot, after which nothing negotiated before counts.
      d.reboot(300);
      let after: PollResult | undefined;
      await waitFor('rebooted and back', async () => {
        const r = await pollDevice(deps, state, claimOf(i));
        if (r.status === 'online') after = r;
        return after;
      });
      expect(after!.events.map((e) => e.type)).toContain('device.rebooted');
      expect(speeds(after!).ether1).toBe(1e8);
    } finally {
      state.closeSession();
    }
  });

  it('asks in batches of 64 ports: all 70 ports of a big switch get their rate', async () => {
    const state = newState(3);
    try {
      const r = await pollDevice(deps, state, claimOf(3));
      expect(r.status).toBe('online');
      const ports = (r.interfaces ?? []).filter((x) => x.type === 'ether');
      expect(ports).toHaveLength(70);
      expect(ports.every((p) => p.linkSpeedBps === 1e9)).toBe(true);
    } finally {
      state.closeSession();
    }
  });

  it('a monitor that answers with a trap gives no rates, not a failure', async () => {
    const d = fleet.devices[0]!;
    const client = await RouterOSClient.connect({
      host: d.address,
      port: d.port,
      username: 'admin',
      password: 'sim-pass',
      tlsMode: 'plain',
    });
    try {
      // A port gone between the interface print and the monitor: RouterOS traps the whole command.
      const rates = await collectLinkRates(client, ['ether1', 'gone']);
      expect([...rates]).toEqual([
        ['ether1', null],
        ['gone', null],
      ]);
      // The session is fine afterwards.
      expect([...(await collectLinkRates(client, ['ether1']))]).toEqual([['ether1', 1e9]]);
    } finally {
      await client.close();
    }
  });
});
