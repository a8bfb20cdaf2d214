import type { RouterOSClient } from '@tod/routeros';
import { CircuitBreaker } from './breaker.js';
import { DeviceLogState } from './logs.js';
import type { CounterSnapshot } from './rates.js';
import type { DeviceStatus, StatusReason } from './types.js';

/** What a poller remembers about a device between cycles. Lost when the device moves to another poller. */
export class DeviceState {
  client: RouterOSClient | undefined;
  /** devices.config_version the session was opened with; a different one closes it. */
  configVersion: number | undefined;
  readonly breaker: CircuitBreaker;
  status: DeviceStatus | undefined;
  reason: StatusReason | null | undefined;
  uptimeSeconds: number | undefined;
  bootedAtMs: number | undefined;
  version: string | undefined;
  counters: Map<string, CounterSnapshot> | undefined;
  /**
   * Negotiated rate (bits per second) of the ethernet ports last asked about, by name; null: no link or a rate TOD
   * cannot read. Read afresh by the slow collection and when a port comes up; a port that goes down is dropped; all
   * forgotten at a reboot.
   */
  linkRates: Map<string, number | null> | undefined;
  lastSlowAt = 0;
  lastLinksAt = 0;
  /** Highest `/log` item id already looked at (ids restart at a reboot); undefined until the first look. */
  lastLogId: number | undefined;
  /** The log follow stream and the lines collected since the last poll (logs.ts). */
  readonly logs = new DeviceLogState();
  lastClaimAt = 0;
  busy = false;

  constructor(
    readonly deviceId: string,
    breaker: { maxFailures: number; baseMs: number; maxMs: number },
  ) {
    this.breaker = new CircuitBreaker(breaker);
  }

  closeSession(): void {
    this.logs.detach();
    const c = this.client;
    this.client = undefined;
    if (c && !c.closed) c.close().catch(() => {});
  }

  /** Forget everything tied to how the device was reached (its edit changed host, credentials, TLS…). */
  resetConnection(): void {
    this.closeSession();
    this.breaker.reset();
    this.counters = undefined;
    this.linkRates = undefined;
  }
}
