import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// Sites, device groups and device tags share one generated repo/service/routes (features/catalog): the behaviour
// each entry kind must have, checked through the API as the roles that use it.

let ctx: TestContext;
let s: Seed;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  make = factories(ctx, s);
});
afterAll(() => ctx?.close());

type Entry = { id: string; name: string; device_count: number; policies: Record<string, boolean> };
type Page = { items: Entry[]; total: number };

describe.each([
  ['sites', () => make.site({ address: 'Main street 1' })],
  ['device-groups', () => make.deviceGroup({ description: 'core' })],
  ['device-tags', () => make.deviceTag({ color: '#AABBCC' })],
] as const)('%s', (segment, create) => {
  const url = () => `/api/tenants/${s.a.id}/${segment}`;

  it('counts the devices that use an entry, and refuses deleting it as a viewer or a duplicate name', async () => {
    const entry = await create();
    const field = { sites: 'site_id', 'device-groups': 'group_ids', 'device-tags': 'tag_ids' }[segment];
    await make.device({ [field]: field === 'site_id' ? entry.id : [entry.id] });
    const viewer = apiAs(ctx, s, 'viewer');
    const seen = expectStatus<Entry>(await viewer.get(`${url()}/${entry.id}`), 200);
    expect(seen.device_count).toBe(1);
    expect(seen.policies).toEqual({ 'inventory.write': false, 'inventory.delete': false });
    expect((await viewer.delete(`${url()}/${entry.id}`)).statusCode).toBe(403);
    const dup = await apiAs(ctx, s, 'operator').post(url(), { name: entry.name });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('name_taken');
  });

  it('searches by name without treating % and _ as wildcards, and never shows another tenant', async () => {
    const a = await create();
    await factories(ctx, s, s.b)[
      segment === 'sites' ? 'site' : segment === 'device-groups' ? 'deviceGroup' : 'deviceTag'
    ]({
      name: `${a.name}-b`,
    });
    const api = apiAs(ctx, s, 'viewer');
    const found = expectStatus<Page>(await api.get(`${url()}?search=${encodeURIComponent(a.name)}`), 200);
    expect(found.items.map((e) => e.name)).toEqual([a.name]);
    expect(expectStatus<Page>(await api.get(`${url()}?search=%25`), 200).total).toBe(0);
  });

  it('lets an operator rename and an admin delete', async () => {
    const entry = await create();
    const renamed = expectStatus<Entry>(
      await apiAs(ctx, s, 'operator').patch(`${url()}/${entry.id}`, { name: `${entry.name}-renamed` }),
      200,
    );
    expect(renamed.name).toBe(`${entry.name}-renamed`);
    expect((await apiAs(ctx, s, 'operator').delete(`${url()}/${entry.id}`)).statusCode).toBe(403);
    expect((await apiAs(ctx, s, 'admin').delete(`${url()}/${entry.id}`)).statusCode).toBe(204);
    expect((await apiAs(ctx, s, 'admin').get(`${url()}/${entry.id}`)).statusCode).toBe(404);
  });
});
