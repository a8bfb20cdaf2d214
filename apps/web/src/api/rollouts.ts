import { infiniteQueryOptions, keepPreviousData, type QueryKey, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { configKeys } from './config-backups';
import { type LiveInvalidations, mutation } from './mutation';
import type { Json } from './types';

// Rollouts: one job that changes (or reads) many routers in waves — started by templates, bulk commands, Simple
// Config and firmware upgrades — followed here, and paused, resumed, cancelled or retried.

const LIST = '/api/tenants/{tenant_id}/rollouts';
const ONE = '/api/tenants/{tenant_id}/rollouts/{rollout_id}';
export type Rollout = Json<typeof LIST, 'get', 200>['items'][number];
export type RolloutDetail = Json<typeof ONE, 'get', 200>;
export type RolloutDevice = RolloutDetail['devices'][number];
export type Wave = RolloutDetail['waves'][number];
export type RolloutStatus = Rollout['status'];
export type DeviceStatus = RolloutDevice['status'];
export type Counts = Rollout['counts'];
export type RolloutFilters = { kind?: string; status?: RolloutStatus };

/** Still moving: its devices may change state. */
export const isOpen = (r: Pick<Rollout, 'status' | 'counts'>) =>
  r.status === 'scheduled' || r.status === 'running' || r.counts.running > 0;

/** Query keys: the lists under `lists`, each rollout (with all its devices) under `one`. */
export const rolloutKeys = {
  all: (t: string) => ['rollouts', t] as const,
  lists: (t: string) => ['rollouts', t, 'list'] as const,
  list: (t: string, f: RolloutFilters) => ['rollouts', t, 'list', f] as const,
  ones: (t: string) => ['rollouts', t, 'one'] as const,
  one: (t: string, id: string) => ['rollouts', t, 'one', id] as const,
};

/**
 * A rollout of 1,000 devices sends a few thousand `rollout.progress` messages, and its detail carries every
 * device. The stream batches messages for 300 ms, but a detail refetched that often (each refetch cancelling the
 * one before) would never land on a busy server: a device's progress refreshes the rollout at most every 2 s, and
 * the rollout's own transitions (started, paused, completed) at once. What the throttle skips, the poll of an open
 * rollout's detail (below) picks up.
 */
const EVERY_MS = 2000;
const lastRefresh = new Map<string, number>();
function due(key: string): boolean {
  const now = Date.now();
  if (now - (lastRefresh.get(key) ?? 0) < EVERY_MS) return false;
  lastRefresh.set(key, now);
  return true;
}
/** `[key]` at most once per 2 s per key, else `[]`: for live invalidations of a query holding many devices. */
export const throttled = (key: QueryKey): QueryKey[] => (due(JSON.stringify(key)) ? [key] : []);

export const rolloutsLive: LiveInvalidations = {
  'rollout.progress': (t, m) =>
    m.device_id === null
      ? [rolloutKeys.lists(t), rolloutKeys.one(t, m.rollout_id)]
      : [...throttled(rolloutKeys.lists(t)), ...throttled(rolloutKeys.one(t, m.rollout_id))],
  // A device's change operation moving on (waiting for Keep in test mode, reverting) shows on the rollout's
  // devices; the message does not name the rollout, so any open detail refreshes (throttled alike).
  'change.operation': (t) => throttled(rolloutKeys.ones(t)),
};

/** While a rollout moves, a slow poll covers what the throttle skipped and a stream that is reconnecting. */
const openPoll = 5000;
const PAGE = 50;

/** The organisation's rollouts, newest first, 50 a page. */
export function rolloutsQuery(tenantId: string, f: RolloutFilters) {
  return infiniteQueryOptions({
    queryKey: rolloutKeys.list(tenantId, f),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET(LIST, { params: { path: { tenant_id: tenantId }, query: { ...f, limit: PAGE, offset: pageParam } } }),
      ),
    getNextPageParam: (last) =>
      last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((r) => isOpen(r))) ? openPoll * 2 : false),
  });
}

/**
 * One rollout: its options, waves, counts and every device (the page filters them itself, so the summary of
 * failures and the table come from one answer).
 */
export function rolloutQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: rolloutKeys.one(tenantId, id),
    queryFn: () => unwrap(api.GET(ONE, { params: { path: { tenant_id: tenantId, rollout_id: id } } })),
    refetchInterval: (q) => (q.state.data && isOpen(q.state.data) ? openPoll : false),
  });
}

type Ref = { tenantId: string; id: string };
const path = (v: Ref) => ({ path: { tenant_id: v.tenantId, rollout_id: v.id } });
const changed = (v: Ref) => [rolloutKeys.lists(v.tenantId), rolloutKeys.one(v.tenantId, v.id)];

export const pauseRollout = mutation({
  run: (v: Ref) => unwrap(api.POST(`${ONE}/pause`, { params: path(v) })),
  invalidates: changed,
});

/** `max_failures`: a new threshold (null: never pause again); absent, the next new failure pauses again. */
export const resumeRollout = mutation({
  run: (v: Ref & { max_failures?: number | null }) =>
    unwrap(
      api.POST(`${ONE}/resume`, {
        params: path(v),
        body: v.max_failures === undefined ? {} : { max_failures: v.max_failures },
      }),
    ),
  invalidates: changed,
});

export const cancelRollout = mutation({
  run: (v: Ref) => unwrap(api.POST(`${ONE}/cancel`, { params: path(v) })),
  invalidates: changed,
});

export const retryFailed = mutation({
  run: (v: Ref) => unwrap(api.POST(`${ONE}/retry-failed`, { params: path(v) })),
  invalidates: changed,
});

/** A backup of every target now (before or after the change); the devices' backup lists move. */
export const backupTargets = mutation({
  run: (v: Ref) => unwrap(api.POST(`${ONE}/backup`, { params: path(v) })),
  invalidates: (v) => [configKeys.all(v.tenantId)],
});
