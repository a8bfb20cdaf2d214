import { queryOptions } from '@tanstack/react-query';
import { type ApplyOptions, changeKeys, isFinal } from './changes';
import { api, unwrap } from './client';
import { type LiveInvalidations, mutation } from './mutation';
import { rolloutKeys } from './rollouts';
import type { Body, Json } from './types';

// Simple Config: seven forms (Internet, LAN, WiFi, port forwarding, firewall, DNS, system) read from a device and
// applied through the safe-change engine as one operation, or to many devices as a rollout; and each person's
// choice of view for a device (Simple or Standard), kept on the server so it follows them.

const DEV = '/api/tenants/{tenant_id}/devices/{device_id}';
const TAB = `${DEV}/simple-config/{tab}` as const;
const PREF = `${DEV}/view-preference` as const;
const MANY = '/api/tenants/{tenant_id}/simple-config/{tab}/rollouts';

export type TabView = Json<typeof TAB, 'get', 200>;
export type Tab = TabView['tab'];
export type TabDryRun = Omit<Json<typeof TAB, 'post', 200>, 'operation_id'>;
export type ViewPreference = Json<typeof PREF, 'get', 200>;
export type ViewMode = ViewPreference['mode'];
export type Targets = Body<typeof MANY, 'post'>['targets'];
export type RolloutOptions = NonNullable<Body<typeof MANY, 'post'>['rollout']>;
/** A form as POST takes it (its shape is the tab's; the server checks it strictly). */
export type FormBody = Record<string, unknown>;

export const tabs: readonly Tab[] = ['internet', 'lan', 'wifi', 'port-forwarding', 'firewall', 'dns', 'system'];

/** Query keys: a device's tabs (read from the router, so an operation that ends makes them stale) and views. */
export const simpleConfigKeys = {
  all: (t: string) => ['simple-config', t] as const,
  device: (t: string, d: string) => ['simple-config', t, 'device', d] as const,
  tab: (t: string, d: string, tab: Tab) => ['simple-config', t, 'device', d, 'tab', tab] as const,
  preference: (t: string, d: string) => ['simple-config', t, 'preference', d] as const,
};

/** An operation that ended changed the device (or put it back): its tabs are read again. */
export const simpleConfigLive: LiveInvalidations = {
  'change.operation': (t, m) => (isFinal(m.status) ? [simpleConfigKeys.device(t, m.deviceId)] : []),
};

type DeviceRef = { tenantId: string; deviceId: string };
const tabParams = (v: DeviceRef & { tab: Tab }) => ({
  path: { tenant_id: v.tenantId, device_id: v.deviceId, tab: v.tab },
});

/** A tab as the device has it now (its passwords only as "set"). */
export function tabQuery(tenantId: string, deviceId: string, tab: Tab) {
  return queryOptions({
    queryKey: simpleConfigKeys.tab(tenantId, deviceId, tab),
    queryFn: () => unwrap(api.GET(TAB, { params: tabParams({ tenantId, deviceId, tab }) })),
    // Each read reaches the router; a failed one is shown with a retry button, not retried in a loop.
    retry: false,
  });
}

export function preferenceQuery(tenantId: string, deviceId: string) {
  return queryOptions({
    queryKey: simpleConfigKeys.preference(tenantId, deviceId),
    queryFn: () => unwrap(api.GET(PREF, { params: { path: { tenant_id: tenantId, device_id: deviceId } } })),
  });
}

export const setPreference = mutation({
  run: (v: DeviceRef & { mode: ViewMode }) =>
    unwrap(
      api.PUT(PREF, { params: { path: { tenant_id: v.tenantId, device_id: v.deviceId } }, body: { mode: v.mode } }),
    ),
  invalidates: (v) => [simpleConfigKeys.preference(v.tenantId, v.deviceId)],
});

/** The exact commands the form becomes on the device now, and their risks; nothing changes. */
export const previewTab = mutation({
  run: async (v: DeviceRef & { tab: Tab; form: FormBody }): Promise<TabDryRun> => {
    const r = await unwrap(api.POST(TAB, { params: tabParams(v), body: { form: v.form, dry_run: true } }));
    if (!('commands' in r)) throw new Error('the server started an operation for a dry run');
    return r;
  },
  invalidates: () => [],
});

/** Applies the form as one safe-change operation (202); its progress comes live. */
export const applyTab = mutation({
  run: async (v: DeviceRef & { tab: Tab; form: FormBody } & ApplyOptions) => {
    const r = await unwrap(
      api.POST(TAB, {
        params: tabParams(v),
        body: {
          form: v.form,
          mode: v.mode,
          ...(v.confirm_within_seconds ? { confirm_within_seconds: v.confirm_within_seconds } : {}),
        },
      }),
    );
    // 200 is a dry run's answer, 202 an operation's id.
    if (!('operation_id' in r) || typeof r.operation_id !== 'string') throw new Error('no operation was started');
    return { operation_id: r.operation_id };
  },
  invalidates: (v) => [changeKeys.operations(v.tenantId)],
});

/** The same form on many devices: a rollout in waves (each device one operation). */
export const applyToMany = mutation({
  run: (v: { tenantId: string; tab: Tab; form: FormBody; targets: Targets; rollout: RolloutOptions }) =>
    unwrap(
      api.POST(MANY, {
        params: { path: { tenant_id: v.tenantId, tab: v.tab } },
        body: { targets: v.targets, form: v.form, rollout: v.rollout },
      }),
    ),
  invalidates: (v) => [rolloutKeys.all(v.tenantId)],
});
