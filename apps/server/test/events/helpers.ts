import pino from 'pino';
import { Registry } from 'prom-client';
import type { LiveMessage } from '../../src/platform/bus/types.js';
import { createPools, type Pools } from '../../src/platform/db/pools.js';
import { withTenant } from '../../src/platform/db/tx.js';
import { type DispatcherOptions, startEventDispatcher } from '../../src/platform/events/dispatcher.js';
import { recordEvents } from '../../src/platform/events/record.js';
import type { DomainEvent, EventHandler } from '../../src/platform/events/types.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { createTestDatabase } from '../helpers/database.js';

// A database of the test file's own, and pools like a process has: a second call of `pools()` is another process.

export const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export type EventsDb = {
  ownerUrl: string;
  /** The first "process". */
  pools: Pools;
  /** Pools of another "process". */
  openPools: () => Pools;
  createTenant: () => Promise<string>;
  close: () => Promise<void>;
};

export async function openEventsDb(): Promise<EventsDb> {
  const db = await createTestDatabase();
  const all: Pools[] = [];
  const openPools = () => {
    const p = createPools({
      ownerUrl: db.ownerUrl,
      appPassword: TEST_DB_PASSWORDS.app,
      systemPassword: TEST_DB_PASSWORDS.system,
      appMax: 5,
      systemMax: 8,
      statementTimeoutMs: 10_000,
    });
    all.push(p);
    return p;
  };
  const pools = openPools();
  let n = 0;
  return {
    ownerUrl: db.ownerUrl,
    pools,
    openPools,
    createTenant: async () =>
      (await pools.system.query('insert into tenants (name) values ($1) returning id', [`events ${++n}`])).rows[0].id,
    close: async () => {
      for (const p of all) await p.end().catch(() => {});
      await db.drop();
    },
  };
}

/** Records `n` events of one tenant in one committed request transaction (app role). Returns their ids. */
export function recordMany(pools: Pools, tenantId: string, n: number, type = 'test.happened'): Promise<string[]> {
  return withTenant(pools.app, tenantId, (c) =>
    recordEvents(
      c,
      Array.from({ length: n }, (_, i) => ({ type, tenantId, payload: { i } })),
    ),
  );
}

/** A handler that remembers every event it was given (and in which "process"). */
export function recorder(name: string, on: readonly string[] = ['*'], over: Partial<EventHandler> = {}) {
  const seen: Array<{ event: DomainEvent; by: string }> = [];
  const make = (by: string): EventHandler => ({
    name,
    on,
    handle: async (event) => {
      seen.push({ event, by });
    },
    ...over,
  });
  return { seen, make };
}

export async function waitUntil<T>(what: string, check: () => T | Promise<T>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sum of a counter's values over registries, optionally for one label value. */
export async function counted(registries: Registry[], name: string, labels: Record<string, string> = {}) {
  let sum = 0;
  for (const r of registries) {
    const m = r.getSingleMetric(name);
    if (!m) continue;
    for (const v of (await m.get()).values)
      if (Object.entries(labels).every(([k, x]) => v.labels[k] === x)) sum += v.value;
  }
  return sum;
}

export async function deliveries(pools: Pools, handler?: string) {
  const r = await pools.system.query(
    `select event_id, handler, status, attempts, last_error from domain_event_deliveries
      where $1::text is null or handler = $1 order by event_id`,
    [handler ?? null],
  );
  return r.rows as Array<{ event_id: string; handler: string; status: string; attempts: number; last_error: string }>;
}

/**
 * A dispatcher with test timings, its own registry and a live sink; `stop` may be called again (the test's
 * `afterEach` stops whatever is left in `stops`).
 */
export async function startDispatcher(
  stops: Array<() => Promise<void>>,
  o: Pick<DispatcherOptions, 'systemPool' | 'handlers'> & Partial<DispatcherOptions>,
) {
  const registry = new Registry();
  const live: LiveMessage[] = [];
  const d = await startEventDispatcher({
    log,
    registry,
    bus: { publishLive: (m) => live.push(m) },
    pollMs: 100,
    leaseMs: 2000,
    backoffBaseMs: 50,
    ...o,
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= d.stop();
    return stopped;
  };
  stops.push(stop);
  return { stop, registry, live };
}
