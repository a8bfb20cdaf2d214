import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMemberships, scopeCovers } from '../../src/features/catalog/scope.js';
import { withTenant } from '../../src/platform/db/tx.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// Sectors of a site, devices in sectors (always in the sector's site, which the database keeps true whoever moves
// a device), and the sector scope of alert rules and maintenance windows.

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

type Sector = {
  id: string;
  site_id: string;
  name: string;
  azimuth: number;
  width: number;
  frequency: number | null;
  ap_device_id: string | null;
  ap_device_name: string | null;
  ap_device_status: string | null;
  notes: string;
  device_count: number;
  policies: Record<string, boolean>;
};
type Page<T> = { items: T[]; total: number };

const t = (tenant = s.a.id) => `/api/tenants/${tenant}`;
const sectorsUrl = (siteId: string, tenant = s.a.id) => `${t(tenant)}/sites/${siteId}/sectors`;
const body = (over: Record<string, unknown> = {}) => ({
  name: `sec-${randomUUID().slice(0, 8)}`,
  azimuth: 120,
  width: 60,
  ...over,
});
const placeOf = async (id: string) =>
  (
    await ctx.pools.owner.query<{ site_id: string | null; sector_id: string | null }>(
      'select site_id, sector_id from devices where id = $1',
      [id],
    )
  ).rows[0]!;
const apOf = async (sectorId: string) =>
  (await ctx.pools.owner.query('select ap_device_id from sectors where id = $1', [sectorId])).rows[0]?.ap_device_id;
const setSector = (deviceId: string, sectorId: string | null, caller: 'operator' | 'viewer' | 'admin' = 'operator') =>
  apiAs(ctx, s, caller).put(`${t()}/devices/${deviceId}/sector`, { sector_id: sectorId });
const newSector = async (siteId: string, over: Record<string, unknown> = {}) =>
  expectStatus<Sector>(await apiAs(ctx, s, 'operator').post(sectorsUrl(siteId), body(over)), 201);

