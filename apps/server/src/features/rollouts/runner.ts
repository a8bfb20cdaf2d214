import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { type Actor, actorLabel, systemActor } from '../../platform/auth/principal.js';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { recordEvents } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { AppError } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import type { ChangesService } from '../changes/changes.service.js';
import type { OperationRow } from '../changes/operations.repo.js';
import { deviceEvent, finishRollout, rolloutUpdated } from './finish.js';
import { type RolloutKind, StepFailed } from './kinds.js';
import { type Outcome, type RolloutDeviceRow, type RolloutRow, rolloutsRepo } from './rollouts.repo.js';
import { createOperationWatch } from './watch.js';

// Runs rollouts in the worker role. Each tick claims devices of due rollouts (within each rollout's concurrency,
// counted across every worker, and this process's own limit), runs each device's step with its deadline, and
// settles the rollout after each device (failure threshold, completion). Claims are leases renewed while a step
// runs: a worker that dies lets its devices lapse, and the next claim settles them — a change operation already
// submitted is followed to its end, never submitted again.

export type RunnerOptions = { leaseMs: number; pollMs: number; maxSteps: number };
const STOP = 'stopping';
/** How often a device's change TOD itself interrupted is run again. */
const MAX_INTERRUPTED = 2;
const DEADLINE = 'deadline';

