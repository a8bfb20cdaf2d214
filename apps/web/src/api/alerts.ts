import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import type { Body, Json } from './types';

// Alerts: the rules that watch poll results, the alerts they raise (acknowledge, resolve), device silences, and
// the count behind the sidebar badge.

const T = '/api/tenants/{tenant_id}';
export type AlertRule = Json<`${typeof T}/alert-rules`, 'get', 200>['items'][number];
/** What POST alert-rules (and its preview) takes. */
export type RuleDraft = Body<`${typeof T}/alert-rules`, 'post'>;
export type RuleChange = Body<`${typeof T}/alert-rules/{rule_id}`, 'patch'>;
export type RulePreview = Json<`${typeof T}/alert-rules/preview`, 'post', 200>;
export type AlertMetric = Json<`${typeof T}/alert-metrics`, 'get', 200>['items'][number];
export type Alert = Json<`${typeof T}/alert-events`, 'get', 200>['items'][number];
export type AlertDetail = Json<`${typeof T}/alert-events/{alert_id}`, 'get', 200>;
export type Delivery = AlertDetail['deliveries'][number];
export type AlertCount = Json<`${typeof T}/alert-events/count`, 'get', 200>;
export type Silence = Json<`${typeof T}/alert-silences`, 'get', 200>['items'][number];
export type Severity = Alert['severity'];
export type AlertState = Alert['state'];
export type Operator = Alert['operator'];
export type ScopeKind = AlertRule['scope']['kind'];
export type MetricName = RuleDraft['metric'];
/** A notification channel as the rule editor's picker shows it (the channels page owns the rest). */
export type ChannelOption = Json<`${typeof T}/notification-channels`, 'get', 200>['items'][number];

export type AlertFilters = {
  /** `active` = firing or acknowledged. */
  state?: AlertState | 'active';
  severity?: Severity;
  device_id?: string;
  rule_id?: string;
};

/**
 * Query keys. Every alert list (the page's sections, a device's tab) sits under `events`, so one live message
 * refreshes them all; the rules list carries each rule's active count, so it moves with them.
 */
export const alertKeys = {
  all: (t: string) => ['alerts', t] as const,
  metrics: (t: string) => ['alerts', t, 'metrics'] as const,
  rules: (t: string) => ['alerts', t, 'rules'] as const,
  preview: (t: string, draft: RuleDraft) => ['alerts', t, 'preview', draft] as const,
  events: (t: string) => ['alerts', t, 'events'] as const,
  list: (t: string, f: AlertFilters) => ['alerts', t, 'events', 'list', f] as const,
  one: (t: string, id: string) => ['alerts', t, 'events', 'one', id] as const,
  count: (t: string) => ['alerts', t, 'count'] as const,
  silences: (t: string) => ['alerts', t, 'silences'] as const,
  /** Under the channels page's prefix (`notification-channels`), so its writes refresh the picker too. */
  channels: (t: string) => ['notification-channels', t, 'alert-picker'] as const,
};

/** An alert fired, was acknowledged or resolved: its lists, the badge's count and the rules' active counts. */
export const alertsLive: LiveInvalidations = {
  'alert.changed': (t) => [alertKeys.events(t), alertKeys.count(t), alertKeys.rules(t)],
};

const tenant = (t: string) => ({ path: { tenant_id: t } });

