import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import type { DispatcherOptions } from '../../src/platform/events/dispatcher.js';
import { listDeadLetters, retryDeadLetters } from '../../src/platform/events/maintenance.js';
import { recordEvent } from '../../src/platform/events/record.js';
import type { EventHandler, JsonValue } from '../../src/platform/events/types.js';
import {
  counted,
  deliveries,
  type EventsDb,
  openEventsDb,
  recorder,
  recordMany,
  sleep,
  startDispatcher,
  waitUntil,
} from './helpers.js';

// The dispatcher over PostgreSQL alone (no NATS): every (event, handler) pair runs exactly once across processes,
// failures are retried with backoff and dead-lettered, a run whose process died is taken over after its lease.

let db: EventsDb;
let tenant: string;
const stops: Array<() => Promise<void>> = [];
beforeAll(async () => {
  db = await openEventsDb();
  tenant = await db.createTenant();
});
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  // Each test starts from an empty outbox.
  await db.pools.system.query('delete from domain_events');
});
afterAll(() => db?.close());

const start = (handlers: EventHandler[], over: Partial<DispatcherOptions> = {}) =>
  startDispatcher(stops, { systemPool: db.pools.system, handlers, ...over });

const record = (type: string, payload: JsonValue = null) =>
  withTenant(db.pools.app, tenant, (c) => recordEvent(c, { type, tenantId: tenant, payload }));

