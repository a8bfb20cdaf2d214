import type { RouterOSClient } from '@tod/routeros';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import { type RolloutKind, type StepContext, StepFailed } from '../rollouts/kinds.js';
import type { Outcome } from '../rollouts/rollouts.repo.js';
import type { CachedPackage, PackageCache } from './cache.js';
import { checkForUpdates, type Inventory, noInternet, readInventory } from './collect.js';
import { firmwareRepo } from './firmware.repo.js';
import {
  archFamily,
  type InstalledPackage,
  isMainPackage,
  missingPackages,
  OPTIONAL_V7_EXTRAS,
  packageFileName,
  requiredExtras,
} from './packages.js';
import { type Hop, isMajorJump, planHops } from './plan.js';
import {
  download,
  installFailureReason,
  rebootAndSeeDown,
  removePackageFiles,
  setChannel,
  uploadPackages,
  waitForReturn,
  withRouter,
} from './router-ops.js';
import { compareVersions, majorOf } from './versions.js';

// One device's firmware upgrade, a step of a `firmware` rollout. It is NOT an operation of the safe-change engine:
// a reboot into new firmware cannot be armed to revert itself (no safe mode or watchdog survives it), so nothing
// here is undone automatically — the pre-upgrade backup is the way back. Like the engine, it holds the device's
// change lock for the whole upgrade (no configuration change runs in between) and takes a `pre_change` backup first.
//
// Phases, saved as the step's state so a TOD restart resumes where it was:
//   (start)       read the router, plan the hops, pre-upgrade backup
//   hop           set the hop's channel, then download through the router's own updater — or, for `source: cache`
//                 (or `auto` on a router that cannot reach MikroTik), upload the packages from TOD's cache over SFTP
//   rebooting     reboot; wait (connect attempts with backoff) until it answers; the hop's exact version or a failure
//   verify        the target version exactly and every package it had (a package that disappeared fails it)
//   routerboard   optional: `/system/routerboard/upgrade`, then rb_rebooting: the second reboot, RouterBOOT checked
// A router that never comes back is failed at the rollout's per-device deadline, never blocking the others.

export type UpgradeRequest = {
  target_version: string;
  channel: string | null;
  routerboard: boolean;
  source: 'auto' | 'device' | 'cache';
  confirm_major: boolean;
};

type Phase = 'hop' | 'rebooting' | 'verify' | 'routerboard' | 'rb_rebooting' | 'done';

export type UpgradeState = {
  phase: Phase;
  hops: Hop[];
  hop: number;
  /** How each hop was installed. */
  via: Array<'device' | 'cache'>;
  before: { version: string; channel: string | null; packages: InstalledPackage[] };
  /** Extras that must be there afterwards. */
  required: string[];
  arch: string | null;
  backup: { version_id: string; sha256: string };
  /** When TOD asked for the current reboot (TOD's clock). */
  reboot_at?: number;
  routerboard_note?: string;
};

export type UpgradeDeps = {
  appPool: pg.Pool;
  access: DeviceAccess;
  cache: PackageCache;
  log: Logger;
  /** The pre-upgrade backup (config backups' capture, trigger pre_change). */
  backup: (ref: DeviceRef, actor: Actor) => Promise<{ version_id: string; sha256: string }>;
};

const LOCK_TTL_MS = 60_000;
const LOCK_WAIT_MS = 30_000;
// The rollout runner aborts a step with this reason when its process stops: the step resumes elsewhere under the
// same lock holder, so the lock is kept (it lapses after its TTL if nobody resumes).
const STOPPING = 'stopping';

const remaining = (ctx: StepContext) =>
  Math.max(1000, (ctx.device.deadline?.getTime() ?? Date.now() + 1_800_000) - Date.now());

