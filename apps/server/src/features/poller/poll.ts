import { ClosedError, type RouterOSClient } from '@tod/routeros';
import type { Gate } from '../../platform/concurrency/gate.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { ClaimedDevice } from './claim.js';
import {
  applyLinkSpeeds,
  type CoreData,
  collectCore,
  collectLinkRates,
  collectSlow,
  computeRates,
  linkedEthernet,
} from './collect.js';
import { isConfigChangeLine, readConfigChanges } from './config-changes.js';
import type { DeviceState } from './device-state.js';
import { collectLinks } from './links.js';
import { collectLogs } from './logs.js';
import { messageOf, reasonOf, reasonText } from './status.js';
import type { DeviceEvent, DeviceStatus, PollResult, StatusReason } from './types.js';

export type PollDeps = {
  access: DeviceAccess;
  pollerId: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  slowIntervalMs: number;
  /** Neighbours and radios (links.ts). */
  linksIntervalMs: number;
  /** Bounds simultaneous connects (TCP + TLS handshakes + login): a fleet coming up at once is a CPU and memory spike. */
  /** Session opens in flight at once (key `connect`). */
  connectSlots: Gate;
  /** Told how many log lines a poll collected, and how many were dropped (more came than a poll takes). */
  onLogLines?: (collected: number, dropped: number) => void;
};

