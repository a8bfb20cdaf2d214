import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { type NatsConnection, connect as natsConnect } from 'nats';
import type { Logger } from 'pino';
import { createBus } from '../platform/bus/create.js';
import { type Config, embeddedPgPassword } from '../platform/config/config.js';
import { type EmbeddedDb, startEmbeddedPostgres } from '../platform/db/embedded.js';
import { migrate } from '../platform/db/migrate.js';
import { createPools, type Pools } from '../platform/db/pools.js';
import { eventRetentionSchedule, startEventDispatcher } from '../platform/events/index.js';
import { createMetricsRegistry } from '../platform/http/metrics.js';
import { startMetricsServer } from '../platform/http/metrics-server.js';
import { startSchedules } from '../platform/jobs/schedules.js';
import { natsCheck, postgresCheck, type ReadinessCheck, redisCheck } from '../platform/readiness.js';
import { ensurePartitions, retentionOf, seriesTables } from '../platform/timeseries/partitions.js';
import { timeseriesSchedules } from '../platform/timeseries/schedules.js';
import { createHttpServer } from './http.js';
import { createServices } from './services.js';
import { version } from './version.js';

export const allRoles = ['api', 'poller', 'worker'] as const;
export type RoleName = (typeof allRoles)[number];

type Stoppable = { name: string; stop: () => Promise<unknown> };

/** The database TOD talks to: the configured one, or the embedded one it starts itself. */
export async function openDatabase(config: Config, log: Logger): Promise<{ ownerUrl: string; embedded?: EmbeddedDb }> {
  if (config.DATABASE_URL) return { ownerUrl: config.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.EMBEDDED_PG_PORT,
    password: embeddedPgPassword(config),
    log,
  });
  return { ownerUrl: embedded.url, embedded };
}