describe('sectors API', () => {
  it('creates, lists, replaces and deletes sectors by role, each write audited', async () => {
    const site = await make.site();
    const ap = await make.device({ site_id: site.id, name: `ap-${randomUUID().slice(0, 6)}` });
    await ctx.pools.system.query("update devices set status = 'online' where id = $1", [ap.id]);
    expect((await apiAs(ctx, s, 'viewer').post(sectorsUrl(site.id), body())).statusCode).toBe(403);
    const created = await newSector(site.id, {
      name: 'North',
      azimuth: 0,
      width: 90,
      frequency: 5180,
      ap_device_id: ap.id,
      notes: 'on the water tower',
    });
    expect(created).toMatchObject({
      site_id: site.id,
      name: 'North',
      azimuth: 0,
      width: 90,
      frequency: 5180,
      ap_device_id: ap.id,
      ap_device_name: ap.name,
      ap_device_status: 'online',
      notes: 'on the water tower',
      device_count: 0,
    });
    await newSector(site.id, { name: 'East', azimuth: 90 });
    await setSector(ap.id, created.id);

    const list = expectStatus<Page<Sector>>(await apiAs(ctx, s, 'viewer').get(sectorsUrl(site.id)), 200);
    expect(list.items.map((x) => [x.name, x.device_count])).toEqual([
      ['East', 0],
      ['North', 1],
    ]);
    expect(list.items[0]!.policies).toEqual({ 'inventory.write': false, 'inventory.delete': false });

    // PUT replaces every field: what is left out takes its default.
    const one = `${sectorsUrl(site.id)}/${created.id}`;
    expect((await apiAs(ctx, s, 'viewer').put(one, body())).statusCode).toBe(403);
    const replaced = expectStatus<Sector>(
      await apiAs(ctx, s, 'operator').put(one, { name: 'North 2', azimuth: 359, width: 360 }),
      200,
    );
    expect(replaced).toMatchObject({
      name: 'North 2',
      azimuth: 359,
      width: 360,
      frequency: null,
      ap_device_id: null,
      notes: '',
      device_count: 1,
    });

    expect((await apiAs(ctx, s, 'operator').delete(one)).statusCode).toBe(403);
    expect((await apiAs(ctx, s, 'admin').delete(one)).statusCode).toBe(204);
    expect((await apiAs(ctx, s, 'admin').delete(one)).statusCode).toBe(404);
    // Its device stays in the site, in no sector.
    expect(await placeOf(ap.id)).toEqual({ site_id: site.id, sector_id: null });
    const audited = await ctx.pools.owner.query<{ action: string }>(
      'select action from audit_logs where target_id = $1 order by seq',
      [created.id],
    );
    expect(audited.rows.map((r) => r.action)).toEqual(['sectors.create', 'sectors.update', 'sectors.delete']);
  });

  it('keeps names unique per site (any case), not across sites', async () => {
    const [one, two] = [await make.site(), await make.site()];
    await newSector(one.id, { name: 'South' });
    const dup = await apiAs(ctx, s, 'operator').post(sectorsUrl(one.id), body({ name: 'south' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('name_taken');
    await newSector(two.id, { name: 'South' });
    const west = await newSector(one.id, { name: 'West' });
    const rename = await apiAs(ctx, s, 'operator').put(`${sectorsUrl(one.id)}/${west.id}`, body({ name: 'SOUTH' }));
    expect(rename.statusCode).toBe(409);
  });

  it('validates azimuth, width, frequency and ids', async () => {
    const site = await make.site();
    const op = apiAs(ctx, s, 'operator');
    for (const bad of [
      { azimuth: 400 },
      { azimuth: 360 },
      { azimuth: -1 },
      { azimuth: 12.5 },
      { width: 0 },
      { width: 361 },
      { frequency: 0 },
      { ap_device_id: 'not-a-uuid' },
      { name: '' },
      { colour: 'red' },
    ]) {
      const r = await op.post(sectorsUrl(site.id), body(bad));
      expect(r.statusCode, JSON.stringify(bad)).toBe(422);
      expect(r.json().code).toBe('validation_failed');
    }
    const missing = await op.post(sectorsUrl(site.id), { name: 'x', azimuth: 10 });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'body.width' })]);
    expect((await op.get(`${t()}/sites/not-a-uuid/sectors`)).statusCode).toBe(422);
    expect((await op.put(`${sectorsUrl(site.id)}/not-a-uuid`, body())).statusCode).toBe(422);
    expect((await op.put(`${t()}/devices/not-a-uuid/sector`, { sector_id: null })).statusCode).toBe(422);
    expect((await op.put(`${t()}/devices/${randomUUID()}/sector`, { sector_id: 'x' })).statusCode).toBe(422);
  });

  it('takes only an AP of the same site, and lets it go when it leaves the site or is deleted', async () => {
    const [site, other] = [await make.site(), await make.site()];
    const elsewhere = await make.device({ site_id: other.id });
    const nowhere = await make.device();
    const theirs = await makeB.device();
    const op = apiAs(ctx, s, 'operator');
    for (const ap of [elsewhere, nowhere]) {
      const r = await op.post(sectorsUrl(site.id), body({ ap_device_id: ap.id }));
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('ap_not_in_site');
    }
    const foreign = await op.post(sectorsUrl(site.id), body({ ap_device_id: theirs.id }));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toEqual([{ path: 'body.ap_device_id', message: 'unknown device' }]);

    const ap = await make.device({ site_id: site.id });
    const sector = await newSector(site.id, { ap_device_id: ap.id });
    // The AP moves to another site (a device edit): it no longer serves this site's sector.
    expectStatus(await op.patch(`${t()}/devices/${ap.id}`, { site_id: other.id }), 200);
    expect(await apOf(sector.id)).toBeNull();

    const ap2 = await make.device({ site_id: site.id });
    const sector2 = await newSector(site.id, { ap_device_id: ap2.id });
    expect((await apiAs(ctx, s, 'admin').delete(`${t()}/devices/${ap2.id}`)).statusCode).toBe(204);
    const shown = expectStatus<Page<Sector>>(await op.get(sectorsUrl(site.id)), 200).items.find(
      (x) => x.id === sector2.id,
    );
    expect(shown).toMatchObject({ ap_device_id: null, ap_device_name: null, ap_device_status: null });
  });

  it('answers 404 for another organisation’s site or sector under this organisation’s path', async () => {
    const theirSite = await makeB.site();
    const theirSector = expectStatus<Sector>(
      await apiAs(ctx, s, 'admin', s.b).post(sectorsUrl(theirSite.id, s.b.id), body()),
      201,
    );
    const mySite = await make.site();
    const admin = apiAs(ctx, s, 'admin');
    expect((await admin.get(sectorsUrl(theirSite.id))).statusCode).toBe(404);
    expect((await admin.post(sectorsUrl(theirSite.id), body())).statusCode).toBe(404);
    expect((await admin.put(`${sectorsUrl(theirSite.id)}/${theirSector.id}`, body())).statusCode).toBe(404);
    expect((await admin.delete(`${sectorsUrl(theirSite.id)}/${theirSector.id}`)).statusCode).toBe(404);
    // Their sector under my site is no sector of mine either.
    expect((await admin.put(`${sectorsUrl(mySite.id)}/${theirSector.id}`, body())).statusCode).toBe(404);
    expect((await admin.delete(`${sectorsUrl(mySite.id)}/${theirSector.id}`)).statusCode).toBe(404);
    const mine = await make.device();
    const r = await setSector(mine.id, theirSector.id);
    expect(r.statusCode).toBe(404);
    expect(await placeOf(mine.id)).toEqual({ site_id: null, sector_id: null });
  });
});

