import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import { expectStatus } from '../helpers/api.js';
import { rollout, waitRollout } from '../rollouts/helpers.js';
import { type FirmwareEnv, inventory, logsOf, preUpgradeBackups, quick, startFirmwareEnv } from './helpers.js';

// A firmware rollout of 20 simulated routers through their own updaters: each gets a pre-upgrade backup and is
// verified on the exact version; the rollout runner stops in the middle (as when TOD restarts) and the routers are
// taken up where they were — none installed twice; one router that never comes back from its reboot fails at its
// deadline while the others finish.

vi.setConfig({ testTimeout: 300_000 });
const N = 20;
const STUCK = 1;
let e: FirmwareEnv;

beforeAll(async () => {
  e = await startFirmwareEnv(
    Array.from({ length: N }, (_, i) =>
      quick({
        version: i % 4 === 3 ? '7.18.2' : '7.16',
        architecture: i % 5 === 4 ? 'x86_64' : i % 2 ? 'arm' : 'arm64',
        identity: `fw-${i}`,
        ...(i === STUCK ? { faults: { neverComesBack: true } } : {}),
      }),
    ),
  );
}, 180_000);
afterAll(() => e?.stop());

const phases = (id: string) =>
  withTenant(e.ctx.pools.app, e.seed.a.id, async (db) => {
    const r = await db.query<{ phase: string | null; status: string }>(
      `select state->>'phase' as phase, status from rollout_devices where rollout_id = $1`,
      [id],
    );
    return r.rows;
  });
const installs = (i: number) => logsOf(e, i).filter((l) => /^system,info installed routeros-/.test(l));

describe('a firmware rollout of 20 routers', () => {
  it('upgrades them in the operator’s order, survives a restart, and fails the one that never comes back alone', async () => {
    expectStatus(await e.admin.post(`${e.base}/firmware/check`), 200);
    const order = [...e.devices].reverse();
    const start = await e.admin.post(`${e.base}/firmware/upgrades`, {
      targets: { device_ids: order },
      channel: 'stable',
      rollout: { canary: 0, batch_size: N, concurrency: 8, max_failures: 1, device_timeout_seconds: 45 },
    });
    const id = expectStatus<{ rollout_id: string }>(start, 202).rollout_id;
    const first = await rollout(e, id);
    // The version is the channel's newest as the routers reported it; positions follow the operator's order.
    expect(first.devices.map((d) => d.device_id)).toEqual(order);

    // Mid-way: some routers done, some waiting for theirs to come back.
    await waitRollout(e, id, (r) => (r.counts.done ?? 0) >= 2 && (r.counts.running ?? 0) > 0, 120_000);
    await waitFor(async () => (await phases(id)).some((p) => p.status === 'running' && p.phase === 'rebooting'));
    await e.stopRollouts();
    const mid = await rollout(e, id);
    expect(mid.status).toBe('running');
    expect((mid.counts.pending ?? 0) + (mid.counts.running ?? 0)).toBeGreaterThan(0);
    e.startRollouts();

    // Every other router finishes while the stuck one still waits for its deadline: it blocks nobody.
    const early = await waitRollout(e, id, (r) => r.counts.done === N - 1, 120_000);
    expect(early.status).toBe('running');
    expect(early.devices.find((d) => d.device_id === e.devices[STUCK])?.status).toBe('running');

    const r = await waitRollout(e, id, undefined, 120_000);
    expect(r.status).toBe('completed');
    expect(r.counts).toMatchObject({ done: N - 1, failed: 1, pending: 0, running: 0 });
    const stuck = r.devices.find((d) => d.device_id === e.devices[STUCK]);
    expect(stuck).toMatchObject({ status: 'failed', error: { code: 'device_timeout' } });

    const inv = await inventory(e);
    for (let i = 0; i < N; i++) {
      if (i === STUCK) continue;
      const d = e.devices[i] as string;
      expect(e.fleet.device(i).version.text, `router ${i}`).toBe('7.20.4');
      // Installed exactly once, whatever the restart interrupted.
      expect(installs(i), `router ${i}`).toEqual(['system,info installed routeros-7.20.4']);
      expect(await preUpgradeBackups(e, d), `router ${i}`).toBeGreaterThanOrEqual(1);
      expect(inv.items.find((x) => x.device_id === d)?.version).toBe('7.20.4');
    }
    expect(e.fleet.device(STUCK).accepting).toBe(false);
    expect(await preUpgradeBackups(e, e.devices[STUCK] as string)).toBe(1);
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
