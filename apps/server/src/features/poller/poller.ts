import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Bus } from '../../platform/bus/types.js';
import { Gate } from '../../platform/concurrency/gate.js';
import { registerPoller } from '../../platform/jobs/poller-registry.js';
import { descriptorsNeeded, openFileLimit } from '../../platform/net/fd-limit.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { type ClaimedDevice, claimDue } from './claim.js';
import { DeviceState } from './device-state.js';
import { createPollerMetrics } from './metrics.js';
import { pollDevice } from './poll.js';
import type { PollResult } from './types.js';

/** Polls start on this grid (ms): a device's slot moves by less than this, its devices share a wake-up. */
const POLL_TICK_MS = 100;

export type PollerOptions = {
  intervalMs: number;
  concurrency: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  breaker: { maxFailures: number; baseMs: number; maxMs: number };
  slowIntervalMs: number;
  /** Neighbours and radios (links.ts). Default: the slow interval, at most 5 minutes. */
  linksIntervalMs?: number;
  /** Simultaneous connects (handshakes). Default min(concurrency, 100). */
  connectConcurrency?: number;
  /** Heartbeat period; a poller silent for 3 heartbeats is dead and its devices move. Default min(10 s, interval/4). */
  heartbeatMs?: number;
  /** Results per bus message, and the longest a result waits to be published. */
  batchSize?: number;
  flushMs?: number;
};

/**
 * The poller role: registers in `pollers`, claims the devices it owns as they come due (claim.ts), polls each on
 * its long-lived session with bounded concurrency, and publishes results on the bus in batches.
 */
