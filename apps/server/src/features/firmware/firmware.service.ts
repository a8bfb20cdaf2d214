import type pg from 'pg';
import type { Logger } from 'pino';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { devicesInTargets, missingTargets } from '../catalog/scope.js';
import type { MaintenanceWindowsService } from '../maintenance-windows/maintenance-windows.service.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import type { TopologyService } from '../topology/topology.service.js';
import type { CachedPackage, PackageCache } from './cache.js';
import type { Checker } from './checker.js';
import { type DownloadOptions, downloadPackage, mainPackageName } from './download.js';
import { type FirmwareRow, firmwareRepo } from './firmware.repo.js';
import type { DownloadBody, UpgradeBody } from './firmware.schema.js';
import { NpkInvalid } from './npk.js';
import { isMajorJump, orderByTopology } from './plan.js';
import type { UpgradeRequest } from './upgrade.js';
import { compareVersions, majorOf } from './versions.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const newer = (a: string | null, b: string | null) => a !== null && b !== null && compareVersions(a, b) > 0;

function present(r: FirmwareRow) {
  return {
    device_id: r.device_id,
    name: r.name,
    status: r.status,
    version: r.installed_version,
    architecture: r.architecture,
    board_name: r.board_name,
    channel: r.channel,
    packages: r.packages,
    routerboard: r.routerboard,
    current_firmware: r.current_firmware,
    upgrade_firmware: r.upgrade_firmware,
    routerboard_upgrade_available: r.routerboard !== false && newer(r.upgrade_firmware, r.current_firmware),
    latest_version: r.latest_version,
    update_available: newer(r.latest_version, r.installed_version),
    update_status: r.update_status,
    checked_at: iso(r.checked_at),
    check_due: r.check_due,
    check_error: r.check_error_code
      ? { code: r.check_error_code, message: r.check_error ?? '', at: iso(r.check_failed_at) }
      : null,
  };
}

/** The newest version per channel and major the devices reported (a channel offers each major its own). */
function latestPerChannel(rows: Array<{ channel: string; latest_version: string; devices: number }>) {
  const best = new Map<string, { channel: string; major: number; version: string; devices: number }>();
  for (const r of rows) {
    const major = majorOf(r.latest_version);
    if (major === undefined) continue;
    const key = `${r.channel}:${major}`;
    const cur = best.get(key);
    if (!cur || compareVersions(r.latest_version, cur.version) > 0)
      best.set(key, { channel: r.channel, major, version: r.latest_version, devices: r.devices });
  }
  return [...best.values()].sort((a, b) => a.channel.localeCompare(b.channel) || a.major - b.major);
}

/** A cached package as the API shows it. */
const packageJson = (p: CachedPackage) => ({
  file: p.file,
  name: p.name,
  version: p.version,
  architecture: p.architecture,
  size: p.size,
  added_at: p.addedAt.toISOString(),
});
/** Right after an upload or download: with its digest. */
const keptJson = (p: CachedPackage & { sha256: string }) => ({ ...packageJson(p), sha256: p.sha256 });