describe('event dispatcher (PostgreSQL)', () => {
  it('runs each handler once per event with two dispatchers on their own pools', async () => {
    const typed = recorder('test.typed', ['test.happened']);
    const all = recorder('test.all', ['*']);
    const other = recorder('test.other', ['test.other']);
    const slow = (h: EventHandler): EventHandler => ({
      ...h,
      handle: async (e, ctx) => {
        await sleep(Math.random() * 3);
        await h.handle(e, ctx);
      },
    });
    const before = await recordMany(db.pools, tenant, 150);
    const handlers = (by: string) => [slow(typed.make(by)), slow(all.make(by)), other.make(by)];
    const one = await start(handlers('one'), { batchSize: 20 });
    const two = await start(handlers('two'), { batchSize: 20, systemPool: db.openPools().system });
    const during: string[] = [];
    for (let i = 0; i < 15; i++) during.push(...(await recordMany(db.pools, tenant, 30)));
    const others = await recordMany(db.pools, tenant, 10, 'test.other');
    const happened = [...before, ...during];

    await waitUntil('every delivery done', async () => {
      const rows = await deliveries(db.pools);
      return rows.length === happened.length * 2 + others.length * 2 && rows.every((r) => r.status === 'done');
    });
    const ids = (seen: typeof typed.seen) => seen.map((s) => s.event.id).sort();
    expect(ids(typed.seen)).toEqual([...happened].sort());
    expect(ids(all.seen)).toEqual([...happened, ...others].sort());
    expect(ids(other.seen)).toEqual([...others].sort());
    // Both processes took part.
    expect(all.seen.filter((s) => s.by === 'one').length).toBeGreaterThan(0);
    expect(all.seen.filter((s) => s.by === 'two').length).toBeGreaterThan(0);
    expect((await deliveries(db.pools)).every((r) => r.attempts === 1)).toBe(true);
    // The event a handler gets is the recorded one.
    const sample = typed.seen[0]!.event;
    expect(sample).toMatchObject({ type: 'test.happened', tenantId: tenant, deviceId: null, actor: null });
    expect(sample.occurredAt).toBeInstanceOf(Date);

    // Counted once each across both processes; sent live once each.
    const regs = [one.registry, two.registry];
    expect(await counted(regs, 'mikrotik_events_recorded_total')).toBe(happened.length + others.length);
    expect(await counted(regs, 'mikrotik_events_delivered_total', { handler: 'test.typed' })).toBe(happened.length);
    expect(await counted(regs, 'mikrotik_events_delivered_total')).toBe(happened.length * 2 + others.length * 2);
    expect(await counted(regs, 'mikrotik_events_retried_total')).toBe(0);
    const lag = await one.registry.getSingleMetricAsString('mikrotik_events_dispatch_lag_seconds');
    expect(Number(/_count (\d+)/.exec(lag)?.[1])).toBeGreaterThan(0);
    const live = [...one.live, ...two.live];
    expect(live.map((m) => m.id).sort()).toEqual([...happened, ...others].sort());
    expect(live[0]).toMatchObject({
      tenantId: tenant,
      type: expect.stringMatching(/^test\./),
      payload: { i: expect.any(Number) },
    });
  });

  it('wakes on the commit (LISTEN/NOTIFY), not on the next poll', async () => {
    const h = recorder('test.prompt', ['test.prompt']);
    await start([h.make('one')], { pollMs: 60_000 });
    await sleep(300); // its first rounds are done; now only a notification can wake it within a minute
    const t0 = Date.now();
    await record('test.prompt');
    await waitUntil('handled', () => h.seen.length === 1, 5000);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('retries a failing handler with exponential backoff, then dead-letters it with the last error', async () => {
    const times: number[] = [];
    let fixed = false;
    const flaky: EventHandler = {
      name: 'test.flaky',
      on: ['test.fails'],
      maxAttempts: 4,
      handle: async () => {
        times.push(Date.now());
        if (!fixed) throw new Error(`nope ${times.length}`);
      },
    };
    const d = await start([flaky], { backoffBaseMs: 150 });
    const id = await record('test.fails');
    await waitUntil('dead-lettered', async () => (await deliveries(db.pools))[0]?.status === 'dead');
    await sleep(400);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 150, 300, 600 ms less up to 20 % jitter.
    expect(gaps[0]).toBeGreaterThanOrEqual(120);
    expect(gaps[1]).toBeGreaterThanOrEqual(240);
    expect(gaps[2]).toBeGreaterThanOrEqual(480);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(await deliveries(db.pools)).toEqual([
      { event_id: id, handler: 'test.flaky', status: 'dead', attempts: 4, last_error: 'nope 4' },
    ]);
    expect(await counted([d.registry], 'mikrotik_events_retried_total', { handler: 'test.flaky' })).toBe(3);
    expect(await counted([d.registry], 'mikrotik_events_dead_lettered_total', { handler: 'test.flaky' })).toBe(1);
    expect(await counted([d.registry], 'mikrotik_events_delivered_total')).toBe(0);
    expect(await listDeadLetters(db.pools.system)).toMatchObject([
      { eventId: id, type: 'test.fails', tenantId: tenant, handler: 'test.flaky', attempts: 4, lastError: 'nope 4' },
    ]);

    // Fixed, then retried by an operator: runs again and completes.
    fixed = true;
    expect(await retryDeadLetters(db.pools.system, { handler: 'test.flaky' })).toBe(1);
    await waitUntil('done after the retry', async () => (await deliveries(db.pools))[0]?.status === 'done');
    expect(times).toHaveLength(5);
    expect(await listDeadLetters(db.pools.system)).toEqual([]);
  });

  it('does not retry a handler whose event is about an organisation deleted meanwhile', async () => {
    const doomed = await db.createTenant();
    let runs = 0;
    const handler: EventHandler = {
      name: 'test.orphaned',
      on: ['test.orphan'],
      maxAttempts: 4,
      handle: async () => {
        runs++;
        // The organisation is deleted while the handler works; its write then fails as a foreign key would.
        await db.pools.system.query('delete from tenants where id = $1', [doomed]);
        throw new Error('insert or update on table violates foreign key constraint');
      },
    };
    const d = await start([handler], { backoffBaseMs: 50 });
    await withTenant(db.pools.app, doomed, (c) =>
      recordEvent(c, { type: 'test.orphan', tenantId: doomed, payload: null }),
    );
    await waitUntil('settled', async () => {
      const rows = await deliveries(db.pools);
      return rows.length === 0 || rows[0]?.status === 'done';
    });
    await sleep(300);
    expect(runs).toBe(1);
    expect(await counted([d.registry], 'mikrotik_events_dead_lettered_total')).toBe(0);
    expect(await counted([d.registry], 'mikrotik_events_retried_total')).toBe(0);
  });

  it('a handler that fails twice then succeeds is done after three attempts', async () => {
    let calls = 0;
    await start([
      {
        name: 'test.twice',
        on: ['test.fails'],
        handle: async () => {
          if (++calls < 3) throw new Error('not yet');
        },
      },
    ]);
    await record('test.fails');
    await waitUntil('done', async () => (await deliveries(db.pools))[0]?.status === 'done');
    expect(calls).toBe(3);
    expect((await deliveries(db.pools))[0]).toMatchObject({ attempts: 3, last_error: 'not yet' });
  });

  it('counts a handler past its timeout as failed (and aborts its signal)', async () => {
    const signals: AbortSignal[] = [];
    await start([
      {
        name: 'test.slow',
        on: ['test.slow'],
        timeoutMs: 200,
        handle: async (_e, ctx) => {
          signals.push(ctx.signal);
          if (ctx.attempt === 1) await sleep(1000);
        },
      },
    ]);
    await record('test.slow');
    await waitUntil('done', async () => (await deliveries(db.pools))[0]?.status === 'done');
    expect((await deliveries(db.pools))[0]).toMatchObject({
      attempts: 2,
      last_error: 'handler timed out after 200 ms',
    });
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
  });

  it('runs a delivery again after its lease when the process running it died, never both at once', async () => {
    let release: (() => void) | undefined;
    const runs: Array<{ by: string; attempt: number; at: number }> = [];
    const handler = (by: string): EventHandler => ({
      name: 'test.crashy',
      on: ['test.crash'],
      handle: async (_e, ctx) => {
        runs.push({ by, attempt: ctx.attempt, at: Date.now() });
        // The first process never finishes: it "crashes" in the middle.
        if (by === 'one') await new Promise<void>((r) => (release = r));
      },
    });
    const one = await start([handler('one')], { leaseMs: 1500, stopGraceMs: 50 });
    await record('test.crash');
    await waitUntil('first run started', () => runs.length === 1);
    const crashedAt = Date.now();
    await one.stop(); // gives up on the run in progress without recording anything
    expect((await deliveries(db.pools))[0]).toMatchObject({ status: 'running', attempts: 1 });

    await start([handler('two')], { leaseMs: 1500, systemPool: db.openPools().system });
    await sleep(700);
    expect(runs).toHaveLength(1); // the lease still holds
    await waitUntil('taken over', async () => (await deliveries(db.pools))[0]?.status === 'done');
    expect(runs.map((r) => [r.by, r.attempt])).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
    expect(runs[1]!.at - crashedAt).toBeGreaterThanOrEqual(1000);
    expect((await deliveries(db.pools))[0]).toMatchObject({ last_error: 'lease expired before the handler finished' });
    release?.(); // the abandoned run ending late changes nothing
    await sleep(100);
    expect((await deliveries(db.pools))[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('dead-letters a delivery whose last attempt died with its process', async () => {
    const one = await start(
      [{ name: 'test.once', on: ['test.crash'], maxAttempts: 1, handle: () => new Promise(() => {}) }],
      { leaseMs: 500, stopGraceMs: 20 },
    );
    await record('test.crash');
    await waitUntil('claimed', async () => (await deliveries(db.pools))[0]?.status === 'running');
    await one.stop();
    let ran = false;
    const two = await start(
      [
        {
          name: 'test.once',
          on: ['test.crash'],
          maxAttempts: 1,
          handle: async () => {
            ran = true;
          },
        },
      ],
      { leaseMs: 500 },
    );
    await waitUntil('dead', async () => (await deliveries(db.pools))[0]?.status === 'dead');
    expect(ran).toBe(false);
    expect((await deliveries(db.pools))[0]).toMatchObject({
      attempts: 2,
      last_error: 'lease expired before the handler finished',
    });
    expect(await counted([two.registry], 'mikrotik_events_dead_lettered_total')).toBe(1);
  });

  it('renews the lease of a long handler, so another process does not run it meanwhile', async () => {
    let runs = 0;
    const handler: EventHandler = {
      name: 'test.long',
      on: ['test.long'],
      handle: async () => {
        runs++;
        await sleep(1500);
      },
    };
    await start([handler], { leaseMs: 300 });
    await start([handler], { leaseMs: 300, systemPool: db.openPools().system });
    await record('test.long');
    await waitUntil('done', async () => (await deliveries(db.pools))[0]?.status === 'done');
    expect(runs).toBe(1);
    expect((await deliveries(db.pools))[0]).toMatchObject({ attempts: 1, last_error: null });
  });

  it('finishes the handlers in progress when stopped cleanly', async () => {
    let finished = 0;
    const d = await start([
      {
        name: 'test.graceful',
        on: ['*'],
        handle: async () => {
          await sleep(300);
          finished++;
        },
      },
    ]);
    await recordMany(db.pools, tenant, 5);
    await waitUntil('claimed', async () => (await deliveries(db.pools)).some((r) => r.status === 'running'));
    await d.stop();
    const rows = await deliveries(db.pools);
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(finished);
    expect(rows.some((r) => r.status === 'running')).toBe(false);
  });

  it('sends events live through the given mapper', async () => {
    const d = await start([], {
      toLive: (e) => (e.type === 'test.hidden' ? null : { type: 'custom', tenantId: e.tenantId!, id: e.id }),
    });
    const shown = await record('test.shown');
    await record('test.hidden');
    await waitUntil('both fanned out', async () => {
      const r = await db.pools.system.query('select count(*)::int as n from domain_events where dispatched_at is null');
      return r.rows[0].n === 0;
    });
    expect(d.live).toEqual([{ type: 'custom', tenantId: tenant, id: shown }]);
  });

  it('refuses handlers with a duplicate or malformed name, or no event type', async () => {
    const h = recorder('test.dup').make('x');
    await expect(start([h, h])).rejects.toThrow(/declared twice/);
    await expect(start([{ ...h, name: 'Bad Name' }])).rejects.toThrow(/not valid/);
    await expect(start([{ ...h, on: [] }])).rejects.toThrow(/no event type/);
  });
});