export async function startPoller(deps: {
  system: pg.Pool;
  /** How sessions are opened (features/device-access). */
  access: DeviceAccess;
  bus: Bus;
  log: Logger;
  registry: Registry;
  options: PollerOptions;
}) {
  const o = deps.options;
  const log = deps.log.child({ component: 'poller' });
  const metrics = createPollerMetrics(deps.registry);
  const heartbeatMs = o.heartbeatMs ?? Math.max(250, Math.min(10_000, Math.floor(o.intervalMs / 4)));
  const reg = await registerPoller({ systemPool: deps.system, log, heartbeatMs });
  const pollerId = reg.id;
  const tickMs = Math.max(100, Math.min(1000, Math.floor(o.intervalMs / 20)));
  const maxPending = o.concurrency * 4;
  const states = new Map<string, DeviceState>();
  const queue: Array<{ state: DeviceState; claim: ClaimedDevice }> = [];
  const timers = new Set<NodeJS.Timeout>();
  let scheduled = 0;
  let running = 0;
  let stopped = false;
  let idle: (() => void) | undefined;
  const pollDeps = {
    access: deps.access,
    pollerId,
    connectTimeoutMs: o.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeoutMs,
    slowIntervalMs: o.slowIntervalMs,
    linksIntervalMs: o.linksIntervalMs ?? Math.min(o.slowIntervalMs, 300_000),
    connectSlots: new Gate(o.connectConcurrency ?? Math.min(o.concurrency, 100)),
    onLogLines: (collected: number, dropped: number) => {
      if (collected > 0) metrics.logLines.inc({ outcome: 'collected' }, collected);
      if (dropped > 0) metrics.logLines.inc({ outcome: 'dropped' }, dropped);
    },
  };

  // --- publishing ------------------------------------------------------------------------------------------------
  const batchSize = o.batchSize ?? 200;
  let buffer: PollResult[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      while (buffer.length > 0) {
        const batch = buffer.slice(0, batchSize);
        try {
          await deps.bus.publishResults(batch);
          buffer.splice(0, batch.length);
        } catch (err) {
          // Keep them (bounded) and try again at the next flush: a bus outage must not lose results.
          log.warn({ err: (err as Error).message, pending: buffer.length }, 'publishing poll results failed');
          if (buffer.length > 100_000) buffer = buffer.slice(-100_000);
          return;
        }
      }
    });
    return flushing;
  };
  const flushTimer = setInterval(() => void flush(), o.flushMs ?? 250);

  // --- polling ---------------------------------------------------------------------------------------------------
  const run = async (state: DeviceState, claim: ClaimedDevice) => {
    const lag = (Date.now() - claim.due_at.getTime()) / 1000;
    metrics.lag.observe(Math.max(0, lag));
    if (state.breaker.isOpen(Date.now())) {
      metrics.breakerSkips.inc();
      return;
    }
    const end = metrics.duration.startTimer();
    try {
      const result = await pollDevice(pollDeps, state, claim);
      metrics.polls.inc({ status: result.status });
      buffer.push(result);
      if (buffer.length >= batchSize) void flush();
    } catch (err) {
      metrics.polls.inc({ status: 'error' });
      log.error({ err, device: claim.device_id }, 'poll crashed');
    } finally {
      end();
    }
  };

  const pump = () => {
    while (running < o.concurrency && queue.length > 0) {
      const job = queue.shift() as { state: DeviceState; claim: ClaimedDevice };
      running++;
      job.state.busy = true;
      run(job.state, job.claim).finally(() => {
        job.state.busy = false;
        running--;
        if (stopped && running === 0 && queue.length === 0) idle?.();
        pump();
      });
    }
  };

  const accept = (claim: ClaimedDevice) => {
    let state = states.get(claim.device_id);
    if (!state) {
      state = new DeviceState(claim.device_id, o.breaker);
      states.set(claim.device_id, state);
    }
    state.lastClaimAt = Date.now();
    if (claim.disabled) {
      state.closeSession();
      return;
    }
    // An edit that changes how the device is reached takes effect now: new session, fresh breaker.
    if (state.configVersion !== undefined && state.configVersion !== claim.config_version) state.resetConnection();
    if (state.busy) {
      // Still polling the previous cycle (slower than the interval): skip this slot.
      metrics.overruns.inc();
      return;
    }
    const s = state;
    // Due times rounded up to a tick: the devices of a tick are polled in one turn of the event loop (one timer, and
    // their replies read together), not each on its own wake-up.
    const delay = Math.ceil(claim.due_at.getTime() / POLL_TICK_MS) * POLL_TICK_MS - Date.now();
    scheduled++;
    const go = () => {
      scheduled--;
      queue.push({ state: s, claim });
      pump();
    };
    if (delay <= 0) go();
    else {
      const t = setTimeout(() => {
        timers.delete(t);
        go();
      }, delay);
      timers.add(t);
    }
  };

  // Warn (at start and when the share grows) while the open-file limit is below what this poller's devices need.
  const fdLimit = openFileLimit();
  let fdWarnedAt = 0;
  const checkDescriptors = (devices: number, why: string) => {
    if (fdLimit === undefined || descriptorsNeeded(devices) <= fdLimit || devices <= fdWarnedAt) return;
    fdWarnedAt = devices;
    log.warn(
      { openFileLimit: fdLimit, devices, needed: descriptorsNeeded(devices) },
      `the open-file limit (${fdLimit}) is below what ${devices} ${why} need: raise it (README: "Open files") or add pollers`,
    );
  };
  const share = await deps.system
    .query<{ devices: number; pollers: number }>(
      `select (select count(*)::int from devices where not disabled) as devices,
              (select greatest(count(*), 1)::int from pollers where heartbeat_at > now() - interval '1 minute') as pollers`,
    )
    .then((r) => Math.ceil(r.rows[0]!.devices / r.rows[0]!.pollers))
    .catch(() => 0);
  checkDescriptors(share, "devices (this poller's share of the fleet)");

  let lastSweep = Date.now();
  const sweep = () => {
    // Sessions of devices this poller no longer claims (moved to another poller, deleted, disabled) are closed.
    const cutoff = Date.now() - 2.5 * o.intervalMs;
    let active = 0;
    for (const [id, s] of states) {
      if (s.lastClaimAt < cutoff && !s.busy) {
        s.closeSession();
        states.delete(id);
      } else if (s.status === 'online' || s.status === 'degraded') active++;
    }
    metrics.active.set(active);
    checkDescriptors(states.size, 'devices this poller holds');
  };

  let ticking: Promise<void> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    const room = maxPending - queue.length - running - scheduled;
    if (room > 0) {
      try {
        const claims = await claimDue(deps.system, {
          pollerId,
          intervalSec: o.intervalMs / 1000,
          staleSec: (heartbeatMs * 3) / 1000,
          lookaheadSec: (tickMs * 2) / 1000,
          limit: room,
        });
        for (const c of claims) accept(c);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'claiming devices failed');
      }
    }
    if (Date.now() - lastSweep >= Math.min(o.intervalMs, 10_000)) {
      lastSweep = Date.now();
      sweep();
    }
  };
  const tickTimer = setInterval(() => {
    ticking = ticking.then(tick);
  }, tickMs);
  ticking = ticking.then(tick);
  log.info({ poller: pollerId, intervalMs: o.intervalMs, concurrency: o.concurrency }, 'poller started');

  return {
    id: pollerId,
    /** Devices with state in this poller (for tests and diagnostics). */
    get devices(): number {
      return states.size;
    },
    state(deviceId: string): DeviceState | undefined {
      return states.get(deviceId);
    },
    async stop() {
      stopped = true;
      clearInterval(tickTimer);
      await ticking;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      queue.length = 0;
      if (running > 0) await new Promise<void>((r) => (idle = r));
      clearInterval(flushTimer);
      await flush();
      for (const s of states.values()) s.closeSession();
      states.clear();
      await reg.stop();
    },
    /** Simulates a crash for tests: stop everything without unregistering or flushing. */
    async kill() {
      stopped = true;
      clearInterval(tickTimer);
      clearInterval(flushTimer);
      reg.abandon();
      for (const t of timers) clearTimeout(t);
      for (const s of states.values()) s.closeSession();
      states.clear();
      await ticking;
    },
  };
}
export type Poller = Awaited<ReturnType<typeof startPoller>>;