export function createRolloutRunner(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  envelope: Envelope;
  changes: ChangesService;
  kinds: Map<string, RolloutKind>;
  log: Logger;
  options: RunnerOptions;
  /** After a rollout completes: back up the devices it changed. */
  afterComplete: (rollout: RolloutRow) => Promise<void>;
}) {
  const owner = `rollouts-${randomUUID()}`;
  const { leaseMs } = deps.options;
  const inflight = new Map<string, { ctrl: AbortController; done: Promise<void> }>();
  const watch = createOperationWatch({
    read: (t, ids) => deps.changes.operationsById(t, ids),
    intervalMs: 300,
    onError: (err) => deps.log.warn({ err }, 'rollout: reading operations failed'),
  });
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;

  const payloadOf = async (r: RolloutRow): Promise<Record<string, unknown>> => {
    if (!r.payload_sealed) return {};
    const plain = await deps.envelope.decrypt(
      r.tenant_id,
      r.payload_sealed,
      `rollout:${r.id}:payload`,
      useByWorker('rollout', 'run'),
    );
    return JSON.parse(plain.toString('utf8'));
  };

  async function followOperation(
    rollout: RolloutRow,
    row: RolloutDeviceRow,
    kind: Extract<RolloutKind, { operation: unknown }>,
    ctx: Parameters<typeof kind.operation>[0],
  ): Promise<Outcome> {
    let id = row.operation_id;
    let o: OperationRow | undefined;
    // A change TOD itself interrupted (it stopped mid-way and undid the change) is run again, a few times at most:
    // the change was not at fault, and a restart must resume the rollout, not leave devices reverted.
    for (let again = 0; ; again++) {
      let existing: OperationRow | undefined;
      if (id) [existing] = await deps.changes.operationsById(rollout.tenant_id, [id]);
      if (!existing) {
        const spec = await kind.operation(ctx);
        // A step stopped meanwhile (shutdown, deadline) must not start a change: the next claim does, once.
        ctx.signal.throwIfAborted();
        if (!id) id = await recordOperation(rollout, row);
        ctx.signal.throwIfAborted();
        id = await submitOrAttach(rollout, row, ctx.actor, { ...spec, id, mode: rollout.options.mode });
      }
      const opId = id as string;
      o = await watch.wait(rollout.tenant_id, opId, ctx.signal).catch(async (reason) => {
        if (reason === DEADLINE) await deps.changes.requestRevert(rollout.tenant_id, opId).catch(() => false);
        throw reason;
      });
      if (o.status !== 'reverted' || o.revert_reason !== 'interrupted' || again >= MAX_INTERRUPTED) break;
      id = await recordOperation(rollout, row);
    }
    if (o.status === 'confirmed') {
      const extra = kind.after ? await kind.after(ctx, o) : {};
      return { status: 'done', ...(extra.output !== undefined ? { output: extra.output } : {}) };
    }
    if (o.status === 'reverted')
      return {
        status: 'reverted',
        error: {
          code: o.error_code ?? 'reverted',
          message: o.revert_reason ?? o.error_detail ?? 'the change was reverted',
        },
      };
    return {
      status: 'failed',
      error: { code: o.error_code ?? 'operation_failed', message: o.error_detail ?? 'the change failed' },
    };
  }

  /**
   * Submits the device's operation. When the device already has one open that this rollout started (a worker that
   * lost its lease submitted it after this one claimed the device), the step follows that one instead of failing.
   */
  async function submitOrAttach(
    rollout: RolloutRow,
    row: RolloutDeviceRow,
    actor: Actor,
    spec: Parameters<ChangesService['submitOperation']>[2] & { id: string },
  ): Promise<string> {
    try {
      await deps.changes.submitOperation(actor, row.device_id, spec);
      return spec.id;
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'operation_in_progress') throw e;
      const open = await deps.changes.openOperationOf(rollout.tenant_id, row.device_id);
      if (!open || open.actor?.label !== actorLabel(actor.principal)) throw e;
      const kept = await withTenant(deps.appPool, rollout.tenant_id, (db) =>
        rolloutsRepo.setOperation(db, rollout.id, row.device_id, owner, open.id),
      );
      if (!kept) throw new StepFailed('lease_lost', 'another worker took this device over');
      return open.id;
    }
  }

  /** A new operation id for the device, recorded before it is submitted (so a crash re-attaches to it). */
  async function recordOperation(rollout: RolloutRow, row: RolloutDeviceRow): Promise<string> {
    const id = uuidv7();
    const kept = await withTenant(deps.appPool, rollout.tenant_id, (db) =>
      rolloutsRepo.setOperation(db, rollout.id, row.device_id, owner, id),
    );
    if (!kept) throw new StepFailed('lease_lost', 'another worker took this device over');
    return id;
  }

  function failure(err: unknown): Outcome {
    if (err instanceof StepFailed || err instanceof AppError)
      return { status: 'failed', error: { code: err.code, message: err.message } };
    deps.log.warn({ err }, 'rollout step failed unexpectedly');
    return { status: 'failed', error: { code: 'step_failed', message: 'the step failed unexpectedly (see the log)' } };
  }

  async function step(rollout: RolloutRow, row: RolloutDeviceRow, ctrl: AbortController) {
    const kind = deps.kinds.get(rollout.kind);
    const left = (row.deadline?.getTime() ?? Date.now()) - Date.now();
    const deadline = setTimeout(() => ctrl.abort(DEADLINE), Math.max(left, 0));
    let outcome: Outcome;
    try {
      if (!kind) throw new StepFailed('unknown_kind', `no rollout kind ${rollout.kind} is registered`);
      const ctx = {
        rollout,
        device: row,
        payload: await payloadOf(rollout),
        actor: systemActor(`rollout:${rollout.id}`, rollout.tenant_id),
        signal: ctrl.signal,
        saveState: async (state: Record<string, unknown>) => {
          const kept = await withTenant(deps.appPool, rollout.tenant_id, (db) =>
            rolloutsRepo.setState(db, rollout.id, row.device_id, owner, state),
          );
          if (!kept) throw new StepFailed('lease_lost', 'another worker took this device over');
        },
      };
      const aborted = new Promise<never>((_, reject) => {
        if (ctrl.signal.aborted) reject(ctrl.signal.reason);
        ctrl.signal.addEventListener('abort', () => reject(ctrl.signal.reason), { once: true });
      });
      aborted.catch(() => {});
      outcome = await Promise.race([
        'operation' in kind ? followOperation(rollout, row, kind, ctx) : kind.run(ctx),
        aborted,
      ]);
    } catch (err) {
      if (err === STOP) {
        // Shutting down: the next claim (here or elsewhere) picks the device up where it is.
        await withTenant(deps.appPool, rollout.tenant_id, (db) =>
          rolloutsRepo.release(db, rollout.id, row.device_id, owner),
        ).catch(() => {});
        return;
      }
      outcome =
        err === DEADLINE
          ? {
              status: 'failed',
              error: {
                code: 'device_timeout',
                message: `not finished within ${rollout.options.device_timeout_seconds} s${kind && 'operation' in kind ? '; its change was asked to revert' : ''}`,
              },
            }
          : failure(err);
    } finally {
      clearTimeout(deadline);
    }
    const completed = await withTenant(deps.appPool, rollout.tenant_id, async (db) => {
      await rolloutsRepo.lock(db, rollout.id);
      const ended = await rolloutsRepo.finish(db, rollout.id, row.device_id, owner, outcome);
      if (!ended) return undefined;
      await recordEvents(db, [deviceEvent(ended)]);
      return finishRollout(db, rollout.id);
    });
    if (completed) await deps.afterComplete(completed).catch((err) => deps.log.warn({ err }, 'rollout: backups'));
  }

  async function claimAndStart() {
    const free = deps.options.maxSteps - inflight.size;
    if (free <= 0 || stopped) return;
    const due = await withSystem(deps.systemPool, (db) => rolloutsRepo.due(db, 50));
    let room = free;
    for (const id of due) {
      if (room <= 0 || stopped) break;
      const claimed = await withSystem(deps.systemPool, async (db) => {
        const c = await rolloutsRepo.claim(db, id, owner, room, leaseMs);
        if (!c) return undefined;
        const events = c.devices.map((d) => deviceEvent(d));
        // Started from its schedule, or paused at its stop time: either way the rollout itself moved.
        if (c.started || c.closed) events.unshift(rolloutUpdated(c.rollout));
        await recordEvents(db, events);
        return c;
      });
      if (!claimed) continue;
      for (const row of claimed.devices) {
        const key = `${id}:${row.device_id}`;
        if (inflight.has(key)) continue;
        const ctrl = new AbortController();
        const done = step(claimed.rollout, row, ctrl)
          .catch((err) => deps.log.error({ err, rollout: id }, 'rollout step could not be recorded'))
          .finally(() => inflight.delete(key));
        inflight.set(key, { ctrl, done });
        room--;
      }
    }
  }

  /** One claim pass (never two at once in a process). */
  function tick(): Promise<void> {
    ticking ??= claimAndStart().finally(() => {
      ticking = undefined;
    });
    return ticking;
  }

  return {
    start() {
      stopped = false;
      const loop = () => {
        tick()
          .catch((err) => deps.log.warn({ err }, 'rollout claim failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, deps.options.pollMs);
          });
      };
      loop();
      renewTimer = setInterval(() => {
        if (inflight.size === 0) return;
        withSystem(deps.systemPool, (db) => rolloutsRepo.renew(db, owner, leaseMs)).catch((err) =>
          deps.log.warn({ err }, 'rollout lease renewal failed'),
        );
      }, leaseMs / 3);
      return {
        stop: async () => {
          stopped = true;
          if (timer) clearTimeout(timer);
          if (renewTimer) clearInterval(renewTimer);
          await ticking?.catch(() => {});
          for (const s of inflight.values()) s.ctrl.abort(STOP);
          await Promise.allSettled([...inflight.values()].map((s) => s.done));
          watch.stop();
        },
      };
    },
    tick,
  };
}
export type RolloutRunner = ReturnType<typeof createRolloutRunner>;
