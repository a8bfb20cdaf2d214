import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// Sites as features/sites serves them: the list's counts, one site's health, a full replace, and putting devices
// in and out of a site (one, or up to 1,000 all or nothing), through the API as the roles that use them.

let ctx: TestContext;
let s: Seed;
let make: ReturnType<typeof factories>;
let makeB: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  make = factories(ctx, s);
  makeB = factories(ctx, s, s.b);
});
afterAll(() => ctx?.close());

type Health = {
  device_count: number;
  devices_by_status: Record<'online' | 'degraded' | 'offline' | 'unknown', number>;
  active_alerts: { critical: number; warning: number; info: number; total: number };
  sector_count: number;
  last_status_change_at: string | null;
  last_change_at: string;
};
type Site = {
  id: string;
  name: string;
  address: string;
  latitude: number | null;
  device_count: number;
  offline_count: number;
  sector_count: number;
  policies: Record<string, boolean>;
  health: Health;
};
type Page<T> = { items: T[]; total: number };
type Assignment = { device_id: string; site_id: string | null; sector_id: string | null };

const url = (path = '', tenant = s.a.id) => `/api/tenants/${tenant}/sites${path}`;
/** Ingest writes a device's status; here the test does, as the system role. */
const setStatus = (id: string, status: string, since = new Date()) =>
  ctx.pools.system.query('update devices set status = $2, status_since = $3 where id = $1', [id, status, since]);
const alert = (deviceId: string, tenantId: string, severity: string, state: string) =>
  ctx.pools.system.query(
    `insert into alert_events (id, tenant_id, device_id, rule_name, metric, operator, threshold, severity, state, started_at)
     values (gen_random_uuid(), $1, $2, 'CPU', 'cpu_load', '>', 90, $3, $4, now())`,
    [tenantId, deviceId, severity, state],
  );
const placeOf = async (id: string) =>
  (
    await ctx.pools.owner.query<{ site_id: string | null; sector_id: string | null }>(
      'select site_id, sector_id from devices where id = $1',
      [id],
    )
  ).rows[0]!;
const auditCount = async (action: string, targetId: string) =>
  Number(
    (
      await ctx.pools.owner.query('select count(*) as n from audit_logs where action = $1 and target_id = $2', [
        action,
        targetId,
      ])
    ).rows[0].n,
  );
const newSector = async (siteId: string, over: Record<string, unknown> = {}) =>
  expectStatus<{ id: string }>(
    await apiAs(ctx, s, 'operator').post(url(`/${siteId}/sectors`), {
      name: `sec-${randomUUID().slice(0, 8)}`,
      azimuth: 0,
      width: 90,
      ...over,
    }),
    201,
  );

