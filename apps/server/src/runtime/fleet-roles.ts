import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { startIngest } from '../features/ingest/ingest.js';
import { type PollerOptions, startPoller } from '../features/poller/poller.js';
import type { Config } from '../platform/config/config.js';
import type { Pools } from '../platform/db/pools.js';
import { ensurePartitions, type RetentionDays, seriesTables } from '../platform/timeseries/partitions.js';
import type { Services } from './services.js';

// Wiring of the fleet's polling half: ingest runs in `worker`, device polling in `poller`.

export function retentionOf(config: Config): RetentionDays {
  return {
    raw: config.METRICS_RAW_RETENTION_DAYS,
    fiveMinute: config.METRICS_5M_RETENTION_DAYS,
    hourly: config.METRICS_1H_RETENTION_DAYS,
  };
}

export function pollerOptionsOf(config: Config): PollerOptions {
  return {
    intervalMs: config.POLL_INTERVAL_SECONDS * 1000,
    concurrency: config.POLL_CONCURRENCY,
    connectTimeoutMs: config.CONNECTION_TIMEOUT_SECONDS * 1000,
    commandTimeoutMs: config.COMMAND_TIMEOUT_SECONDS * 1000,
    breaker: {
      maxFailures: config.CIRCUIT_BREAKER_MAX_FAILURES,
      baseMs: config.CIRCUIT_BREAKER_BASE_BACKOFF_SECONDS * 1000,
      maxMs: config.CIRCUIT_BREAKER_MAX_BACKOFF_SECONDS * 1000,
    },
    slowIntervalMs: config.POLL_SLOW_INTERVAL_SECONDS * 1000,
    updateIntervalMs: config.POLL_UPDATE_CHECK_HOURS * 3_600_000,
  };
}

export async function startFleetRoles(o: {
  config: Config;
  log: Logger;
  pools: Pools;
  services: Services;
  registry: Registry;
  roles: readonly string[];
}): Promise<Array<{ name: string; stop: () => Promise<unknown> }>> {
  const out: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  if (o.roles.includes('worker')) {
    // Today's partitions must exist before the first write; the hourly schedule keeps them ahead.
    await ensurePartitions(o.pools.owner, seriesTables(retentionOf(o.config)));
    const ingest = await startIngest({ system: o.pools.system, bus: o.services.bus, log: o.log, registry: o.registry });
    out.push({ name: 'ingest', stop: ingest.stop });
  }
  if (o.roles.includes('poller')) {
    if (!o.roles.includes('worker') && o.services.bus.kind === 'memory')
      o.log.warn('poller without worker and without NATS_URL: poll results have no ingest and are dropped');
    const poller = await startPoller({
      system: o.pools.system,
      envelope: o.services.envelope,
      bus: o.services.bus,
      log: o.log,
      registry: o.registry,
      options: pollerOptionsOf(o.config),
    });
    out.push({ name: 'poller', stop: poller.stop });
  }
  return out;
}
