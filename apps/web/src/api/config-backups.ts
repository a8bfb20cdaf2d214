import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import type { Body, Json } from './types';

// Configuration backups: a device's versions, jobs, diffs and schedule; the fleet view and config search.

const DEV = '/api/tenants/{tenant_id}/devices/{device_id}/config';
type VersionsPage = Json<`${typeof DEV}/backups`, 'get', 200>;
export type ConfigVersion = VersionsPage['items'][number];
export type BackupPolicies = VersionsPage['policies'];
export type BackupJob = Json<'/api/tenants/{tenant_id}/config/jobs/{job_id}', 'get', 200>['job'];
export type BackupTrigger = ConfigVersion['trigger'];
export type ConfigDiff = Json<`${typeof DEV}/diff`, 'get', 200>;
export type Schedule = Json<`${typeof DEV}/schedules`, 'get', 200>;
export type ScheduleChange = Body<'/api/tenants/{tenant_id}/config/schedules', 'put'>;
export type DeviceScheduleChange = Body<`${typeof DEV}/schedules`, 'put'>;
export type FleetBackup = Json<'/api/tenants/{tenant_id}/config/backups', 'get', 200>['items'][number];
export type ConfigSearch = Json<'/api/tenants/{tenant_id}/config/search', 'get', 200>;
/** Retention, the git remote (credentials hidden) and the mirror's last push, storage used. */
export type BackupSettings = Json<'/api/tenants/{tenant_id}/config/settings', 'get', 200>;
export type BackupSettingsChange = Body<'/api/tenants/{tenant_id}/config/settings', 'put'>;
export type PushResult = Json<'/api/tenants/{tenant_id}/config/git/push', 'post', 200>;

/** The semantic diff (@tod/rsc's, per menu path and item). */
export type SemanticDiff = ConfigDiff['semantic'];
export type MenuDiff = SemanticDiff['menus'][number];
/** One configuration item: a keyed entry (`name=x`), a menu's settings, or an unparsed line (`text`). */
export type DiffItem = MenuDiff['added'][number];
/** A property that changed: `old` missing when it was not set before, `new` missing when it is no longer set. */
export type PropChange = SemanticDiff['header'][number];

/**
 * Query keys. Everything about one device sits under `device`, so a new version or a finished job refreshes its
 * timeline, jobs and schedule together; the fleet view and search under `fleet`.
 */
export const configKeys = {
  all: (t: string) => ['config', t] as const,
  device: (t: string, d: string) => ['config', t, 'device', d] as const,
  versions: (t: string, d: string) => ['config', t, 'device', d, 'versions'] as const,
  jobs: (t: string, d: string) => ['config', t, 'device', d, 'jobs'] as const,
  diff: (t: string, d: string, from: string, to: string) => ['config', t, 'device', d, 'diff', from, to] as const,
  schedule: (t: string, d: string) => ['config', t, 'device', d, 'schedule'] as const,
  orgSchedule: (t: string) => ['config', t, 'schedule'] as const,
  settings: (t: string) => ['config', t, 'settings'] as const,
  fleet: (t: string) => ['config', t, 'fleet'] as const,
  fleetList: (t: string) => ['config', t, 'fleet', 'list'] as const,
  search: (t: string, q: string, path: string) => ['config', t, 'fleet', 'search', q, path] as const,
};

/**
 * What the live stream's backup messages make stale: a job moving (queued → running → done) refreshes the device's
 * jobs and the fleet view's outcome; a new version its timeline and the fleet view.
 */
export const configLive: LiveInvalidations = {
  'config.job': (t, m) => [configKeys.device(t, m.deviceId), configKeys.fleet(t)],
  'config.version': (t, m) => [configKeys.device(t, m.deviceId), configKeys.fleet(t)],
};

const dev = (t: string, d: string) => ({ path: { tenant_id: t, device_id: d } });

