import { type QueryClient, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { meQuery } from '@/api/auth';
import { type Device, type DeviceList, deviceKeys } from '@/api/devices';
import { type EventPage, eventKeys, type FleetEvent } from '@/api/events';
import { fleetKeys } from '@/api/fleet';
import type { LiveData } from '@/api/types';
import { features } from '@/features';

export type DeviceState = LiveData<'device.state'>;
type DeviceEventMsg = LiveData<'device.event'>;

/** What one poll result changes in a device row. */
export function applyState(d: Device, s: DeviceState): Device {
  const h = s.health;
  return {
    ...d,
    status: s.status,
    status_reason: s.statusReason,
    ...(s.status !== 'offline' ? { last_seen_at: s.at, last_polled_at: s.at } : { last_polled_at: s.at }),
    ...(h
      ? {
          cpu_load: h.cpuLoad ?? d.cpu_load,
          memory_free: h.memoryFree ?? d.memory_free,
          memory_total: h.memoryTotal ?? d.memory_total,
          disk_free: h.diskFree ?? d.disk_free,
          disk_total: h.diskTotal ?? d.disk_total,
          temperature: h.temperature ?? d.temperature,
          voltage: h.voltage ?? d.voltage,
          uptime_seconds: h.uptimeSeconds ?? d.uptime_seconds,
        }
      : {}),
  };
}

/**
 * Patches a batch of poll results into every cached device list and device in one pass: with 10,000 devices
 * polled each minute, ~170 results arrive per second, so they are buffered and applied once per second rather
 * than copying a 10,000-row array for each.
 */
export function applyStates(queryClient: QueryClient, tenantId: string, states: Map<string, DeviceState>) {
  queryClient.setQueriesData<DeviceList>({ queryKey: deviceKeys.lists(tenantId) }, (old) => {
    if (!old) return old;
    let changed = false;
    const items = old.items.map((d) => {
      const s = states.get(d.id);
      if (!s) return d;
      changed = true;
      return applyState(d, s);
    });
    return changed ? { ...old, items } : old;
  });
  for (const s of states.values()) {
    queryClient.setQueryData<Device>(deviceKeys.one(tenantId, s.deviceId), (old) => old && applyState(old, s));
  }
}

type Listener = (s: DeviceState) => void;
const stateListeners = new Set<Listener>();
/** Every poll result as it arrives (the device page uses it to extend its live charts). */
export function onDeviceState(fn: Listener): () => void {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

/** Open one stream per organisation while any page that shows fleet data is mounted. */
const streams = new Map<string, { users: number; stop: () => void }>();

export function useFleetStream(tenantId: string | undefined) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!tenantId || typeof EventSource === 'undefined') return;
    let entry = streams.get(tenantId);
    if (!entry) {
      entry = { users: 0, stop: openStream(queryClient, tenantId) };
      streams.set(tenantId, entry);
    }
    entry.users++;
    return () => {
      const e = streams.get(tenantId);
      if (!e) return;
      e.users--;
      if (e.users === 0) {
        e.stop();
        streams.delete(tenantId);
      }
    };
  }, [queryClient, tenantId]);
}

function openStream(queryClient: QueryClient, tenantId: string): () => void {
  const pending = new Map<string, DeviceState>();
  /** Query keys the features' live messages made stale since the last flush (a burst refetches once). */
  const stale = new Map<string, QueryKey>();
  let statusChanged = false;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastSummary = 0;
  let source: EventSource | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    flushTimer = null;
    if (pending.size) {
      const batch = new Map(pending);
      pending.clear();
      applyStates(queryClient, tenantId, batch);
    }
    for (const queryKey of stale.values()) void queryClient.invalidateQueries({ queryKey });
    stale.clear();
    // Counts and top lists are the server's aggregation: refetch them, at most every 5 s.
    if (statusChanged || Date.now() - lastSummary > 15_000) {
      statusChanged = false;
      lastSummary = Date.now();
      void queryClient.invalidateQueries({ queryKey: fleetKeys.summary(tenantId) });
    }
  };
  const schedule = (ms: number) => {
    flushTimer ??= setTimeout(flush, ms);
  };

  const connect = () => {
    if (stopped) return;
    source = new EventSource(`/api/tenants/${tenantId}/stream`);
    source.addEventListener('device.state', (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as DeviceState;
      const prev = pending.get(s.deviceId);
      if (prev && prev.status !== s.status) statusChanged = true;
      pending.set(s.deviceId, s);
      for (const fn of stateListeners) fn(s);
      schedule(1000);
    });
    source.addEventListener('device.event', (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as DeviceEventMsg;
      const ev: FleetEvent = {
        // Event ids travel as strings on the stream (bigint in the database) and as numbers in the events API.
        id: Number(m.event.id),
        device_id: m.deviceId,
        device_name: null,
        type: m.event.type,
        severity: m.event.severity,
        message: m.event.message,
        details: m.event.details,
        created_at: m.event.createdAt,
      };
      const prepend = (old: EventPage | undefined) =>
        old && !old.items.some((x) => x.id === ev.id) ? { ...old, items: [ev, ...old.items].slice(0, 50) } : old;
      queryClient.setQueryData<EventPage>(eventKeys.list(tenantId), prepend);
      queryClient.setQueryData<EventPage>(eventKeys.list(tenantId, m.deviceId), prepend);
      // A status event means the counts moved.
      statusChanged = true;
      schedule(500);
    });
    for (const table of features.live)
      for (const [type, keys] of Object.entries(table))
        source.addEventListener(type, (e) => {
          // The message of `type`, as the stream's schema declares it.
          for (const k of keys(tenantId, JSON.parse((e as MessageEvent<string>).data))) stale.set(JSON.stringify(k), k);
          schedule(300);
        });
    source.onerror = () => {
      // EventSource retries on its own after a dropped stream; a refused one (401 once the access token expired)
      // closes it for good. Then renew the session through the API client (which refreshes on 401) and reopen.
      if (source?.readyState !== EventSource.CLOSED) return;
      source = null;
      retry = setTimeout(async () => {
        try {
          await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
        } catch {}
        connect();
      }, 2000);
    };
  };
  connect();
  return () => {
    stopped = true;
    source?.close();
    if (retry) clearTimeout(retry);
    if (flushTimer) clearTimeout(flushTimer);
  };
}
