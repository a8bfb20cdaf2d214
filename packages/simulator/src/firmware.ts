// Firmware state of a device: its update channel and what MikroTik's update server offers on it, the packages it
// runs, the package files an upgrade needs, and its RouterBOARD firmware (RouterBOOT). Downloading is in
// firmware-download.ts, installing at boot in firmware-boot.ts, the commands in commands/firmware.ts.
import type { Device } from './device.js';
import { freeSpace } from './files.js';
import { resourceRow } from './live.js';
import { ConfigStore } from './store.js';

export type Channel = 'stable' | 'long-term' | 'testing' | 'development' | 'upgrade';

/**
 * What the update server offers per channel. A channel may list one version per major (`['6.49.17', '7.16.2']`):
 * a device gets the newest of its own major, except on `upgrade` (6.49's way to v7), which offers the newest v7
 * (from `upgrade`, else from `stable`). Devices given the same object share it: change it at run time to publish.
 */
export type UpdateServer = Partial<Record<Channel, string | readonly string[]>>;

const CHANNELS = ['stable', 'long-term', 'testing', 'development'];
export const UPDATE_MENU = '/system/package/update';

/** The channels a device accepts: four on v6 and v7, and `upgrade` from 6.49 until v7. */
export function channelsOf(d: Device): string[] {
  const v = d.version;
  return v.major === 6 && v.minor >= 49 ? [...CHANNELS, 'upgrade'] : CHANNELS;
}

export function channelOf(d: Device): string {
  const item = d.store.menu(UPDATE_MENU, false)?.items[0];
  return (item && ConfigStore.get(item, 'channel')) ?? 'stable';
}

// --- versions ------------------------------------------------------------------------------------------------

interface Release {
  major: number;
  minor: number;
  patch: number;
  /** 0 alpha, 1 beta, 2 rc, 3 final */
  stage: number;
  n: number;
}

const STAGES: Record<string, number> = { alpha: 0, beta: 1, rc: 2 };

function release(text: string): Release {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?/.exec(text);
  if (!m) throw new TypeError(`not a RouterOS version: ${JSON.stringify(text)}`);
  const stage = m[4] ? (STAGES[m[4]] as number) : 3;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), stage, n: Number(m[5] ?? 0) };
}

