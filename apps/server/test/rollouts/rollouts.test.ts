import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import { routerApi } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import {
  deviceErrors,
  planGate,
  type RolloutEnv,
  rollout,
  startRollout,
  startRolloutEnv,
  waitRollout,
} from './helpers.js';

// The rollout engine against simulated routers: waves in order (a canary first), the concurrency limit, devices that
// fail or are reverted without stopping the others, the failure threshold, pause/resume/cancel/retry, a restart in
// the middle (devices re-attached to their operations, never changed twice), a stuck device's deadline, and roles.

vi.setConfig({ testTimeout: 240_000 });
let e: RolloutEnv;
const N = 6;

beforeAll(async () => {
  e = await startRolloutEnv(
    Array.from({ length: N }, (_, i) => ({
      version: i % 2 ? '6.49.10' : '7.18.2',
      identity: `r-${i}`,
      safeModeTimeoutMs: 1500,
    })),
    { CHANGE_APPLY_SECONDS: '5', CHANGE_VERIFY_SECONDS: '5', CHANGE_WATCHDOG_GRACE_SECONDS: '5' },
  );
}, 120_000);
afterAll(() => e?.stop());

const identity = (name: string) => [{ path: '/system/identity', action: 'set', properties: { name } }];
async function identityOf(index: number) {
  const c = await routerApi(e, index);
  try {
    return (await c.command('/system/identity/print'))[0]?.name;
  } finally {
    await c.close();
  }
}
/** Runs `fn` with device `index`'s stored password wrong, restoring it whatever happens (later tests need it). */
async function withBadPassword(index: number, fn: () => Promise<void>) {
  const id = e.devices[index]!;
  expectStatus(await e.admin.patch(`${e.base}/devices/${id}`, { password: 'wrong-password' }), 200);
  try {
    await fn();
  } finally {
    expectStatus(await e.admin.patch(`${e.base}/devices/${id}`, { password: e.fleet.devices[index]!.password }), 200);
  }
}
const operationsOf = (deviceId: string) =>
  withTenant(e.ctx.pools.app, e.seed.a.id, async (db) =>
    Number((await db.query('select count(*) from change_operations where device_id = $1', [deviceId])).rows[0].count),
  );

