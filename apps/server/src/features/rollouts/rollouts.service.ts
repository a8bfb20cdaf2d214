import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { eventActor } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { COUNT_CAP, cappedTotal, encodeCursor } from '../../platform/http/cursor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy, useByWorker } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import { devicesInTargets, missingTargets } from '../catalog/scope.js';
import { rolloutEvent } from './finish.js';
import type { RolloutKind } from './kinds.js';
import {
  type Counts,
  type DeviceLine,
  emptyCounts,
  type RolloutDeviceRow,
  type RolloutRow,
  rolloutsRepo,
} from './rollouts.repo.js';
import type {
  DeviceStatus,
  ResumeBody,
  RolloutDetail,
  RolloutOptionsInput,
  rolloutDevicesQuery,
  rolloutListQuery,
  Targets,
} from './rollouts.schema.js';
import { ROLLOUT_DEVICES_CURSOR, ROLLOUTS_CURSOR } from './rollouts.schema.js';
import { resolveOptions, stopPassed, waveCount, waveOf } from './waves.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const MAX_ROLLOUT_DEVICES = 10_000;
export type NewRolloutInput = {
  kind: string;
  name: string;
  targets: Targets;
  options?: RolloutOptionsInput | undefined;
  /** Shown with the rollout (a template's body, the commands); nothing secret. */
  request: Record<string, unknown>;
  /** Sealed with the tenant key; given back to each step (values that may hold secrets). */
  payload?: Record<string, unknown>;
  sourceId?: string | null;
};