/** Starts the chosen roles in this process. Returns a stop() that shuts them down in reverse order. */
export async function startTod(config: Config, log: Logger, roles: readonly RoleName[], opts: { demo?: boolean } = {}) {
  const stack: Stoppable[] = [];
  const stop = async () => {
    for (const s of stack.reverse()) {
      try {
        await s.stop();
        log.info({ component: s.name }, 'stopped');
      } catch (err) {
        log.error({ err, component: s.name }, 'stop failed');
      }
    }
  };
  try {
    if (config.generatedSecrets.length)
      log.warn(
        { file: config.secretsFile, generated: config.generatedSecrets },
        'generated missing secrets (dev); keep this file private',
      );
    const db = await openDatabase(config, log);
    if (db.embedded) stack.push({ name: 'embedded-postgres', stop: db.embedded.stop });
    await migrate({
      ownerUrl: db.ownerUrl,
      appPassword: config.dbAppPassword,
      systemPassword: config.dbSystemPassword,
      log,
    });
    const pools: Pools = createPools({
      ownerUrl: db.ownerUrl,
      appPassword: config.dbAppPassword,
      systemPassword: config.dbSystemPassword,
      appMax: config.DB_POOL_SIZE + config.DB_MAX_OVERFLOW,
      readMax: config.DB_POOL_SIZE,
      systemMax: config.DB_ADMIN_POOL_SIZE + config.DB_ADMIN_MAX_OVERFLOW,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      statementCacheSize: config.DB_STATEMENT_CACHE_SIZE,
    });
    stack.push({ name: 'database-pools', stop: pools.end });

    const readiness: ReadinessCheck[] = [postgresCheck(pools.app)];
    let redis: Redis | undefined;
    if (config.REDIS_URL) {
      redis = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
      redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
      const r = redis;
      stack.push({ name: 'redis', stop: () => r.quit() });
      readiness.push(redisCheck(r));
    }
    let nats: NatsConnection | undefined;
    if (config.NATS_URL) {
      nats = await natsConnect({
        servers: config.NATS_URL,
        name: `tod-${process.pid}`,
        maxReconnectAttempts: -1,
      }).catch((err) => {
        log.warn({ err: (err as Error).message }, 'NATS unreachable at start; readiness will report it');
        return undefined;
      });
      const n = nats;
      if (n) stack.push({ name: 'nats', stop: () => n.drain() });
      readiness.push(natsCheck(n));
    }

    // Poll results and live updates: JetStream when NATS is configured, else in-process (platform/bus).
    const registry = createMetricsRegistry();
    const bus = await createBus({ ...(nats ? { nc: nats } : {}), log, registry });
    stack.push({ name: 'bus', stop: () => bus.close() });
    const services = createServices({
      config,
      log,
      appPool: pools.app,
      systemPool: pools.system,
      ownerPool: pools.owner,
      readPool: pools.read,
      bus,
      registry,
      readiness,
      flags: { demo: opts.demo },
      ...(redis ? { redis } : {}),
    });
    stack.push({ name: 'services', stop: services.close });
    if (await services.auth.bootstrapFirstAdmin(config.FIRST_ADMIN_EMAIL, config.FIRST_ADMIN_PASSWORD))
      log.info('sign in with FIRST_ADMIN_EMAIL / FIRST_ADMIN_PASSWORD; the account must upgrade its sign-in');
    const { assembly } = services;

    let http: FastifyInstance | undefined;
    if (roles.includes('worker')) {
      // Today's partitions must exist before ingest writes; the hourly schedule keeps them ahead.
      const retention = retentionOf(config);
      await ensurePartitions(pools.owner, seriesTables(retention));
      const schedules = startSchedules({
        systemPool: pools.system,
        log,
        owner: `${hostname()}:${process.pid}`,
        schedules: [
          ...assembly.schedules(),
          ...timeseriesSchedules({ owner: pools.owner, system: pools.system, retention }),
          eventRetentionSchedule({ systemPool: pools.system }),
        ],
      });
      stack.push({ name: 'worker', stop: schedules.stop });
      // Domain events: every feature's handlers, once each across workers; committed events go live from here.
      const dispatcher = await startEventDispatcher({
        systemPool: pools.system,
        handlers: assembly.handlers(),
        log,
        registry,
        bus,
        toLive: assembly.toLive,
        ...(nats ? { nc: nats } : {}),
      });
      stack.push({ name: 'events', stop: dispatcher.stop });
      for (const r of await assembly.startRunners('worker')) stack.push(r);
    }
    if (roles.includes('poller')) {
      if (!roles.includes('worker') && bus.kind === 'memory')
        log.warn('poller without worker and without NATS_URL: poll results have no ingest and are dropped');
      for (const r of await assembly.startRunners('poller')) stack.push(r);
    }
    // Without the api role, and in production (where the public port keeps /metrics to METRICS_TOKEN holders):
    // Prometheus metrics and liveness on METRICS_PORT, loopback unless METRICS_HOST says otherwise. Listening before
    // the public port does, so a process that answers /health there has its metrics up too.
    if (!roles.includes('api') || config.isProduction) {
      const { metricsHost: host, METRICS_TOKEN: token } = config;
      const m = await startMetricsServer({ registry, port: config.METRICS_PORT, host, version, token });
      stack.push({ name: 'metrics', stop: m.stop });
      log.info({ port: m.port, host }, 'metrics listener');
    }
    if (roles.includes('api')) {
      http = await createHttpServer({ config, log, services, readiness, redis, metrics: registry });
      const app = http;
      // Closing the server stops accepting and waits for in-flight requests.
      stack.push({ name: 'http', stop: () => app.close() });
      await app.listen({ port: config.PORT, host: config.HOST });
      // Parts that live beside the HTTP server (the demo fleet's simulated routers) start once it listens.
      for (const r of await assembly.startRunners('api')) stack.push(r);
    }
    log.info({ roles, port: roles.includes('api') ? config.PORT : undefined }, 'TOD started');
    return { stop, http, pools, services };
  } catch (err) {
    await stop();
    throw err;
  }
}
