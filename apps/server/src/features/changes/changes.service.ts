import { TrapError } from '@tod/routeros';
import { isOrderedMenu, parseExport } from '@tod/rsc';
import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import { type Actor, systemActor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { eventActor } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/events/uuid7.js';
import { encodeCursor } from '../../platform/http/cursor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ConfigBackupsService } from '../config-backups/config-backups.service.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import type { DevicesService } from '../devices/devices.service.js';
import type {
  browseQuery,
  changesBody,
  listQuery,
  OperationItem,
  previewBody,
  restoreBody,
  rollbackBody,
} from './changes.schema.js';
import { OPERATIONS_CURSOR } from './changes.schema.js';
import { displayCommand } from './commands.js';
import { isState } from './device-io.js';
import { menuCatalogue } from './menus.js';
import { lastConfirmedChange, type OperationRow, operationsRepo } from './operations.repo.js';
import { InvalidChange, planEdits } from './planners.js';
import { planRestore, redactPlan } from './restore-plan.js';
import { risksOf } from './risks.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function present(o: OperationRow, actor: Actor): OperationItem {
  const details = (o.commands_display ?? []) as OperationItem['command_details'];
  const open = !['confirmed', 'reverted', 'failed'].includes(o.status);
  const mayChange = can(actor.principal, 'changes.apply');
  return {
    id: o.id,
    device_id: o.device_id,
    device_name: o.device_name ?? null,
    kind: o.kind,
    mode: o.mode,
    status: o.status,
    strategy: o.strategy,
    summary: o.summary,
    steps: o.steps,
    deadline: iso(o.deadline),
    device_deadline: iso(o.device_deadline),
    confirm_within_seconds: o.confirm_within_seconds,
    commands: details.map((c) => c.cli),
    command_details: details,
    applied_count: o.applied_count,
    error: o.error_code
      ? {
          code: o.error_code,
          message: o.error_detail ?? '',
          command_index: o.error_command_index,
          property: o.error_property,
        }
      : null,
    revert_reason: o.revert_reason,
    reverted_verified: o.reverted_verified,
    pre_backup_id: o.pre_sha256,
    target_backup_id: o.target_sha256,
    round_trips: o.round_trips,
    requested_by: o.actor?.label ?? null,
    created_at: o.created_at.toISOString(),
    finished_at: iso(o.finished_at),
    policies: {
      confirm: mayChange && o.status === 'awaiting_confirmation' && !o.confirm_requested && !o.revert_requested,
      revert: mayChange && open && !o.confirm_requested && !o.revert_requested,
    },
  };
}

type Row = Record<string, string>;
const flag = (v: string | undefined) => v === 'true' || v === 'yes';