export function createRolloutsService(deps: {
  appPool: pg.Pool;
  envelope: Envelope;
  kinds: Map<string, RolloutKind>;
  /** Starts due work now in this process (other workers claim within their poll interval). */
  kick: () => void;
  backupMany: (actor: Actor, deviceIds: string[]) => Promise<number>;
  /** Keep (confirm) a test-mode change awaiting confirmation. */
  keep: (actor: Actor, deviceId: string, operationId: string) => Promise<unknown>;
}) {
  const tenantOf = (a: Actor) => a.tenantId as string;
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantOf(actor), fn);

  function present(r: RolloutRow, counts: Counts, actor: Actor) {
    const control = can(actor.principal, 'rollouts.control');
    const live = ['scheduled', 'running', 'paused'].includes(r.status);
    const kind = deps.kinds.get(r.kind);
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      status: r.status,
      pause_reason: r.pause_reason,
      options: r.options,
      source_id: r.source_id,
      device_count: r.device_count,
      counts,
      scheduled_at: iso(r.scheduled_at),
      created_at: r.created_at.toISOString(),
      started_at: iso(r.started_at),
      finished_at: iso(r.finished_at),
      requested_by: r.actor?.label ?? null,
      policies: {
        pause: control && (r.status === 'running' || r.status === 'scheduled'),
        resume: control && r.status === 'paused',
        cancel: control && live,
        retry_failed: control && r.status !== 'cancelled' && counts.failed + counts.reverted > 0,
        backup: can(actor.principal, 'config.backup') && (kind?.changes ?? false),
      },
    };
  }

  function presentDevice(d: DeviceLine) {
    return {
      device_id: d.device_id,
      device_name: d.device_name,
      wave: d.wave,
      position: d.position,
      status: d.status,
      operation_id: d.operation_id,
      operation_status: d.operation_status ?? null,
      attempts: d.attempts,
      error: d.error_code ? { code: d.error_code, message: d.error_detail ?? '' } : null,
      started_at: iso(d.started_at),
      finished_at: iso(d.finished_at),
    };
  }

  /** The waves and the counts from the devices counted per wave and status (rolloutsRepo.tally). */
  function wavesOf(r: RolloutRow, tally: Array<{ wave: number; status: DeviceStatus; n: number }>) {
    const counts = emptyCounts();
    const waves = Array.from({ length: r.wave_count }, (_, index) => ({
      index,
      canary: index === 0 && r.options.canary > 0,
      size: 0,
      status: 'pending' as 'pending' | 'running' | 'finished',
      counts: emptyCounts(),
    }));
    for (const t of tally) {
      counts[t.status] += t.n;
      const w = waves[t.wave];
      if (!w) continue;
      w.size += t.n;
      w.counts[t.status] += t.n;
    }
    for (const w of waves) {
      const open = w.counts.pending + w.counts.running;
      w.status = open === 0 ? 'finished' : open < w.size || w.counts.running > 0 ? 'running' : 'pending';
    }
    return { waves, counts };
  }

  async function load(actor: Actor, id: string) {
    const r = await inTenant(actor, (db) => rolloutsRepo.byId(db, id));
    if (!r) throw notFound('rollout');
    return r;
  }

  /**
   * A rollout with its waves and its devices (a page of them with `limit`). Waves and counts are counted by
   * PostgreSQL, so a rollout of 10,000 devices reads only the page's rows.
   */
  async function detail(actor: Actor, id: string, q: z.infer<typeof rolloutDevicesQuery> = {}): Promise<RolloutDetail> {
    return inTenant(actor, async (db) => {
      const r = await rolloutsRepo.byId(db, id);
      if (!r) throw notFound('rollout');
      const tally = await rolloutsRepo.tally(db, id);
      const devices = await rolloutsRepo.devicePage(db, id, {
        status: q.status,
        limit: q.limit,
        afterPosition: q.cursor ? Number(q.cursor.k) : undefined,
      });
      const { waves, counts } = wavesOf(r, tally);
      const base = present(r, counts, actor);
      const awaiting = tally.some((t) => t.awaiting);
      const last = q.limit !== undefined && devices.length === q.limit ? devices.at(-1) : undefined;
      return {
        ...base,
        policies: { ...base.policies, keep: can(actor.principal, 'changes.apply') && awaiting },
        request: r.request,
        waves,
        devices: devices.map(presentDevice),
        devices_next_cursor: last
          ? encodeCursor({ s: ROLLOUT_DEVICES_CURSOR, k: String(last.position), id: last.device_id })
          : null,
      };
    });
  }

  /** A control action: a transition in one transaction with its audit record and event. */
  async function control(
    actor: Actor,
    id: string,
    action: string,
    fn: (db: pg.PoolClient, r: RolloutRow) => Promise<RolloutRow | undefined>,
  ) {
    assertCan(actor, 'rollouts.control');
    await inTenant(actor, async (db) => {
      const r = await rolloutsRepo.byId(db, id);
      if (!r) throw notFound('rollout');
      const next = await fn(db, r);
      if (!next) throw new AppError('rollout_state', `the rollout is ${r.status}: it cannot be ${action}`);
      await rolloutEvent(db, next);
      await recordAudit(db, actor, {
        action: `rollout.${action}`,
        targetType: 'rollout',
        targetId: id,
        details: { name: r.name, kind: r.kind },
      });
    });
    deps.kick();
    return detail(actor, id);
  }

  return {
    /** A kind of step, registered by the feature that starts such rollouts. */
    registerKind(name: string, kind: RolloutKind) {
      if (deps.kinds.has(name)) throw new Error(`a rollout kind ${name} exists`);
      deps.kinds.set(name, kind);
    },

    /**
     * Starts a rollout (the calling feature has checked its own permission and validated its request). The
     * targets are fixed now, in order: devices named first, then group, tag and site members by name.
     */
    async create(actor: Actor, input: NewRolloutInput): Promise<{ rollout_id: string }> {
      assertCan(actor, 'rollouts.control');
      const kind = deps.kinds.get(input.kind);
      if (!kind) throw new Error(`no rollout kind ${input.kind} is registered`);
      const options = resolveOptions(input.options, kind.defaults);
      const id = uuidv7();
      const t = input.targets;
      const ids = {
        deviceIds: t.device_ids ?? [],
        groupIds: t.group_ids ?? [],
        tagIds: t.tag_ids ?? [],
        siteIds: t.site_ids ?? [],
      };
      const sealed = input.payload
        ? await deps.envelope.encrypt(
            tenantOf(actor),
            JSON.stringify(input.payload),
            `rollout:${id}:payload`,
            useBy(actor, 'seal'),
          )
        : null;
      const scheduled = input.options?.scheduled_at ? new Date(input.options.scheduled_at) : null;
      if (stopPassed(options.stop_at))
        throw new AppError('rollout_stop_past', 'stop_at has passed: no device could start');
      await inTenant(actor, async (db) => {
        const missing = await missingTargets(db, ids);
        if (missing.length > 0)
          throw new AppError('target_not_found', `no such ${missing.slice(0, 5).join(', ')} in this organisation`);
        const devices = await devicesInTargets(db, ids);
        if (devices.length === 0) throw new AppError('no_targets', 'the targets name no device');
        if (devices.length > MAX_ROLLOUT_DEVICES)
          throw new AppError('too_many_targets', `a rollout takes at most ${MAX_ROLLOUT_DEVICES} devices`);
        const later = scheduled !== null && scheduled.getTime() > Date.now();
        await rolloutsRepo.insert(
          db,
          {
            id,
            tenant_id: tenantOf(actor),
            kind: input.kind,
            name: input.name,
            status: later ? 'scheduled' : 'running',
            options,
            request: input.request,
            payload_sealed: sealed,
            source_id: input.sourceId ?? null,
            wave_count: waveCount(devices.length, options),
            device_count: devices.length,
            scheduled_at: scheduled,
            actor: eventActor(actor),
          },
          devices.map((d, i) => ({ ...d, wave: waveOf(i, options) })),
        );
        const r = (await rolloutsRepo.byId(db, id)) as RolloutRow;
        await rolloutEvent(db, r);
        await recordAudit(db, actor, {
          action: 'rollout.created',
          targetType: 'rollout',
          targetId: id,
          details: { kind: input.kind, name: input.name, devices: devices.length, options },
        });
      });
      deps.kick();
      return { rollout_id: id };
    },

    async list(actor: Actor, q: z.infer<typeof rolloutListQuery>) {
      assertCan(actor, 'rollouts.read');
      return inTenant(actor, async (db) => {
        const { rows, total } = await rolloutsRepo.list(db, {
          limit: q.limit,
          offset: q.offset,
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.source_id ? { sourceId: q.source_id } : {}),
          ...(q.cursor ? { after: { k: q.cursor.k, id: q.cursor.id } } : {}),
          countCap: COUNT_CAP,
        });
        const counts = await rolloutsRepo.counts(
          db,
          rows.map((r) => r.id),
        );
        const last = rows.length === q.limit ? rows.at(-1) : undefined;
        return {
          items: rows.map((r) => present(r, counts.get(r.id) ?? emptyCounts(), actor)),
          ...cappedTotal(total),
          limit: q.limit,
          offset: q.cursor ? 0 : q.offset,
          next_cursor: last ? encodeCursor({ s: ROLLOUTS_CURSOR, k: last.cursor_k, id: last.id }) : null,
        };
      });
    },

    async get(actor: Actor, id: string, q: z.infer<typeof rolloutDevicesQuery> = {}) {
      assertCan(actor, 'rollouts.read');
      return detail(actor, id, q);
    },

    /** A rollout and its opened payload, for the planners of its steps (no caller: they run for the rollout). */
    async snapshot(tenantId: string, id: string): Promise<{ rollout: RolloutRow; payload: Record<string, unknown> }> {
      const r = await withTenant(deps.appPool, tenantId, (db) => rolloutsRepo.byId(db, id));
      if (!r) throw notFound('rollout');
      const payload = r.payload_sealed
        ? JSON.parse(
            (
              await deps.envelope.decrypt(
                tenantId,
                r.payload_sealed,
                `rollout:${id}:payload`,
                useByWorker('rollout', 'plan'),
              )
            ).toString('utf8'),
          )
        : {};
      return { rollout: r, payload };
    },

    /** A rollout of this tenant, for features that show their own view of it (bulk command results). */
    async row(actor: Actor, id: string): Promise<RolloutRow> {
      assertCan(actor, 'rollouts.read');
      return load(actor, id);
    },

    async devices(actor: Actor, id: string): Promise<RolloutDeviceRow[]> {
      assertCan(actor, 'rollouts.read');
      await load(actor, id);
      return inTenant(actor, (db) => rolloutsRepo.devices(db, id));
    },

    pause: (actor: Actor, id: string) =>
      control(actor, id, 'paused', (db) =>
        rolloutsRepo.transition(db, id, ['running', 'scheduled'], 'paused', 'manual'),
      ),

    /**
     * Resume: with `max_failures` the new threshold; without it, when the failures already exceed the threshold,
     * it becomes the number of failures so far (the next new failure pauses again).
     */
    resume: (actor: Actor, id: string, body: ResumeBody = {}) =>
      control(actor, id, 'resumed', async (db, r) => {
        const c = (await rolloutsRepo.counts(db, [id])).get(id) ?? emptyCounts();
        const failures = c.failed + c.reverted;
        let max = body.max_failures === undefined ? r.options.max_failures : body.max_failures;
        if (body.max_failures === undefined && max !== null && failures > max) max = failures;
        if (max !== r.options.max_failures) await rolloutsRepo.setMaxFailures(db, id, max ?? null);
        // A stop time that passed would pause it again at once: resuming without a new one runs it to the end.
        if (body.stop_at !== undefined) {
          if (stopPassed(body.stop_at))
            throw new AppError('rollout_stop_past', 'stop_at has passed: give a later time, or null for none');
          await rolloutsRepo.setStopAt(db, id, body.stop_at);
        } else if (stopPassed(r.options.stop_at)) await rolloutsRepo.setStopAt(db, id, null);
        return rolloutsRepo.transition(db, id, ['paused'], 'running');
      }),

    cancel: (actor: Actor, id: string) =>
      control(actor, id, 'cancelled', async (db) => {
        const r = await rolloutsRepo.transition(db, id, ['scheduled', 'running', 'paused'], 'cancelled');
        if (!r) return undefined;
        await rolloutsRepo.skipPending(db, id, 'cancelled', 'the rollout was cancelled before this device');
        // Nothing running: it ends now (otherwise when its last running device ends).
        if ((await rolloutsRepo.open(db, id)) > 0) await rolloutsRepo.unfinish(db, id);
        return r;
      }),

    retryFailed: (actor: Actor, id: string) =>
      control(actor, id, 'retried', async (db) => {
        const again = await rolloutsRepo.requeueFailed(db, id);
        if (again.length === 0) return undefined;
        return rolloutsRepo.transition(db, id, ['running', 'paused', 'completed'], 'running');
      }),

    /**
     * Test mode: Keep every change of this rollout that waits for confirmation (each as the device's own Keep would:
     * audited, the operation finishes); the rollout then moves on. Answers how many were kept.
     */
    async keepAll(actor: Actor, id: string) {
      assertCan(actor, 'changes.apply');
      await load(actor, id);
      const waiting = (await inTenant(actor, (db) => rolloutsRepo.devices(db, id))).filter(
        (d) => d.status === 'running' && d.operation_id && d.operation_status === 'awaiting_confirmation',
      );
      let kept = 0;
      for (const d of waiting) {
        const ok = await deps
          .keep(actor, d.device_id, d.operation_id as string)
          .then(() => true)
          .catch(() => false);
        if (ok) kept++;
      }
      return { kept, device_ids: waiting.map((d) => d.device_id) };
    },

    /** "Back up all targets now": a backup job for every device of the rollout. */
    async backup(actor: Actor, id: string) {
      assertCan(actor, 'rollouts.read');
      await load(actor, id);
      const ids = await inTenant(actor, (db) => rolloutsRepo.allDevices(db, id));
      const queued = await deps.backupMany(actor, ids);
      return { queued, device_ids: ids };
    },
  };
}
export type RolloutsService = ReturnType<typeof createRolloutsService>;