export function firmwareKind(deps: UpgradeDeps): RolloutKind {
  return {
    changes: true,
    defaults: { device_timeout_seconds: 1800, concurrency: 5, max_failures: 0 },
    async run(ctx) {
      const ref = { tenantId: ctx.rollout.tenant_id, deviceId: ctx.device.device_id };
      const holder = `firmware:${ctx.rollout.id}:${ctx.device.device_id}:${ctx.device.attempts}`;
      const lock = await deps.access.changeLock(ref, {
        purpose: 'firmware_upgrade',
        holder,
        ttlMs: LOCK_TTL_MS,
        waitMs: LOCK_WAIT_MS,
      });
      const renew = setInterval(() => lock.renew().catch(() => {}), LOCK_TTL_MS / 3);
      try {
        return await upgrade(deps, ctx, ref);
      } finally {
        clearInterval(renew);
        if (ctx.signal.reason !== STOPPING) await lock.release().catch(() => {});
      }
    },
  };
}

async function upgrade(deps: UpgradeDeps, ctx: StepContext, ref: DeviceRef): Promise<Outcome> {
  const req = ctx.rollout.request as UpgradeRequest;
  const { signal } = ctx;
  const api = <T>(fn: (c: RouterOSClient) => Promise<T>) => withRouter(deps.access, ref, fn);
  const read = () => api((c) => readInventory(c, signal));
  const storeInventory = (inv: Inventory) =>
    withTenant(deps.appPool, ref.tenantId, (db) => firmwareRepo.storeInventory(db, ref.tenantId, ref.deviceId, inv));

  let s = ctx.device.state as UpgradeState | null;
  const save = async (next: UpgradeState) => {
    signal.throwIfAborted();
    s = next;
    await ctx.saveState(next as unknown as Record<string, unknown>);
  };

  if (!s) {
    const inv = await read();
    if (!inv.version) throw new StepFailed('unknown_version', 'the router did not say which RouterOS it runs');
    const target = req.target_version;
    const hops = planHops(inv.version, target, req.channel);
    const rbWanted = req.routerboard && inv.routerboard && inv.currentFirmware !== inv.upgradeFirmware;
    if (hops.length === 0 && !rbWanted)
      return { status: 'done', output: `already on ${inv.version}${req.routerboard ? routerboardNote(inv) : ''}` };
    if (isMajorJump(inv.version, target) && !req.confirm_major)
      throw new StepFailed(
        'major_upgrade_unconfirmed',
        `${inv.version} → ${target} crosses a major version: the rollout must be started with confirm_major`,
      );
    const backup = await deps.backup(ref, ctx.actor);
    await save({
      phase: hops.length ? 'hop' : 'routerboard',
      hops,
      hop: 0,
      via: [],
      before: { version: inv.version, channel: inv.channel, packages: inv.packages },
      required: requiredExtras(inv.packages, inv.version),
      arch: inv.architecture ? archFamily(inv.architecture) : null,
      backup,
    });
  }

  // This run saw the router go down after asking it to reboot (false after a restart: the uptime decides then).
  let seenDown = false;
  for (;;) {
    const st = s as UpgradeState;
    signal.throwIfAborted();
    switch (st.phase) {
      case 'hop': {
        const { hop, via } = await stageHop(deps, ctx, ref, req, st);
        await save({
          ...st,
          hops: st.hops.map((h, i) => (i === st.hop ? hop : h)),
          via: [...st.via.slice(0, st.hop), via],
          phase: 'rebooting',
          reboot_at: Date.now(),
        });
        await rebootAndSeeDown(deps.access, ref, signal);
        seenDown = true;
        break;
      }
      case 'rebooting': {
        const inv = await waitForReturn(deps.access, ref, signal);
        const hop = st.hops[st.hop] as Hop;
        if (inv.version !== null && inv.version === hop.version) {
          const next = st.hop + 1;
          await save({ ...st, hop: next, phase: next < st.hops.length ? 'hop' : 'verify' });
        } else if (seenDown || bootedSince(inv, st.reboot_at)) {
          const why = await api((c) => installFailureReason(c, signal)).catch(() => undefined);
          throw new StepFailed(
            'not_installed',
            `the router came back on ${inv.version ?? 'an unknown version'}, not ${hop.version}${why ? ` (${why})` : ''}`,
          );
        } else {
          // Restarted between saving and the reboot: it never went down. Stage the hop again.
          await save({ ...st, phase: 'hop' });
        }
        seenDown = false;
        break;
      }
      case 'verify': {
        const inv = await read();
        const target = req.target_version;
        if (inv.version !== target)
          throw new StepFailed(
            'version_mismatch',
            `the router runs ${inv.version ?? 'an unknown version'}, not ${target}`,
          );
        const missing = missingPackages(st.required, inv.packages);
        if (missing.length)
          throw new StepFailed('packages_missing', `packages gone after the upgrade: ${missing.join(', ')}`);
        let final = inv;
        // After 6 → 7 the router is back on stable: the channel asked for is set again.
        if (req.channel && inv.channel !== req.channel) {
          await api((c) => setChannel(c, req.channel as string, signal));
          final = { ...inv, channel: req.channel };
        }
        await storeInventory(final);
        await save({ ...st, phase: req.routerboard ? 'routerboard' : 'done' });
        break;
      }
      case 'routerboard': {
        const inv = await read();
        if (!inv.routerboard || inv.currentFirmware === inv.upgradeFirmware) {
          await save({ ...st, phase: 'done', routerboard_note: routerboardNote(inv) });
          break;
        }
        await api((c) => c.command('/system/routerboard/upgrade', {}, { signal }));
        await save({ ...st, phase: 'rb_rebooting', reboot_at: Date.now() });
        await rebootAndSeeDown(deps.access, ref, signal);
        seenDown = true;
        break;
      }
      case 'rb_rebooting': {
        const inv = await waitForReturn(deps.access, ref, signal);
        if (inv.routerboard && inv.currentFirmware === inv.upgradeFirmware) {
          await storeInventory(inv);
          await save({ ...st, phase: 'done', routerboard_note: `; RouterBOOT ${inv.currentFirmware}` });
        } else if (seenDown || bootedSince(inv, st.reboot_at)) {
          throw new StepFailed(
            'routerboard_not_upgraded',
            `RouterBOOT is ${inv.currentFirmware ?? 'unknown'} after the reboot, not ${inv.upgradeFirmware ?? 'the upgrade'}`,
          );
        } else await save({ ...st, phase: 'routerboard' });
        seenDown = false;
        break;
      }
      case 'done':
        return { status: 'done', output: summary(st) };
    }
  }
}