export function createChangesService(deps: {
  appPool: pg.Pool;
  devices: DevicesService;
  access: DeviceAccess;
  backups: ConfigBackupsService;
  /** Runs due operations now (the worker claims them too). */
  kick: () => void;
}) {
  const tenantOf = (a: Actor) => a.tenantId as string;
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);
  const device = (actor: Actor, id: string) => deps.devices.get(systemActor('changes', actor.tenantId), id);
  const refOf = (actor: Actor, deviceId: string): DeviceRef => ({ tenantId: tenantOf(actor), deviceId });

  async function submit(
    actor: Actor,
    deviceId: string,
    o: {
      kind: string;
      mode: 'safe' | 'test' | 'standard';
      confirm?: number;
      request: Record<string, unknown>;
      summary: string;
      /** Chosen by a caller that records it first (a rollout re-attaches to it after a crash). */
      id?: string;
    },
  ) {
    const d = await device(actor, deviceId);
    const id = o.id ?? uuidv7();
    return inTenant(tenantOf(actor), async (db) => {
      // One open operation per device: the partial unique index refuses a second (no check-then-insert race).
      try {
        await db.query('savepoint op_insert');
        await operationsRepo.insert(db, {
          id,
          tenant_id: tenantOf(actor),
          device_id: deviceId,
          kind: o.kind,
          mode: o.mode,
          summary: o.summary,
          actor: eventActor(actor),
          request: o.request,
          confirm_within_seconds: o.mode === 'test' ? (o.confirm ?? 120) : null,
        });
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
        await db.query('rollback to savepoint op_insert');
        const running = await operationsRepo.openFor(db, deviceId);
        throw new AppError('operation_in_progress', `operation ${running?.id ?? ''} is still running on this device`);
      }
      await recordAudit(db, actor, {
        action: `change.requested`,
        targetType: 'device',
        targetId: deviceId,
        details: { operation_id: id, kind: o.kind, mode: o.mode, device: d.name },
      });
      return { operation_id: id };
    }).finally(() => deps.kick());
  }

  async function operationOf(actor: Actor, id: string, deviceId?: string) {
    const o = await inTenant(tenantOf(actor), (db) => operationsRepo.byId(db, id));
    if (!o || (deviceId && o.device_id !== deviceId)) throw notFound('operation');
    return o;
  }

  /** What the risk flags need to know of the device: the ports and address TOD uses, and its login. */
  const riskContext = (d: Awaited<ReturnType<typeof device>>) => {
    const x = d as { host?: string; port?: number; tls_port?: number; ssh_port?: number; username?: string | null };
    return {
      managementPorts: [x.port, x.tls_port, x.ssh_port].filter((p): p is number => typeof p === 'number'),
      ...(x.host ? { host: x.host } : {}),
      ...(x.username ? { username: x.username } : {}),
    };
  };

  async function preview(actor: Actor, deviceId: string, sha: string) {
    const ref = refOf(actor, deviceId);
    const d = await device(actor, deviceId);
    const now = await deps.backups.latestOf(ref, useBy(actor, 'preview'));
    if (!now) throw new AppError('no_backup', 'the device has no backup yet: back it up first');
    const current = now.version;
    const target = await deps.backups.versionText(ref, sha, useBy(actor, 'preview'));
    const plan = planRestore(now.text, target.text, riskContext(d));
    return { plan, current };
  }

  return {
    /**
     * Any change a feature makes to a router: an operation of `kind` (its planner registered with
     * `registerPlanner`), run by the engine with a pre-change backup, an armed revert, verification and proof.
     */
    async submitOperation(actor: Actor, deviceId: string, o: Parameters<typeof submit>[2]) {
      assertCan(actor, 'changes.apply');
      return submit(actor, deviceId, o);
    },

    /** Operations by id, for callers that follow the ones they submitted (rollouts). Not a user route. */
    async operationsById(tenantId: string, ids: readonly string[]): Promise<OperationRow[]> {
      if (ids.length === 0) return [];
      return inTenant(tenantId, (db) => operationsRepo.byIds(db, ids));
    },

    /** The device's open operation, if any, with who started it (a rollout re-attaching to its own). */
    async openOperationOf(tenantId: string, deviceId: string) {
      return inTenant(tenantId, async (db) => {
        const op = await operationsRepo.openFor(db, deviceId);
        return op ? { id: op.id, actor: op.actor } : undefined;
      });
    },

    /** Asks a running operation to revert (a rollout's device ran out of time). False when it already ended. */
    async requestRevert(tenantId: string, id: string): Promise<boolean> {
      return inTenant(tenantId, async (db) => (await operationsRepo.request(db, id, 'revert')) !== undefined);
    },

    async submitChanges(actor: Actor, deviceId: string, body: z.infer<typeof changesBody>) {
      assertCan(actor, 'changes.apply');
      if (body.dry_run) {
        const d = await device(actor, deviceId);
        const commands = await deps.access
          .withApi(refOf(actor, deviceId), 'change', (client) => planEdits({ client, trips: { n: 0 } }, body.changes), {
            use: useBy(actor, 'preview'),
          })
          .catch((e) => {
            if (e instanceof InvalidChange) throw new AppError('invalid_change', e.message);
            throw e;
          });
        const shown = commands.map(displayCommand);
        return {
          operation_id: null,
          commands: shown.map((c) => c.cli),
          command_details: shown,
          risks: risksOf(commands, riskContext(d)),
        };
      }
      const n = body.changes.length;
      return submit(actor, deviceId, {
        kind: 'edit',
        mode: body.mode,
        ...(body.confirm_within_seconds ? { confirm: body.confirm_within_seconds } : {}),
        request: { changes: body.changes, revert: body.revert },
        summary: n === 1 ? `${body.changes[0]?.action} in ${body.changes[0]?.path}` : `${n} edits`,
      });
    },

    async restore(actor: Actor, deviceId: string, body: z.infer<typeof restoreBody>) {
      assertCan(actor, 'changes.apply');
      const d = await device(actor, deviceId);
      const target = await deps.backups.versionText(refOf(actor, deviceId), body.backup_id, useBy(actor, 'restore'));
      if (body.method === 'binary') {
        if (body.confirm_device_name !== d.name)
          throw new AppError('confirmation_mismatch', 'type the device name exactly to load a binary backup');
        if (!target.version.binary_size)
          throw new AppError('no_binary_backup', 'this version has no binary backup: restore it as commands instead');
        return submit(actor, deviceId, {
          kind: 'restore_binary',
          mode: 'standard',
          request: { target_sha256: body.backup_id },
          summary: `load the binary backup of version ${body.backup_id.slice(0, 12)} (${target.version.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
        });
      }
      return submit(actor, deviceId, {
        kind: 'restore',
        mode: body.mode,
        ...(body.confirm_within_seconds ? { confirm: body.confirm_within_seconds } : {}),
        request: { target_sha256: body.backup_id },
        summary: `restore version ${body.backup_id.slice(0, 12)} (${target.version.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      });
    },

    async emergencyRollback(actor: Actor, deviceId: string, body: z.infer<typeof rollbackBody>) {
      assertCan(actor, 'changes.apply');
      await device(actor, deviceId);
      const last = await inTenant(tenantOf(actor), (db) => lastConfirmedChange(db, deviceId));
      if (!last?.pre_sha256)
        throw new AppError('nothing_to_roll_back', 'TOD has made no change to this device to undo');
      return submit(actor, deviceId, {
        kind: 'rollback',
        mode: body.mode,
        ...(body.confirm_within_seconds ? { confirm: body.confirm_within_seconds } : {}),
        request: { target_sha256: last.pre_sha256, undoes: last.id },
        summary: `roll back to before operation ${last.id} (${last.summary})`,
      });
    },

    async previewRestore(actor: Actor, deviceId: string, body: z.infer<typeof previewBody>) {
      assertCan(actor, 'changes.read');
      await device(actor, deviceId);
      const { plan, current } = await preview(actor, deviceId, body.backup_id);
      const shown = can(actor.principal, 'config.secrets') ? plan : redactPlan(plan);
      return {
        equal: shown.equal,
        changes: shown.changes,
        semantic: shown.semantic,
        commands: shown.commands.map((c) => c.cli),
        command_details: shown.commands.map(displayCommand),
        unsupported: shown.unsupported,
        risks: plan.risks,
        current_backup_id: current.sha256,
        current_backup_at: current.unchanged_until.toISOString(),
      };
    },

    async operation(actor: Actor, id: string, deviceId?: string) {
      assertCan(actor, 'changes.read');
      return present(await operationOf(actor, id, deviceId), actor);
    },

    async list(actor: Actor, q: z.infer<typeof listQuery>) {
      assertCan(actor, 'changes.read');
      const rows = await inTenant(tenantOf(actor), (db) =>
        operationsRepo.list(db, {
          limit: q.limit,
          ...(q.device_id ? { deviceId: q.device_id } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.cursor ? { after: q.cursor } : q.before ? { before: new Date(q.before) } : {}),
        }),
      );
      const last = rows.length === q.limit ? rows.at(-1) : undefined;
      return {
        items: rows.map((r) => present(r, actor)),
        next_before: last ? iso(last.created_at) : null,
        next_cursor: last ? encodeCursor({ s: OPERATIONS_CURSOR, k: last.cursor_k, id: last.id }) : null,
      };
    },

    async confirm(actor: Actor, deviceId: string, id: string) {
      assertCan(actor, 'changes.apply');
      const o = await operationOf(actor, id, deviceId);
      if (o.status !== 'awaiting_confirmation')
        throw new AppError(
          'operation_not_awaiting',
          `the operation is ${o.status}: only a change awaiting confirmation can be kept`,
        );
      return inTenant(tenantOf(actor), async (db) => {
        const row = await operationsRepo.request(db, id, 'confirm');
        if (!row) throw new AppError('operation_not_awaiting', 'the operation ended or was already answered');
        await recordAudit(db, actor, {
          action: 'change.keep',
          targetType: 'device',
          targetId: deviceId,
          details: { operation_id: id },
        });
        return present(row, actor);
      });
    },

    async revert(actor: Actor, deviceId: string, id: string) {
      assertCan(actor, 'changes.apply');
      const o = await operationOf(actor, id, deviceId);
      return inTenant(tenantOf(actor), async (db) => {
        const row = await operationsRepo.request(db, id, 'revert');
        if (!row)
          throw new AppError('operation_finished', `the operation is ${o.status} and can no longer be reverted`);
        await recordAudit(db, actor, {
          action: 'change.revert',
          targetType: 'device',
          targetId: deviceId,
          details: { operation_id: id },
        });
        return present(row, actor);
      });
    },

    async browse(actor: Actor, deviceId: string, q: z.infer<typeof browseQuery>) {
      assertCan(actor, 'changes.read');
      await device(actor, deviceId);
      const policies = { change: can(actor.principal, 'changes.apply') };
      const ref = refOf(actor, deviceId);
      if (!q.path) {
        const latest = await deps.backups.latestOf(ref, useBy(actor, 'browse'));
        const inConfig = new Set(latest ? menuPaths(latest.text) : []);
        const menus = [...new Set([...menuCatalogue, ...inConfig])]
          .sort()
          .map((path) => ({ path, in_config: inConfig.has(path) }));
        return { path: null, menus, rows: [], ordered: false, policies };
      }
      const path = q.path;
      const rows = (await deps.access
        .withApi(ref, 'change', (client) => client.command(`${path}/print`), { use: useBy(actor, 'browse') })
        .catch((e) => {
          if (e instanceof TrapError && /no such command/i.test(e.trapMessage))
            throw new AppError('menu_not_found', `${path} does not exist on this device`);
          throw e;
        })) as Row[];
      return {
        path,
        menus: [],
        ordered: isOrderedMenu(path),
        policies,
        rows: rows.map((r) => {
          const { '.id': id, comment, ...rest } = r;
          return {
            id: id ?? null,
            comment: comment ?? null,
            properties: rest,
            config: Object.fromEntries(Object.entries(rest).filter(([k]) => !isState(k))),
            flags: {
              dynamic: flag(r.dynamic),
              disabled: flag(r.disabled),
              invalid: flag(r.invalid),
              builtin: flag(r.builtin) || flag(r.default),
            },
          };
        }),
      };
    },
  };
}

/** Menu paths an export configures. */
function menuPaths(text: string): string[] {
  return parseExport(text)
    .sections.map((s) => s.path)
    .filter(Boolean);
}
export type ChangesService = ReturnType<typeof createChangesService>;