describe('site list and health', () => {
  it('lists each site with its device, offline and sector counts, and never another tenant’s', async () => {
    const site = await make.site({ name: `count-${randomUUID().slice(0, 8)}` });
    const empty = await make.site({ name: `${site.name}-empty` });
    const [a, b, c] = [
      await make.device({ site_id: site.id }),
      await make.device({ site_id: site.id }),
      await make.device(),
    ];
    await setStatus(a.id, 'offline');
    await setStatus(b.id, 'online');
    await setStatus(c.id, 'offline');
    await newSector(site.id);
    await makeB.site({ name: `${site.name}-b` });
    const page = expectStatus<Page<Site>>(
      await apiAs(ctx, s, 'viewer').get(url(`?search=${encodeURIComponent(site.name)}`)),
      200,
    );
    expect(page.items.map((x) => [x.name, x.device_count, x.offline_count, x.sector_count])).toEqual([
      [site.name, 2, 1, 1],
      [empty.name, 0, 0, 0],
    ]);
    expect(page.total).toBe(2);
    expect(page.items[0]!.policies).toEqual({ 'inventory.write': false, 'inventory.delete': false });
  });

  it('rolls up devices by status, active alerts by severity, sectors and the last change', async () => {
    const site = await make.site();
    const devices = await Promise.all([1, 2, 3, 4, 5].map(() => make.device({ site_id: site.id })));
    const outside = await make.device();
    const changed = new Date(Date.now() + 60_000);
    await setStatus(devices[0]!.id, 'online');
    await setStatus(devices[1]!.id, 'online');
    await setStatus(devices[2]!.id, 'degraded');
    await setStatus(devices[3]!.id, 'offline', changed);
    await alert(devices[0]!.id, s.a.id, 'critical', 'firing');
    await alert(devices[2]!.id, s.a.id, 'warning', 'acknowledged');
    await alert(devices[2]!.id, s.a.id, 'warning', 'firing');
    await alert(devices[3]!.id, s.a.id, 'info', 'resolved');
    await alert(outside.id, s.a.id, 'critical', 'firing');
    await newSector(site.id);
    await newSector(site.id);

    const got = expectStatus<Site>(await apiAs(ctx, s, 'viewer').get(url(`/${site.id}`)), 200);
    expect(got.device_count).toBe(5);
    expect(got.health).toEqual({
      device_count: 5,
      devices_by_status: { online: 2, degraded: 1, offline: 1, unknown: 1 },
      active_alerts: { critical: 1, warning: 2, info: 0, total: 3 },
      sector_count: 2,
      last_status_change_at: changed.toISOString(),
      last_change_at: changed.toISOString(),
    });

    const none = await make.site();
    const bare = expectStatus<Site>(await apiAs(ctx, s, 'viewer').get(url(`/${none.id}`)), 200);
    expect(bare.health.devices_by_status).toEqual({ online: 0, degraded: 0, offline: 0, unknown: 0 });
    expect(bare.health.last_status_change_at).toBeNull();
    expect(bare.health.last_change_at).toBe(none.updated_at);
  });

  it('answers 404 for another organisation’s site under this organisation’s path, and for a bad id 422', async () => {
    const theirs = await makeB.site();
    for (const caller of ['viewer', 'admin'] as const) {
      const r = await apiAs(ctx, s, caller).get(url(`/${theirs.id}`));
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('not_found');
    }
    const bad = await apiAs(ctx, s, 'viewer').get(url('/not-a-uuid'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('validation_failed');
  });
});

describe('replacing a site (PUT)', () => {
  it('sets every field, defaults for those left out, as an operator; a viewer is refused', async () => {
    const site = await make.site({ address: 'Old road 1', latitude: 10, longitude: 20 });
    const put = { name: `${site.name}-new`, address: 'Tower road 2' };
    expect((await apiAs(ctx, s, 'viewer').put(url(`/${site.id}`), put)).statusCode).toBe(403);
    const got = expectStatus<Site>(await apiAs(ctx, s, 'operator').put(url(`/${site.id}`), put), 200);
    expect(got).toMatchObject({ name: put.name, address: 'Tower road 2', latitude: null });
    expect(got.health.device_count).toBe(0);
    expect(await auditCount('sites.update', site.id)).toBe(1);
    // PATCH changes only the fields sent.
    const patched = expectStatus<Site>(await apiAs(ctx, s, 'operator').patch(url(`/${site.id}`), { latitude: 5 }), 200);
    expect(patched).toMatchObject({ name: put.name, latitude: 5, device_count: 0, offline_count: 0, sector_count: 0 });
  });

  it('creates a site as an operator, answering with its counts, audited; a viewer is refused', async () => {
    const body = { name: `new-${randomUUID().slice(0, 8)}`, latitude: 1.5, longitude: 2.5 };
    expect((await apiAs(ctx, s, 'viewer').post(url(), body)).statusCode).toBe(403);
    const created = expectStatus<Site>(await apiAs(ctx, s, 'operator').post(url(), body), 201);
    expect(created).toMatchObject({ ...body, address: '', device_count: 0, offline_count: 0, sector_count: 0 });
    expect(created.policies).toEqual({ 'inventory.write': true, 'inventory.delete': false });
    expect(await auditCount('sites.create', created.id)).toBe(1);
    const dup = await apiAs(ctx, s, 'operator').post(url(), { name: body.name });
    expect(dup.json().code).toBe('name_taken');
  });

  it('refuses a taken name, a missing name, and another organisation’s site', async () => {
    const [one, two] = [await make.site(), await make.site()];
    const op = apiAs(ctx, s, 'operator');
    const dup = await op.put(url(`/${two.id}`), { name: one.name.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('name_taken');
    expect((await op.put(url(`/${two.id}`), { address: 'x' })).statusCode).toBe(422);
    expect((await op.put(url(`/${two.id}`), { name: 'x', latitude: 91 })).statusCode).toBe(422);
    const theirs = await makeB.site();
    expect((await apiAs(ctx, s, 'admin').put(url(`/${theirs.id}`), { name: 'hijack' })).statusCode).toBe(404);
    expect((await ctx.pools.owner.query('select name from sites where id = $1', [theirs.id])).rows[0].name).toBe(
      theirs.name,
    );
  });
});

describe('device assignment', () => {
  it('puts a device in a site as an operator, audited; moving it from another site leaves its sector', async () => {
    const [from, to] = [await make.site(), await make.site()];
    const device = await make.device({ site_id: from.id });
    const sector = await newSector(from.id);
    expectStatus(
      await apiAs(ctx, s, 'operator').put(`/api/tenants/${s.a.id}/devices/${device.id}/sector`, {
        sector_id: sector.id,
      }),
      200,
    );
    expect((await apiAs(ctx, s, 'viewer').post(url(`/${to.id}/devices/${device.id}`))).statusCode).toBe(403);

    const moved = expectStatus<Assignment>(
      await apiAs(ctx, s, 'operator').post(url(`/${to.id}/devices/${device.id}`)),
      200,
    );
    expect(moved).toEqual({ device_id: device.id, site_id: to.id, sector_id: null });
    expect(await placeOf(device.id)).toEqual({ site_id: to.id, sector_id: null });
    expect(await auditCount('sites.device_assign', to.id)).toBe(1);
    // Again: nothing changes, nothing more is audited.
    expectStatus(await apiAs(ctx, s, 'operator').post(url(`/${to.id}/devices/${device.id}`)), 200);
    expect(await auditCount('sites.device_assign', to.id)).toBe(1);
    const shown = expectStatus<{ site_id: string; sector_id: string | null }>(
      await apiAs(ctx, s, 'viewer').get(`/api/tenants/${s.a.id}/devices/${device.id}`),
      200,
    );
    expect(shown).toMatchObject({ site_id: to.id, sector_id: null });
  });

  it('answers 404 for another organisation’s device or site, and changes nothing', async () => {
    const site = await make.site();
    const mine = await make.device();
    const [theirSite, theirDevice] = [await makeB.site(), await makeB.device()];
    const op = apiAs(ctx, s, 'admin');
    for (const path of [
      `/${site.id}/devices/${theirDevice.id}`,
      `/${theirSite.id}/devices/${mine.id}`,
      `/${randomUUID()}/devices/${mine.id}`,
    ]) {
      expect((await op.post(url(path))).statusCode, path).toBe(404);
      expect((await op.delete(url(path))).statusCode, path).toBe(404);
    }
    expect((await placeOf(theirDevice.id)).site_id).toBeNull();
    expect((await placeOf(mine.id)).site_id).toBeNull();
    expect((await op.post(url(`/${site.id}/devices/nope`))).statusCode).toBe(422);
  });

  it('takes a device out of its site (and sector); a device not in that site is left as it is', async () => {
    const [site, other] = [await make.site(), await make.site()];
    const inSite = await make.device({ site_id: site.id });
    const elsewhere = await make.device({ site_id: other.id });
    const nowhere = await make.device();
    const sector = await newSector(site.id);
    await apiAs(ctx, s, 'operator').put(`/api/tenants/${s.a.id}/devices/${inSite.id}/sector`, { sector_id: sector.id });
    const op = apiAs(ctx, s, 'operator');
    expect((await apiAs(ctx, s, 'viewer').delete(url(`/${site.id}/devices/${inSite.id}`))).statusCode).toBe(403);
    expect((await op.delete(url(`/${site.id}/devices/${inSite.id}`))).statusCode).toBe(204);
    expect(await placeOf(inSite.id)).toEqual({ site_id: null, sector_id: null });
    expect((await op.delete(url(`/${site.id}/devices/${inSite.id}`))).statusCode).toBe(204);
    expect((await op.delete(url(`/${site.id}/devices/${elsewhere.id}`))).statusCode).toBe(204);
    expect((await op.delete(url(`/${site.id}/devices/${nowhere.id}`))).statusCode).toBe(204);
    expect((await placeOf(elsewhere.id)).site_id).toBe(other.id);
    expect(await auditCount('sites.device_unassign', site.id)).toBe(1);
  });
});

describe('bulk assignment', () => {
  it('puts many devices in a site at once, each once, counting those moved from another site', async () => {
    const [site, other] = [await make.site(), await make.site()];
    const a = await make.device();
    const b = await make.device({ site_id: other.id });
    const c = await make.device({ site_id: site.id });
    const r = expectStatus(
      await apiAs(ctx, s, 'operator').post(url(`/${site.id}/devices/bulk-assign`), {
        device_ids: [a.id, b.id, c.id, a.id],
      }),
      200,
    );
    expect(r).toEqual({ site_id: site.id, assigned: 3, moved: 1 });
    for (const d of [a, b, c]) expect((await placeOf(d.id)).site_id).toBe(site.id);
    expect(await auditCount('sites.devices_bulk_assign', site.id)).toBe(1);
  });

  it('refuses the whole request when one id is unknown (or another organisation’s), naming the ids', async () => {
    const site = await make.site();
    const mine = await make.device();
    const theirs = await makeB.device();
    const ghost = randomUUID();
    const r = await apiAs(ctx, s, 'operator').post(url(`/${site.id}/devices/bulk-assign`), {
      device_ids: [mine.id, theirs.id, ghost],
    });
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.code).toBe('unknown_devices');
    expect(body.detail).toContain(theirs.id);
    expect(body.detail).toContain(ghost);
    expect(body.errors).toEqual([
      { path: 'body.device_ids.1', message: `unknown device ${theirs.id}` },
      { path: 'body.device_ids.2', message: `unknown device ${ghost}` },
    ]);
    expect((await placeOf(mine.id)).site_id).toBeNull();
    expect((await placeOf(theirs.id)).site_id).toBeNull();
  });

  it('validates the body: 1 to 1,000 uuids; a viewer is refused; another organisation’s site is 404', async () => {
    const site = await make.site();
    const op = apiAs(ctx, s, 'operator');
    const tooMany = await op.post(url(`/${site.id}/devices/bulk-assign`), {
      device_ids: Array.from({ length: 1001 }, () => randomUUID()),
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().code).toBe('validation_failed');
    expect((await op.post(url(`/${site.id}/devices/bulk-assign`), { device_ids: [] })).statusCode).toBe(422);
    expect((await op.post(url(`/${site.id}/devices/bulk-assign`), { device_ids: ['x'] })).statusCode).toBe(422);
    const device = await make.device();
    expect(
      (await apiAs(ctx, s, 'viewer').post(url(`/${site.id}/devices/bulk-assign`), { device_ids: [device.id] }))
        .statusCode,
    ).toBe(403);
    const theirSite = await makeB.site();
    expect((await op.post(url(`/${theirSite.id}/devices/bulk-assign`), { device_ids: [device.id] })).statusCode).toBe(
      404,
    );
  });

  it('assigns 1,000 devices in one request', async () => {
    const site = await make.site();
    const ids = (
      await ctx.pools.system.query<{ id: string }>(
        `insert into devices (tenant_id, name, host, port, username, password_enc)
         select $1, 'bulk-' || i, '10.9.' || (i / 250) || '.' || (i % 250 + 1), 8728, 'admin', '\\x00'
           from generate_series(0, 999) i returning id`,
        [s.a.id],
      )
    ).rows.map((x) => x.id);
    const r = expectStatus(
      await apiAs(ctx, s, 'operator').post(url(`/${site.id}/devices/bulk-assign`), { device_ids: ids }),
      200,
    );
    expect(r).toEqual({ site_id: site.id, assigned: 1000, moved: 0 });
    const got = expectStatus<Site>(await apiAs(ctx, s, 'viewer').get(url(`/${site.id}`)), 200);
    expect(got.health.devices_by_status.unknown).toBe(1000);
    await ctx.pools.owner.query('delete from devices where id = any($1)', [ids]);
  });
});

describe('deleting a site', () => {
  it('deletes its sectors and takes its devices out of it (admin only)', async () => {
    const site = await make.site();
    const device = await make.device({ site_id: site.id });
    const sector = await newSector(site.id, { ap_device_id: device.id });
    await apiAs(ctx, s, 'operator').put(`/api/tenants/${s.a.id}/devices/${device.id}/sector`, { sector_id: sector.id });
    expect((await apiAs(ctx, s, 'operator').delete(url(`/${site.id}`))).statusCode).toBe(403);
    expect((await apiAs(ctx, s, 'admin').delete(url(`/${site.id}`))).statusCode).toBe(204);
    expect(await placeOf(device.id)).toEqual({ site_id: null, sector_id: null });
    expect((await ctx.pools.owner.query('select 1 from sectors where id = $1', [sector.id])).rowCount).toBe(0);
  });
});
