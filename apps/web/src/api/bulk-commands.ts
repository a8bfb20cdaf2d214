import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import { type Rollout, rolloutKeys, throttled } from './rollouts';
import type { Body, Json } from './types';

// Bulk commands: RouterOS CLI text run on many devices as a rollout (reads directly, changes through the
// safe-change engine), and its outputs grouped by identical result, also as CSV or JSON files.

const RUN = '/api/tenants/{tenant_id}/bulk-commands';
const RESULTS = '/api/tenants/{tenant_id}/bulk-commands/{rollout_id}/results';
const ROLLOUTS = '/api/tenants/{tenant_id}/rollouts';

export type BulkCommandRequest = Body<typeof RUN, 'post'>;
/** A deny-list entry an admin may allow for one run (`reboot`, `user`, …). */
export type DenyId = NonNullable<BulkCommandRequest['allow']>[number];
export type BulkResults = Json<typeof RESULTS, 'get', 200>;
export type OutputGroup = BulkResults['groups'][number];

/** The rollout kinds a bulk command starts (the server's mixing.ts picks one from the commands). */
export const bulkKinds = ['bulk_command_read', 'bulk_command_action', 'bulk_command_change'] as const;
export const isBulkKind = (kind: string) => (bulkKinds as readonly string[]).includes(kind);

export const bulkCommandKeys = {
  all: (t: string) => ['bulk-commands', t] as const,
  results: (t: string, id: string) => ['bulk-commands', t, 'results', id] as const,
  /** Under the rollouts' lists, so whatever refreshes those (a run started, progress) refreshes this too. */
  runs: (t: string) => [...rolloutKeys.lists(t), 'bulk-commands'] as const,
};

// A run of 1,000 devices sends a `rollout.progress` per device: its results (every device's output) refresh at
// most every 2 s (the rollouts' throttle), and at once when the rollout itself moves (device_id null); the poll
// below covers the rest.
export const bulkCommandsLive: LiveInvalidations = {
  // Invalidating a key nobody holds costs nothing: no need to know here whether the rollout is a bulk command.
  'rollout.progress': (t, m) =>
    m.device_id === null
      ? [bulkCommandKeys.results(t, m.rollout_id)]
      : throttled(bulkCommandKeys.results(t, m.rollout_id)),
};

const openPoll = 5000;
const stillRunning = (r: Pick<BulkResults, 'status' | 'counts'>) =>
  r.status === 'scheduled' || r.status === 'running' || r.counts.running > 0 || r.counts.pending > 0;

/** A run's outputs grouped by identical result (failures as their own groups), and who is still waiting. */
export function bulkResultsQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: bulkCommandKeys.results(tenantId, id),
    queryFn: () => unwrap(api.GET(RESULTS, { params: { path: { tenant_id: tenantId, rollout_id: id } } })),
    // A paused run keeps devices pending without moving: only a scheduled or running one is polled.
    refetchInterval: (q) =>
      q.state.data && q.state.data.status !== 'paused' && stillRunning(q.state.data) ? openPoll : false,
  });
}

const RECENT = 20;

/** The newest bulk-command runs (every bulk kind merged), newest first. */
export function recentRunsQuery(tenantId: string) {
  return queryOptions({
    queryKey: bulkCommandKeys.runs(tenantId),
    queryFn: async (): Promise<Rollout[]> => {
      const pages = await Promise.all(
        bulkKinds.map((kind) =>
          unwrap(api.GET(ROLLOUTS, { params: { path: { tenant_id: tenantId }, query: { kind, limit: RECENT } } })),
        ),
      );
      return pages
        .flatMap((p) => p.items)
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, RECENT);
    },
    refetchInterval: (q) =>
      q.state.data?.some((r) => r.status === 'scheduled' || r.status === 'running') ? openPoll * 2 : false,
  });
}

/** Starts a run: 202 with the rollout that carries it. */
export const runBulkCommand = mutation({
  run: (v: { tenantId: string; body: BulkCommandRequest }) =>
    unwrap(api.POST(RUN, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [rolloutKeys.lists(v.tenantId)],
});

/** The results as a file, one row per device (a plain <a href download>, sent with the session cookie). */
export function resultsFileUrl(tenantId: string, id: string, format: 'csv' | 'json') {
  return `/api/tenants/${tenantId}/bulk-commands/${id}/results?format=${format}`;
}
