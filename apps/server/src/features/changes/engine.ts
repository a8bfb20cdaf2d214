import { diffExports } from '@tod/rsc';
import type pg from 'pg';
import type { Logger } from 'pino';
import { systemActor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { recordEvent } from '../../platform/events/index.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ApiSession, DeviceAccess } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import {
  addWatchdog,
  disarmWatchdog,
  loadRevertBackup,
  releaseSafeMode,
  removeFile,
  SAFE_MODE_HISTORY,
  saveRevertBackup,
  takeSafeMode,
  unrollSafeMode,
  type Watchdog,
  watchdogArmed,
  watchdogName,
} from './arm.js';
import { displayCommand, type PlannedCommand } from './commands.js';
import { CommandFailed, type Io, readBack, send } from './device-io.js';
import { type OperationRow, type OperationStatus, operationsRepo, type Patch } from './operations.repo.js';
import { planRestore } from './restore-plan.js';

// The apply-with-revert engine: drives one operation through its states, every transition stored (with a step,
// an audit record and a domain event) before the next action, so a process that dies anywhere leaves a row that
// says what may have happened on the device. `resume` picks such a row up and settles it from the device's actual
// state: an unconfirmed change is always reverted, a confirmation already asked for is finished.

export type Planned = {
  commands: PlannedCommand[];
  summary?: string;
  targetSha?: string;
  unsupported?: string[];
  /** Instead of commands: load this version's binary backup (a reset or replaced router). */
  load?: { sha256: string };
};
export type PlanContext = { op: OperationRow; ref: DeviceRef; io: Io; preText: string; tenantDb: TenantDb };
export type Planner = (ctx: PlanContext) => Promise<Planned>;
type TenantDb = <T>(fn: (db: pg.PoolClient) => Promise<T>) => Promise<T>;

export type Backups = {
  /** A capture now; the normalised text of the version it stored (or found unchanged). */
  capture(
    ref: DeviceRef,
    trigger: 'pre_change' | 'post_change',
  ): Promise<{ versionId: string; sha256: string; text: string }>;
  /** A stored version's binary backup and its password (RouterOS before 6.43), or null without one. */
  binary(ref: DeviceRef, sha256: string): Promise<{ bytes: Buffer; password: string | null } | null>;
  /** The normalised text of a stored version. */
  text(ref: DeviceRef, sha256: string): Promise<string>;
};

export type EngineOptions = {
  /** Longest wait for the device after a revert it does itself (RouterOS's TCP timeout for safe mode is 9 min). */
  revertWaitMs: number;
  /** How often the awaiting phase looks for Keep / Revert. */
  confirmPollMs: number;
  /** Budgets of the revert deadline: applying (plus 1 s per command), verifying, and the watchdog's grace. */
  applySeconds: number;
  verifySeconds: number;
  graceSeconds: number;
  /** Longest wait for a session slot a dead process still holds (its lease, plus a margin). */
  slotWaitSeconds: number;
};