export function createFirmwareService(deps: {
  appPool: pg.Pool;
  checker: Checker;
  cache: PackageCache;
  rollouts: RolloutsService;
  windows: MaintenanceWindowsService;
  topology: Pick<TopologyService, 'depths'>;
  log: Logger;
  /** How long "check now" waits for the result before answering 202. */
  checkWaitMs: number;
  download: DownloadOptions;
}) {
  // Each download holds up to maxBytes per package in memory until all arrived: two requests at a time per process.
  let downloading = 0;
  const tenantOf = (a: Actor) => a.tenantId as string;
  const inTenant = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantOf(actor), fn);

  async function checkCounts(actor: Actor, ids: string[], since: Date) {
    return inTenant(actor, async (db) => {
      const r = await db.query<{ due: number; checked: number; failed: number }>(
        `select count(*) filter (where check_due_at is not null)::int as due,
                count(*) filter (where check_due_at is null and checked_at >= $2
                                   and (check_failed_at is null or check_failed_at < checked_at))::int as checked,
                count(*) filter (where check_due_at is null and check_failed_at >= $2)::int as failed
           from firmware_devices where device_id = any($1)`,
        [ids, since],
      );
      return r.rows[0] ?? { due: 0, checked: 0, failed: 0 };
    });
  }

  return {
    async inventory(actor: Actor, q: { limit: number; offset: number }) {
      assertCan(actor, 'firmware.read');
      const { page, latest } = await inTenant(actor, async (db) => ({
        page: await firmwareRepo.list(db, q),
        latest: await firmwareRepo.reportedLatest(db),
      }));
      const p = actor.principal;
      return {
        items: page.rows.map(present),
        total: page.total,
        limit: q.limit,
        offset: q.offset,
        latest: latestPerChannel(latest),
        policies: {
          check: can(p, 'firmware.check'),
          upgrade: can(p, 'firmware.upgrade') && can(p, 'rollouts.control'),
          upload: can(p, 'firmware.packages'),
        },
      };
    },

    /**
     * Checks the organisation's devices (or those named) now, in this process, a bounded number at once; devices a
     * worker is checking already are left to it. Answers when all are done, or `running` after the wait.
     */
    async check(actor: Actor, body: { device_ids?: string[] | undefined } = {}) {
      assertCan(actor, 'firmware.check');
      const marked = await inTenant(actor, async (db) => {
        const at = (await db.query<{ now: Date }>('select now()')).rows[0]?.now as Date;
        const ids = await firmwareRepo.markDue(db, body.device_ids);
        if (body.device_ids && ids.length < new Set(body.device_ids).size)
          throw new AppError('target_not_found', 'some devices are not in this organisation, or are disabled');
        await recordAudit(db, actor, {
          action: 'firmware.check',
          targetType: 'firmware',
          details: { devices: ids.length },
        });
        return { ids, at };
      });
      const run = deps.checker.checkTenant(tenantOf(actor), marked.ids);
      run.catch((err) => deps.log.warn({ err }, 'firmware check request failed'));
      const until = Date.now() + deps.checkWaitMs;
      await Promise.race([run.catch(() => {}), new Promise((r) => setTimeout(r, deps.checkWaitMs))]);
      let c = await checkCounts(actor, marked.ids, marked.at);
      // Devices another worker claimed first: their results land shortly.
      while (c.due > 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        c = await checkCounts(actor, marked.ids, marked.at);
      }
      return {
        status: c.due === 0 ? ('done' as const) : ('running' as const),
        devices: marked.ids.length,
        checked: c.checked,
        failed: c.failed,
      };
    },

    /**
     * Starts a firmware rollout: the target version (given, or the newest the devices report for the channel), a
     * confirmed major jump, the devices in topology order (the operator's order until topology exists), and the
     * maintenance window's next occurrence as its start.
     */
    async upgrade(actor: Actor, body: UpgradeBody): Promise<{ rollout_id: string }> {
      assertCan(actor, 'firmware.upgrade');
      const t = body.targets;
      const ids = {
        deviceIds: t.device_ids ?? [],
        groupIds: t.group_ids ?? [],
        tagIds: t.tag_ids ?? [],
        siteIds: t.site_ids ?? [],
      };
      const { devices, versions, reported } = await inTenant(actor, async (db) => {
        const missing = await missingTargets(db, ids);
        if (missing.length > 0)
          throw new AppError('target_not_found', `no such ${missing.slice(0, 5).join(', ')} in this organisation`);
        const list = await devicesInTargets(db, ids);
        return {
          devices: list,
          versions: await firmwareRepo.versions(
            db,
            list.map((d) => d.id),
          ),
          reported: await firmwareRepo.reportedLatest(db),
        };
      });
      if (devices.length === 0) throw new AppError('no_targets', 'the targets name no device');
      const channel = body.channel ?? null;
      const target =
        body.version ??
        latestPerChannel(reported)
          .filter((l) => l.channel === (channel ?? 'stable'))
          .sort((a, b) => compareVersions(b.version, a.version))[0]?.version;
      if (!target)
        throw new AppError(
          'no_known_version',
          `no device has reported the latest version of the ${channel ?? 'stable'} channel yet: check for updates first, or give a version`,
        );
      const ordered = orderByTopology(
        devices,
        await deps.topology.depths(
          actor,
          devices.map((d) => d.id),
        ),
      );
      const jumps = ordered.filter((d) => isMajorJump(versions.get(d.id), target));
      if (jumps.length > 0 && !body.confirm_major)
        throw new AppError(
          'major_upgrade_unconfirmed',
          `${target} is a major upgrade for ${jumps.length} device(s) (${jumps
            .slice(0, 5)
            .map((d) => d.name)
            .join(', ')}): confirm it with confirm_major (the path goes through the newest 6.49.x)`,
        );
      // In a maintenance window: start when it opens (now if open) and start no device after it closes.
      let scheduledAt = body.rollout?.scheduled_at;
      let stopAt = body.rollout?.stop_at;
      if (body.maintenance_window_id) {
        const w = await deps.windows.get(actor, body.maintenance_window_id);
        const occurrence = w.active ? w.current : w.next;
        if (!occurrence)
          throw new AppError('maintenance_window_over', `maintenance window ${w.name} has no next occurrence`);
        if (!w.active) scheduledAt = occurrence.starts_at;
        stopAt ??= occurrence.ends_at;
      }
      const request: UpgradeRequest & Record<string, unknown> = {
        target_version: target,
        channel,
        routerboard: body.routerboard ?? false,
        source: body.source ?? 'auto',
        confirm_major: body.confirm_major ?? false,
        targets: t,
        maintenance_window_id: body.maintenance_window_id ?? null,
      };
      return deps.rollouts.create(actor, {
        kind: 'firmware',
        name: body.name ?? `RouterOS ${target}`,
        targets: { device_ids: ordered.map((d) => d.id) },
        options: {
          ...body.rollout,
          ...(scheduledAt ? { scheduled_at: scheduledAt } : {}),
          ...(stopAt ? { stop_at: stopAt } : {}),
        },
        request,
      });
    },

    async packages(actor: Actor) {
      assertCan(actor, 'firmware.read');
      return { items: (await deps.cache.list(tenantOf(actor))).map(packageJson) };
    },

    /** Keeps an uploaded package in the organisation's cache after checking its header (admin). */
    async upload(actor: Actor, bytes: Buffer, architecture?: string) {
      assertCan(actor, 'firmware.packages');
      let kept: Awaited<ReturnType<PackageCache['put']>>;
      try {
        kept = await deps.cache.put(tenantOf(actor), bytes, architecture);
      } catch (e) {
        if (e instanceof NpkInvalid) throw new AppError('npk_invalid', e.message);
        throw e;
      }
      const entry = keptJson(kept);
      await inTenant(actor, (db) =>
        recordAudit(db, actor, {
          action: 'firmware.package_uploaded',
          targetType: 'firmware_package',
          targetId: entry.file,
          details: entry,
        }),
      );
      return entry;
    },

    /**
     * Fetches packages of one version and architecture from MikroTik's download server into the organisation's
     * cache (admin): RouterOS itself unless named. Every file is checked against what was asked for, and none is kept
     * unless all arrived.
     */
    async download(actor: Actor, body: DownloadBody) {
      assertCan(actor, 'firmware.packages');
      if (downloading >= 2) throw new AppError('rate_limited', 'two package downloads are running; try again shortly');
      downloading++;
      try {
        const names = body.packages?.length
          ? [...new Set(body.packages)]
          : [mainPackageName(body.version, body.architecture)];
        const got: Buffer[] = [];
        for (const name of names) {
          const w = { name, version: body.version, architecture: body.architecture };
          try {
            got.push(await downloadPackage(deps.download, w));
          } catch (e) {
            if (e instanceof NpkInvalid) throw new AppError('npk_invalid', e.message);
            throw e;
          }
        }
        const items: ReturnType<typeof keptJson>[] = [];
        for (const bytes of got) items.push(keptJson(await deps.cache.put(tenantOf(actor), bytes, body.architecture)));
        await inTenant(actor, async (db) => {
          for (const entry of items)
            await recordAudit(db, actor, {
              action: 'firmware.package_downloaded',
              targetType: 'firmware_package',
              targetId: entry.file,
              details: { ...entry, from: deps.download.baseUrl },
            });
        });
        return { items };
      } finally {
        downloading--;
      }
    },
  };
}
export type FirmwareService = ReturnType<typeof createFirmwareService>;
