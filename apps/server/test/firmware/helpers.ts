import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceSpec, UpdateServer } from '@tod/simulator';
import { withTenant } from '../../src/platform/db/tx.js';
import { expectStatus } from '../helpers/api.js';
import { type RolloutEnv, startRolloutEnv } from '../rollouts/helpers.js';

// Shared by the firmware tests: the rollout environment (backups, change locks, the rollout runner) over simulated
// routers that share one update server, with short download and reboot times, and TOD's package cache in a
// temporary folder.

export type FirmwareEnv = RolloutEnv & { cacheDir: string };

/** MikroTik's update server for the whole fleet (a channel offers each major its own newest). */
export const SERVER: UpdateServer = {
  stable: ['6.49.17', '7.20.4'],
  'long-term': ['6.48.7', '7.16.3'],
  testing: '7.21beta2',
  development: '7.21beta2',
  upgrade: '7.20.4',
};

/** A router with quick checks, downloads and reboots (a real one takes minutes). */
export const quick = (s: DeviceSpec = {}): DeviceSpec => ({
  updates: SERVER,
  updateCheckMs: 20,
  downloadMs: 200,
  rebootDelayMs: 300,
  upgradeRebootMs: 600,
  uptimeMs: 86_400_000,
  ...s,
});

export async function startFirmwareEnv(specs: DeviceSpec[], env: Record<string, string> = {}): Promise<FirmwareEnv> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'tod-firmware-'));
  const e = await startRolloutEnv(specs, { FIRMWARE_CACHE_DIR: cacheDir, ...env });
  const stop = e.stop;
  return {
    ...e,
    cacheDir,
    stop: async () => {
      await stop();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

export type InventoryJson = {
  items: Array<{
    device_id: string;
    name: string;
    version: string | null;
    architecture: string | null;
    channel: string | null;
    packages: Array<{ name: string; version: string; disabled: boolean }> | null;
    routerboard: boolean | null;
    current_firmware: string | null;
    upgrade_firmware: string | null;
    routerboard_upgrade_available: boolean;
    latest_version: string | null;
    update_available: boolean;
    update_status: string | null;
    checked_at: string | null;
    check_due: boolean;
    check_error: { code: string; message: string } | null;
  }>;
  total: number;
  latest: Array<{ channel: string; major: number; version: string; devices: number }>;
  policies: Record<string, boolean>;
};

export async function inventory(e: FirmwareEnv): Promise<InventoryJson> {
  return expectStatus<InventoryJson>(await e.admin.get(`${e.base}/firmware?limit=500`), 200);
}

export const item = (inv: InventoryJson, deviceId: string) => {
  const i = inv.items.find((x) => x.device_id === deviceId);
  if (!i) throw new Error(`device ${deviceId} is not in the inventory`);
  return i;
};

/** Log lines of simulated device `index` ("topics message"). */
export const logsOf = (e: FirmwareEnv, index: number) =>
  e.fleet.device(index).logs.map((l) => `${l.topics} ${l.message}`);

/** Pre-upgrade backups (trigger pre_change) that succeeded for a device. */
export async function preUpgradeBackups(e: FirmwareEnv, deviceId: string): Promise<number> {
  return withTenant(e.ctx.pools.app, e.seed.a.id, async (db) => {
    const r = await db.query<{ n: number }>(
      `select count(*)::int as n from config_jobs where device_id = $1 and trigger = 'pre_change' and status = 'succeeded'`,
      [deviceId],
    );
    return r.rows[0]?.n ?? 0;
  });
}
