import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import { rolloutKeys } from './rollouts';
import type { Body, Json } from './types';

// Firmware: what RouterOS (and RouterBOARD firmware) each device runs, the newest version per channel as the
// routers report it after a check, upgrades as rollouts, and the organisation's cache of .npk packages for routers
// that cannot reach MikroTik.

const INVENTORY = '/api/tenants/{tenant_id}/firmware';
const CHECK = '/api/tenants/{tenant_id}/firmware/check';
const UPGRADES = '/api/tenants/{tenant_id}/firmware/upgrades';
const PACKAGES = '/api/tenants/{tenant_id}/firmware/packages';
const DOWNLOAD = '/api/tenants/{tenant_id}/firmware/packages/download';

export type FirmwarePage = Json<typeof INVENTORY, 'get', 200>;
export type FirmwareDevice = FirmwarePage['items'][number];
export type Latest = FirmwarePage['latest'][number];
export type FirmwarePolicies = FirmwarePage['policies'];
export type CheckResult = Json<typeof CHECK, 'post', 200>;
export type UpgradeRequest = Body<typeof UPGRADES, 'post'>;
export type Channel = NonNullable<UpgradeRequest['channel']>;
export type Source = NonNullable<UpgradeRequest['source']>;
export type CachedPackage = Json<typeof PACKAGES, 'get', 200>['items'][number];
export type DownloadRequest = Body<typeof DOWNLOAD, 'post'>;

/** RouterOS's architectures as MikroTik's download server names them. */
export const architectures = ['arm64', 'arm', 'mipsbe', 'mmips', 'smips', 'tile', 'ppc', 'x86'] as const;

/** RouterOS's update channels, in the order MikroTik lists them (the server's `channels`). */
export const channels: readonly Channel[] = ['stable', 'long-term', 'testing', 'development'];

export const firmwareKeys = {
  all: (t: string) => ['firmware', t] as const,
  inventory: (t: string) => ['firmware', t, 'inventory'] as const,
  packages: (t: string) => ['firmware', t, 'packages'] as const,
};

const tenant = (t: string) => ({ path: { tenant_id: t } });
const PAGE = 200;

/** The devices' firmware, 200 a page; every page carries the latest versions and the caller's policies. */
export function firmwareQuery(tenantId: string) {
  return infiniteQueryOptions({
    queryKey: firmwareKeys.inventory(tenantId),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET(INVENTORY, { params: { ...tenant(tenantId), query: { limit: PAGE, offset: pageParam } } })),
    getNextPageParam: (last) =>
      last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined,
    placeholderData: keepPreviousData,
    // A check a worker runs (the daily one, or one still going after "Check now" answered) lands without a message.
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((d) => d.check_due)) ? 5000 : false),
  });
}

/** The package cache (tens of files at most). */
export function packagesQuery(tenantId: string) {
  return queryOptions({
    queryKey: firmwareKeys.packages(tenantId),
    queryFn: async () => (await unwrap(api.GET(PACKAGES, { params: tenant(tenantId) }))).items,
  });
}

/**
 * The firmware feature sends no messages of its own; an upgrade changes what devices run, which shows when a
 * device's step succeeds and when the rollout ends.
 */
export const firmwareLive: LiveInvalidations = {
  'rollout.progress': (t, m) => (m.device_id === null || m.status === 'done' ? [firmwareKeys.inventory(t)] : []),
};

/** Asks every enabled device (or those named) what its channel offers now; 202 `running` when some are slow. */
export const checkFirmware = mutation({
  run: (v: { tenantId: string; deviceIds?: string[] }) =>
    unwrap(
      api.POST(CHECK, {
        params: tenant(v.tenantId),
        body: v.deviceIds ? { device_ids: v.deviceIds } : {},
      }),
    ),
  invalidates: (v) => [firmwareKeys.inventory(v.tenantId)],
});

export const startUpgrade = mutation({
  run: (v: { tenantId: string; body: UpgradeRequest }) =>
    unwrap(api.POST(UPGRADES, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [rolloutKeys.lists(v.tenantId), firmwareKeys.inventory(v.tenantId)],
});

/** The .npk file itself is the body (application/octet-stream); the server reads its header. */
export const uploadPackage = mutation({
  run: (v: { tenantId: string; file: Blob; architecture?: string }) =>
    unwrap(
      api.POST(PACKAGES, {
        params: { ...tenant(v.tenantId), query: v.architecture ? { architecture: v.architecture } : {} },
        // The OpenAPI document has no JSON body for this route: the file goes as it is.
        body: v.file as never,
        bodySerializer: (b: unknown) => b as Blob,
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
    ),
  invalidates: (v) => [firmwareKeys.packages(v.tenantId)],
});

/** Fetches packages of one version and architecture from MikroTik's server (FIRMWARE_DOWNLOAD_URL) into the cache. */
export const downloadPackages = mutation({
  run: (v: { tenantId: string; body: DownloadRequest }) =>
    unwrap(api.POST(DOWNLOAD, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [firmwareKeys.packages(v.tenantId)],
});
