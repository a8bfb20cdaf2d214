import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMemberships } from '../../src/features/catalog/scope.js';
import {
  devicesInMaintenance,
  maintenanceRepo,
} from '../../src/features/maintenance-windows/maintenance-windows.repo.js';
import { withSystem, withTenant } from '../../src/platform/db/tx.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  make = factories(ctx, s);
});
afterAll(() => ctx?.close());

type Window = {
  id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  recurrence: { freq: string; by_day?: string[]; until?: string } | null;
  timezone: string;
  scope: { kind: string; id?: string };
  scopes: { kind: string; id?: string }[];
  series_ends_at: string | null;
  active: boolean;
  current: { starts_at: string; ends_at: string } | null;
  next: { starts_at: string; ends_at: string } | null;
  policies: { update: boolean; delete: boolean };
};

const url = (tenant = s.a.id) => `/api/tenants/${tenant}/maintenance-windows`;
const body = (over: Record<string, unknown> = {}) => ({
  name: `w-${randomUUID().slice(0, 8)}`,
  starts_at: '2031-03-01T02:00:00+01:00',
  ends_at: '2031-03-01T04:00:00+01:00',
  timezone: 'Europe/Berlin',
  scope: { kind: 'organisation' },
  ...over,
});
const countOf = async (sql: string, values: unknown[]) => Number((await ctx.pools.owner.query(sql, values)).rows[0].n);

