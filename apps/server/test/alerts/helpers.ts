import type { DeviceSpec } from '@tod/simulator';
import { type Fleet, startFleet } from '@tod/simulator';
import pino from 'pino';
import { Registry } from 'prom-client';
import { maintainLogPartitions } from '../../src/features/device-logs/device-logs.partitions.js';
import { deviceLogsRepo } from '../../src/features/device-logs/device-logs.repo.js';
import { startIngest } from '../../src/features/ingest/ingest.js';
import { startPoller } from '../../src/features/poller/poller.js';
import { createMemoryBus } from '../../src/platform/bus/memory.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { type Seed, seed } from '../helpers/seed.js';
import { fastOptions } from '../poller/poller-fixture.js';

// TOD with the whole alert path running in-process: the poller polls simulated routers every second, ingest writes
// and evaluates, the outbox's sender delivers. Default rules are removed so each test states its own.

export type AlertsEnv = {
  ctx: TestContext;
  seed: Seed;
  fleet: Fleet;
  admin: Api;
  operator: Api;
  base: string;
  stop: () => Promise<void>;
};

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function startAlertsEnv(specs: DeviceSpec[], env: Record<string, string> = {}): Promise<AlertsEnv> {
  const ctx = await createTestContext({ NOTIFY_RETRY_BASE_SECONDS: '1', NOTIFY_TIMEOUT_SECONDS: '2', ...env });
  const s = await seed(ctx);
  await withSystem(ctx.pools.system, (db) => db.query('delete from alert_rules'));
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
  await maintainLogPartitions(ctx.pools.owner, 30, { behindDays: 1 });
  const fleet = await startFleet({ specs });
  const registry = new Registry();
  const bus = createMemoryBus({ log });
  const alerts = ctx.services.alerts;
  const ingest = await startIngest({
    system: ctx.pools.system,
    bus,
    log,
    registry,
    consumers: [{ name: 'device_logs', consume: (db, r) => deviceLogsRepo.insertFromResults(db, r) }, alerts.evaluator],
    afterCommit: () => alerts.delivery.kick(),
  });
  const poller = await startPoller({
    system: ctx.pools.system,
    access: ctx.services.deviceAccess,
    bus,
    log,
    registry,
    options: fastOptions({ intervalMs: 1000 }),
  });
  const sender = alerts.delivery.start(200);
  return {
    ctx,
    seed: s,
    fleet,
    admin: apiAs(ctx, s, 'admin'),
    operator: apiAs(ctx, s, 'operator'),
    base: `/api/tenants/${s.a.id}`,
    stop: async () => {
      await poller.stop();
      await ingest.stop();
      await sender.stop();
      await fleet.stop();
      await ctx.close();
    },
  };
}

export async function createChannel(e: AlertsEnv, body: Record<string, unknown>) {
  const r = await e.admin.post(`${e.base}/notification-channels`, {
    severities: ['info', 'warning', 'critical'],
    template: null,
    enabled: true,
    ...body,
  });
  return expectStatus<{ id: string; secret: string | null }>(r, 201);
}

export async function createRule(e: AlertsEnv, body: Record<string, unknown>) {
  const r = await e.operator.post(`${e.base}/alert-rules`, body);
  return expectStatus<{ id: string }>(r, 201);
}

export type AlertJson = {
  id: string;
  state: string;
  device_id: string;
  value: number | null;
  started_at: string;
  resolved_at: string | null;
  flapping: boolean;
  in_maintenance: boolean;
  deliveries?: Array<{ transition: string; state: string; attempts: number; hold_reason: string | null }>;
};

export async function alertsOf(e: AlertsEnv, q: string): Promise<AlertJson[]> {
  return expectStatus<{ items: AlertJson[] }>(await e.operator.get(`${e.base}/alert-events?${q}`), 200).items;
}

export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    last = await check();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
