import { queryOptions } from '@tanstack/react-query';
import { alertKeys, type RuleDraft } from './alerts';
import { api, unwrap } from './client';
import { deviceKeys } from './devices';
import { fleetKeys } from './fleet';
import { inventoryKeys } from './inventory';
import { mutation } from './mutation';
import type { Body, Json } from './types';

// A site as its own page: its health roll-up, the devices assigned to it, its sectors (an AP's coverage: azimuth,
// width, frequency) and the devices in each, and its site alert rules and alerts. The sites catalogue (list,
// create, rename) stays with the inventory (api/inventory.ts).

const T = '/api/tenants/{tenant_id}';
const SITE = `${T}/sites/{id}` as const;
const SECTORS = `${T}/sites/{site_id}/sectors` as const;
const SECTOR = `${T}/sites/{site_id}/sectors/{sector_id}` as const;
const RULES = `${T}/sites/{site_id}/alert-rules` as const;
const RULE = `${T}/sites/{site_id}/alert-rules/{rule_id}` as const;
const EVENTS = `${T}/sites/{site_id}/alert-events` as const;

export type Site = Json<typeof SITE, 'get', 200>;
export type SiteHealth = Site['health'];
export type Sector = Json<typeof SECTORS, 'get', 200>['items'][number];
export type SectorBody = Body<typeof SECTORS, 'post'>;
export type SiteRule = Json<typeof RULES, 'get', 200>['items'][number];
export type SiteAlert = Json<typeof EVENTS, 'get', 200>['items'][number];

export const siteKeys = {
  all: (t: string) => ['sites', t] as const,
  one: (t: string, id: string) => ['sites', t, id] as const,
  sectors: (t: string, id: string) => ['sites', t, id, 'sectors'] as const,
  rules: (t: string, id: string) => ['sites', t, id, 'rules'] as const,
  alerts: (t: string, id: string) => ['sites', t, id, 'alerts'] as const,
};

const site = (t: string, site_id: string) => ({ path: { tenant_id: t, site_id } });

export function siteQuery(tenantId: string, id: string) {
  return queryOptions({
    queryKey: siteKeys.one(tenantId, id),
    queryFn: () => unwrap(api.GET(SITE, { params: { path: { tenant_id: tenantId, id } } })),
  });
}

export function sectorsQuery(tenantId: string, siteId: string) {
  return queryOptions({
    queryKey: siteKeys.sectors(tenantId, siteId),
    queryFn: async () =>
      (await unwrap(api.GET(SECTORS, { params: { ...site(tenantId, siteId), query: { limit: 500 } } }))).items,
  });
}

export function siteRulesQuery(tenantId: string, siteId: string) {
  return queryOptions({
    queryKey: siteKeys.rules(tenantId, siteId),
    queryFn: async () => (await unwrap(api.GET(RULES, { params: site(tenantId, siteId) }))).items,
  });
}

/** The site's open alerts (firing or acknowledged), site and sector rules' as well as its devices'. */
export function siteAlertsQuery(tenantId: string, siteId: string) {
  return queryOptions({
    queryKey: siteKeys.alerts(tenantId, siteId),
    queryFn: async () =>
      (await unwrap(api.GET(EVENTS, { params: { ...site(tenantId, siteId), query: { state: 'active', limit: 50 } } })))
        .items,
  });
}

/**
 * Assignment moves devices between sites and sectors: the site pages, the device lists (their site and sector),
 * the inventory's device counts and the fleet counts.
 */
const assigned = (t: string) => [siteKeys.all(t), deviceKeys.all(t), inventoryKeys.all(t), fleetKeys.all(t)];

export const assignToSite = mutation({
  run: (v: { tenantId: string; siteId: string; deviceIds: string[] }) =>
    unwrap(
      api.POST(`${T}/sites/{site_id}/devices/bulk-assign`, {
        params: site(v.tenantId, v.siteId),
        body: { device_ids: v.deviceIds },
      }),
    ),
  invalidates: (v) => assigned(v.tenantId),
});

export const removeFromSite = mutation({
  run: (v: { tenantId: string; siteId: string; deviceId: string; name: string }) =>
    unwrap(
      api.DELETE(`${T}/sites/{site_id}/devices/{device_id}`, {
        params: { path: { tenant_id: v.tenantId, site_id: v.siteId, device_id: v.deviceId } },
      }),
    ),
  invalidates: (v) => assigned(v.tenantId),
});

/** `sectorId` null takes the device out of its sector (it stays on the site). */
export const setDeviceSector = mutation({
  run: (v: { tenantId: string; deviceId: string; sectorId: string | null }) =>
    unwrap(
      api.PUT(`${T}/devices/{device_id}/sector`, {
        params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } },
        body: { sector_id: v.sectorId },
      }),
    ),
  invalidates: (v) => assigned(v.tenantId),
});

export const createSector = mutation({
  run: (v: { tenantId: string; siteId: string; body: SectorBody }) =>
    unwrap(api.POST(SECTORS, { params: site(v.tenantId, v.siteId), body: v.body })),
  invalidates: (v) => [siteKeys.all(v.tenantId)],
});

export const updateSector = mutation({
  run: (v: { tenantId: string; siteId: string; id: string; body: SectorBody }) =>
    unwrap(
      api.PUT(SECTOR, {
        params: { path: { tenant_id: v.tenantId, site_id: v.siteId, sector_id: v.id } },
        body: v.body,
      }),
    ),
  invalidates: (v) => [siteKeys.all(v.tenantId)],
});

/** Its devices stay on the site, out of any sector. */
export const deleteSector = mutation({
  run: (v: { tenantId: string; siteId: string; sector: Sector }) =>
    unwrap(
      api.DELETE(SECTOR, {
        params: { path: { tenant_id: v.tenantId, site_id: v.siteId, sector_id: v.sector.id } },
      }),
    ),
  invalidates: (v) => assigned(v.tenantId),
});

/** A rule scoped to the site or one of its sectors; the alerts page's rule list shows it too. */
export const createSiteRule = mutation({
  run: (v: { tenantId: string; siteId: string; body: RuleDraft }) =>
    unwrap(api.POST(RULES, { params: site(v.tenantId, v.siteId), body: v.body })),
  invalidates: (v) => [siteKeys.rules(v.tenantId, v.siteId), alertKeys.rules(v.tenantId)],
});

export const deleteSiteRule = mutation({
  run: (v: { tenantId: string; siteId: string; rule: SiteRule }) =>
    unwrap(api.DELETE(RULE, { params: { path: { tenant_id: v.tenantId, site_id: v.siteId, rule_id: v.rule.id } } })),
  invalidates: (v) => [siteKeys.all(v.tenantId), alertKeys.all(v.tenantId)],
});
