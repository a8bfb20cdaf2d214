import type { Config } from '../../platform/config/config.js';
import { defineFeature } from '../../platform/feature/feature.js';
import { type PollerOptions, startPoller } from './poller.js';

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
    linksIntervalMs: config.POLL_LINKS_INTERVAL_SECONDS * 1000,
  };
}

/** Poller role: keeps API sessions to its share of the devices and publishes poll results on the bus. */
export const pollerFeature = defineFeature({
  name: 'poller',
  runners: {
    poller: ({ config, pools, services, bus, log, registry }) =>
      startPoller({
        system: pools.system,
        access: services.deviceAccess,
        bus,
        log,
        registry,
        options: pollerOptionsOf(config),
      }),
  },
});