/** Whether the router booted after `at` (TOD's clock): its uptime is shorter than the time since. */
function bootedSince(inv: Inventory, at: number | undefined): boolean {
  return at !== undefined && inv.uptimeMs !== null && Date.now() - inv.uptimeMs > at;
}

function routerboardNote(inv: Inventory): string {
  if (!inv.routerboard) return '; no RouterBOARD firmware on this router';
  return `; RouterBOOT ${inv.currentFirmware ?? 'unknown'}`;
}

function summary(st: UpgradeState): string {
  const path = [st.before.version, ...st.hops.map((h) => h.version ?? '?')].join(' → ');
  const via = [...new Set(st.via)].map((v) => (v === 'device' ? "the router's updater" : "TOD's cache")).join(', ');
  return `${path}${via ? ` (${via})` : ''}${st.routerboard_note ?? ''}`;
}

/**
 * Puts the hop's packages on the router: its own updater (channel, check, download) or TOD's cache over SFTP.
 * Returns the hop with its version fixed (a 6.49.x hop takes what is offered or cached) and how it was done.
 */
async function stageHop(
  deps: UpgradeDeps,
  ctx: StepContext,
  ref: DeviceRef,
  req: UpgradeRequest,
  st: UpgradeState,
): Promise<{ hop: Hop; via: 'device' | 'cache' }> {
  const { signal } = ctx;
  let hop = st.hops[st.hop] as Hop;
  const viaDevice = await withRouter(deps.access, ref, async (c) => {
    await removePackageFiles(c, signal);
    if (req.source === 'cache') return undefined;
    const inv = await readInventory(c, signal);
    if (hop.channel && inv.channel !== hop.channel) await setChannel(c, hop.channel, signal);
    const check = await checkForUpdates(c, signal);
    if (check.latestVersion === null) {
      if (req.source === 'auto' && noInternet(check.status) && (await cachedFiles(deps, ref, st, hop)).ok)
        return undefined;
      throw new StepFailed(
        noInternet(check.status) ? 'no_internet' : 'check_failed',
        `the router could not ask MikroTik for updates: ${check.status ?? 'no answer'}`,
      );
    }
    const offered = check.latestVersion;
    if (hop.version === null) {
      if (compareVersions(offered, hop.atLeast ?? offered) < 0)
        throw new StepFailed(
          'version_not_offered',
          `the ${hop.channel} channel offers ${offered}, below ${hop.atLeast}`,
        );
      hop = { ...hop, version: offered };
    } else if (offered !== hop.version)
      throw new StepFailed(
        'version_not_offered',
        `the ${hop.channel ?? inv.channel ?? 'router’s'} channel offers ${offered}, not ${hop.version}; install it from TOD's cache (source: cache)`,
      );
    await download(c, signal, remaining(ctx));
    return hop;
  });
  if (viaDevice) return { hop: viaDevice, via: 'device' };
  const found = await cachedFiles(deps, ref, st, hop);
  if (!found.ok) throw new StepFailed('package_not_cached', found.why);
  const files = await Promise.all(
    found.packages.map(async (p) => ({
      name: packageFileName(p.name, p.version, p.architecture),
      bytes: await deps.cache.read(ref.tenantId, p),
    })),
  );
  await uploadPackages(deps.access, ref, files);
  return { hop: { ...hop, version: found.version }, via: 'cache' };
}

