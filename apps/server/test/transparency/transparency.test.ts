import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';

// The Transparency page's API: the key-access log shows who used the organisation's keys, on what and why, from
// real uses — an admin storing credentials through the API, the poller opening them for its session.

type Item = {
  id: number;
  op: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  key: string;
  object: string;
  purpose: string;
  count: number;
  period_start: string;
};
type Page = { items: Item[]; next_before: number | null };

let ctx: TestContext;
let s: Seed;
let deviceId: string;
let profileId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  const f = factories(ctx, s);
  profileId = (await f.credentialProfile()).id as string;
  deviceId = (await f.device()).id as string;
  // The poller's own session: device access opens the stored credentials for it, then fails to connect (the device
  // is a closed port), which is all this needs.
  for (let i = 0; i < 3; i++)
    await ctx.services.deviceAccess
      .openApi({ tenantId: s.a.id, deviceId }, 'poll', { connectTimeoutMs: 500 })
      .catch(() => {});
  await ctx.services.keyAccessLog.flush();
});
afterAll(() => ctx?.close());

const events = async (query = '', caller: 'admin' | 'operator' = 'admin', tenant = s.a) =>
  expectStatus<Page>(
    await apiAs(ctx, s, caller, tenant).get(`/api/tenants/${tenant.id}/transparency/events${query}`),
    200,
  );

describe('transparency events', () => {
  it('shows the admin storing a device password and the poller opening it, with key and purpose', async () => {
    const { items } = await events(`?object=${encodeURIComponent(`device:${deviceId}:password`)}`);
    expect(items).toContainEqual(
      expect.objectContaining({
        op: 'encrypt',
        actor_kind: 'user',
        actor_id: s.a.users.admin.id,
        actor_label: s.a.users.admin.email,
        key: 'local:v1',
        purpose: 'seal',
        count: 1,
      }),
    );
    const polls = items.filter((i) => i.op === 'decrypt' && i.actor_kind === 'poller');
    expect(polls.reduce((n, i) => n + i.count, 0)).toBe(3);
    expect(polls[0]).toMatchObject({ actor_label: 'poller', purpose: 'poll', key: 'local:v1' });
  });

  it('filters by actor, key, object, operation and time', async () => {
    const byPoller = await events('?actor=poller');
    expect(byPoller.items.length).toBeGreaterThan(0);
    expect(byPoller.items.every((i) => i.actor_kind === 'poller')).toBe(true);

    const byAdmin = await events(`?actor=${s.a.users.admin.id}`);
    expect(byAdmin.items.map((i) => i.object)).toEqual(
      expect.arrayContaining([`device:${deviceId}:password`, `credential_profile:${profileId}:password`]),
    );
    expect((await events(`?actor=${encodeURIComponent(s.a.users.admin.email)}`)).items).toHaveLength(
      byAdmin.items.length,
    );

    expect((await events('?key=local:v1')).items.length).toBeGreaterThan(0);
    expect((await events('?key=v1')).items.length).toBeGreaterThan(0);
    expect((await events('?key=transit')).items).toEqual([]);
    expect((await events('?key=local:v2')).items).toEqual([]);

    const profile = await events('?object=credential_profile:');
    expect(profile.items.every((i) => i.object.startsWith('credential_profile:'))).toBe(true);
    expect(profile.items.length).toBeGreaterThan(0);
    // `_` and `%` are literal in the prefix, not patterns.
    expect((await events('?object=device_')).items).toEqual([]);

    expect((await events('?op=decrypt')).items.every((i) => i.op === 'decrypt')).toBe(true);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await events(`?from=${encodeURIComponent(future)}`)).items).toEqual([]);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await events(`?to=${encodeURIComponent(past)}`)).items).toEqual([]);
    expect(
      (await events(`?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)).items.length,
    ).toBeGreaterThan(0);
  });

  it('pages newest first by id', async () => {
    const all = await events();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const first = await events('?limit=2');
    expect(first.items.map((i) => i.id)).toEqual(all.items.slice(0, 2).map((i) => i.id));
    expect(first.next_before).toBe(first.items[1]!.id);
    const second = await events(`?limit=2&before=${first.next_before}`);
    expect(second.items.map((i) => i.id)).toEqual(all.items.slice(2, 4).map((i) => i.id));
  });

  it('shows an organisation only its own uses; operators may not read it; bad filters are 422', async () => {
    expect((await events('', 'admin', s.b)).items.filter((i) => i.object.includes(deviceId))).toEqual([]);
    expect((await apiAs(ctx, s, 'operator').get(`/api/tenants/${s.a.id}/transparency/events`)).statusCode).toBe(403);
    const admin = apiAs(ctx, s, 'admin');
    for (const q of ['key=not%20a%20key', 'limit=0', 'from=yesterday', 'actor=', 'surprise=1'])
      expect((await admin.get(`/api/tenants/${s.a.id}/transparency/events?${q}`)).statusCode, q).toBe(422);
  });

  it('keeps the log KEY_ACCESS_RETENTION_DAYS (an hourly schedule of the worker)', () => {
    expect(ctx.services.assembly.schedules().map((x) => x.name)).toContain('key_access.retention');
  });
});
