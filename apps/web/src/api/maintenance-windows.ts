import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import type { Body, Json } from './types';

// Maintenance windows: when the alerts of the devices they cover are recorded but not sent. The server answers
// each window with whether it is open now, its open occurrence and its next one.

const LIST = '/api/tenants/{tenant_id}/maintenance-windows';
const ONE = '/api/tenants/{tenant_id}/maintenance-windows/{window_id}';
export type MaintenanceWindow = Json<typeof LIST, 'get', 200>['items'][number];
export type NewWindow = Body<typeof LIST, 'post'>;
export type WindowChange = Body<typeof ONE, 'patch'>;
export type WindowScope = MaintenanceWindow['scopes'][number];
export type Recurrence = NonNullable<MaintenanceWindow['recurrence']>;
export type Weekday = NonNullable<Recurrence['by_day']>[number];

export const windowKeys = { all: (t: string) => ['maintenance-windows', t] as const };

/** Every window of the organisation (500 is far more than an organisation keeps). */
export function windowsQuery(tenantId: string) {
  return queryOptions({
    queryKey: windowKeys.all(tenantId),
    queryFn: () => unwrap(api.GET(LIST, { params: { path: { tenant_id: tenantId }, query: { limit: 500 } } })),
    // Open now and next move with the clock: look again each minute while the page is open.
    refetchInterval: 60_000,
  });
}

/** A window created, changed or deleted by anyone: the list refreshes. */
export const maintenanceLive: LiveInvalidations = {
  'maintenance.window': (t) => [windowKeys.all(t)],
};

const one = (t: string, id: string) => ({ path: { tenant_id: t, window_id: id } });

export const createWindow = mutation({
  run: (v: { tenantId: string; body: NewWindow }) =>
    unwrap(api.POST(LIST, { params: { path: { tenant_id: v.tenantId } }, body: v.body })),
  invalidates: (v) => [windowKeys.all(v.tenantId)],
});

export const updateWindow = mutation({
  run: (v: { tenantId: string; id: string; body: WindowChange }) =>
    unwrap(api.PATCH(ONE, { params: one(v.tenantId, v.id), body: v.body })),
  invalidates: (v) => [windowKeys.all(v.tenantId)],
});

export const deleteWindow = mutation({
  run: (v: { tenantId: string; window: MaintenanceWindow }) =>
    unwrap(api.DELETE(ONE, { params: one(v.tenantId, v.window.id) })),
  invalidates: (v) => [windowKeys.all(v.tenantId)],
});