/** The cached packages a hop needs on this router: RouterOS of its architecture and every extra it must keep. */
async function cachedFiles(
  deps: UpgradeDeps,
  ref: DeviceRef,
  st: UpgradeState,
  hop: Hop,
): Promise<{ ok: true; version: string; packages: CachedPackage[] } | { ok: false; why: string }> {
  if (!st.arch) return { ok: false, why: 'the router did not say its architecture' };
  const arch = st.arch;
  const all = (await deps.cache.list(ref.tenantId)).filter((p) => p.architecture === arch);
  const mains = all.filter((p) => isMainPackage(p.name));
  const main =
    hop.version !== null
      ? mains.find((p) => p.version === hop.version)
      : mains
          .filter(
            (p) => majorOf(p.version) === majorOf(hop.atLeast) && compareVersions(p.version, hop.atLeast ?? '0') >= 0,
          )
          .sort((a, b) => compareVersions(b.version, a.version))[0];
  const wanted = hop.version ?? `${hop.atLeast}.x`;
  if (!main) return { ok: false, why: `TOD's cache has no RouterOS ${wanted} for ${arch}` };
  const version = main.version;
  const extras: CachedPackage[] = [];
  const missing: string[] = [];
  for (const name of st.required) {
    const p = all.find((x) => x.name === name && x.version === version);
    if (p) extras.push(p);
    else missing.push(name);
  }
  if (missing.length)
    return { ok: false, why: `TOD's cache lacks ${missing.join(', ')} ${version} for ${arch} (the router has them)` };
  if ((majorOf(version) ?? 0) >= 7 && (majorOf(st.before.version) ?? 0) < 7)
    for (const name of OPTIONAL_V7_EXTRAS) {
      const p = all.find((x) => x.name === name && x.version === version);
      if (p && !extras.includes(p)) extras.push(p);
    }
  return { ok: true, version, packages: [main, ...extras] };
}
