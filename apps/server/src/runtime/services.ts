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
import { createEnvelope } from '../platform/kms/envelope.js';
import { localKeyProvider } from '../platform/kms/local.js';
import type { ReadinessCheck } from '../platform/readiness.js';
import { version } from './version.js';

export type Services = ServiceRegistry & {
  appPool: pg.Pool;
  bus: Bus;
  envelope: ReturnType<typeof createEnvelope>;
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
  const envelope = createEnvelope({ systemPool: deps.systemPool, provider: localKeyProvider(config.credentialKey) });
  const assembly = assembleFeatures(deps.features ?? allFeatures, {
    config,
    log,
    pools: { app: deps.appPool, system: deps.systemPool, ...(deps.ownerPool ? { owner: deps.ownerPool } : {}) },
    bus,
    envelope,
    registry: deps.registry ?? createMetricsRegistry(),
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
    assembly,
    close: assembly.close,
  });
}
