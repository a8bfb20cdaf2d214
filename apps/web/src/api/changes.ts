import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { configKeys } from './config-backups';
import { type LiveInvalidations, mutation } from './mutation';
import type { Body, Json } from './types';

// Safe changes: a device's configuration read by menu, edits and restores sent through the apply-with-revert
// engine as operations, and the operations themselves (their steps, Keep and Revert).

const DEV = '/api/tenants/{tenant_id}/devices/{device_id}';
type Browse = Json<`${typeof DEV}/config/browse`, 'get', 200>;
export type MenuRow = Browse['rows'][number];
export type MenuEntry = Browse['menus'][number];
export type MenuRows = Browse;
export type Operation = Json<`${typeof DEV}/operations/{operation_id}`, 'get', 200>;
export type OperationStatus = Operation['status'];
export type Mode = Operation['mode'];
export type Change = Body<`${typeof DEV}/config/changes`, 'post'>['changes'][number];
/** A dry run's answer: the exact commands and their risks. */
export type DryRun = Omit<Json<`${typeof DEV}/config/changes`, 'post', 200>, 'operation_id'>;
export type Risk = DryRun['risks'][number];
export type RestorePreview = Json<`${typeof DEV}/config/preview-restore`, 'post', 200>;
export type OperationFilters = { device_id?: string; status?: OperationStatus };

export const finalStatuses: readonly OperationStatus[] = ['confirmed', 'reverted', 'failed'];
export const isFinal = (s: OperationStatus) => finalStatuses.includes(s);

/**
 * Query keys. A device's menus and rows sit under `device` (read from the router, so a finished operation makes
 * them stale); operations under `operations`, each one also by id.
 */
export const changeKeys = {
  all: (t: string) => ['changes', t] as const,
  device: (t: string, d: string) => ['changes', t, 'device', d] as const,
  menus: (t: string, d: string) => ['changes', t, 'device', d, 'menus'] as const,
  rows: (t: string, d: string, path: string) => ['changes', t, 'device', d, 'rows', path] as const,
  preview: (t: string, d: string, backup: string) => ['changes', t, 'device', d, 'preview', backup] as const,
  operations: (t: string) => ['changes', t, 'operations'] as const,
  operationList: (t: string, f: OperationFilters) => ['changes', t, 'operations', 'list', f] as const,
  operation: (t: string, id: string) => ['changes', t, 'operations', 'one', id] as const,
};

/**
 * `change.operation` (every transition): the operation and the operation lists refresh; once it ends, the device's
 * rows too (what it changed, or what it put back).
 */
export const changesLive: LiveInvalidations = {
  'change.operation': (t, m) => [
    changeKeys.operations(t),
    ...(isFinal(m.status) ? [changeKeys.device(t, m.deviceId), configKeys.device(t, m.deviceId)] : []),
  ],
};

const dev = (t: string, d: string) => ({ path: { tenant_id: t, device_id: d } });
/** While an operation runs the stream reports each step; a slow poll covers a stream that is reconnecting. */
const openPoll = 4000;

/** The menu tree: the menus TOD offers, those in the device's latest backup marked. */
export function menusQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: changeKeys.menus(tenantId, deviceId),
    queryFn: () => unwrap(api.GET(`${DEV}/config/browse`, { params: dev(tenantId, deviceId) })),
  });
}

/** The rows of one menu, read from the device now. */
export function rowsQuery(tenantId: string, deviceId: string, path: string) {
  return queryOptions({
    queryKey: changeKeys.rows(tenantId, deviceId, path),
    queryFn: () => unwrap(api.GET(`${DEV}/config/browse`, { params: { ...dev(tenantId, deviceId), query: { path } } })),
    // Each read reaches the router; a failed one is shown, not retried in a loop.
    retry: false,
  });
}

export function operationQuery(tenantId: string, deviceId: string, id: string) {
  return queryOptions({
    queryKey: changeKeys.operation(tenantId, id),
    queryFn: () =>
      unwrap(
        api.GET(`${DEV}/operations/{operation_id}`, {
          params: { path: { tenant_id: tenantId, device_id: deviceId, operation_id: id } },
        }),
      ),
    refetchInterval: (q) => (q.state.data && !isFinal(q.state.data.status) ? openPoll : false),
  });
}

