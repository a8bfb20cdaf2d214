import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
});
afterAll(() => ctx?.close());

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: unknown) =>
  ctx.app.inject({
    method,
    url: `/api/tenants/${s.a.id}/credential-profiles${path}`,
    headers: headersFor(s, 'admin'),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe('credential profiles', () => {
  it('creates, lists with device counts, renames, refuses duplicate names and deletes', async () => {
    const p = await api('POST', '', { name: 'Core', username: 'admin', password: 'secret-1' });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ name: 'Core', username: 'admin', device_count: 0 });
    expect(p.body).not.toContain('secret-1');
    expect((await api('POST', '', { name: 'core', username: 'x', password: 'y' })).json().code).toBe('name_taken');
    const id = p.json().id as string;
    const renamed = await api('PATCH', `/${id}`, { name: 'Core routers' });
    expect(renamed.json()).toMatchObject({ name: 'Core routers', username: 'admin' });
    expect((await api('GET', '')).json().items.map((x: { name: string }) => x.name)).toContain('Core routers');
    expect((await api('DELETE', `/${id}`)).statusCode).toBe(204);
    expect((await api('GET', `/${id}`)).statusCode).toBe(404);
  });

  it('a new username or password makes the devices using the profile log in afresh; a rename does not', async () => {
    const id = (await api('POST', '', { name: 'Edge', username: 'admin', password: 'pw' })).json().id as string;
    const device = (
      await ctx.pools.owner.query<{ id: string }>(
        `insert into devices (tenant_id, name, host, credential_profile_id) values ($1, 'via-edge', '10.9.0.1', $2)
         returning id`,
        [s.a.id, id],
      )
    ).rows[0]!.id;
    const version = async () =>
      Number(
        (await ctx.pools.owner.query('select config_version from devices where id = $1', [device])).rows[0]
          .config_version,
      );
    const start = await version();
    await api('PATCH', `/${id}`, { name: 'Edge routers' });
    expect(await version()).toBe(start);
    await api('PATCH', `/${id}`, { password: 'pw-2' });
    expect(await version()).toBe(start + 1);
    await api('PATCH', `/${id}`, { username: 'ops' });
    expect(await version()).toBe(start + 2);
    expect((await api('GET', `/${id}`)).json().device_count).toBe(1);
  });
});
