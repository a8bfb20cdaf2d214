import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceJsonCache } from '../../src/features/devices/devices.json-cache.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

// The device list keeps each device's JSON by row version (devices.json-cache.ts): whatever changes the device, its
// tags or its groups — the API, ingest, a cascade — the next page shows it, in the same api process.

let ctx: TestContext;
let s: Seed;
let id: string;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  id = (
    await ctx.pools.owner.query<{ id: string }>(
      `insert into devices (tenant_id, name, host, username, password_enc, cpu_load)
       values ($1, 'cache-1', '10.9.0.1', 'admin', '\\x00', 10) returning id`,
      [s.a.id],
    )
  ).rows[0]!.id;
});
afterAll(() => ctx?.close());

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  ctx.app.inject({
    method,
    url: `/api/tenants/${s.a.id}${url}`,
    headers: headersFor(s, 'admin'),
    ...(payload ? { payload: payload as object } : {}),
  });
type Item = { id: string; name: string; cpu_load: number; tag_ids: string[]; group_ids: string[]; policies: object };
const listed = async (q = '') => {
  const r = await api('GET', `/devices?search=cache-&limit=10${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().items as Item[]).find((d) => d.id === id)!;
};

describe('device list JSON kept by row version', () => {
  it('shows every change of the device, its tags and its groups at the next page', async () => {
    expect(await listed()).toMatchObject({ name: 'cache-1', cpu_load: 10, tag_ids: [], group_ids: [] });
    expect((await listed()).policies).toBeDefined();

    expect((await api('PATCH', `/devices/${id}`, { name: 'cache-renamed' })).statusCode).toBe(200);
    expect((await listed()).name).toBe('cache-renamed');

    // What ingest writes (as `system`, not through this service).
    await ctx.pools.system.query('update devices set cpu_load = 77 where id = $1', [id]);
    expect((await listed()).cpu_load).toBe(77);

    const tag = (await api('POST', '/device-tags', { name: 'cache-tag' })).json().id as string;
    await api('POST', '/devices/bulk', { action: 'add_tags', device_ids: [id], tag_ids: [tag] });
    expect((await listed()).tag_ids).toEqual([tag]);
    expect((await listed('&fields=name,tag_ids')).tag_ids).toEqual([tag]);

    const group = (await api('POST', '/device-groups', { name: 'cache-group' })).json().id as string;
    await api('POST', '/devices/bulk', { action: 'add_groups', device_ids: [id], group_ids: [group] });
    expect((await listed()).group_ids).toEqual([group]);

    // Deleting the tag and the group removes their links by cascade.
    expect((await api('DELETE', `/device-tags/${tag}`)).statusCode).toBe(204);
    expect((await api('DELETE', `/device-groups/${group}`)).statusCode).toBe(204);
    expect(await listed()).toMatchObject({ tag_ids: [], group_ids: [] });
    expect((await listed('&fields=name,tag_ids')).tag_ids).toEqual([]);
  });

  it('a link change gives the device row a new version, its values unchanged', async () => {
    const before = (await ctx.pools.owner.query('select xmin::text as v, updated_at from devices where id = $1', [id]))
      .rows[0];
    const tag = (
      await ctx.pools.owner.query<{ id: string }>(
        `insert into device_tags (tenant_id, name) values ($1, 'cache-tag-2') returning id`,
        [s.a.id],
      )
    ).rows[0]!.id;
    await ctx.pools.owner.query('insert into device_tag_links (tenant_id, device_id, tag_id) values ($1, $2, $3)', [
      s.a.id,
      id,
      tag,
    ]);
    const after = (await ctx.pools.owner.query('select xmin::text as v, updated_at from devices where id = $1', [id]))
      .rows[0];
    expect(after.v).not.toBe(before.v);
    expect(after.updated_at).toEqual(before.updated_at);
  });

  it('keeps at most its size, the least recently written going first', () => {
    const c = createDeviceJsonCache(2);
    c.set('*', 'a', '1', '{"a"');
    c.set('*', 'b', '1', '{"b"');
    c.set('*', 'a', '2', '{"a2"');
    c.set('*', 'c', '1', '{"c"');
    expect(c.size).toBe(2);
    expect(c.get('*', 'b', '1')).toBeUndefined();
    expect(c.get('*', 'a', '1')).toBeUndefined();
    expect(c.get('*', 'a', '2')).toBe('{"a2"');
    expect(c.get('name', 'c', '1')).toBeUndefined();
    expect(c.get('*', 'c', '1')).toBe('{"c"');
  });
});
