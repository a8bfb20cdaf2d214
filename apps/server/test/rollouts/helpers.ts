import type { DeviceSpec } from '@tod/simulator';
import type { NewRolloutInput } from '../../src/features/rollouts/rollouts.service.js';
import { systemActor } from '../../src/platform/auth/principal.js';
import { type ChangesEnv, startChangesEnv } from '../changes/helpers.js';
import { addSimDevice } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';

// Shared by the rollout tests: the safe-change environment (backups, operations) plus the rollout runner, and a
// kind of step made of editor changes so the engine is tested before the features that start rollouts.

/** Holds test_slow_plan's planning until `open()`; `reset()` closes it again. */
export const planGate = (() => {
  const g = { promise: Promise.resolve(), open: () => {}, reset: () => {} };
  g.reset = () => {
    g.promise = new Promise<void>((r) => {
      g.open = r;
    });
  };
  g.reset();
  return g;
})();

export type RolloutEnv = ChangesEnv & {
  devices: string[];
  restartRollouts: () => Promise<void>;
  stopRollouts: () => Promise<void>;
  startRollouts: () => void;
};

export async function startRolloutEnv(specs: DeviceSpec[], env: Record<string, string> = {}): Promise<RolloutEnv> {
  const e = await startChangesEnv(specs, { ROLLOUT_LEASE_SECONDS: '5', ...env });
  const rollouts = e.ctx.services.rollouts;
  // Per device (by id) the editor changes its step applies; `*` for the others. Values come from the sealed payload.
  rollouts.registerKind('test_edit', {
    changes: true,
    operation: ({ payload, device }) => {
      const p = payload as { changes: Record<string, unknown[]> };
      return {
        kind: 'edit',
        request: { changes: p.changes[device.device_id] ?? p.changes['*'] ?? [], revert: false },
        summary: 'test edit',
      };
    },
  });
  // The same editor change, planned slowly: planning waits until the test opens the gate (a step stopped meanwhile).
  rollouts.registerKind('test_slow_plan', {
    changes: true,
    operation: async ({ payload }) => {
      await planGate.promise;
      return {
        kind: 'edit',
        request: { changes: (payload as { changes: unknown[] }).changes, revert: false },
        summary: 'slow',
      };
    },
  });
  // A step that runs itself (no operation); devices listed in `stuck` hang until their deadline.
  rollouts.registerKind('test_run', {
    changes: false,
    run: async ({ payload, device, signal }) => {
      if (((payload.stuck as string[] | undefined) ?? []).includes(device.device_id))
        await new Promise((r) => signal.addEventListener('abort', r));
      return { status: 'done', output: device.device_name };
    },
  });
  let runner: { stop: () => Promise<void> } | undefined = rollouts.runner.start();
  const devices: string[] = [];
  for (let i = 0; i < specs.length; i++) devices.push(await addSimDevice(e, i));
  const stop = e.stop;
  return {
    ...e,
    devices,
    stopRollouts: async () => {
      await runner?.stop();
      runner = undefined;
    },
    startRollouts: () => {
      runner ??= rollouts.runner.start();
    },
    restartRollouts: async () => {
      await runner?.stop();
      runner = rollouts.runner.start();
    },
    stop: async () => {
      await runner?.stop();
      await stop();
    },
  };
}

/** Starts a rollout of the test kind as the seeded admin would (through the service: no route starts this kind). */
export async function startRollout(
  e: RolloutEnv,
  input: Omit<NewRolloutInput, 'kind' | 'request' | 'name'> & { name?: string; kind?: string },
): Promise<string> {
  const actor = { ...systemActor('test', e.seed.a.id) };
  const r = await e.ctx.services.rollouts.create(actor, {
    kind: 'test_edit',
    name: 'test rollout',
    request: {},
    ...input,
  });
  return r.rollout_id;
}

export type RolloutJson = {
  id: string;
  status: string;
  pause_reason: string | null;
  counts: Record<string, number>;
  waves: Array<{ index: number; canary: boolean; size: number; status: string; counts: Record<string, number> }>;
  devices: Array<{
    device_id: string;
    status: string;
    wave: number;
    operation_id: string | null;
    operation_status: string | null;
    attempts: number;
    error: { code: string; message: string } | null;
    started_at: string | null;
    finished_at: string | null;
  }>;
  policies: Record<string, boolean>;
};

export async function rollout(e: RolloutEnv, id: string): Promise<RolloutJson> {
  return expectStatus<RolloutJson>(await e.admin.get(`${e.base}/rollouts/${id}`), 200);
}

/** Each device's error, for an assertion's message: what a failed count means. */
export const deviceErrors = (r: RolloutJson) =>
  JSON.stringify(r.devices.filter((d) => d.error).map((d) => `${d.status} ${d.error?.code}: ${d.error?.message}`));

export async function waitRollout(
  e: RolloutEnv,
  id: string,
  until: (r: RolloutJson) => boolean = (r) => r.status === 'completed' || r.status === 'cancelled',
  timeoutMs = 120_000,
): Promise<RolloutJson> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await rollout(e, id);
    if (until(r)) return r;
    if (Date.now() > end) throw new Error(`rollout still ${r.status}: ${JSON.stringify(r.counts)} ${deviceErrors(r)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
