import { parseBool, parseDuration, type RouterOSClient, type Row, TrapError } from '@tod/routeros';
import type { InstalledPackage } from './packages.js';
import { versionOf } from './versions.js';

// What a router runs, read over one API session: RouterOS version and architecture, packages, update channel,
// RouterBOARD firmware, and (when asked) what its channel offers now (`check-for-updates`, which asks MikroTik's
// servers). A menu the router does not have (x86 has no RouterBOARD firmware) is not a failure.

export type Inventory = {
  version: string | null;
  architecture: string | null;
  boardName: string | null;
  /** How long it has been up, in ms (to tell a reboot from a router that never went down). */
  uptimeMs: number | null;
  channel: string | null;
  packages: InstalledPackage[];
  routerboard: boolean;
  currentFirmware: string | null;
  upgradeFirmware: string | null;
};

export type UpdateCheck = {
  /** What the channel offers (absent when the router could not ask: no internet). */
  latestVersion: string | null;
  /** The router's last status line: "New version is available", "ERROR: could not resolve dns name"… */
  status: string | null;
};

async function optional(p: Promise<Row[]>): Promise<Row[] | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof TrapError) return undefined;
    throw err;
  }
}

export async function readInventory(c: RouterOSClient, signal?: AbortSignal): Promise<Inventory> {
  const o = signal ? { signal } : {};
  const [resource, packages, update, rb] = await Promise.all([
    c.command('/system/resource/print', {}, o),
    c.command('/system/package/print', {}, o),
    optional(c.command('/system/package/update/print', {}, o)),
    optional(c.command('/system/routerboard/print', {}, o)),
  ]);
  const r = resource[0] ?? {};
  const u = update?.[0] ?? {};
  const b = rb?.[0];
  const routerboard = b !== undefined && parseBool(b.routerboard ?? 'false') === true;
  return {
    version: versionOf(r.version) ?? versionOf(u['installed-version']),
    architecture: r['architecture-name'] ?? null,
    boardName: r['board-name'] ?? null,
    uptimeMs: parseDuration(r.uptime) ?? null,
    channel: u.channel ?? null,
    packages: packages
      .filter((p) => p.name)
      .map((p) => ({
        name: p.name as string,
        version: versionOf(p.version) ?? '',
        disabled: parseBool(p.disabled ?? 'false') === true,
      })),
    routerboard,
    currentFirmware: routerboard ? (b?.['current-firmware'] ?? null) : null,
    upgradeFirmware: routerboard ? (b?.['upgrade-firmware'] ?? null) : null,
  };
}

/** `check-for-updates`: its status rows, the last one saying what the channel offers or why it could not ask. */
export async function checkForUpdates(c: RouterOSClient, signal?: AbortSignal): Promise<UpdateCheck> {
  const rows = await c.command('/system/package/update/check-for-updates', {}, signal ? { signal } : {});
  const last = rows.at(-1) ?? {};
  const status = last.status ?? null;
  const failed = status?.startsWith('ERROR') ?? false;
  return { latestVersion: failed ? null : versionOf(last['latest-version']), status };
}

/** Whether the router's status line says it could not reach MikroTik at all (no DNS, no route). */
export const noInternet = (status: string | null): boolean =>
  status !== null && /^ERROR:.*(resolve|dns|no route|network is unreachable)/i.test(status);
