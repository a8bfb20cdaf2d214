import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventDispatcher } from '../../src/platform/events/dispatcher.js';
import { deleteOldEvents, eventRetentionSchedule } from '../../src/platform/events/maintenance.js';
import { deliveries, type EventsDb, log, openEventsDb, recordMany, waitUntil } from './helpers.js';

// Retention: delivered events go after `days`, dead letters and anything stuck after `deadLetterDays`.

let db: EventsDb;
beforeAll(async () => {
  db = await openEventsDb();
});
afterAll(() => db?.close());

const DAY = 86_400_000;
const remaining = async () =>
  (await db.pools.system.query('select type from domain_events order by id')).rows.map((r) => r.type);

describe('event retention', () => {
  it('deletes delivered events after N days and keeps dead letters and undispatched ones longer', async () => {
    const tenant = await db.createTenant();
    const d = await startEventDispatcher({
      systemPool: db.pools.system,
      log,
      registry: new Registry(),
      pollMs: 50,
      handlers: [
        { name: 'test.ok', on: ['test.ok'], handle: async () => {} },
        {
          name: 'test.bad',
          on: ['test.bad'],
          maxAttempts: 1,
          handle: async () => {
            throw new Error('broken');
          },
        },
      ],
    });
    await recordMany(db.pools, tenant, 1, 'test.ok');
    await recordMany(db.pools, tenant, 1, 'test.bad');
    await recordMany(db.pools, tenant, 1, 'test.unhandled');
    await waitUntil('settled', async () => {
      const rows = await deliveries(db.pools);
      return rows.length === 2 && rows.every((r) => r.status === 'done' || r.status === 'dead');
    });
    await d.stop();
    await recordMany(db.pools, tenant, 1, 'test.waiting'); // no worker runs: never dispatched

    const now = Date.now();
    expect(await deleteOldEvents(db.pools.system, { days: 7, deadLetterDays: 30, now: new Date(now + DAY) })).toBe(0);
    expect(await deleteOldEvents(db.pools.system, { days: 7, deadLetterDays: 30, now: new Date(now + 8 * DAY) })).toBe(
      2,
    );
    expect(await remaining()).toEqual(['test.bad', 'test.waiting']);
    expect(await deleteOldEvents(db.pools.system, { days: 7, deadLetterDays: 30, now: new Date(now + 31 * DAY) })).toBe(
      2,
    );
    expect(await remaining()).toEqual([]);
    expect(await deliveries(db.pools)).toEqual([]);
  });

  it('is a worker schedule', async () => {
    const s = eventRetentionSchedule({ systemPool: db.pools.system, days: 3 });
    expect(s).toMatchObject({ name: 'events.retention', everyMs: 3_600_000 });
    await expect(s.run()).resolves.toBe(0);
  });
});
