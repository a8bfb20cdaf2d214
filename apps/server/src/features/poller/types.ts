import { z } from 'zod';
import type { AccessFailureCode } from '../device-access/taxonomy.js';
import type { deviceStatuses } from '../devices/devices.schema.js';

// What a poll produces. The poller publishes these on the bus; ingest (worker) writes them. JSON-safe: 64-bit
// counters travel as decimal strings, times as ISO strings. `v` lets a newer ingest read an older poller's output.

export type DeviceStatus = (typeof deviceStatuses)[number];

/**
 * Why a device is not online: a device-access failure code (features/device-access/taxonomy.ts: refused, timeout,
 * unreachable, dns, tls, tls_fingerprint_mismatch, bad_credentials, not_routeros, connection_lost, reply_too_large,
 * credentials_unavailable, target_denied, error), or, for a degraded device, `partial` (some commands failed) or
 * `slow` (answers, but slower than half the command timeout). Stored in devices.status_reason.
 */
export type StatusReason = AccessFailureCode | 'partial' | 'slow';

const sampleValue = z.number().nullable();
/** One health sample; also the `health` of the live `device.state` message (features/ingest/ingest.live.ts). */
export const healthSample = z.object({
  cpuLoad: sampleValue,
  memoryFree: sampleValue,
  memoryTotal: sampleValue,
  diskFree: sampleValue,
  diskTotal: sampleValue,
  temperature: sampleValue,
  voltage: sampleValue,
  uptimeSeconds: sampleValue,
});
export type HealthSample = z.infer<typeof healthSample>;
export type InterfaceSample = {
  name: string;
  type: string | null;
  macAddress: string | null;
  running: boolean | null;
  disabled: boolean | null;
  /** Unsigned 64-bit counters as decimal strings. */
  rxBytes: string | null;
  txBytes: string | null;
  rxPackets: string | null;
  txPackets: string | null;
  /** Rates since the previous poll; null on the first poll, after a reboot, or when a counter reset. */
  rxBps: number | null;
  txBps: number | null;
  rxPps: number | null;
  txPps: number | null;
  /** rx-error/tx-error counters (decimal strings); absent or null when the device does not report them. */
  rxErrors?: string | null;
  txErrors?: string | null;
  /** Errors per second since the previous poll; absent or null when not known. */
  rxErrorsPs?: number | null;
  txErrorsPs?: number | null;
  /** The negotiated link rate when the poller knows it (ethernet monitor); absent otherwise. */
  linkSpeedBps?: number | null;
};

export type DeviceFacts = {
  identity?: string;
  model?: string;
  boardName?: string;
  serialNumber?: string;
  architecture?: string;
  version?: string;
  firmware?: string;
  cpuCount?: number;
  bootedAt?: string;
  latestVersion?: string;
  lastConfigChangeAt?: string;
};

export type DeviceEvent = {
  type: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  details: Record<string, unknown>;
};

export type PollResult = {
  v: 1;
  tenantId: string;
  deviceId: string;
  pollerId: string;
  /** When the poll started. */
  at: string;
  durationMs: number;
  status: DeviceStatus;
  statusReason: StatusReason | null;
  /** Human-readable detail of the reason (never contains credentials). */
  statusMessage: string | null;
  transport: string | null;
  device: DeviceFacts;
  health: HealthSample | null;
  interfaces: InterfaceSample[] | null;
  /** Less frequent collections, by kind (identity, routerboard, neighbors, wireless, dhcp_leases). */
  facts: Record<string, unknown>;
  events: DeviceEvent[];
  /** New lines of the device's log since the previous poll (poller/logs.ts); absent when there are none. */
  logs?: LogLine[];
};

/** One line of a device's `/log`, as the poller read it. Stored by features/device-logs (insertFromResults). */
export type LogLine = {
  /** RouterOS's `.id` (`*1A3`): increasing until the device reboots. */
  id: string;
  /** When the device logged it (ISO), from its clock; null when the time could not be read (the poll's is used). */
  time: string | null;
  topics: string[];
  /** At most 2048 characters. */
  message: string;
};
