// What a reboot installs. RouterOS installs the package files in the root of its file store while it restarts:
// the RouterOS package of the device's architecture (and the extra packages of the same version) when it is not
// older than the running one (older ones only with `/system/package/downgrade`), then deletes those files.
// Packages for another architecture or that are not whole packages are left alone and logged. A RouterBOOT written
// by `/system/routerboard/upgrade` becomes the running one at the next boot.
import type { Device } from './device.js';
import { fileBytes, fileName, listFiles, removeFile } from './files.js';
import {
  archFamily,
  channelOf,
  channelsOf,
  compareVersions,
  firmwareOf,
  installedPackages,
  isMainPackage,
  isRouterboard,
  majorOf,
  UPDATE_MENU,
} from './firmware.js';
import { type NpkInfo, readNpk } from './npk.js';
import { ConfigStore, type Item } from './store.js';

export type BootMode = 'reboot' | 'downgrade';

// RouterOS refuses to downgrade below the version the board shipped with (`factory-software`).
const FACTORY_SOFTWARE = '6.44';
// The simulator's rule for the v6 → v7 path: v7 packages install only from 6.49 (the `upgrade` channel's version).
const V7_FROM = '6.49';

export const FIRMWARE_UPGRADED = 'Firmware upgraded successfully, please reboot for changes to take effect!';

interface Found {
  item: Item;
  file: string;
  info: NpkInfo;
}

export interface BootPlan {
  /** The RouterOS package this boot installs, and the extras of its version found beside it. */
  install?: { main: Found; extras: Found[] };
  /** Files left alone, and why (logged at boot). */
  ignored: Array<{ file: string; why: string }>;
  /** RouterBOOT written by `/system/routerboard/upgrade`, running after this boot. */
  firmware?: string;
}

function packageFiles(d: Device): Found[] {
  const out: Found[] = [];
  for (const item of listFiles(d)) {
    const file = fileName(item);
    if (file.includes('/') || !file.endsWith('.npk')) continue;
    const info = readNpk(fileBytes(item));
    out.push({ item, file, info: info ?? { name: '', version: '', architecture: undefined, buildTime: new Date(0) } });
  }
  return out;
}

/** Decides at the start of a reboot what the boot will install (the device is down meanwhile: nothing changes). */
export function planBoot(d: Device, mode: BootMode): BootPlan {
  const st = firmwareOf(d);
  st.download?.abort();
  delete st.download;
  const plan: BootPlan = { ignored: [] };
  if (st.pendingFirmware !== undefined) plan.firmware = st.pendingFirmware;
  const arch = archFamily(d.architecture);
  const usable: Found[] = [];
  for (const f of packageFiles(d)) {
    if (!f.info.name) plan.ignored.push({ file: f.file, why: 'not a valid package' });
    else if (f.info.architecture !== undefined && archFamily(f.info.architecture) !== arch)
      plan.ignored.push({ file: f.file, why: `wrong architecture ${f.info.architecture}` });
    else usable.push(f);
  }
  const installed = d.version.text;
  const mains = usable.filter((f) => isMainPackage(f.info.name));
  const candidates = mains.filter((f) => {
    const cmp = compareVersions(f.info.version, installed);
    if (mode === 'downgrade') return cmp < 0 && compareVersions(f.info.version, FACTORY_SOFTWARE) >= 0;
    if (cmp < 0) return false;
    if (majorOf(f.info.version) >= 7 && !d.behaviour.v7 && compareVersions(installed, V7_FROM) < 0) {
      plan.ignored.push({ file: f.file, why: `upgrade to ${V7_FROM} first` });
      return false;
    }
    return true;
  });
  // Upgrading: the newest; downgrading: the oldest allowed.
  const main = candidates.sort((a, b) => compareVersions(a.info.version, b.info.version))[
    mode === 'downgrade' ? 0 : candidates.length - 1
  ];
  if (main) {
    const extras = usable.filter((f) => !isMainPackage(f.info.name) && f.info.version === main.info.version);
    plan.install = { main, extras };
  }
  return plan;
}

/** Whether the boot installs packages (it takes longer; `neverComesBack` strikes there). */
export function installs(plan: BootPlan): boolean {
  return plan.install !== undefined;
}

/** Carries out the plan as the device boots: versions, packages, RouterBOOT, files, log. */
export function applyBoot(d: Device, plan: BootPlan): void {
  const st = firmwareOf(d);
  st.update = {};
  if (plan.firmware !== undefined) {
    st.currentFirmware = plan.firmware;
    delete st.pendingFirmware;
  }
  for (const { file, why } of plan.ignored) d.log('system,error', `package ${file} not installed: ${why}`);
  const inst = plan.install;
  if (!inst) return;
  const version = inst.main.info.version;
  const wasV7 = d.behaviour.v7;
  const before = wasV7 ? st.extras : [];
  const brought = inst.extras.map((f) => f.info.name);
  if (majorOf(version) >= 7) {
    // Extras installed before whose package of the new version is missing cannot stay (their version must match).
    for (const name of before.filter((n) => !brought.includes(n)))
      d.log('system,error', `package ${name} removed: no ${name} package of version ${version}`);
    st.extras = [...new Set(brought)];
  }
  for (const f of [inst.main, ...inst.extras]) removeFile(d, f.item);
  d.setVersion(version);
  // 6.49's `upgrade` channel does not exist on v7: the router is back on stable.
  const menu = d.store.menu(UPDATE_MENU, false);
  if (menu?.items[0] && !channelsOf(d).includes(channelOf(d))) d.store.unset(UPDATE_MENU, menu.items[0], ['channel']);
  for (const name of installedPackages(d)) d.log('system,info', `installed ${name}-${version}`);
  // RouterBOOT follows at once when the board is set to upgrade it itself; it runs after one more reboot.
  const settings = d.store.menu('/system/routerboard/settings', false)?.items[0];
  const auto = settings ? ConfigStore.get(settings, 'auto-upgrade') : undefined;
  if (isRouterboard(d) && (auto === 'yes' || auto === 'true') && st.currentFirmware !== version) {
    st.pendingFirmware = version;
    d.log('system,info,critical', FIRMWARE_UPGRADED);
  }
}