describe('maintenance windows API', () => {
  it('creates, reads, lists, updates and deletes; each write audited and recorded as an event', async () => {
    const op = apiAs(ctx, s, 'operator');
    const site = await make.site();
    const device = await make.device();
    const created = expectStatus<Window>(
      await op.post(url(), {
        ...body({ name: 'Nightly upgrades' }),
        scope: { kind: 'site', id: site.id },
        scopes: [
          { kind: 'device', id: device.id },
          { kind: 'site', id: site.id },
        ],
        recurrence: { freq: 'weekly', by_day: ['tu', 'sa'], until: '2031-06-30' },
      }),
      201,
    );
    expect(created).toMatchObject({
      name: 'Nightly upgrades',
      starts_at: '2031-03-01T01:00:00.000Z',
      ends_at: '2031-03-01T03:00:00.000Z',
      timezone: 'Europe/Berlin',
      recurrence: { freq: 'weekly', by_day: ['tu', 'sa'], until: '2031-06-30' },
      scope: { kind: 'site', id: site.id },
      scopes: [
        { kind: 'site', id: site.id },
        { kind: 'device', id: device.id },
      ],
      // Saturday 28 June 2031, 02:00–04:00 CEST.
      series_ends_at: '2031-06-28T02:00:00.000Z',
      active: false,
      current: null,
      next: { starts_at: '2031-03-01T01:00:00.000Z', ends_at: '2031-03-01T03:00:00.000Z' },
      policies: { update: true, delete: true },
    });

    const viewer = apiAs(ctx, s, 'viewer');
    const seen = expectStatus<Window>(await viewer.get(`${url()}/${created.id}`), 200);
    expect(seen.policies).toEqual({ update: false, delete: false });
    expect((await viewer.patch(`${url()}/${created.id}`, { name: 'x' })).statusCode).toBe(403);

    const updated = expectStatus<Window>(
      await op.patch(`${url()}/${created.id}`, {
        name: 'Weekend',
        recurrence: null,
        scopes: [{ kind: 'organisation' }],
      }),
      200,
    );
    expect(updated).toMatchObject({
      name: 'Weekend',
      recurrence: null,
      scopes: [{ kind: 'organisation' }],
      starts_at: created.starts_at,
      series_ends_at: created.ends_at,
    });

    expect((await op.delete(`${url()}/${created.id}`)).statusCode).toBe(204);
    expect((await op.get(`${url()}/${created.id}`)).statusCode).toBe(404);
    expect((await op.delete(`${url()}/${created.id}`)).statusCode).toBe(404);

    const audit = await ctx.pools.owner.query(
      `select action, actor_label from audit_logs where target_id = $1 and tenant_id = $2 order by seq`,
      [created.id, s.a.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'maintenance_window.create',
      'maintenance_window.update',
      'maintenance_window.delete',
    ]);
    const events = await ctx.pools.owner.query(
      `select type, actor, payload from domain_events where payload->>'window_id' = $1 order by id`,
      [created.id],
    );
    expect(events.rows.map((r) => r.type)).toEqual([
      'maintenance.window_created',
      'maintenance.window_updated',
      'maintenance.window_deleted',
    ]);
    expect(events.rows[0].actor).toMatchObject({ type: 'user', id: s.a.users.operator.id });
    expect(events.rows[2].payload).toMatchObject({ name: 'Weekend', scopes: [{ kind: 'organisation' }] });
  });

  it('lists in pages, newest first, with a name search', async () => {
    const admin = apiAs(ctx, s, 'admin', s.b);
    const tag = randomUUID().slice(0, 6);
    for (const day of ['01', '02', '03'])
      expectStatus(
        await admin.post(
          url(s.b.id),
          body({
            name: `page-${tag}-${day}`,
            starts_at: `2032-01-${day}T00:00:00Z`,
            ends_at: `2032-01-${day}T01:00:00Z`,
          }),
        ),
        201,
      );
    const first = expectStatus<{ items: Window[]; total: number; limit: number; offset: number }>(
      await admin.get(`${url(s.b.id)}?search=page-${tag}&limit=2`),
      200,
    );
    expect(first.total).toBe(3);
    expect(first.items.map((w) => w.name)).toEqual([`page-${tag}-03`, `page-${tag}-02`]);
    const second = expectStatus<{ items: Window[] }>(
      await admin.get(`${url(s.b.id)}?search=page-${tag}&limit=2&offset=2`),
      200,
    );
    expect(second.items.map((w) => w.name)).toEqual([`page-${tag}-01`]);
  });

  it('says whether a window is open now and which occurrence comes next', async () => {
    const now = Date.now();
    const open = expectStatus<Window>(
      await apiAs(ctx, s, 'operator').post(
        url(),
        body({
          starts_at: new Date(now - 3_600_000).toISOString(),
          ends_at: new Date(now + 3_600_000).toISOString(),
          timezone: 'UTC',
          recurrence: { freq: 'daily' },
        }),
      ),
      201,
    );
    expect(open.active).toBe(true);
    expect(open.current).toEqual({ starts_at: open.starts_at, ends_at: open.ends_at });
    expect(open.next?.starts_at).toBe(new Date(new Date(open.starts_at).getTime() + 86_400_000).toISOString());
    // The next two weeks for a calendar: each day's occurrence, the open one aside.
    const upcoming = (open as Window & { upcoming: Array<{ starts_at: string }> }).upcoming;
    expect(upcoming).toHaveLength(14);
    expect(upcoming[0]?.starts_at).toBe(open.next?.starts_at);
  });

  it('refuses bad windows with stable codes and stores nothing, audits nothing', async () => {
    const op = apiAs(ctx, s, 'operator');
    const code = async (b: object) => {
      const r = await op.post(url(), b);
      expect(r.statusCode, r.body).toBe(422);
      return r.json().code as string;
    };
    // Another organisation's group is as unknown as a made-up one.
    const theirs = await factories(ctx, s, s.b).deviceGroup();
    const mine = await make.deviceGroup();
    const before = await countOf(`select count(*) as n from maintenance_windows where tenant_id = $1`, [s.a.id]);
    const audits = await countOf(`select count(*) as n from audit_logs where tenant_id = $1`, [s.a.id]);
    expect(await code(body({ ends_at: '2031-03-01T01:00:00+01:00' }))).toBe('invalid_window');
    expect(await code(body({ timezone: 'Europe/Atlantis' }))).toBe('invalid_timezone');
    expect(await code(body({ recurrence: { freq: 'daily', by_day: ['mo'] } }))).toBe('invalid_recurrence');
    expect(await code(body({ recurrence: { freq: 'daily' }, ends_at: '2031-03-02T04:00:00+01:00' }))).toBe(
      'invalid_window',
    );
    expect(await code(body({ scope: { kind: 'device', id: randomUUID() } }))).toBe('scope_not_found');
    expect(
      await code(
        body({
          scope: undefined,
          scopes: [
            { kind: 'group', id: mine.id },
            { kind: 'group', id: theirs.id },
          ],
        }),
      ),
    ).toBe('scope_not_found');
    expect(await code(body({ scope: undefined }))).toBe('validation_failed');
    expect(
      await code(body({ scope: undefined, scopes: Array.from({ length: 101 }, () => ({ kind: 'organisation' })) })),
    ).toBe('validation_failed');
    expect(await code(body({ starts_at: '2031-03-01T02:00:00' }))).toBe('validation_failed');
    expect(await code(body({ scope: { kind: 'site' } }))).toBe('validation_failed');
    expect(await code(body({ recurrence: { freq: 'monthly' } }))).toBe('validation_failed');
    expect(await countOf(`select count(*) as n from maintenance_windows where tenant_id = $1`, [s.a.id])).toBe(before);
    expect(await countOf(`select count(*) as n from audit_logs where tenant_id = $1`, [s.a.id])).toBe(audits);
  });

  it('checks an update against what is stored', async () => {
    const op = apiAs(ctx, s, 'operator');
    const w = expectStatus<Window>(await op.post(url(), body()), 201);
    const r = await op.patch(`${url()}/${w.id}`, { ends_at: '2031-03-01T00:00:00Z' });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('invalid_window');
    expect((await op.patch(`${url()}/${w.id}`, { recurrence: { freq: 'daily', by_day: ['mo'] } })).json().code).toBe(
      'invalid_recurrence',
    );
    expect((await op.patch(`${url()}/${w.id}`, {})).statusCode).toBe(422);
    const later = expectStatus<Window>(
      await op.patch(`${url()}/${w.id}`, { starts_at: '2031-03-01T03:00:00+01:00', timezone: 'America/New_York' }),
      200,
    );
    expect(later).toMatchObject({
      starts_at: '2031-03-01T02:00:00.000Z',
      ends_at: w.ends_at,
      timezone: 'America/New_York',
    });
  });

  it("another organisation's window is not found under this one's path, and RLS hides it in the database", async () => {
    const theirs = expectStatus<Window>(await apiAs(ctx, s, 'admin', s.b).post(url(s.b.id), body()), 201);
    const admin = apiAs(ctx, s, 'admin');
    expect((await admin.get(`${url()}/${theirs.id}`)).statusCode).toBe(404);
    expect((await admin.patch(`${url()}/${theirs.id}`, { name: 'hijack' })).statusCode).toBe(404);
    expect((await admin.delete(`${url()}/${theirs.id}`)).statusCode).toBe(404);
    const list = expectStatus<{ items: Window[] }>(await admin.get(`${url()}?limit=500`), 200);
    expect(list.items.map((w) => w.id)).not.toContain(theirs.id);
    const rows = await withTenant(ctx.pools.app, s.a.id, (db) =>
      db.query('select id from maintenance_windows where id = $1', [theirs.id]),
    );
    expect(rows.rowCount).toBe(0);
    expect(expectStatus<Window>(await apiAs(ctx, s, 'viewer', s.b).get(`${url(s.b.id)}/${theirs.id}`), 200).name).toBe(
      theirs.name,
    );
  });
});

