import { RouterOSClient } from '@tod/routeros';
import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, type DeviceRow, device, events, startPipeline, waitFor } from './poller-fixture.js';

// Out-of-band changes: someone changes a router outside TOD; the poller notices it in the router's log.
let ctx: TestContext;
let fleet: Fleet;
let devs: DeviceRow[];
let pipeline: Awaited<ReturnType<typeof startPipeline>>;

beforeAll(async () => {
  ctx = await createTestContext();
  fleet = await startFleet({
    devices: 1,
    base: {
      users: [
        { name: 'admin', password: 'sim-pass' },
        { name: 'alice', password: 'alice-pass' },
      ],
    },
  });
  const tenant = await createTenant(ctx);
  devs = await addDevices(ctx, tenant, fleet);
  pipeline = await startPipeline(ctx, { options: { slowIntervalMs: 1500 } });
}, 60_000);
afterAll(async () => {
  await pipeline?.stop();
  await fleet?.stop();
  await ctx?.close();
});

describe('out-of-band configuration changes', () => {
  it('are reported as an event with who changed what, and stamp last_config_change_at', async () => {
    const id = devs[0]!.id;
    await waitFor('online', async () => (await device(ctx, id)).status === 'online');
    // Let one slow collection set the baseline, so the changes below are the only new ones.
    await new Promise((r) => setTimeout(r, 3500));
    expect((await events(ctx, id)).map((e) => e.type)).not.toContain('device.config_changed');
    const d = fleet.devices[0]!;
    const alice = await RouterOSClient.connect({
      host: d.address,
      port: d.port,
      tlsMode: 'plain',
      username: 'alice',
      password: 'alice-pass',
    });
    await alice.command('/ip/address/add', { address: '192.0.2.1/24', interface: 'ether2' });
    await alice.command('/system/identity/set', { name: 'renamed-by-alice' });
    await alice.close();
    // The two changes may land in one collection or two (a collection can fall between them): both are reported.
    const reported = await waitFor('both changes reported', async () => {
      const rows = (
        await ctx.pools.system.query<{
          message: string;
          details: { users: string[]; changes: Array<{ action: string }> };
        }>('select message, details from events where device_id = $1 and type = $2 order by id', [
          id,
          'device.config_changed',
        ])
      ).rows;
      return rows.flatMap((r) => r.details.changes).length >= 2 ? rows : null;
    });
    for (const r of reported) {
      expect(r.message).toContain('alice');
      expect(r.details.users).toEqual(['alice']);
    }
    expect(reported.flatMap((r) => r.details.changes.map((c) => c.action))).toEqual(['added', 'changed']);
    const after = await ctx.pools.system.query('select last_config_change_at from devices where id = $1', [id]);
    expect(after.rows[0].last_config_change_at).not.toBeNull();
  });
});