describe('waves', () => {
  it('runs the canary, then batches, each wave after the one before, every device changed once', async () => {
    const id = await startRollout(e, {
      targets: { device_ids: e.devices },
      options: { canary: 1, batch_size: 2, concurrency: 2 },
      payload: { changes: { '*': identity('waved') } },
    });
    const r = await waitRollout(e, id);
    expect(r.status).toBe('completed');
    expect(r.counts, deviceErrors(r)).toMatchObject({ done: N, failed: 0, reverted: 0, pending: 0, running: 0 });
    expect(r.waves.map((w) => [w.size, w.canary, w.status])).toEqual([
      [1, true, 'finished'],
      [2, false, 'finished'],
      [2, false, 'finished'],
      [1, false, 'finished'],
    ]);
    // A wave starts only after every device of the one before finished.
    for (let w = 1; w < r.waves.length; w++) {
      const prevEnd = Math.max(...r.devices.filter((d) => d.wave === w - 1).map((d) => Date.parse(d.finished_at!)));
      const start = Math.min(...r.devices.filter((d) => d.wave === w).map((d) => Date.parse(d.started_at!)));
      expect(start).toBeGreaterThanOrEqual(prevEnd);
    }
    for (let i = 0; i < N; i++) expect(await identityOf(i)).toBe('waved');
    for (const d of r.devices) {
      expect(d.operation_status).toBe('confirmed');
      expect(await operationsOf(d.device_id)).toBeGreaterThanOrEqual(1);
    }
    expect(r.policies.retry_failed).toBe(false);
    // Every changed device is backed up after the rollout (backup_after defaults on for changing kinds).
    const jobs = await withTenant(e.ctx.pools.app, e.seed.a.id, async (db) =>
      Number(
        (
          await db.query(
            `select count(distinct device_id) from config_jobs where trigger = 'manual' and device_id = any($1)`,
            [e.devices],
          )
        ).rows[0].count,
      ),
    );
    expect(jobs).toBe(N);
  });

  it('backs up all targets on request (config.backup)', async () => {
    const id = await startRollout(e, {
      kind: 'test_run',
      targets: { device_ids: e.devices.slice(0, 2) },
      options: { scheduled_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    expect((await viewer.post(`${e.base}/rollouts/${id}/backup`)).statusCode).toBe(403);
    const r = expectStatus<{ queued: number; device_ids: string[] }>(
      await apiAs(e.ctx, e.seed, 'operator').post(`${e.base}/rollouts/${id}/backup`),
      202,
    );
    expect(r).toEqual({ queued: 2, device_ids: e.devices.slice(0, 2) });
    expectStatus(await e.admin.post(`${e.base}/rollouts/${id}/cancel`), 200);
  });
});

describe('failures', () => {
  it('reports a device with bad credentials and one reverted by the router; the others finish', async () => {
    const [bad, cut] = [e.devices[1]!, e.devices[2]!];
    let id = '';
    await withBadPassword(1, async () => {
      const disableApi = [
        { path: '/ip/service', action: 'set', where: { name: 'api' }, properties: { disabled: 'yes' } },
      ];
      id = await startRollout(e, {
        targets: { device_ids: e.devices },
        options: { canary: 0, batch_size: N, concurrency: 3, max_failures: 2 },
        payload: { changes: { '*': identity('second'), [cut]: disableApi } },
      });
      const r = await waitRollout(e, id, undefined, 200_000);
      expect(r.status).toBe('completed');
      expect(r.counts, deviceErrors(r)).toMatchObject({ done: N - 2, failed: 1, reverted: 1 });
      const byId = new Map(r.devices.map((d) => [d.device_id, d]));
      expect(byId.get(bad)?.status).toBe('failed');
      expect(byId.get(bad)?.error?.code).toBe('bad_credentials');
      expect(byId.get(cut)?.status).toBe('reverted');
      expect(byId.get(cut)?.error?.message).toBeTruthy();
      expect(await identityOf(0)).toBe('second');
      expect(r.policies.retry_failed).toBe(true);
    });

    // Fixed credentials: retry-failed runs the failed and reverted devices again (a new operation each).
    expectStatus(await e.admin.post(`${e.base}/rollouts/${id}/retry-failed`), 200);
    const again = await waitRollout(e, id, (x) => x.status === 'completed' && x.counts.pending === 0, 200_000);
    expect(again.devices.find((d) => d.device_id === bad)?.status).toBe('done');
    expect(again.devices.find((d) => d.device_id === bad)?.attempts).toBe(2);
    // The cut-off change is reverted again: the router keeps protecting itself.
    expect(again.devices.find((d) => d.device_id === cut)?.status).toBe('reverted');
    expect(await identityOf(1)).toBe('second');
  });

  it('pauses at the failure threshold before the next wave, and resumes', async () => {
    await withBadPassword(0, async () => {
      const id = await startRollout(e, {
        targets: { device_ids: e.devices },
        options: { canary: 1, batch_size: 5, concurrency: 5, max_failures: 0 },
        payload: { changes: { '*': identity('third') } },
      });
      const paused = await waitRollout(e, id, (r) => r.status === 'paused');
      expect(paused.pause_reason).toBe('failure_threshold');
      expect(paused.counts, deviceErrors(paused)).toMatchObject({ failed: 1, pending: N - 1 });
      expect(paused.waves[1]?.status).toBe('pending');
      expect(paused.policies).toMatchObject({ resume: true, pause: false, cancel: true });
      expect(await identityOf(3)).not.toBe('third');

      // Resume: the known failure is accepted; the rest run.
      const resumed = expectStatus<{ status: string; options: { max_failures: number } }>(
        await e.admin.post(`${e.base}/rollouts/${id}/resume`, {}),
        200,
      );
      expect(resumed.status).toBe('running');
      expect(resumed.options.max_failures).toBe(1);
      const r = await waitRollout(e, id);
      expect(r.counts, deviceErrors(r)).toMatchObject({ done: N - 1, failed: 1 });
      expect(await identityOf(3)).toBe('third');
    });
  });

  it('cancel skips the devices not started; a finished rollout cannot be paused', async () => {
    const id = await startRollout(e, {
      targets: { device_ids: e.devices },
      options: {
        canary: 1,
        batch_size: 1,
        concurrency: 1,
        scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
      payload: { changes: { '*': identity('never') } },
    });
    expect((await rollout(e, id)).status).toBe('scheduled');
    const c = expectStatus<{ status: string; counts: Record<string, number> }>(
      await e.admin.post(`${e.base}/rollouts/${id}/cancel`),
      200,
    );
    expect(c.status).toBe('cancelled');
    expect(c.counts.skipped).toBe(N);
    const again = await e.admin.post(`${e.base}/rollouts/${id}/pause`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('rollout_state');
    expect(await identityOf(0)).not.toBe('never');
  });
});

describe('stop time', () => {
  it('starts no device after stop_at: pauses as window_closed with the rest pending; resume runs them', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    // Checked where a feature starts a rollout (here bulk commands): a stop time that passed, or one before the start.
    const start = (rollout: Record<string, unknown>) =>
      e.admin.post(`${e.base}/bulk-commands`, {
        targets: { device_ids: e.devices },
        commands: '/system identity print',
        rollout,
      });
    expect(expectStatus<{ code: string }>(await start({ stop_at: past }), 422).code).toBe('rollout_stop_past');
    const hour = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const inverted = expectStatus<{ code: string; errors: Array<{ path: string }> }>(
      await start({ scheduled_at: hour(2), stop_at: hour(1) }),
      422,
    );
    expect(inverted.code).toBe('validation_failed');
    expect(inverted.errors.map((x) => x.path)).toEqual(['body.rollout.stop_at']);

    const id = await startRollout(e, {
      targets: { device_ids: e.devices },
      options: { canary: 1, batch_size: 1, concurrency: 1, stop_at: new Date(Date.now() + 3_600_000).toISOString() },
      payload: { changes: { '*': identity('fourth') } },
    });
    await waitRollout(e, id, (r) => (r.counts.done ?? 0) >= 1);
    // The window's end arrives (the clock passing stop_at, without waiting an hour).
    await withTenant(e.ctx.pools.app, e.seed.a.id, (db) =>
      db.query(`update rollouts set options = options || jsonb_build_object('stop_at', $2::text) where id = $1`, [
        id,
        past,
      ]),
    );
    const paused = await waitRollout(e, id, (r) => r.status === 'paused' && r.counts.running === 0);
    expect(paused.pause_reason).toBe('window_closed');
    expect(paused.counts.pending, deviceErrors(paused)).toBeGreaterThan(0);
    expect(paused.counts, deviceErrors(paused)).toMatchObject({ failed: 0, reverted: 0 });
    const stillPending = paused.devices.filter((d) => d.status === 'pending').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await rollout(e, id)).counts.pending).toBe(stillPending);

    const again = await e.admin.post(`${e.base}/rollouts/${id}/resume`, { stop_at: past });
    expect(expectStatus<{ code: string }>(again, 422).code).toBe('rollout_stop_past');
    const resumed = expectStatus<{ status: string; options: { stop_at?: string | null } }>(
      await e.admin.post(`${e.base}/rollouts/${id}/resume`, {}),
      200,
    );
    expect(resumed.status).toBe('running');
    expect(resumed.options.stop_at ?? null).toBeNull();
    const r = await waitRollout(e, id);
    expect(r.counts, deviceErrors(r)).toMatchObject({ done: N, pending: 0 });
  });
});

describe('test mode', () => {
  it('waits for Keep; keep-all confirms every waiting change and the rollout finishes', async () => {
    const id = await startRollout(e, {
      targets: { device_ids: e.devices.slice(0, 2) },
      options: { canary: 0, batch_size: 2, concurrency: 2, mode: 'test' },
      payload: { changes: { '*': identity('kept') } },
    });
    const waiting = await waitRollout(e, id, (r) =>
      r.devices.every((d) => d.operation_status === 'awaiting_confirmation'),
    );
    expect(waiting.status).toBe('running');
    expect(waiting.policies.keep).toBe(true);
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    expect((await viewer.post(`${e.base}/rollouts/${id}/keep`)).statusCode).toBe(403);
    const kept = expectStatus<{ kept: number }>(await e.admin.post(`${e.base}/rollouts/${id}/keep`), 200);
    expect(kept.kept).toBe(2);
    const r = await waitRollout(e, id);
    expect(r.counts.done).toBe(2);
    expect(await identityOf(0)).toBe('kept');
  });
});

describe('restart', () => {
  it('resumes after the runner stops mid-rollout: devices re-attached, none changed twice', async () => {
    const before = await Promise.all(e.devices.map(operationsOf));
    const id = await startRollout(e, {
      targets: { device_ids: e.devices },
      options: { canary: 0, batch_size: N, concurrency: 3 },
      payload: { changes: { '*': identity('restarted') } },
    });
    await waitRollout(e, id, (r) => r.devices.some((d) => d.operation_id !== null), 60_000);
    await e.stopRollouts();
    const mid = await rollout(e, id);
    expect(mid.status).toBe('running');
    e.startRollouts();
    const r = await waitRollout(e, id);
    expect(r.counts.done).toBe(N);
    const after = await Promise.all(e.devices.map(operationsOf));
    // Exactly one operation per device for this rollout.
    expect(after.map((n, i) => n - before[i]!)).toEqual(e.devices.map(() => 1));
    for (let i = 0; i < N; i++) expect(await identityOf(i)).toBe('restarted');
  });
});

describe('stopped while planning', () => {
  it('a step stopped before its change started never starts it: the next claim does, once', async () => {
    planGate.reset();
    const target = e.devices[2]!;
    const before = await operationsOf(target);
    const id = await startRollout(e, {
      kind: 'test_slow_plan',
      targets: { device_ids: [target] },
      options: { canary: 0, batch_size: 1, concurrency: 1 },
      payload: { changes: identity('planned') },
    });
    await waitRollout(e, id, (r) => r.counts.running === 1);
    // Stopped mid-planning (a shutdown); the old step's planning goes on in the background.
    await e.stopRollouts();
    e.startRollouts();
    await new Promise((r) => setTimeout(r, 300));
    planGate.open();
    const r = await waitRollout(e, id);
    expect(r.counts, deviceErrors(r)).toMatchObject({ done: 1, failed: 0 });
    expect(await operationsOf(target)).toBe(before + 1);
    expect(await identityOf(2)).toBe('planned');
  });
});

describe('deadline', () => {
  it('fails a stuck device with device_timeout and never blocks the others', async () => {
    const stuck = e.devices[4]!;
    const id = await startRollout(e, {
      kind: 'test_run',
      targets: { device_ids: e.devices },
      options: { canary: 0, batch_size: N, concurrency: N, device_timeout_seconds: 30, max_failures: null },
      payload: { stuck: [stuck] },
    });
    const early = await waitRollout(e, id, (r) => r.counts.done === N - 1, 20_000);
    expect(early.status).toBe('running');
    const r = await waitRollout(e, id, undefined, 60_000);
    const d = r.devices.find((x) => x.device_id === stuck);
    expect(d?.status).toBe('failed');
    expect(d?.error?.code).toBe('device_timeout');
  });
});

describe('targets and roles', () => {
  it('resolves groups and sites, refuses unknown ids and empty sets', async () => {
    const g = expectStatus<{ id: string }>(await e.admin.post(`${e.base}/device-groups`, { name: 'roll-g' }), 201);
    for (const d of [e.devices[3], e.devices[5]])
      expectStatus(await e.admin.patch(`${e.base}/devices/${d}`, { group_ids: [g.id] }), 200);
    const id = await startRollout(e, {
      kind: 'test_run',
      targets: { device_ids: [e.devices[1]!], group_ids: [g.id] },
      options: { max_failures: null },
    });
    const r = await waitRollout(e, id);
    expect(r.devices.map((d) => d.device_id)[0]).toBe(e.devices[1]);
    expect(new Set(r.devices.map((d) => d.device_id))).toEqual(new Set([e.devices[1], e.devices[3], e.devices[5]]));
    await expect(
      startRollout(e, { targets: { group_ids: ['00000000-0000-4000-8000-000000000000'] } }),
    ).rejects.toMatchObject({ code: 'target_not_found' });
    await expect(startRollout(e, { targets: {} })).rejects.toMatchObject({ code: 'no_targets' });
  });

  it('viewers read, operators control, another tenant sees nothing', async () => {
    const id = await startRollout(e, {
      kind: 'test_run',
      targets: { device_ids: [e.devices[0]!] },
      options: { scheduled_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const got = expectStatus<{ policies: Record<string, boolean> }>(await viewer.get(`${e.base}/rollouts/${id}`), 200);
    expect(got.policies).toMatchObject({ pause: false, cancel: false });
    expect((await viewer.post(`${e.base}/rollouts/${id}/pause`)).statusCode).toBe(403);
    const operator = apiAs(e.ctx, e.seed, 'operator');
    expect((await operator.post(`${e.base}/rollouts/${id}/pause`)).statusCode).toBe(200);
    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    expect((await other.get(`/api/tenants/${e.seed.b.id}/rollouts/${id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/tenants/${e.seed.b.id}/rollouts/${id}/cancel`)).statusCode).toBe(404);
    const list = expectStatus<{ items: { id: string }[] }>(
      await other.get(`/api/tenants/${e.seed.b.id}/rollouts`),
      200,
    );
    expect(list.items.map((x) => x.id)).not.toContain(id);
  });
});