/** Newest first, 100 a page; the next page starts at the previous one's `next_cursor` (versions can share a time). */
export function versionsQuery(tenantId: string, deviceId: string) {
  return infiniteQueryOptions({
    queryKey: configKeys.versions(tenantId, deviceId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET(`${DEV}/backups`, {
          params: { ...dev(tenantId, deviceId), query: { limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The device's latest 20 jobs, newest first: the one in progress, and how the last one ended. */
export function jobsQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: configKeys.jobs(tenantId, deviceId),
    queryFn: () => unwrap(api.GET(`${DEV}/jobs`, { params: dev(tenantId, deviceId) })),
    // The stream reports each step; polling slowly while a job runs covers a stream that is reconnecting.
    refetchInterval: (q) =>
      q.state.data?.items.some((j) => j.status === 'queued' || j.status === 'running') ? 5000 : false,
  });
}

export function diffQuery(tenantId: string, deviceId: string, from: string, to: string) {
  return queryOptions({
    queryKey: configKeys.diff(tenantId, deviceId, from, to),
    queryFn: () => unwrap(api.GET(`${DEV}/diff`, { params: { ...dev(tenantId, deviceId), query: { from, to } } })),
    // Two versions never change: their diff is fetched once.
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

export function deviceScheduleQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: configKeys.schedule(tenantId, deviceId),
    queryFn: () => unwrap(api.GET(`${DEV}/schedules`, { params: dev(tenantId, deviceId) })),
  });
}

export function orgScheduleQuery(tenantId: string) {
  return queryOptions({
    queryKey: configKeys.orgSchedule(tenantId),
    queryFn: () =>
      unwrap(api.GET('/api/tenants/{tenant_id}/config/schedules', { params: { path: { tenant_id: tenantId } } })),
  });
}

/** Every device's backup state, failures first (the server's order), 100 a page. */
export function fleetBackupsQuery(tenantId: string) {
  return infiniteQueryOptions({
    queryKey: configKeys.fleetList(tenantId),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/config/backups', {
          params: { path: { tenant_id: tenantId }, query: { limit: 100, offset: pageParam } },
        }),
      ),
    getNextPageParam: (last) =>
      last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined,
  });
}

/** Devices whose latest config contains `q` (in the menu `path`, when given), with the matching lines. */
export function configSearchQuery(tenantId: string, q: string, path: string) {
  return queryOptions({
    queryKey: configKeys.search(tenantId, q, path),
    enabled: q.length >= 2,
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/config/search', {
          params: { path: { tenant_id: tenantId }, query: { q, ...(path ? { path } : {}) } },
        }),
      ),
  });
}

/** Admins only (`config.settings`). */
export function backupSettingsQuery(tenantId: string) {
  return queryOptions({
    queryKey: configKeys.settings(tenantId),
    queryFn: () =>
      unwrap(api.GET('/api/tenants/{tenant_id}/config/settings', { params: { path: { tenant_id: tenantId } } })),
  });
}

/** Downloads are plain links (sent with the session cookie); exports with secrets and binaries are audited. */
export const exportUrl = (t: string, d: string, id: string, secrets = false) =>
  `/api/tenants/${t}/devices/${d}/config/backups/${id}/export${secrets ? '?secrets=true' : ''}`;
export const binaryUrl = (t: string, d: string, id: string) =>
  `/api/tenants/${t}/devices/${d}/config/backups/${id}/binary`;

/** The organisation's git mirror (secrets redacted) as one file: `git clone tod-configs.bundle`. */
export const bundleUrl = (t: string) => `/api/tenants/${t}/config/git/bundle`;

type DeviceRef = { tenantId: string; deviceId: string };
const deviceChanged = (v: DeviceRef) => [configKeys.device(v.tenantId, v.deviceId), configKeys.fleet(v.tenantId)];

/** Back up now: the finished job and its version (200), or the queued job (202) whose progress comes live. */
export const backupNow = mutation({
  run: (v: DeviceRef) => unwrap(api.POST(`${DEV}/backups`, { params: dev(v.tenantId, v.deviceId) })),
  invalidates: deviceChanged,
});

/** A named restore point, taken even when nothing changed. */
export const takeCheckpoint = mutation({
  run: (v: DeviceRef & { name: string }) =>
    unwrap(api.POST(`${DEV}/checkpoint`, { params: dev(v.tenantId, v.deviceId), body: { name: v.name } })),
  invalidates: deviceChanged,
});

export const setDeviceSchedule = mutation({
  run: (v: DeviceRef & { body: DeviceScheduleChange }) =>
    unwrap(api.PUT(`${DEV}/schedules`, { params: dev(v.tenantId, v.deviceId), body: v.body })),
  invalidates: deviceChanged,
});

/** The organisation's default: every device that follows it gets a new next run. */
export const setOrgSchedule = mutation({
  run: (v: { tenantId: string; body: ScheduleChange }) =>
    unwrap(
      api.PUT('/api/tenants/{tenant_id}/config/schedules', {
        params: { path: { tenant_id: v.tenantId } },
        body: v.body,
      }),
    ),
  invalidates: (v) => [configKeys.all(v.tenantId)],
});

/** Retention and the git remote; the remote URL and ssh key are write-only (null clears them). */
export const setBackupSettings = mutation({
  run: (v: { tenantId: string; body: BackupSettingsChange }) =>
    unwrap(
      api.PUT('/api/tenants/{tenant_id}/config/settings', {
        params: { path: { tenant_id: v.tenantId } },
        body: v.body,
      }),
    ),
  invalidates: (v) => [configKeys.settings(v.tenantId)],
});

/** Mirrors pending versions and pushes to the remote now; the outcome lands in the settings' last push. */
export const pushMirror = mutation({
  run: (v: { tenantId: string }) =>
    unwrap(api.POST('/api/tenants/{tenant_id}/config/git/push', { params: { path: { tenant_id: v.tenantId } } })),
  invalidates: (v) => [configKeys.settings(v.tenantId)],
});