describe('devices in maintenance', () => {
  it('maps each covered device to the windows open at an instant, per tenant', async () => {
    // A tenant of its own, so the seed's other windows do not take part.
    const tenantId = expectStatus<{ id: string }>(
      await apiAs(ctx, s, 'super_admin').post('/api/tenants', { name: `maint ${randomUUID()}` }),
      201,
    ).id;
    const sup = apiAs(ctx, s, 'super_admin');
    const base = `/api/tenants/${tenantId}`;
    const mk = async (segment: string, b: object) =>
      expectStatus<{ id: string }>(await sup.post(`${base}/${segment}`, b), 201).id;
    const site = await mk('sites', { name: 'Berlin' });
    const group = await mk('device-groups', { name: 'Core' });
    const tag = await mk('device-tags', { name: 'edge' });
    const device = (n: number, over: object) =>
      mk('devices?probe=false', {
        name: `r${n}`,
        host: '127.0.0.1',
        port: 900 + n,
        tls_port: 1,
        username: 'a',
        password: 'x',
        ...over,
      });
    const inSite = await device(1, { site_id: site });
    const inGroup = await device(2, { group_ids: [group] });
    const tagged = await device(3, { tag_ids: [tag] });
    const alone = await device(4, {});
    const w = async (b: Record<string, unknown>) =>
      expectStatus<{ id: string }>(await sup.post(`${base}/maintenance-windows`, body(b)), 201).id;
    const once = await w({
      starts_at: '2030-01-01T00:00:00Z',
      ends_at: '2030-01-01T02:00:00Z',
      scope: { kind: 'site', id: site },
    });
    const nightly = await w({
      starts_at: '2029-12-01T01:00:00Z',
      ends_at: '2029-12-01T03:00:00Z',
      timezone: 'UTC',
      recurrence: { freq: 'daily' },
      scope: undefined,
      scopes: [
        { kind: 'group', id: group },
        { kind: 'site', id: site },
      ],
    });
    await w({ starts_at: '2030-01-01T05:00:00Z', ends_at: '2030-01-01T06:00:00Z', scope: { kind: 'tag', id: tag } });
    // Another tenant's organisation-wide window at the same time covers none of these devices.
    await apiAs(ctx, s, 'admin', s.b).post(
      url(s.b.id),
      body({ starts_at: '2030-01-01T00:00:00Z', ends_at: '2030-01-02T00:00:00Z' }),
    );

    const inTenant = (at: string) =>
      withTenant(ctx.pools.app, tenantId, async (db) =>
        devicesInMaintenance(db, await loadMemberships(db, null), new Date(at)),
      );
    const sorted = (m: Map<string, string[]>) => new Map([...m].map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(await inTenant('2030-01-01T01:30:00Z'))).toEqual(
      new Map([
        [inSite, [once, nightly].sort()],
        [inGroup, [nightly]],
      ]),
    );
    expect(await inTenant('2030-01-01T02:30:00Z')).toEqual(
      new Map([
        [inSite, [nightly]],
        [inGroup, [nightly]],
      ]),
    );
    expect(await inTenant('2030-01-01T05:00:00Z')).toEqual(new Map([[tagged, expect.any(Array)]]));
    expect(await inTenant('2030-01-01T04:00:00Z')).toEqual(new Map());
    expect((await inTenant('2030-01-01T05:30:00Z')).has(alone)).toBe(false);

    // On the system pool (the alert evaluation's), the tenant id keeps other tenants' windows out.
    const viaSystem = await withSystem(ctx.pools.system, async (db) => {
      const members = await withTenant(ctx.pools.app, tenantId, (t) => loadMemberships(t, null));
      return devicesInMaintenance(db, members, new Date('2030-01-01T02:30:00Z'), tenantId);
    });
    expect(viaSystem).toEqual(
      new Map([
        [inSite, [nightly]],
        [inGroup, [nightly]],
      ]),
    );

    const active = await withTenant(ctx.pools.app, tenantId, (db) =>
      maintenanceRepo.activeAt(db, new Date('2030-01-01T01:30:00Z')),
    );
    expect(active.map((a) => a.id).sort()).toEqual([once, nightly].sort());
    expect(active.find((a) => a.id === nightly)).toMatchObject({
      tenantId,
      occurrence: { start: new Date('2030-01-01T01:00:00Z'), end: new Date('2030-01-01T03:00:00Z') },
    });
  });
});