/** One poll of one device: reuse or open its session, collect, turn it into a result with events. */
export async function pollDevice(deps: PollDeps, state: DeviceState, d: ClaimedDevice): Promise<PollResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const events: DeviceEvent[] = [];
  const facts: Record<string, unknown> = {};
  const result: PollResult = {
    v: 1,
    tenantId: d.tenant_id,
    deviceId: d.device_id,
    pollerId: deps.pollerId,
    at: new Date(startedAt).toISOString(),
    durationMs: 0,
    status: 'offline',
    statusReason: null,
    statusMessage: null,
    transport: null,
    device: {},
    health: null,
    interfaces: null,
    facts,
    events,
  };
  const prevStatus = state.status ?? (d.status as DeviceStatus);
  const prevReason = state.reason === undefined ? undefined : state.reason;

  const connect = async (): Promise<RouterOSClient> => {
    // The poller's own long-lived session (purpose `poll`): device access decrypts the credentials for this open
    // only, applies the target policy, TLS mode and pin, and the poll's reply limits.
    const leave = await deps.connectSlots.enter('connect', Number.POSITIVE_INFINITY);
    const session = await deps.access
      .openApi({ tenantId: d.tenant_id, deviceId: d.device_id }, 'poll', {
        connectTimeoutMs: deps.connectTimeoutMs,
        commandTimeoutMs: deps.commandTimeoutMs,
        tcpKeepAliveMs: 60_000,
      })
      .finally(leave);
    const client = session.client;
    state.client = client;
    state.configVersion = d.config_version;
    if (session.pinned) {
      events.push({
        type: 'device.tls_pinned',
        severity: 'info',
        message: `Certificate fingerprint ${session.pinned} pinned (trust on first use)`,
        details: { fingerprint: session.pinned },
      });
    }
    return client;
  };

  let core: CoreData;
  let client: RouterOSClient;
  try {
    const reused = state.client !== undefined && !state.client.closed;
    client = reused ? (state.client as RouterOSClient) : await connect();
    try {
      core = await collectCore(client);
    } catch (err) {
      // A session idle since the last cycle may have been dropped (NAT timeout, router restart of the API
      // service): one fresh attempt before calling the device down.
      if (!reused || !(err instanceof ClosedError)) throw err;
      state.closeSession();
      client = await connect();
      core = await collectCore(client);
    }
  } catch (err) {
    state.closeSession();
    state.breaker.failure(Date.now());
    const reason = reasonOf(err);
    result.status = 'offline';
    result.statusReason = reason;
    result.statusMessage = messageOf(err);
    finishStatus(state, result, prevStatus, prevReason);
    result.durationMs = Math.round(performance.now() - t0);
    return result;
  }
  result.transport = client.transport.kind;

  // Reboot: uptime went backwards, or the boot time moved later than clock jitter explains (a reboot while the
  // device was unreachable, coming back with more uptime than it had before).
  const uptime = core.resource.health.uptimeSeconds;
  const prevUptime = state.uptimeSeconds ?? (d.uptime_seconds === null ? undefined : Number(d.uptime_seconds));
  const prevBooted = state.bootedAtMs ?? d.booted_at?.getTime();
  const bootedAt = uptime === null ? undefined : Math.round((startedAt - uptime * 1000) / 1000) * 1000;
  let rebooted = false;
  if (uptime !== null && prevUptime !== undefined && bootedAt !== undefined) {
    rebooted = uptime < prevUptime || (prevBooted !== undefined && bootedAt > prevBooted + 120_000);
    if (rebooted)
      events.push({
        type: 'device.rebooted',
        severity: 'warning',
        message: `Device rebooted (uptime ${uptime} s, was ${prevUptime} s)`,
        details: { uptimeSeconds: uptime, previousUptimeSeconds: prevUptime },
      });
  }
  if (uptime !== null) state.uptimeSeconds = uptime;
  if (bootedAt !== undefined) state.bootedAtMs = bootedAt;
  computeRates(state, core.interfaces, startedAt, rebooted);
  // Rates negotiated before a reboot say nothing about the links after it.
  if (rebooted) state.linkRates = undefined;

  const version = core.resource.version;
  const prevVersion = state.version ?? d.version ?? undefined;
  if (version && prevVersion && version !== prevVersion)
    events.push({
      type: 'device.version_changed',
      severity: 'info',
      message: `RouterOS ${prevVersion} → ${version}`,
      details: { from: prevVersion, to: version },
    });
  if (version) state.version = version;

  result.health = { ...core.resource.health, ...core.health };
  result.interfaces = core.interfaces;
  const dev = result.device;
  if (version) dev.version = version;
  if (core.resource.boardName) dev.boardName = core.resource.boardName;
  if (core.resource.architecture) dev.architecture = core.resource.architecture;
  if (core.resource.cpuCount !== null) dev.cpuCount = core.resource.cpuCount;
  if (bootedAt !== undefined) dev.bootedAt = new Date(bootedAt).toISOString();

  const failed = [...core.failed];
  let slowRan = false;
  if (startedAt - state.lastSlowAt >= deps.slowIntervalMs || rebooted) {
    try {
      const slow = await collectSlow(client);
      state.lastSlowAt = startedAt;
      slowRan = true;
      if (slow.identity) dev.identity = slow.identity;
      if (slow.model) dev.model = slow.model;
      if (slow.serialNumber) dev.serialNumber = slow.serialNumber;
      if (slow.firmware) dev.firmware = slow.firmware;
      Object.assign(facts, slow.facts);
      // A reboot restarts log ids: look afresh (changes made just before a reboot are not reported).
      const log = await readConfigChanges(client, rebooted ? undefined : state.lastLogId);
      if (log.changes.length > 0) {
        const users = [...new Set(log.changes.map((c) => c.user))];
        dev.lastConfigChangeAt = new Date(startedAt).toISOString();
        events.push({
          type: 'device.config_changed',
          severity: 'info',
          message: `Configuration changed on the device by ${users.join(', ')} (${log.changes.length} change${log.changes.length === 1 ? '' : 's'})`,
          details: { users, changes: log.changes.slice(0, 50) },
        });
      }
      state.lastLogId = log.lastId;
    } catch (err) {
      failed.push(`slow collection: ${reasonOf(err)}`);
    }
  }
  if (startedAt - state.lastLinksAt >= deps.linksIntervalMs || rebooted) {
    try {
      Object.assign(facts, await collectLinks(client, core.interfaces));
      state.lastLinksAt = startedAt;
    } catch (err) {
      failed.push(`links: ${reasonOf(err)}`);
    }
  }
  // Negotiated ethernet rates: every slow collection, and as soon as a port comes up whose rate is not known yet (a
  // port that went down forgets its rate: it negotiates afresh when it comes back). Every poll's samples carry them.
  if (core.interfaces) {
    const linked = linkedEthernet(core.interfaces);
    const up = new Set(linked);
    for (const n of [...(state.linkRates?.keys() ?? [])]) if (!up.has(n)) state.linkRates?.delete(n);
    if (slowRan || linked.some((n) => !state.linkRates?.has(n))) {
      try {
        state.linkRates = linked.length === 0 ? new Map() : await collectLinkRates(client, linked);
      } catch (err) {
        failed.push(`link rates: ${reasonOf(err)}`);
      }
    }
    applyLinkSpeeds(core.interfaces, state.linkRates);
  }
  // The log lines since the last poll (a follow stream on this session; a catch-up print when it is new).
  try {
    const logs = await collectLogs(client, state.logs, { rebooted, commandTimeoutMs: deps.commandTimeoutMs });
    if (logs.lines.length > 0) result.logs = logs.lines;
    // Someone changed the configuration (a terminal, WinBox, another tool): the next poll reads identity, model and
    // the change log at once rather than at the slow interval.
    if (logs.lines.some(isConfigChangeLine)) state.lastSlowAt = 0;
    deps.onLogLines?.(logs.lines.length, logs.dropped);
  } catch (err) {
    failed.push(`log: ${reasonOf(err)}`);
  }

  state.breaker.success();
  const duration = performance.now() - t0;
  if (failed.length > 0) {
    result.status = 'degraded';
    result.statusReason = 'partial';
    result.statusMessage = `failed: ${failed.join('; ')}`.slice(0, 500);
  } else if (duration > deps.commandTimeoutMs / 2) {
    result.status = 'degraded';
    result.statusReason = 'slow';
    result.statusMessage = `poll took ${Math.round(duration)} ms`;
  } else {
    result.status = 'online';
  }
  finishStatus(state, result, prevStatus, prevReason);
  result.durationMs = Math.round(performance.now() - t0);
  return result;
}

/** Records the status in the state and adds a status event when status or reason changed. */
function finishStatus(
  state: DeviceState,
  result: PollResult,
  prevStatus: DeviceStatus,
  prevReason: StatusReason | null | undefined,
): void {
  const changed =
    result.status !== prevStatus ||
    (prevReason !== undefined && result.statusReason !== prevReason && result.status !== 'online');
  state.status = result.status;
  state.reason = result.statusReason;
  if (!changed) return;
  const why = result.statusReason ? `: ${reasonText[result.statusReason]}` : '';
  result.events.push({
    type: `device.${result.status}`,
    severity: result.status === 'offline' ? 'critical' : result.status === 'degraded' ? 'warning' : 'info',
    message: `Device is ${result.status}${why}`,
    details: {
      previous: prevStatus,
      status: result.status,
      reason: result.statusReason,
      detail: result.statusMessage,
    },
  });
}
