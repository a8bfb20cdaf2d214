import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { bareDevice, headersFor, type Seed, seed } from '../helpers/seed.js';

// The device event log's API (GET …/events): filters, newest-first paging by id, the device's name, tenancy.
let ctx: TestContext;
let s: Seed;
let router: string;
let other: string;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const device = (tenant: string, name: string) => bareDevice(ctx, tenant, name);
  router = await device(s.a.id, 'edge-1');
  other = await device(s.b.id, 'elsewhere');
  const event = (tenant: string, deviceId: string, type: string, severity: string, at: string) =>
    ctx.pools.owner.query(
      `insert into events (tenant_id, device_id, type, severity, message, details, created_at)
       values ($1, $2, $3, $4, $3, '{"k": 1}', $5)`,
      [tenant, deviceId, type, severity, at],
    );
  await event(s.a.id, router, 'device.online', 'info', '2025-01-01T00:00:00Z');
  await event(s.a.id, router, 'device.offline', 'warning', '2025-01-02T00:00:00Z');
  await event(s.a.id, router, 'device.rebooted', 'warning', '2025-01-03T00:00:00Z');
  await event(s.b.id, other, 'device.offline', 'critical', '2025-01-02T00:00:00Z');
});
afterAll(() => ctx?.close());

const list = async (query = '') => {
  const r = await ctx.app.inject({ url: `/api/tenants/${s.a.id}/events${query}`, headers: headersFor(s, 'viewer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    items: { id: number; device_id: string; device_name: string; type: string; created_at: string }[];
    next_before: number | null;
  };
};

describe('device events API', () => {
  it('lists the tenant’s events newest first, with the device’s name', async () => {
    const b = await list();
    expect(b.items.map((e) => e.type)).toEqual(['device.rebooted', 'device.offline', 'device.online']);
    expect(b.items[0]).toMatchObject({
      device_id: router,
      device_name: 'edge-1',
      severity: 'warning',
      details: { k: 1 },
      created_at: '2025-01-03T00:00:00.000Z',
    });
    expect(typeof b.items[0]!.id).toBe('number');
    expect(b.next_before).toBeNull();
  });

  it('filters by type, severity, device and time', async () => {
    expect((await list('?type=device.offline')).items.map((e) => e.device_name)).toEqual(['edge-1']);
    expect((await list('?severity=warning')).items.map((e) => e.type)).toEqual(['device.rebooted', 'device.offline']);
    expect((await list(`?device_id=${other}`)).items).toEqual([]);
    const window = await list('?from=2025-01-02T00:00:00Z&to=2025-01-03T00:00:00Z');
    expect(window.items.map((e) => e.type)).toEqual(['device.offline']);
  });

  it('pages by id with next_before', async () => {
    const first = await list('?limit=2');
    expect(first.items.map((e) => e.type)).toEqual(['device.rebooted', 'device.offline']);
    expect(first.next_before).toBe(first.items[1]!.id);
    const rest = await list(`?limit=2&before=${first.next_before}`);
    expect(rest.items.map((e) => e.type)).toEqual(['device.online']);
    expect(rest.next_before).toBeNull();
  });
});