describe('a device in a sector', () => {
  it('joins the sector’s site when it has none, stays when it is there, and is refused from another site', async () => {
    const [site, other] = [await make.site(), await make.site()];
    const sector = await newSector(site.id);
    const a = await make.device();
    const b = await make.device({ site_id: site.id });
    const c = await make.device({ site_id: other.id });
    expect((await setSector(a.id, sector.id, 'viewer')).statusCode).toBe(403);

    expect(expectStatus(await setSector(a.id, sector.id), 200)).toEqual({
      device_id: a.id,
      site_id: site.id,
      sector_id: sector.id,
    });
    expectStatus(await setSector(b.id, sector.id), 200);
    const refused = await setSector(c.id, sector.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('device_in_other_site');
    expect(await placeOf(c.id)).toEqual({ site_id: other.id, sector_id: null });

    const shown = expectStatus<{ sector_id: string }>(await apiAs(ctx, s, 'viewer').get(`${t()}/devices/${a.id}`), 200);
    expect(shown.sector_id).toBe(sector.id);
    const listed = expectStatus<Page<{ id: string; sector_id: string }>>(
      await apiAs(ctx, s, 'viewer').get(`${t()}/devices?site_id=${site.id}&fields=name,sector_id`),
      200,
    );
    expect(listed.items.map((d) => d.sector_id)).toEqual([sector.id, sector.id]);

    // null: out of the sector, still in the site.
    expect(expectStatus(await setSector(a.id, null), 200)).toEqual({
      device_id: a.id,
      site_id: site.id,
      sector_id: null,
    });
    expect(await placeOf(a.id)).toEqual({ site_id: site.id, sector_id: null });
    const theirs = await makeB.device();
    expect((await setSector(theirs.id, sector.id)).statusCode).toBe(404);
    expect((await setSector(theirs.id, null)).statusCode).toBe(404);
    expect(await placeOf(theirs.id)).toEqual({ site_id: null, sector_id: null });
  });

  it('leaves its sector when moved to another site, however it is moved', async () => {
    const [site, other] = [await make.site(), await make.site()];
    const sector = await newSector(site.id);
    const devices = await Promise.all([1, 2, 3, 4].map(() => make.device({ site_id: site.id })));
    for (const d of devices) expectStatus(await setSector(d.id, sector.id), 200);
    const op = apiAs(ctx, s, 'operator');
    const [edited, bulked, assigned, stayed] = devices as [
      (typeof devices)[0],
      (typeof devices)[0],
      (typeof devices)[0],
      (typeof devices)[0],
    ];
    expectStatus(await op.patch(`${t()}/devices/${edited.id}`, { site_id: other.id }), 200);
    expectStatus(
      await op.post(`${t()}/devices/bulk`, { action: 'set_site', device_ids: [bulked.id], site_id: null }),
      200,
    );
    expectStatus(await op.post(`${t()}/sites/${other.id}/devices/${assigned.id}`), 200);
    // An edit that leaves the site as it is keeps the sector.
    expectStatus(await op.patch(`${t()}/devices/${stayed.id}`, { site_id: site.id, notes: 'same site' }), 200);
    expect(await placeOf(edited.id)).toEqual({ site_id: other.id, sector_id: null });
    expect(await placeOf(bulked.id)).toEqual({ site_id: null, sector_id: null });
    expect(await placeOf(assigned.id)).toEqual({ site_id: other.id, sector_id: null });
    expect(await placeOf(stayed.id)).toEqual({ site_id: site.id, sector_id: sector.id });
  });

  it('cannot be put in a foreign sector by any statement: the database refuses it', async () => {
    const [site, other] = [await make.site(), await make.site()];
    const sector = await newSector(site.id);
    const device = await make.device({ site_id: other.id });
    const err = await withTenant(ctx.pools.app, s.a.id, (db) =>
      db.query('update devices set sector_id = $2 where id = $1', [device.id, sector.id]),
    ).catch((e: { code?: string; constraint?: string }) => e);
    expect(err).toMatchObject({ code: '23503', constraint: 'devices_sector_fk' });
    const noSite = await make.device();
    const err2 = await withTenant(ctx.pools.app, s.a.id, (db) =>
      db.query('update devices set sector_id = $2 where id = $1', [noSite.id, sector.id]),
    ).catch((e: { code?: string; constraint?: string }) => e);
    expect(err2).toMatchObject({ code: '23514', constraint: 'devices_sector_needs_site' });
  });
});

describe('the sector scope', () => {
  it('covers the devices of the sector (memberships), and a scope must name a sector of this organisation', async () => {
    const site = await make.site();
    const sector = await newSector(site.id);
    const inSector = await make.device({ site_id: site.id });
    const inSite = await make.device({ site_id: site.id });
    await setSector(inSector.id, sector.id);
    const members = await withTenant(ctx.pools.app, s.a.id, (db) => loadMemberships(db, [inSector.id, inSite.id]));
    const scope = { kind: 'sector' as const, id: sector.id };
    expect(members.get(inSector.id)?.sectorId).toBe(sector.id);
    expect(scopeCovers(scope, members.get(inSector.id)!)).toBe(true);
    expect(scopeCovers(scope, members.get(inSite.id)!)).toBe(false);

    const window = (id: string) => ({
      name: `w-${randomUUID().slice(0, 8)}`,
      starts_at: '2031-03-01T02:00:00+01:00',
      ends_at: '2031-03-01T04:00:00+01:00',
      timezone: 'Europe/Berlin',
      scope: { kind: 'sector', id },
    });
    const op = apiAs(ctx, s, 'operator');
    expectStatus(await op.post(`${t()}/maintenance-windows`, window(sector.id)), 201);
    const unknown = await op.post(`${t()}/maintenance-windows`, window(randomUUID()));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('scope_not_found');
    const theirSite = await makeB.site();
    const theirSector = expectStatus<Sector>(
      await apiAs(ctx, s, 'admin', s.b).post(sectorsUrl(theirSite.id, s.b.id), body()),
      201,
    );
    expect((await op.post(`${t()}/maintenance-windows`, window(theirSector.id))).statusCode).toBe(422);
  });
});