/** Orders RouterOS versions: 7.17beta2 < 7.17rc1 < 7.17 < 7.17.1 < 7.18. */
export function compareVersions(a: string, b: string): number {
  const x = release(a);
  const y = release(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch || x.stage - y.stage || x.n - y.n;
}

export const majorOf = (v: string): number => release(v).major;

function newest(versions: string[]): string | undefined {
  return versions.reduce<string | undefined>(
    (a, v) => (a === undefined || compareVersions(v, a) > 0 ? v : a),
    undefined,
  );
}

function listed(v: string | readonly string[] | undefined): string[] {
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}

/**
 * The version the update server offers the device on its channel now. Nothing configured: `latestVersion` on
 * stable, else the installed version (nothing newer).
 */
export function offeredVersion(d: Device): string {
  const channel = channelOf(d) as Channel;
  const installed = d.version.text;
  const server = d.spec.updates ?? {};
  if (channel === 'upgrade') {
    const v7 = (c: Channel) => newest(listed(server[c]).filter((v) => majorOf(v) >= 7));
    return v7('upgrade') ?? v7('stable') ?? installed;
  }
  const same = newest(listed(server[channel]).filter((v) => majorOf(v) === d.version.major));
  if (same) return same;
  if (channel === 'stable' && (d.spec.latestVersion !== undefined || compareVersions(d.latestVersion, installed) > 0))
    return d.latestVersion;
  return installed;
}

// --- state ---------------------------------------------------------------------------------------------------

export interface UpdateStatus {
  /** latest-version, known after a check (cleared by a reboot or a channel change). */
  latest?: string;
  status?: string;
}

export interface FirmwareState {
  update: UpdateStatus;
  /** v7: the packages installed beside `routeros`. */
  extras: string[];
  /** RouterBOOT now, and what `/system/routerboard/upgrade` wrote for the next boot. */
  currentFirmware: string;
  pendingFirmware?: string;
  /** The download running, if any (firmware-download.ts). */
  download?: { abort(): void };
}

const states = new WeakMap<Device, FirmwareState>();

function defaultExtras(d: Device): string[] {
  if (d.spec.packages) return [...d.spec.packages];
  if (!isRouterboard(d)) return [];
  return d.spec.generate?.wirelessPackage === 'wireless' ? ['wireless'] : ['wifi-qcom-ac'];
}

export function firmwareOf(d: Device): FirmwareState {
  let s = states.get(d);
  if (!s) {
    s = { update: {}, extras: defaultExtras(d), currentFirmware: d.spec.currentFirmware ?? d.version.text };
    states.set(d, s);
  }
  return s;
}

// --- packages ------------------------------------------------------------------------------------------------

/** x86 and CHR have no RouterBOARD (and no RouterBOOT to upgrade). */
export function isRouterboard(d: Device): boolean {
  return d.spec.routerboard ?? !d.architecture.startsWith('x86');
}

/** One architecture name for the spellings devices and packages use (`x86_64` CHR, v6 packages' `mips`). */
export function archFamily(arch: string): string {
  if (arch === 'x86_64' || arch === 'i386') return 'x86';
  if (arch === 'mips') return 'mipsbe';
  if (arch === 'powerpc') return 'ppc';
  return arch;
}

const V6_PARTS = ['system', 'wireless', 'dhcp', 'routing', 'security', 'ppp'];

/** `/system/package` names: v7 `routeros` and its extras; v6 the bundle `routeros-<arch>` and what it holds. */
export function installedPackages(d: Device): string[] {
  if (d.behaviour.v7) return ['routeros', ...firmwareOf(d).extras];
  return [`routeros-${archFamily(d.architecture)}`, ...V6_PARTS];
}

/** Whether a package (as named inside its file) is RouterOS itself rather than an extra. */
export function isMainPackage(name: string): boolean {
  return name === 'routeros' || name === 'system' || name.startsWith('routeros-');
}

/** The file name MikroTik gives a package: v7 `routeros-7.16.2-arm64.npk` (x86: no suffix), v6 `routeros-mipsbe-6.49.17.npk`. */
export function packageFileName(name: string, version: string, arch: string): string {
  const a = archFamily(arch);
  if (majorOf(version) < 7) return `${name}-${a}-${version}.npk`;
  return a === 'x86' ? `${name}-${version}.npk` : `${name}-${version}-${a}.npk`;
}

const MIB = 1024 * 1024;
// Sizes of real 7.16 packages, roughly (the main package by architecture); v6's bundle is about 11.5 MiB.
const MAIN_V7: Record<string, number> = {
  arm: 11.1,
  arm64: 12.4,
  mipsbe: 11.7,
  mmips: 11.6,
  smips: 10.9,
  x86: 14.6,
  tile: 12.8,
  ppc: 11.6,
};
const EXTRA: Record<string, number> = { wireless: 1.9, 'wifi-qcom-ac': 2.6, 'wifi-qcom': 5.9, container: 0.1 };

export interface PlannedPackage {
  /** As `/system/package` names it after the install. */
  name: string;
  file: string;
  version: string;
  /** The package's name and architecture inside the file. */
  npkName: string;
  npkArch: string;
  bytes: number;
}

/** The files `/system/package/update/download` fetches to move the device to `version`. */
export function downloadPlan(d: Device, version: string): PlannedPackage[] {
  const arch = archFamily(d.architecture);
  const bytes = (mib: number) => d.spec.packageBytes ?? Math.round(mib * MIB);
  if (majorOf(version) < 7) {
    const name = `routeros-${arch}`;
    const npkArch = arch === 'mipsbe' ? 'mips' : arch;
    return [
      { name, file: packageFileName('routeros', version, arch), version, npkName: name, npkArch, bytes: bytes(11.5) },
    ];
  }
  // Leaving v6, the updater fetches the wireless package for boards that have wireless interfaces.
  const fromV6 = !d.behaviour.v7;
  const wireless = (d.store.menu('/interface/wireless', false)?.items.length ?? 0) > 0;
  const extras = fromV6 ? (wireless && isRouterboard(d) ? ['wireless'] : []) : firmwareOf(d).extras;
  return ['routeros', ...extras].map((name) => ({
    name,
    file: packageFileName(name, version, arch),
    version,
    npkName: name,
    npkArch: arch,
    bytes: bytes(name === 'routeros' ? (MAIN_V7[arch] ?? 12) : (EXTRA[name] ?? 1)),
  }));
}

const SMALL_FLASH = 16 * MIB;

/**
 * Room for package files. Boards with 16 MiB of flash keep files outside `flash/` on a RAM disk (packages there
 * are installed at the reboot before it is lost), so on them free memory counts too; elsewhere only free storage.
 */
export function packageRoom(d: Device): number {
  const c = d.live();
  const free = freeSpace(d);
  return c.totalHdd <= SMALL_FLASH ? free + Number(resourceRow(c)['free-memory']) : free;
}