export class OperationFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const APPLY_PER_COMMAND_S = 1;
const secs = (s: number) => new Date(Date.now() + s * 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Captured = Awaited<ReturnType<Backups['capture']>>;
type Sealed = { commands: PlannedCommand[]; watchdogPassword?: string | null; load?: { sha256: string } };

export function createEngine(deps: {
  appPool: pg.Pool;
  access: DeviceAccess;
  envelope: Envelope;
  backups: Backups;
  planners: Map<string, Planner>;
  log: Logger;
  options: EngineOptions;
}) {
  const { access, log } = deps;
  const APPLY_BASE_S = deps.options.applySeconds;
  const VERIFY_S = deps.options.verifySeconds;
  const GRACE_S = deps.options.graceSeconds;
  const SLOT_WAIT_S = deps.options.slotWaitSeconds;
  const context = (op: OperationRow) => `change:${op.device_id}:${op.id}:commands`;

  async function seal(op: OperationRow, s: Sealed) {
    return deps.envelope.encrypt(op.tenant_id, JSON.stringify(s), context(op), useByWorker('change'));
  }
  async function unseal(op: OperationRow): Promise<Sealed> {
    if (!op.commands_sealed) return { commands: [] };
    const plain = await deps.envelope.decrypt(op.tenant_id, op.commands_sealed, context(op), useByWorker('change'));
    return JSON.parse(plain.toString('utf8'));
  }

  /** One run of an operation this process holds. `alive()` turns false when the lease was lost. */
  async function drive(start: OperationRow, alive: () => boolean): Promise<OperationRow> {
    let op = start;
    const ref: DeviceRef = { tenantId: op.tenant_id, deviceId: op.device_id };
    const trips = { n: op.round_trips };
    let session: ApiSession | undefined;
    const tenantDb: TenantDb = (fn) => withTenant(deps.appPool, op.tenant_id, fn);

    const save = async (status: OperationStatus | null, patch: Patch = {}, note?: string) => {
      if (!alive()) throw new OperationFailed('lease_lost', 'another process took over this operation');
      const p = { ...patch, round_trips: trips.n };
      op = await tenantDb(async (db) => {
        if (!status) return operationsRepo.update(db, op.id, p);
        const row = await operationsRepo.transition(db, op.id, status, p, note);
        await recordEvent(db, {
          type: 'change.operation_updated',
          tenantId: row.tenant_id,
          deviceId: row.device_id,
          payload: {
            operation_id: row.id,
            status: row.status,
            kind: row.kind,
            mode: row.mode,
            deadline: row.deadline?.toISOString() ?? null,
            applied_count: row.applied_count,
            command_count: row.command_count,
          },
        });
        await recordAudit(db, systemActor('changes', row.tenant_id), {
          action: `change.${status}`,
          targetType: 'device',
          targetId: row.device_id,
          details: { operation_id: row.id, kind: row.kind, ...(note ? { note } : {}) },
        });
        return row;
      });
      return op;
    };
    const io = (): Io => {
      if (!session) throw new OperationFailed('connection_lost', 'the operation has no session to the device');
      return { client: session.client, trips };
    };
    const open = async () => {
      session = await access.openApi(ref, 'change', { waitMs: SLOT_WAIT_S * 1000 });
      return io();
    };
    const closeSession = async () => {
      const s = session;
      session = undefined;
      await s?.release();
    };
    /** Test mode's window for Keep (part of every deadline in that mode). */
    const confirmS = () => (op.mode === 'test' ? (op.confirm_within_seconds ?? 120) : 0);
    const sessionAlive = async () => {
      if (!session) return false;
      try {
        trips.n++;
        await session.client.command('/system/identity/print', {}, { timeoutMs: 5000 });
        return true;
      } catch {
        return false;
      }
    };

    // ——— the phases ———

    async function backupAndPlan(): Promise<Sealed | undefined> {
      await save('backing_up');
      let pre: Awaited<ReturnType<Backups['capture']>>;
      try {
        pre = await deps.backups.capture(ref, 'pre_change');
      } catch (e) {
        // The backup's own reason (bad_credentials, timeout…) is the operation's: it says what to fix.
        const code = (e as { code?: unknown }).code;
        throw new OperationFailed(
          typeof code === 'string' && code ? code : 'backup_failed',
          `the pre-change backup failed: ${(e as Error).message}`,
        );
      }
      await save(null, { pre_version_id: pre.versionId, pre_sha256: pre.sha256 });
      const planner = deps.planners.get(op.kind);
      if (!planner) throw new OperationFailed('unknown_kind', `no planner for ${op.kind}`);
      const plan = await planner({ op, ref, io: await open(), preText: pre.text, tenantDb });
      if (plan.unsupported?.length)
        throw new OperationFailed('plan_incomplete', `cannot be done automatically: ${plan.unsupported.join('; ')}`);
      const sealed: Sealed = { commands: plan.commands, ...(plan.load ? { load: plan.load } : {}) };
      await save(null, {
        commands_sealed: await seal(op, sealed),
        commands_display: plan.commands.map(displayCommand),
        command_count: plan.commands.length,
        ...(plan.summary ? { summary: plan.summary } : {}),
        ...(plan.targetSha ? { target_sha256: plan.targetSha } : {}),
      });
      if (plan.commands.length === 0 && !plan.load) {
        await closeSession();
        await save('confirmed', {}, 'nothing to change: the device already has this configuration');
        return undefined;
      }
      return sealed;
    }

    async function arm(sealed: Sealed) {
      await save('arming');
      const n = sealed.commands.length;
      const applyS = APPLY_BASE_S + n * APPLY_PER_COMMAND_S;
      if (op.mode === 'standard') return save(null, { strategy: 'none', deadline: secs(applyS) });
      const forced = (op.request as { revert?: string }).revert === 'watchdog';
      if (!forced && n <= SAFE_MODE_HISTORY && (await takeSafeMode(io())))
        return save(null, { strategy: 'safe_mode', deadline: secs(applyS) });
      const name = watchdogName(op.id);
      await save(null, { strategy: 'watchdog' });
      const w = await saveRevertBackup(io(), op.id);
      if (w.password)
        await save(null, { commands_sealed: await seal(op, { ...sealed, watchdogPassword: w.password }) });
      const fireS = applyS + VERIFY_S + confirmS() + GRACE_S;
      await addWatchdog(io(), w, name, fireS);
      return save(null, { deadline: secs(applyS), device_deadline: secs(fireS) });
    }

    /** Watchdog: pushes the device's timer out when a phase runs long and TOD still reaches the router. */
    async function extendWatchdog(sealed: Sealed, needS: number) {
      if (op.strategy !== 'watchdog' || !op.device_deadline) return;
      if (op.device_deadline.getTime() - Date.now() > (needS + 5) * 1000) return;
      const generation = op.steps.filter((s) => s.note?.startsWith('watchdog extended')).length + 1;
      const fireS = needS + GRACE_S;
      try {
        await addWatchdog(io(), watchdogOf(sealed), watchdogName(op.id, generation), fireS);
      } catch (e) {
        // Not reaching the router to extend it is what the watchdog is for: it fires at its deadline.
        log.info({ err: e, operation: op.id }, 'could not extend the watchdog');
        return;
      }
      await save(op.status, { device_deadline: secs(fireS) }, `watchdog extended by ${fireS} s`);
    }
    const watchdogOf = (s: Sealed): Watchdog => {
      const name = watchdogName(op.id);
      return { name, file: `${name}.backup`, password: s.watchdogPassword ?? null };
    };

    async function apply(sealed: Sealed) {
      await save('applying');
      for (let i = op.applied_count; i < sealed.commands.length; i++) {
        await extendWatchdog(sealed, VERIFY_S + (sealed.commands.length - i) * APPLY_PER_COMMAND_S);
        await send(io(), i, sealed.commands[i] as PlannedCommand);
        await save(null, { applied_count: i + 1 });
      }
    }

    /**
     * A new session for verification. Busy session slots are TOD's own doing (a process that died holds its slots
     * until their lease lapses, a minute at most), not the router's: wait them out, with the watchdog pushed out to
     * cover the wait, rather than revert a good change.
     */
    async function openFresh(sealed: Sealed): Promise<ApiSession> {
      try {
        return await access.openApi(ref, 'change', { waitMs: 10_000 });
      } catch (e) {
        if ((e as { code?: string }).code !== 'device_sessions_busy') throw e;
        await extendWatchdog(sealed, SLOT_WAIT_S + VERIFY_S + confirmS());
        return access.openApi(ref, 'change', { waitMs: SLOT_WAIT_S * 1000 });
      }
    }

    async function verify(sealed: Sealed): Promise<string | undefined> {
      await save('verifying', { deadline: secs(VERIFY_S) });
      await extendWatchdog(sealed, VERIFY_S + confirmS());
      // A fresh session: proves TOD can still log in the way it always does, then reads the change back.
      let fresh: ApiSession;
      try {
        fresh = await openFresh(sealed);
      } catch (e) {
        return `TOD cannot open a new session to the device after the change (${(e as { failure?: string }).failure ?? (e as Error).message})`;
      }
      try {
        const fio: Io = { client: fresh.client, trips };
        for (const c of sealed.commands) {
          const problem = await readBack(fio, c);
          if (problem) return problem;
        }
      } finally {
        await fresh.release();
      }
      if (op.strategy === 'safe_mode' && !(await sessionAlive()))
        return 'the session holding safe mode was lost: the router undid the change';
      return undefined;
    }

    async function awaitConfirmation(): Promise<'confirm' | 'revert' | 'expired'> {
      if (op.status !== 'awaiting_confirmation') await save('awaiting_confirmation', { deadline: secs(confirmS()) });
      for (;;) {
        const row = await tenantDb((db) => operationsRepo.byId(db, op.id));
        if (row?.confirm_requested) return 'confirm';
        if (row?.revert_requested) return 'revert';
        if (op.deadline && Date.now() >= op.deadline.getTime()) return 'expired';
        if (!alive()) throw new OperationFailed('lease_lost', 'another process took over this operation');
        await sleep(deps.options.confirmPollMs);
      }
    }

    async function confirm(sealed: Sealed) {
      // Recorded first: a process dying from here on finishes the confirmation instead of reverting.
      await save(null, { confirm_requested: true });
      if (op.strategy === 'safe_mode') {
        try {
          await releaseSafeMode(io());
        } catch {
          // The session (and with it safe mode) is gone: the router undid the change. Say so, after proving it.
          return revert(sealed, 'session_lost', 'the session holding safe mode was lost before the change was kept');
        }
      }
      if (op.strategy === 'watchdog') await disarmWatchdog(io(), op.id);
      await closeSession();
      await save('confirmed', { deadline: null, device_deadline: null });
      return recordPostChange();
    }

    /** The kept configuration as a backup version (the timeline and the next preview start from it). Best effort. */
    async function recordPostChange() {
      try {
        const now = await deps.backups.capture(ref, 'post_change');
        await save(null, { post_sha256: now.sha256 });
      } catch (e) {
        log.info({ err: e, operation: op.id }, 'the post-change backup failed; the next scheduled one records it');
      }
      return op;
    }

    /** Undo, then prove it: the device's config read back equals the pre-change version. */
    async function revert(sealed: Sealed, reason: string, detail?: string, failed?: CommandFailed) {
      if (op.status !== 'reverting')
        await save(
          'reverting',
          {
            revert_reason: reason,
            ...(detail && reason !== 'requested' ? { error_code: reason, error_detail: detail } : {}),
            ...(failed ? { error_command_index: failed.index, error_property: failed.property ?? null } : {}),
          },
          detail,
        );
      if (op.strategy === 'safe_mode') {
        if (session) await unrollSafeMode(io()).catch(() => {}); // a black-holed session times out in 5 s
        await closeSession(); // a session that could not unroll: ending it makes the router undo the change
      }
      const first = op.strategy === 'safe_mode' ? undefined : await inverse(sealed);
      const proof = await readBackUntilEqual(first);
      return save('reverted', {
        reverted_verified: proof.equal,
        post_sha256: proof.sha256,
        deadline: null,
        device_deadline: null,
        ...(proof.equal ? {} : { error_detail: proof.detail }),
      });
    }

    /**
     * TOD's own undo (no safe mode): inverse commands; the revert backup if they fail or leave a difference. Returns
     * the read-back after the commands, the first proof for the caller.
     */
    async function inverse(sealed: Sealed): Promise<Captured | undefined> {
      if (op.applied_count === 0 && op.status !== 'reverting') return undefined;
      const reach = session ? io() : await open().catch(() => undefined);
      if (!reach) return undefined; // unreachable: the watchdog fires at device_deadline (waited for below)
      try {
        const pre = await preText();
        const now = await deps.backups.capture(ref, 'post_change');
        for (const [i, c] of planRestore(now.text, pre).commands.entries()) await send(reach, i, c);
        const after = await deps.backups.capture(ref, 'post_change');
        if (!diffExports(after.text, pre, { normalized: true }).equal && op.strategy === 'watchdog')
          await loadRevertBackup(reach, watchdogOf(sealed));
        return after;
      } catch (e) {
        log.warn({ err: e, operation: op.id }, 'inverse commands failed; the revert backup is loaded instead');
        if (op.strategy === 'watchdog' && session) await loadRevertBackup(io(), watchdogOf(sealed));
        return undefined;
      } finally {
        await closeSession();
      }
    }

    const preText = () => deps.backups.text(ref, op.pre_sha256 as string);

    /**
     * Backs the device up until it answers (and, with `untilEqual`, until it equals `target`), within `untilMs`:
     * how reverts and binary loads are proven. `first` is a read-back the caller already has.
     */
    async function readBackUntil(
      target: string,
      o: { what: string; untilMs: number; untilEqual: boolean; first?: Captured },
    ): Promise<{ equal: boolean; now?: Captured; detail: string }> {
      let last = 'the device could not be read back';
      for (let next = o.first; ; next = undefined) {
        try {
          const now = next ?? (await deps.backups.capture(ref, 'post_change'));
          const equal = diffExports(now.text, target, { normalized: true }).equal;
          if (equal || !o.untilEqual) return { equal, now, detail: '' };
          last = `the configuration read back differs from ${o.what}`;
        } catch (e) {
          last = `the device could not be read back: ${(e as Error).message}`;
        }
        if (Date.now() >= o.untilMs || !alive()) return { equal: false, detail: last };
        await sleep(2000);
      }
    }

    async function readBackUntilEqual(first?: Captured) {
      const untilMs = Math.max(Date.now(), op.device_deadline?.getTime() ?? 0) + deps.options.revertWaitMs;
      const r = await readBackUntil(await preText(), {
        what: 'the pre-change version',
        untilMs,
        untilEqual: true,
        ...(first ? { first } : {}),
      });
      if (r.equal && op.strategy === 'watchdog') await cleanupWatchdog();
      return {
        equal: r.equal,
        sha256: r.now?.sha256 ?? null,
        detail: r.detail,
      };
    }

    /** Removes what TOD left on the device (a watchdog, a file) on a session of its own; best effort. */
    async function tidy(fn: (io: Io) => Promise<void>) {
      await access.withApi(ref, 'change', (client) => fn({ client, trips })).catch(() => {});
    }
    const cleanupWatchdog = () => tidy((t) => disarmWatchdog(t, op.id));

    // ——— the state machine ———

    /**
     * A reset or replaced router gets its whole configuration from a binary backup: uploaded over SFTP and loaded
     * (the router reboots into it). Loading replaces everything, a watchdog too, so nothing can be armed: the user
     * confirmed it by typing the device's name. Proven like a revert: the export read back against the version's.
     */
    async function loadBinary(sealed: Sealed & { load: { sha256: string } }) {
      const file = `tod-restore-${op.id.slice(-12)}.backup`;
      if (op.applied_count === 0) {
        if (op.status !== 'applying') {
          await save('arming', { strategy: 'none' }, 'a backup load replaces the whole configuration: no revert');
          await save('applying', { deadline: secs(APPLY_BASE_S + VERIFY_S) });
        }
        const backup = await deps.backups.binary(ref, sealed.load.sha256);
        if (!backup) throw new OperationFailed('no_binary_backup', 'this version has no binary backup');
        await access.withSsh(ref, 'change', (s) => s.writeFile(file, backup.bytes));
        const lio = session ? io() : await open();
        lio.trips.n++;
        // The router reboots to load it: the session drops without an answer.
        await lio.client
          .command(
            '/system/backup/load',
            { name: file, ...(backup.password ? { password: backup.password } : {}) },
            {
              timeoutMs: 5000,
            },
          )
          .catch(() => {});
        await closeSession();
        await save(null, { applied_count: 1 });
      }
      const untilMs = Date.now() + deps.options.revertWaitMs;
      await save('verifying', { deadline: new Date(untilMs) });
      const target = await deps.backups.text(ref, sealed.load.sha256);
      const r = await readBackUntil(target, { what: 'the backup', untilMs, untilEqual: false });
      if (!r.now) throw new OperationFailed('connection_lost', r.detail); // the runner tries the read-back again
      await tidy((t) => removeFile(t, file));
      const d = diffExports(r.now.text, target, { normalized: true });
      const n = d.menus.reduce((k, m) => k + m.added.length + m.removed.length + m.changed.length, 0);
      return save(
        'confirmed',
        { post_sha256: r.now.sha256, deadline: null },
        d.equal
          ? 'the router has the backup’s configuration'
          : `loaded; ${n} items differ from the backup (other hardware?)`,
      );
    }

    async function forward(sealed: Sealed) {
      if (sealed.load) return loadBinary({ ...sealed, load: sealed.load });
      if (op.status === 'backing_up' || op.status === 'arming') await arm(sealed);
      try {
        await apply(sealed);
      } catch (e) {
        if (e instanceof CommandFailed)
          return revert(
            sealed,
            'apply_failed',
            `${e.reason}${e.property ? ` (${e.property})` : ''}: ${displayCommand(e.command).cli}`,
            e,
          );
        if (e instanceof OperationFailed) throw e;
        return revert(
          sealed,
          'connection_lost',
          `the device stopped answering while applying: ${(e as Error).message}`,
        );
      }
      if (op.strategy === 'none') {
        await closeSession();
        await save('confirmed', { deadline: null }, 'standard apply: no automatic revert');
        return recordPostChange();
      }
      const problem = await verify(sealed);
      if (problem) return revert(sealed, 'verify_failed', problem);
      if (op.mode !== 'test') return confirm(sealed);
      return settle(sealed);
    }

    async function settle(sealed: Sealed) {
      const answer = await awaitConfirmation();
      if (answer === 'confirm') return confirm(sealed);
      return revert(
        sealed,
        answer === 'revert' ? 'requested' : 'not_confirmed',
        answer === 'revert' ? 'reverted on request' : 'not kept within the confirmation window',
      );
    }

    try {
      const interrupted = op.attempts > 1;
      if (op.status === 'pending' || op.status === 'backing_up') {
        const sealed = await backupAndPlan();
        if (sealed) await forward(sealed);
        return op;
      }
      const sealed = await unseal(op);
      if (sealed.load) return await loadBinary({ ...sealed, load: sealed.load });
      if (op.status === 'arming') {
        // A previous attempt died while arming: nothing was applied; clear what it may have left and arm again.
        const s = await open();
        // The strategy may not be recorded yet; its items are named after the operation, so look for them anyway.
        await disarmWatchdog(s, op.id);
        await save(null, { strategy: null });
        await forward(sealed);
        return op;
      }
      if (op.confirm_requested) {
        if (op.strategy === 'watchdog') {
          await open();
          return await confirm(sealed);
        }
        // Safe mode died with the process: the release may or may not have reached the router. Read it back.
        const pre = await preText();
        const now = await deps.backups.capture(ref, 'post_change');
        if (diffExports(now.text, pre, { normalized: true }).equal)
          return await save(
            'reverted',
            { reverted_verified: true, post_sha256: now.sha256 },
            'the router undid the change when TOD stopped',
          );
        return await save('confirmed', { post_sha256: now.sha256 });
      }
      if (op.status === 'awaiting_confirmation' && op.strategy === 'watchdog' && !op.revert_requested) {
        // The watchdog still guards the device: keep waiting for the user within the window.
        if (
          await open()
            .then(() => watchdogArmed(io(), op.id))
            .catch(() => false)
        )
          return await settle(sealed);
      }
      if (op.status === 'reverting') return await revert(sealed, op.revert_reason ?? 'interrupted');
      return await revert(
        sealed,
        op.revert_requested ? 'requested' : 'interrupted',
        interrupted ? 'TOD stopped during the change; it was undone' : undefined,
      );
    } catch (e) {
      if (e instanceof OperationFailed && e.code === 'lease_lost') throw e;
      const applied = op.applied_count > 0;
      log.warn({ err: e, operation: op.id }, 'change operation failed');
      if (!applied && op.status !== 'reverting') {
        // Nothing reached the device's configuration: release what was armed and say why.
        if (session && op.strategy === 'safe_mode') await unrollSafeMode(io()).catch(() => {});
        if (session && op.strategy === 'watchdog') await disarmWatchdog(io(), op.id).catch(() => {});
        await closeSession().catch(() => {});
        const code = e instanceof OperationFailed ? e.code : ((e as { failure?: string }).failure ?? 'error');
        await save('failed', { error_code: code, error_detail: (e as Error).message }, (e as Error).message);
        return op;
      }
      throw e; // the runner lets another attempt settle it from the device's state
    } finally {
      await closeSession().catch(() => {});
    }
  }

  return { drive };
}
export type Engine = ReturnType<typeof createEngine>;