/** The organisation's operations, newest first, 50 a page. */
export function operationsQuery(tenantId: string, f: OperationFilters) {
  return infiniteQueryOptions({
    queryKey: changeKeys.operationList(tenantId, f),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/operations', {
          params: {
            path: { tenant_id: tenantId },
            query: { limit: 50, ...f, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The device's latest operation (the one in progress, or how the last one ended). */
export function latestOperationQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: changeKeys.operationList(tenantId, { device_id: deviceId }),
    queryFn: () =>
      unwrap(
        api.GET('/api/tenants/{tenant_id}/operations', {
          params: { path: { tenant_id: tenantId }, query: { device_id: deviceId, limit: 1 } },
        }),
      ),
    select: (page) => page.items[0] ?? null,
    refetchInterval: (q) => {
      const op = q.state.data?.items[0];
      return op && !isFinal(op.status) ? openPoll : false;
    },
  });
}

/** What restoring a version would change (semantic diff, exact commands, risks). Read-only, but a POST. */
export function previewQuery(tenantId: string, deviceId: string, backupId: string) {
  return queryOptions({
    queryKey: changeKeys.preview(tenantId, deviceId, backupId),
    queryFn: () =>
      unwrap(
        api.POST(`${DEV}/config/preview-restore`, { params: dev(tenantId, deviceId), body: { backup_id: backupId } }),
      ),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
}

type DeviceRef = { tenantId: string; deviceId: string };
export type ApplyOptions = { mode: Mode; confirm_within_seconds?: number };
const started = (v: DeviceRef) => [changeKeys.operations(v.tenantId)];

/** The exact commands a change set becomes, and their risks, without changing anything. */
export const reviewChanges = mutation({
  run: async (v: DeviceRef & { changes: Change[] }): Promise<DryRun> => {
    const r = await unwrap(
      api.POST(`${DEV}/config/changes`, {
        params: dev(v.tenantId, v.deviceId),
        body: { changes: v.changes, mode: 'safe', dry_run: true },
      }),
    );
    if (!('commands' in r)) throw new Error('the server started an operation for a dry run');
    return r;
  },
  invalidates: () => [],
});

/** Applies a change set as an operation (202); its progress comes live. */
export const applyChanges = mutation({
  run: async (v: DeviceRef & { changes: Change[] } & ApplyOptions) => {
    const r = await unwrap(
      api.POST(`${DEV}/config/changes`, {
        params: dev(v.tenantId, v.deviceId),
        body: {
          changes: v.changes,
          mode: v.mode,
          ...(v.confirm_within_seconds ? { confirm_within_seconds: v.confirm_within_seconds } : {}),
        },
      }),
    );
    // 200 is a dry run's answer, 202 an operation's id.
    if (!('operation_id' in r) || typeof r.operation_id !== 'string') throw new Error('no operation was started');
    return { operation_id: r.operation_id };
  },
  invalidates: started,
});

export const restoreVersion = mutation({
  run: (v: DeviceRef & { backupId: string } & ApplyOptions) =>
    unwrap(
      api.POST(`${DEV}/config/restore`, {
        params: dev(v.tenantId, v.deviceId),
        body: {
          backup_id: v.backupId,
          mode: v.mode,
          ...(v.confirm_within_seconds ? { confirm_within_seconds: v.confirm_within_seconds } : {}),
        },
      }),
    ),
  invalidates: started,
});

/**
 * A reset or replaced router: load the version's binary backup (it reboots into it; no revert can be armed), with
 * the device's name typed as the confirmation.
 */
export const loadBinaryBackup = mutation({
  run: (v: DeviceRef & { backupId: string; deviceName: string }) =>
    unwrap(
      api.POST(`${DEV}/config/restore`, {
        params: dev(v.tenantId, v.deviceId),
        body: { backup_id: v.backupId, method: 'binary', confirm_device_name: v.deviceName },
      }),
    ),
  invalidates: started,
});

/** Back to the configuration before the last change TOD kept, in one action (safe apply). */
export const emergencyRollback = mutation({
  run: (v: DeviceRef) =>
    unwrap(api.POST(`${DEV}/config/emergency-rollback`, { params: dev(v.tenantId, v.deviceId), body: {} })),
  invalidates: started,
});

type OperationRef = DeviceRef & { operationId: string };
const opPath = (v: OperationRef) => ({
  path: { tenant_id: v.tenantId, device_id: v.deviceId, operation_id: v.operationId },
});
const answered = (v: OperationRef) => [changeKeys.operations(v.tenantId)];

/** Keep a change in test mode. */
export const keepOperation = mutation({
  run: (v: OperationRef) => unwrap(api.POST(`${DEV}/operations/{operation_id}/confirm`, { params: opPath(v) })),
  invalidates: answered,
});

/** Revert a change now. */
export const revertOperation = mutation({
  run: (v: OperationRef) => unwrap(api.POST(`${DEV}/operations/{operation_id}/revert`, { params: opPath(v) })),
  invalidates: answered,
});
