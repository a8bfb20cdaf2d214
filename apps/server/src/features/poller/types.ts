// What a poll produces. The poller publishes these on the bus; ingest (worker) writes them. JSON-safe: 64-bit
// counters travel as decimal strings, times as ISO strings. `v` lets a newer ingest read an older poller's output.

export type DeviceStatus = 'online' | 'offline' | 'degraded' | 'unknown';

/**
 * Why a device is not online: `refused` (TCP refused), `timeout` (connect, login or command took too long),
 * `unreachable` (no route / host unreachable), `dns` (host name does not resolve), `tls` (handshake failed, or the
 * certificate changed from the pinned one), `bad_credentials` (login refused), `not_routeros` (answered, but not
 * the RouterOS API protocol), `connection_lost` (dropped mid-poll), `credentials_unavailable` (cannot decrypt),
 * `partial` (some commands failed: degraded), `slow` (answers, but slower than half the command timeout: degraded),
 * `error` (anything else).
 */
export type StatusReason =
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'dns'
  | 'tls'
  | 'bad_credentials'
  | 'not_routeros'
  | 'connection_lost'
  | 'credentials_unavailable'
  | 'partial'
  | 'slow'
  | 'error';

export type HealthSample = {
  cpuLoad: number | null;
  memoryFree: number | null;
  memoryTotal: number | null;
  diskFree: number | null;
  diskTotal: number | null;
  temperature: number | null;
  voltage: number | null;
  uptimeSeconds: number | null;
};

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
  /** Less frequent collections, by kind (identity, routerboard, neighbors, wireless, dhcp_leases, update). */
  facts: Record<string, unknown>;
  events: DeviceEvent[];
};
