import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { features as allFeatures } from '../features/index.js';
import { createMemoryBus } from '../platform/bus/memory.js';
import type { Bus } from '../platform/bus/types.js';
import type { Config } from '../platform/config/config.js';
import { type AnyFeature, type Assembly, assembleFeatures } from '../platform/feature/assemble.js';
import type { ServiceRegistry } from '../platform/feature/feature.js';
import { createMetricsRegistry } from '../platform/http/metrics.js';
import { createKeyAccessLog, type KeyAccessLog } from '../platform/kms/access-log.js';
import { createEnvelope } from '../platform/kms/envelope.js';
import { keyCacheFromConfig, keyProvidersFromConfig } from '../platform/kms/providers.js';
import type { ReadinessCheck } from '../platform/readiness.js';
import { version } from './version.js';

export type Services = ServiceRegistry & {
  appPool: pg.Pool;
  bus: Bus;
  envelope: ReturnType<typeof createEnvelope>;
  /** Uses of data keys, buffered and written every 2 s (flushed by close()). */
  keyAccessLog: KeyAccessLog;
  assembly: Assembly;
  /** Ends what services hold open outside the pools (mails in flight, SMTP connections). */
  close: () => Promise<void>;
};

/** Every feature's service, built once from the feature list. Tests build the same object against their own database. */
export function createServices(deps: {
  config: Config;
  log: Logger;
  appPool: pg.Pool;
  systemPool: pg.Pool;
  ownerPool?: pg.Pool;
  /** Read-only app connections for the hot read paths (platform/db/tx.ts readInTenant). */
  readPool?: pg.Pool;
  /** Poll results and live updates (platform/bus); in-process when not given. */
  bus?: Bus;
  redis?: Redis;
  registry?: Registry;
  readiness?: ReadinessCheck[];
  flags?: { demo?: boolean };
  /** Defaults to every feature of TOD. */
  features?: readonly AnyFeature[];
}): Services {
  const { config, log } = deps;
  const bus = deps.bus ?? createMemoryBus({ log });
  const registry = deps.registry ?? createMetricsRegistry();
  // Keys: `transit` when OpenBao is configured, else `local`; every use recorded in the key-access log.
  const keyAccessLog = createKeyAccessLog({
    systemPool: deps.systemPool,
    log,
    registry,
    periodMs: config.KEY_ACCESS_PERIOD_SECONDS * 1000,
  });
  const envelope = createEnvelope({
    systemPool: deps.systemPool,
    ...keyProvidersFromConfig(config),
    accessLog: keyAccessLog,
    cache: keyCacheFromConfig(config),
  });
  const assembly = assembleFeatures(deps.features ?? allFeatures, {
    config,
    log,
    pools: {
      app: deps.appPool,
      system: deps.systemPool,
      ...(deps.ownerPool ? { owner: deps.ownerPool } : {}),
      // Without a read pool, readInTenant runs the reads as transactions on the app pool.
      read: deps.readPool ?? deps.appPool,
    },
    bus,
    envelope,
    registry,
    ...(deps.redis ? { redis: deps.redis } : {}),
    version,
    readiness: deps.readiness ?? [],
    flags: deps.flags ?? {},
  });
  // The registry stays the one source of services; platform pieces ride along for the runtime and tests.
  return Object.assign(Object.create(assembly.services) as ServiceRegistry, {
    appPool: deps.appPool,
    bus,
    envelope,
    keyAccessLog,
    assembly,
    // The key-access log last: features' closing work may still use keys.
    close: async () => {
      try {
        await assembly.close();
      } finally {
        await keyAccessLog.stop();
      }
    },
  });
}
