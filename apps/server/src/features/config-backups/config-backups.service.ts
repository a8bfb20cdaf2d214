import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, systemActor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { eventActor } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { COUNT_CAP, cappedTotal, encodeCursor } from '../../platform/http/cursor.js';
import { notFound } from '../../platform/http/errors.js';
import { type KeyUse, useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import type { DevicesService } from '../devices/devices.service.js';
import type {
  deviceScheduleBody,
  diffQuery,
  fleetQuery,
  searchQuery,
  settingsBody,
  versionsQuery,
} from './config-backups.schema.js';
import { FLEET_CURSOR, VERSIONS_CURSOR } from './config-backups.schema.js';
import { buildDiff, redact } from './diff.js';
import { type JobRow, jobsRepo } from './jobs.repo.js';
import type { MirrorSync } from './mirror.js';
import { iso, presentJob, presentVersion } from './present.js';
import type { Runner } from './runner.js';
import { checkSchedule, nextRun } from './schedule.js';
import { searchText } from './search.js';
import { DEFAULT_SCHEDULE, type Schedule, settingsRepo } from './settings.repo.js';
import { fleetKey, stateRepo } from './state.repo.js';
import type { Store } from './store.js';
import { type Trigger, type VersionRow, versionsRepo } from './versions.repo.js';

export type ConfigBackupsDeps = {
  appPool: pg.Pool;
  store: Store;
  runner: Runner;
  devices: DevicesService;
  /** How long "Back up now" waits for the job before answering 202. */
  requestWaitMs: number;
  /** Debounce of change-triggered backups. */
  changeDebounceMs: number;
  mirror: MirrorSync;
};

export function createConfigBackupsService(deps: ConfigBackupsDeps) {
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);
  const tenantOf = (actor: Actor) => actor.tenantId as string;

  /** 404 unless the device exists in the actor's tenant. */
  async function device(actor: Actor, deviceId: string) {
    return deps.devices.get(systemActor('config-backups', actor.tenantId), deviceId);
  }

  /** A version of a device already checked with `device()`. */
  async function version(actor: Actor, deviceId: string, sha: string): Promise<VersionRow> {
    const v = await inTenant(tenantOf(actor), (db) => versionsRepo.bySha(db, deviceId, sha));
    if (!v) throw notFound('backup');
    return v;
  }

  async function waitForJob(tenantId: string, id: string, ms: number): Promise<JobRow> {
    const until = Date.now() + ms;
    for (;;) {
      const j = (await inTenant(tenantId, (db) => jobsRepo.byId(db, id))) as JobRow;
      if (j.status === 'succeeded' || j.status === 'failed' || Date.now() >= until) return j;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async function jobResult(tenantId: string, j: JobRow) {
    const v = j.version_id
      ? await inTenant(tenantId, (db) => versionsRepo.byId(db, j.device_id, j.version_id!))
      : undefined;
    return { job: presentJob(j), version: v ? presentVersion(v) : null };
  }

  async function effectiveSchedule(db: pg.PoolClient, deviceId: string | null) {
    const own = deviceId ? await settingsRepo.deviceSchedule(db, deviceId) : undefined;
    if (own) return { ...own, source: 'device' as const };
    const org = await settingsRepo.get(db);
    if (org) return { cron: org.cron, timezone: org.timezone, enabled: org.enabled, source: 'organization' as const };
    return { ...DEFAULT_SCHEDULE, source: 'default' as const };
  }

  async function enqueue(actor: Actor, deviceId: string, trigger: Trigger, checkpointName: string | null) {
    const tenantId = tenantOf(actor);
    return inTenant(tenantId, async (db) => {
      if (trigger === 'manual') {
        const waiting = await jobsRepo.waitingManual(db, deviceId);
        if (waiting) return waiting;
      }
      const job = await jobsRepo.enqueue(db, {
        id: uuidv7(),
        tenant_id: tenantId,
        device_id: deviceId,
        trigger,
        checkpoint_name: checkpointName,
        actor: eventActor(actor),
      });
      await recordAudit(db, actor, {
        action: trigger === 'checkpoint' ? 'config.checkpoint' : 'config.backup',
        targetType: 'device',
        targetId: deviceId,
        details: checkpointName ? { job_id: job.id, name: checkpointName } : { job_id: job.id },
      });
      return job;
    });
  }

  return {
    async versions(actor: Actor, deviceId: string, q: z.infer<typeof versionsQuery>) {
      assertCan(actor, 'config.read');
      await device(actor, deviceId);
      const rows = await inTenant(tenantOf(actor), (db) =>
        versionsRepo.list(db, deviceId, q.limit, q.before && !q.cursor ? new Date(q.before) : null, q.cursor ?? null),
      );
      const last = rows.length === q.limit ? rows.at(-1) : undefined;
      return {
        items: rows.map(presentVersion),
        next_before: last ? iso(last.created_at) : null,
        next_cursor: last ? encodeCursor({ s: VERSIONS_CURSOR, k: last.cursor_k, id: last.version_id }) : null,
        policies: {
          backup: can(actor.principal, 'config.backup'),
          secrets: can(actor.principal, 'config.secrets'),
          schedule: can(actor.principal, 'config.schedule'),
        },
      };
    },

    /** "Back up now" and checkpoints: a job; its result when it ends within the request's wait. */
    async backupNow(actor: Actor, deviceId: string, checkpointName: string | null = null) {
      assertCan(actor, 'config.backup');
      await device(actor, deviceId);
      const job = await enqueue(actor, deviceId, checkpointName ? 'checkpoint' : 'manual', checkpointName);
      const ended = await waitForJob(tenantOf(actor), job.id, deps.requestWaitMs);
      return {
        finished: ended.status === 'succeeded' || ended.status === 'failed',
        ...(await jobResult(tenantOf(actor), ended)),
      };
    },

    /** Back up many devices now (a rollout's "back up all targets"): a manual job each (a waiting one is reused). */
    async backupMany(actor: Actor, deviceIds: readonly string[]): Promise<number> {
      assertCan(actor, 'config.backup');
      for (const id of deviceIds) await enqueue(actor, id, 'manual', null);
      return deviceIds.length;
    },

    async job(actor: Actor, jobId: string) {
      assertCan(actor, 'config.read');
      const j = await inTenant(tenantOf(actor), (db) => jobsRepo.byId(db, jobId));
      if (!j) throw notFound('job');
      return jobResult(tenantOf(actor), j);
    },

    async jobs(actor: Actor, deviceId: string) {
      assertCan(actor, 'config.read');
      await device(actor, deviceId);
      const rows = await inTenant(tenantOf(actor), (db) => jobsRepo.listForDevice(db, deviceId, 20));
      return { items: rows.map(presentJob) };
    },

    /** The normalised export; with secrets only for those who may see them, and audited. */
    async exportText(actor: Actor, deviceId: string, sha: string, o: { secrets: boolean; raw: boolean }) {
      assertCan(actor, 'config.read');
      if (o.secrets || o.raw) assertCan(actor, 'config.secrets');
      await device(actor, deviceId);
      const v = await version(actor, deviceId, sha);
      return inTenant(tenantOf(actor), async (db) => {
        if (o.secrets || o.raw)
          await recordAudit(db, actor, {
            action: 'config.download_secrets',
            targetType: 'device',
            targetId: deviceId,
            details: { version: sha, raw: o.raw },
          });
        // The bytes as the device sent them (its code page), not re-encoded.
        const use = useBy(actor, o.secrets || o.raw ? 'reveal' : 'show');
        if (o.raw) return (await deps.store.raw(db, tenantOf(actor), v, use)) as Buffer;
        const text = await deps.store.text(db, tenantOf(actor), v, use);
        return o.secrets ? text : redact(text);
      });
    },

    /** The binary backup: it holds every secret of the device (users, certificates), so secrets permission and audit. */
    async binary(actor: Actor, deviceId: string, sha: string) {
      assertCan(actor, 'config.secrets');
      const d = await device(actor, deviceId);
      const v = await version(actor, deviceId, sha);
      return inTenant(tenantOf(actor), async (db) => {
        const data = await deps.store.binary(db, tenantOf(actor), v, useBy(actor, 'reveal'));
        if (!data) throw notFound('binary backup');
        await recordAudit(db, actor, {
          action: 'config.download_binary',
          targetType: 'device',
          targetId: deviceId,
          details: { version: sha },
        });
        return {
          data,
          name: `${d.name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${v.created_at.toISOString().slice(0, 10)}.backup`,
        };
      });
    },

    async diff(actor: Actor, deviceId: string, q: z.infer<typeof diffQuery>) {
      assertCan(actor, 'config.read');
      await device(actor, deviceId);
      const from = await version(actor, deviceId, q.from);
      const to = q.to
        ? await version(actor, deviceId, q.to)
        : await inTenant(tenantOf(actor), (db) => versionsRepo.latest(db, deviceId));
      if (!to) throw notFound('backup');
      const secrets = can(actor.principal, 'config.secrets');
      return inTenant(tenantOf(actor), async (db) => {
        let a = await deps.store.text(db, tenantOf(actor), from, useBy(actor, 'diff'));
        let b = await deps.store.text(db, tenantOf(actor), to, useBy(actor, 'diff'));
        if (!secrets) {
          a = redact(a);
          b = redact(b);
        }
        return {
          from: from.sha256,
          to: to.sha256,
          redacted: !secrets,
          ...buildDiff(a, b, { from: from.sha256.slice(0, 12), to: to.sha256.slice(0, 12) }),
        };
      });
    },

    async deviceSchedule(actor: Actor, deviceId: string) {
      assertCan(actor, 'config.read');
      await device(actor, deviceId);
      return inTenant(tenantOf(actor), async (db) => {
        const s = await effectiveSchedule(db, deviceId);
        const state = await stateRepo.get(db, deviceId);
        return { ...s, next_run_at: iso(state?.next_run_at ?? (state ? null : nextRun(s, deviceId, new Date()))) };
      });
    },

    async setDeviceSchedule(actor: Actor, deviceId: string, body: z.infer<typeof deviceScheduleBody>) {
      assertCan(actor, 'config.schedule');
      await device(actor, deviceId);
      const s = 'inherit' in body ? null : (body as Schedule);
      if (s) checkSchedule(s);
      await inTenant(tenantOf(actor), async (db) => {
        await settingsRepo.setDeviceSchedule(db, tenantOf(actor), deviceId, s);
        await stateRepo.resetSchedule(db, deviceId);
        await recordAudit(db, actor, {
          action: 'config.schedule_update',
          targetType: 'device',
          targetId: deviceId,
          details: s ?? { inherit: true },
        });
      });
      return this.deviceSchedule(actor, deviceId);
    },

    async orgSchedule(actor: Actor) {
      assertCan(actor, 'config.read');
      return inTenant(tenantOf(actor), async (db) => ({ ...(await effectiveSchedule(db, null)), next_run_at: null }));
    },

    async setOrgSchedule(actor: Actor, s: Schedule) {
      assertCan(actor, 'config.schedule');
      checkSchedule(s);
      await inTenant(tenantOf(actor), async (db) => {
        await settingsRepo.upsert(db, tenantOf(actor), s);
        await stateRepo.resetSchedule(db, null);
        await recordAudit(db, actor, {
          action: 'config.schedule_update',
          targetType: 'tenant',
          targetId: tenantOf(actor),
          details: s,
        });
      });
      return this.orgSchedule(actor);
    },

    async fleet(actor: Actor, q: z.infer<typeof fleetQuery>) {
      assertCan(actor, 'config.read');
      const after = q.cursor ? fleetKey(q.cursor) : undefined;
      const { rows, total } = await inTenant(tenantOf(actor), (db) =>
        stateRepo.fleet(db, { ...q, after, countCap: COUNT_CAP }),
      );
      const last = rows.length === q.limit ? rows.at(-1) : undefined;
      return {
        items: rows.map((r) => ({
          device_id: r.device_id,
          name: r.name,
          host: r.host,
          latest: r.latest_sha256,
          latest_created_at: iso(r.latest_created_at),
          latest_unchanged_until: iso(r.latest_unchanged_until),
          last_success_at: iso(r.last_success_at),
          last_failure_at: iso(r.last_failure_at),
          last_error_code: r.last_error_code,
          last_error_detail: r.last_error_detail,
          failing: r.failing === true,
          method: r.last_method,
          method_note: r.method_note,
          next_run_at: iso(r.next_run_at),
        })),
        ...cappedTotal(total),
        limit: q.limit,
        offset: q.cursor ? 0 : q.offset,
        next_cursor: last
          ? encodeCursor({
              s: FLEET_CURSOR,
              k: JSON.stringify([last.failing === true, last.cursor_success, last.name]),
              id: last.device_id,
            })
          : null,
      };
    },

    async search(actor: Actor, q: z.infer<typeof searchQuery>) {
      assertCan(actor, 'config.read');
      const secrets = can(actor.principal, 'config.secrets');
      const tenantId = tenantOf(actor);
      return inTenant(tenantId, async (db) => {
        const latest = await versionsRepo.latestPerDevice(db);
        const items = [];
        for (const v of latest) {
          const text = await deps.store.text(db, tenantId, v, useBy(actor, 'search'));
          const matches = searchText(text, q.q, q.path, secrets);
          if (matches.length === 0) continue;
          items.push({
            device_id: v.device_id,
            name: v.name,
            version: v.sha256,
            created_at: v.created_at.toISOString(),
            matches,
          });
          if (items.length >= q.limit) break;
        }
        return { items, searched: latest.length, truncated: items.length >= q.limit };
      });
    },

    /** Retention, the git remote and the mirror's state (the remote's credentials are never shown). */
    async settings(actor: Actor) {
      assertCan(actor, 'config.settings');
      const tenantId = tenantOf(actor);
      return inTenant(tenantId, async (db) => {
        const s = await settingsRepo.get(db);
        return {
          retention_versions: s?.retention_versions ?? null,
          retention_days: s?.retention_days ?? null,
          git_remote: await deps.mirror.shownRemote(tenantId, s?.git_remote_url ?? null, useBy(actor, 'show')),
          git_remote_branch: s?.git_remote_branch ?? 'main',
          git_ssh_key_set: Boolean(s?.git_ssh_key),
          git_pushed_sha: s?.git_pushed_sha ?? null,
          git_pushed_at: iso(s?.git_pushed_at),
          git_push_error: s?.git_push_error ?? null,
          storage: await versionsRepo.storage(db),
        };
      });
    },

    async updateSettings(actor: Actor, b: z.infer<typeof settingsBody>) {
      assertCan(actor, 'config.settings');
      const tenantId = tenantOf(actor);
      const patch: Record<string, unknown> = {};
      if (b.retention_versions !== undefined) patch.retention_versions = b.retention_versions;
      if (b.retention_days !== undefined) patch.retention_days = b.retention_days;
      if (b.git_remote_branch !== undefined) patch.git_remote_branch = b.git_remote_branch;
      if (b.git_remote_url !== undefined) {
        patch.git_remote_url = b.git_remote_url
          ? await deps.mirror.sealRemote(tenantId, deps.mirror.checkRemote(b.git_remote_url), useBy(actor, 'seal'))
          : null;
        // A new remote starts afresh: its host key and what it has seen.
        Object.assign(patch, { git_known_hosts: null, git_pushed_sha: null, git_push_error: null });
      }
      if (b.git_ssh_key !== undefined)
        patch.git_ssh_key = b.git_ssh_key
          ? await deps.mirror.sealKey(tenantId, b.git_ssh_key, useBy(actor, 'seal'))
          : null;
      await inTenant(tenantId, async (db) => {
        await settingsRepo.upsert(db, tenantId, patch);
        const { git_remote_url: _u, git_ssh_key: _k, ...shown } = b;
        await recordAudit(db, actor, {
          action: 'config.settings_update',
          targetType: 'tenant',
          targetId: tenantId,
          details: {
            ...shown,
            ...(b.git_remote_url !== undefined ? { git_remote_changed: true } : {}),
            ...(b.git_ssh_key !== undefined ? { git_ssh_key_changed: true } : {}),
          },
        });
      });
      return this.settings(actor);
    },

    /** Mirror what is pending and push now. */
    async pushNow(actor: Actor) {
      assertCan(actor, 'config.settings');
      await deps.mirror.sync(tenantOf(actor), useBy(actor, 'git_mirror'));
      const r = await deps.mirror.push(tenantOf(actor), useBy(actor, 'git_push'), true);
      await inTenant(tenantOf(actor), (db) =>
        recordAudit(db, actor, {
          action: 'config.git_push',
          targetType: 'tenant',
          targetId: tenantOf(actor),
          details: r,
        }),
      );
      return r;
    },

    /** The whole mirror as a git bundle (`git clone tod.bundle`): redacted configs of every device. */
    async bundle(actor: Actor) {
      assertCan(actor, 'config.settings');
      await deps.mirror.sync(tenantOf(actor), useBy(actor, 'git_mirror'));
      const b = await deps.mirror.bundle(tenantOf(actor));
      if (!b) throw notFound('git mirror');
      await inTenant(tenantOf(actor), (db) =>
        recordAudit(db, actor, {
          action: 'config.git_bundle',
          targetType: 'tenant',
          targetId: tenantOf(actor),
          details: { sha: b.sha },
        }),
      );
      return b;
    },

    /** A backup the caller needs now (the safe-change engine, before every change): runs in this process. */
    async capture(ref: DeviceRef, o: { trigger: Trigger; actor: Actor; checkpointName?: string }) {
      const job = await inTenant(ref.tenantId, (db) =>
        jobsRepo.enqueue(db, {
          id: uuidv7(),
          tenant_id: ref.tenantId,
          device_id: ref.deviceId,
          trigger: o.trigger,
          checkpoint_name: o.checkpointName ?? null,
          actor: eventActor(o.actor),
          max_attempts: 1,
        }),
      );
      const ran = await deps.runner.runNow(job);
      // Another worker's claim loop may have taken the job first: it runs once all the same; wait for its end.
      const ended =
        ran.status === 'succeeded' || ran.status === 'failed' ? ran : await waitForJob(ref.tenantId, job.id, 600_000);
      return jobResult(ref.tenantId, ended);
    },

    /** For the safe-change engine (no permission check: its callers checked theirs): a stored version's text. */
    async versionText(ref: DeviceRef, sha: string, use: KeyUse): Promise<{ text: string; version: VersionRow }> {
      return inTenant(ref.tenantId, async (db) => {
        const v = await versionsRepo.bySha(db, ref.deviceId, sha);
        if (!v) throw notFound('backup');
        return { text: await deps.store.text(db, ref.tenantId, v, use), version: v };
      });
    },

    /** For the safe-change engine's binary restore: a version's binary backup and its password (pre-6.43), if any. */
    async versionBinary(
      ref: DeviceRef,
      sha: string,
      use: KeyUse,
    ): Promise<{ bytes: Buffer; password: string | null } | null> {
      return inTenant(ref.tenantId, async (db) => {
        const v = await versionsRepo.bySha(db, ref.deviceId, sha);
        if (!v) throw notFound('backup');
        const bytes = await deps.store.binary(db, ref.tenantId, v, use);
        return bytes ? { bytes, password: await deps.store.binaryPassword(db, ref.tenantId, v, use) } : null;
      });
    },

    /** The device's newest version and its text (previews and the editor's tree; callers checked their permission). */
    async latestOf(ref: DeviceRef, use: KeyUse): Promise<{ text: string; version: VersionRow } | undefined> {
      return inTenant(ref.tenantId, async (db) => {
        const v = await versionsRepo.latest(db, ref.deviceId);
        return v ? { text: await deps.store.text(db, ref.tenantId, v, use), version: v } : undefined;
      });
    },

    /** A configuration change the poller saw: a backup within the debounce, who changed what attached. */
    async changeSeen(ref: DeviceRef, change: { users: string[]; changes: unknown[] }) {
      await inTenant(ref.tenantId, (db) =>
        jobsRepo.enqueue(db, {
          id: uuidv7(),
          tenant_id: ref.tenantId,
          device_id: ref.deviceId,
          trigger: 'config_change',
          changed_by: change.users.join(', ') || null,
          change_log: change.changes,
          run_after: new Date(Date.now() + deps.changeDebounceMs),
        }),
      );
    },
  };
}
export type ConfigBackupsService = ReturnType<typeof createConfigBackupsService>;