/** What a rule can watch, with labels and units. Fixed by the server's code: fetched once. */
export function alertMetricsQuery(tenantId: string) {
  return queryOptions({
    queryKey: alertKeys.metrics(tenantId),
    queryFn: async () => (await unwrap(api.GET(`${T}/alert-metrics`, { params: tenant(tenantId) }))).items,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function alertRulesQuery(tenantId: string) {
  return queryOptions({
    queryKey: alertKeys.rules(tenantId),
    queryFn: async () => (await unwrap(api.GET(`${T}/alert-rules`, { params: tenant(tenantId) }))).items,
  });
}

/** Which devices a draft covers and how many would fire on their latest figures (changes nothing). */
export function rulePreviewQuery(tenantId: string, draft: RuleDraft | null) {
  return queryOptions({
    queryKey: alertKeys.preview(tenantId, draft ?? ({} as RuleDraft)),
    enabled: draft !== null,
    queryFn: () => unwrap(api.POST(`${T}/alert-rules/preview`, { params: tenant(tenantId), body: draft! })),
    // The previous answer stays on screen while the next draft is checked.
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Alerts newest first, keyset pages of `limit`. */
export function alertsQuery(tenantId: string, f: AlertFilters, limit = 50) {
  return infiniteQueryOptions({
    queryKey: [...alertKeys.list(tenantId, f), limit],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET(`${T}/alert-events`, {
          params: { ...tenant(tenantId), query: { ...f, limit, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** One alert with the notifications it caused. */
export function alertQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: alertKeys.one(tenantId, id),
    queryFn: () =>
      unwrap(api.GET(`${T}/alert-events/{alert_id}`, { params: { path: { tenant_id: tenantId, alert_id: id } } })),
  });
}

/** Active alerts by severity: the sidebar badge. */
export function alertCountQuery(tenantId: string) {
  return queryOptions({
    queryKey: alertKeys.count(tenantId),
    queryFn: () => unwrap(api.GET(`${T}/alert-events/count`, { params: tenant(tenantId) })),
  });
}

/** Devices silenced now (a silence that ended is no longer listed). */
export function silencesQuery(tenantId: string) {
  return queryOptions({
    queryKey: alertKeys.silences(tenantId),
    queryFn: async () => (await unwrap(api.GET(`${T}/alert-silences`, { params: tenant(tenantId) }))).items,
  });
}

/** The organisation's notification channels, for the rule editor's picker (needs notifications.read). */
export function channelOptionsQuery(tenantId: string) {
  return queryOptions({
    queryKey: alertKeys.channels(tenantId),
    queryFn: async () => (await unwrap(api.GET(`${T}/notification-channels`, { params: tenant(tenantId) }))).items,
  });
}

const rulesChanged = (t: string) => [alertKeys.rules(t), alertKeys.events(t), alertKeys.count(t)];

export const createRule = mutation({
  run: (v: { tenantId: string; body: RuleDraft }) =>
    unwrap(api.POST(`${T}/alert-rules`, { params: tenant(v.tenantId), body: v.body })),
  invalidates: (v) => [alertKeys.rules(v.tenantId)],
});

/** A rule whose definition changes (or that is disabled) resolves its open alerts: lists and counts move. */
export const updateRule = mutation({
  run: (v: { tenantId: string; id: string; body: RuleChange }) =>
    unwrap(
      api.PATCH(`${T}/alert-rules/{rule_id}`, {
        params: { path: { tenant_id: v.tenantId, rule_id: v.id } },
        body: v.body,
      }),
    ),
  invalidates: (v) => rulesChanged(v.tenantId),
});

export const deleteRule = mutation({
  run: (v: { tenantId: string; id: string }) =>
    unwrap(api.DELETE(`${T}/alert-rules/{rule_id}`, { params: { path: { tenant_id: v.tenantId, rule_id: v.id } } })),
  invalidates: (v) => rulesChanged(v.tenantId),
});

const alertChanged = (t: string) => [alertKeys.events(t), alertKeys.count(t), alertKeys.rules(t)];

export const acknowledgeAlert = mutation({
  run: (v: { tenantId: string; id: string; note: string }) =>
    unwrap(
      api.POST(`${T}/alert-events/{alert_id}/acknowledge`, {
        params: { path: { tenant_id: v.tenantId, alert_id: v.id } },
        body: { note: v.note },
      }),
    ),
  invalidates: (v) => alertChanged(v.tenantId),
});

export const resolveAlert = mutation({
  run: (v: { tenantId: string; id: string }) =>
    unwrap(
      api.POST(`${T}/alert-events/{alert_id}/resolve`, { params: { path: { tenant_id: v.tenantId, alert_id: v.id } } }),
    ),
  invalidates: (v) => alertChanged(v.tenantId),
});

export const silenceDevice = mutation({
  run: (v: { tenantId: string; deviceId: string; until: string; note: string }) =>
    unwrap(
      api.POST(`${T}/alert-silences`, {
        params: tenant(v.tenantId),
        body: { device_id: v.deviceId, until: v.until, note: v.note },
      }),
    ),
  // Alerts carry whether their device is silenced.
  invalidates: (v) => [alertKeys.silences(v.tenantId), alertKeys.events(v.tenantId)],
});

export const endSilence = mutation({
  run: (v: { tenantId: string; id: string }) =>
    unwrap(
      api.DELETE(`${T}/alert-silences/{silence_id}`, { params: { path: { tenant_id: v.tenantId, silence_id: v.id } } }),
    ),
  invalidates: (v) => [alertKeys.silences(v.tenantId), alertKeys.events(v.tenantId)],
});
