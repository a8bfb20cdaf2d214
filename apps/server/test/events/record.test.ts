import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/auth/principal.js';
import { type Db, withSystem, withTenant } from '../../src/platform/db/tx.js';
import { eventActor, recordEvent, recordEvents } from '../../src/platform/events/record.js';
import { type EventsDb, openEventsDb, recordMany, sleep, waitUntil } from './helpers.js';

// Recording: one insert in the caller's transaction, so an event exists iff the change committed; tenant-owned
// under row-level security for the `app` role.

let db: EventsDb;
let a: string;
let b: string;
beforeAll(async () => {
  db = await openEventsDb();
  a = await db.createTenant();
  b = await db.createTenant();
});
afterAll(() => db?.close());

const count = async (where = 'true', values: unknown[] = []) =>
  (await db.pools.system.query(`select count(*)::int as n from domain_events where ${where}`, values)).rows[0].n;

describe('recordEvent', () => {
  it('writes the event with the change when the transaction commits, and nothing when it rolls back', async () => {
    const id = await withTenant(db.pools.app, a, async (c) => {
      await c.query("update tenants set description = 'changed' where id = $1", [a]);
      return recordEvent(c, { type: 'tenant.updated', tenantId: a, payload: { field: 'description' } });
    });
    const row = (await db.pools.system.query('select * from domain_events where id = $1', [id])).rows[0];
    expect(row).toMatchObject({ tenant_id: a, type: 'tenant.updated', payload: { field: 'description' } });
    expect(row.dispatched_at).toBeNull();

    let rolledBack: string | undefined;
    await expect(
      withTenant(db.pools.app, a, async (c) => {
        rolledBack = await recordEvent(c, { type: 'tenant.updated', tenantId: a, payload: null });
        await c.query("update tenants set description = 'again' where id = $1", [a]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(rolledBack).toBeDefined();
    expect(await count('id = $1', [rolledBack])).toBe(0);
    expect(
      (await db.pools.system.query('select description from tenants where id = $1', [a])).rows[0].description,
    ).toBe('changed');
  });

  it('keeps any JSON payload, the device, the actor and the time it happened', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const device = '0b7f7c62-6f2d-4a3e-9a59-0e0d6c2b4c11';
    const ids = await withTenant(db.pools.app, a, async (c) => [
      await recordEvent(c, {
        type: 'device.rebooted',
        tenantId: a,
        deviceId: device,
        payload: 'a string',
        actor: eventActor(systemActor('poller', a)),
        occurredAt: at,
      }),
      ...(await recordEvents(c, [
        { type: 'device.rebooted', tenantId: a, payload: [1, 'two', { three: 3 }], occurredAt: at.toISOString() },
        { type: 'device.rebooted', tenantId: a, payload: null },
        { type: 'device.rebooted', tenantId: a, payload: 'text' },
      ])),
    ]);
    const rows = (
      await db.pools.system.query(
        'select id, payload, device_id, actor, occurred_at from domain_events where id = any($1)',
        [ids],
      )
    ).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[0])).toMatchObject({
      payload: 'a string',
      device_id: device,
      actor: { type: 'system', id: null, label: 'system:poller' },
      occurred_at: at,
    });
    expect(byId.get(ids[1])).toMatchObject({ payload: [1, 'two', { three: 3 }], occurred_at: at, actor: null });
    expect(byId.get(ids[2])?.payload).toBeNull();
    expect(byId.get(ids[3])?.payload).toBe('text');
  });

  it('records a batch with one statement, in order, with time-ordered ids', async () => {
    const statements: string[] = [];
    const ids = await withTenant(db.pools.app, a, async (c) => {
      const spy = {
        query: (q: pg.QueryConfig) => {
          statements.push(q.text);
          return c.query(q);
        },
      } as unknown as Db;
      return recordEvents(
        spy,
        Array.from({ length: 500 }, (_, i) => ({ type: 'test.batch', tenantId: a, payload: { i } })),
      );
    });
    expect(statements).toHaveLength(1);
    expect(ids).toHaveLength(500);
    expect([...ids].sort()).toEqual(ids);
    expect(await count("type = 'test.batch'")).toBe(500);
    const order = (
      await db.pools.system.query(
        "select (payload->>'i')::int as i from domain_events where type = 'test.batch' order by id",
      )
    ).rows.map((r) => r.i);
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('refuses a malformed event type before it reaches the database', async () => {
    for (const type of ['', 'Device.rebooted', 'device..rebooted', 'device.', 'x'.repeat(65), 'a b'])
      await expect(
        withTenant(db.pools.app, a, (c) => recordEvent(c, { type, tenantId: a, payload: null })),
      ).rejects.toThrow(/invalid event type/);
  });

  it('global events (no tenant) need the system role', async () => {
    await expect(
      withTenant(db.pools.app, a, (c) => recordEvent(c, { type: 'platform.started', tenantId: null, payload: null })),
    ).rejects.toThrow(/row-level security/);
    const id = await withSystem(db.pools.system, (c) =>
      recordEvent(c, { type: 'platform.started', tenantId: null, payload: null }),
    );
    expect(await count('id = $1 and tenant_id is null', [id])).toBe(1);
  });
});

describe('the commit notification', () => {
  it('notifies for the first event after a quiet spell only (a NOTIFY serialises commits)', async () => {
    const listener = await db.pools.system.connect();
    const heard: number[] = [];
    listener.on('notification', (n) => {
      if (n.channel === 'tod_domain_events') heard.push(Date.now());
    });
    await listener.query('listen tod_domain_events');
    try {
      await sleep(300);
      await recordMany(db.pools, a, 1); // quiet before: notifies
      await waitUntil('first notification', () => heard.length === 1, 3000);
      await recordMany(db.pools, b, 1); // another tenant's event moments ago: no notification
      await recordMany(db.pools, a, 3);
      await sleep(150);
      expect(heard).toHaveLength(1);
      await sleep(300);
      await recordMany(db.pools, b, 2); // quiet again
      await waitUntil('second notification', () => heard.length === 2, 3000);
      // Nothing is sent for a transaction that rolls back.
      await sleep(300);
      await withTenant(db.pools.app, a, async (c) => {
        await recordEvent(c, { type: 'test.rolled_back', tenantId: a, payload: null });
        throw new Error('no');
      }).catch(() => {});
      await sleep(300);
      expect(heard).toHaveLength(2);
    } finally {
      await listener.query('unlisten tod_domain_events');
      listener.release();
    }
  });
});

describe('row-level security as the app role', () => {
  // The app pool connects as the real `app` role (NOBYPASSRLS; test/platform/rls.test.ts checks the role itself).
  const asTenant = <T>(tenant: string | null, fn: (c: pg.PoolClient) => Promise<T>) =>
    withTenant(db.pools.app, tenant, fn);

  it("tenant A sees only its own events, never B's, and none without a tenant", async () => {
    await recordMany(db.pools, a, 3, 'test.rls');
    await recordMany(db.pools, b, 2, 'test.rls');
    const seen = (c: pg.PoolClient) =>
      c.query("select tenant_id, count(*)::int as n from domain_events where type = 'test.rls' group by 1");
    expect((await asTenant(a, seen)).rows).toEqual([{ tenant_id: a, n: 3 }]);
    expect((await asTenant(b, seen)).rows).toEqual([{ tenant_id: b, n: 2 }]);
    expect((await asTenant(null, (c) => c.query('select count(*)::int as n from domain_events'))).rows[0].n).toBe(0);
  });

  it('tenant A cannot record an event for B, nor change or delete events, nor read deliveries', async () => {
    await expect(
      asTenant(a, (c) =>
        c.query("insert into domain_events (id, tenant_id, type) values (gen_random_uuid(), $1, 'test.x')", [b]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(asTenant(a, (c) => c.query("update domain_events set payload = '1'"))).rejects.toThrow(
      /permission denied/,
    );
    await expect(asTenant(a, (c) => c.query('delete from domain_events'))).rejects.toThrow(/permission denied/);
    await expect(asTenant(a, (c) => c.query('select * from domain_event_deliveries'))).rejects.toThrow(
      /permission denied/,
    );
  });
});
