import type { Db } from '../../platform/db/tx.js';
import { type NewEvent, recordEvent } from '../../platform/events/index.js';
import { type RolloutDeviceRow, type RolloutRow, rolloutsRepo } from './rollouts.repo.js';

// After a device ends: the rollout completes when nothing is left, or pauses when more devices failed (or were
// reverted) than its threshold allows — in the same transaction as the device's outcome.

export function deviceEvent(d: RolloutDeviceRow): NewEvent {
  return {
    type: 'rollout.device_updated',
    tenantId: d.tenant_id,
    deviceId: d.device_id,
    payload: {
      rollout_id: d.rollout_id,
      device_id: d.device_id,
      status: d.status,
      operation_id: d.operation_id,
      error_code: d.error_code,
    },
  };
}

/** The rollout moved (started, paused and why, resumed, ended). */
export const rolloutUpdated = (r: RolloutRow): NewEvent => ({
  type: 'rollout.updated',
  tenantId: r.tenant_id,
  payload: { rollout_id: r.id, status: r.status, pause_reason: r.pause_reason },
});

export async function rolloutEvent(db: Db, r: RolloutRow): Promise<void> {
  await recordEvent(db, rolloutUpdated(r));
}

/** Settles the rollout after a device ended; returns it when it has just completed. */
export async function finishRollout(db: Db, rolloutId: string): Promise<RolloutRow | undefined> {
  const counts = (await rolloutsRepo.counts(db, [rolloutId])).get(rolloutId);
  if (!counts) return undefined;
  const open = counts.pending + counts.running;
  if (open === 0) {
    const done = await rolloutsRepo.transition(db, rolloutId, ['running', 'paused'], 'completed');
    if (done) await rolloutEvent(db, done);
    const cancelled = await rolloutsRepo.transition(db, rolloutId, ['cancelled'], 'cancelled');
    if (cancelled) await rolloutEvent(db, cancelled);
    return done;
  }
  const r = await rolloutsRepo.byId(db, rolloutId);
  const max = r?.options.max_failures;
  if (r?.status === 'running' && max !== null && max !== undefined && counts.failed + counts.reverted > max) {
    const paused = await rolloutsRepo.transition(db, rolloutId, ['running'], 'paused', 'failure_threshold');
    if (paused) await rolloutEvent(db, paused);
  }
  return undefined;
}
