import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Json } from './types';

// Wireless: AP↔CPE links from the APs' registration tables, a radio's RF figures, a device's registrations (its
// clients, or the AP it is associated with), clients TOD does not manage, a client's signal over time, and the
// fleet's APs with problems. All read-only; the poller refreshes them every POLL_LINKS_INTERVAL_SECONDS.

const T = '/api/tenants/{tenant_id}';
const D = `${T}/devices/{device_id}` as const;

export type WirelessLink = Json<`${typeof T}/links`, 'get', 200>['items'][number];
export type LinkState = WirelessLink['state'];
export type Registration = Json<`${typeof D}/registrations`, 'get', 200>['items'][number];
export type Radio = Json<`${typeof D}/rf-stats`, 'get', 200>['items'][number];
export type SignalRange = '24h' | '7d' | '30d';
export type SignalHistory = Json<`${typeof D}/signal-history`, 'get', 200>;
export type SignalPoint = SignalHistory['points'][number];
export type WirelessIssues = Json<`${typeof T}/fleet/wireless-issues`, 'get', 200>;
export type ApIssues = WirelessIssues['items'][number];
export type IssueKind = ApIssues['issues'][number];

export const wirelessKeys = {
  all: (t: string) => ['wireless', t] as const,
  siteLinks: (t: string, siteId: string) => ['wireless', t, 'site-links', siteId] as const,
  device: (t: string, id: string) => ['wireless', t, 'device', id] as const,
  registrations: (t: string, id: string) => ['wireless', t, 'device', id, 'registrations'] as const,
  unknown: (t: string, id: string) => ['wireless', t, 'device', id, 'unknown'] as const,
  rf: (t: string, id: string) => ['wireless', t, 'device', id, 'rf'] as const,
  signal: (t: string, id: string, mac: string, range: SignalRange) =>
    ['wireless', t, 'device', id, 'signal', mac, range] as const,
  issues: (t: string) => ['wireless', t, 'issues'] as const,
};

const dev = (t: string, device_id: string) => ({ path: { tenant_id: t, device_id } });
// Registrations move at the links interval (minutes by default): a minute's cache is fresh enough.
const staleTime = 30_000;

export function siteLinksQuery(tenantId: string, siteId: string) {
  return queryOptions({
    queryKey: wirelessKeys.siteLinks(tenantId, siteId),
    queryFn: async () =>
      (
        await unwrap(
          api.GET(`${T}/sites/{site_id}/links`, { params: { path: { tenant_id: tenantId, site_id: siteId } } }),
        )
      ).items,
    staleTime,
  });
}

export function registrationsQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: wirelessKeys.registrations(tenantId, deviceId),
    queryFn: async () => (await unwrap(api.GET(`${D}/registrations`, { params: dev(tenantId, deviceId) }))).items,
    staleTime,
  });
}

export function unknownClientsQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: wirelessKeys.unknown(tenantId, deviceId),
    queryFn: async () => (await unwrap(api.GET(`${D}/unknown-clients`, { params: dev(tenantId, deviceId) }))).items,
    staleTime,
  });
}

export function rfStatsQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: wirelessKeys.rf(tenantId, deviceId),
    queryFn: async () => (await unwrap(api.GET(`${D}/rf-stats`, { params: dev(tenantId, deviceId) }))).items,
    staleTime,
  });
}

export function signalHistoryQuery(tenantId: string, deviceId: string, mac: string, range: SignalRange) {
  return queryOptions({
    queryKey: wirelessKeys.signal(tenantId, deviceId, mac, range),
    queryFn: () =>
      unwrap(
        api.GET(`${D}/signal-history`, {
          params: { ...dev(tenantId, deviceId), query: { mac_address: mac, range } },
        }),
      ),
    staleTime,
  });
}

export function wirelessIssuesQuery(tenantId: string) {
  return queryOptions({
    queryKey: wirelessKeys.issues(tenantId),
    queryFn: () => unwrap(api.GET(`${T}/fleet/wireless-issues`, { params: { path: { tenant_id: tenantId } } })),
    staleTime,
  });
}
