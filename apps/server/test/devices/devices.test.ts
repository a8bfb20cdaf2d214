import net from 'node:net';
import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePasswordContext } from '../../src/features/devices/credentials.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';

let ctx: TestContext;
let s: Seed;
let fleet: Fleet;
let notRouterOS: net.Server;
let notRouterOSPort: number;

beforeAll(async () => {
  ctx = await createTestContext({
    SCAN_RATE_LIMIT_PER_MINUTE: '1000',
    CONNECTION_TIMEOUT_SECONDS: '3',
    COMMAND_TIMEOUT_SECONDS: '5',
  });
  s = await seed(ctx);
  fleet = await startFleet({
    specs: [
      {
        identity: 'core-1',
        version: '7.16',
        model: 'CCR2004-1G-12S+2XS',
        users: [{ name: 'admin', password: 'pw-core' }],
      },
      { identity: 'ap-1', version: '6.49.10', model: 'RB951Ui-2HnD', users: [{ name: 'admin', password: 'pw-ap' }] },
    ],
  });
  // Something on a port that is not RouterOS: an HTTP-ish server that answers garbage and closes.
  notRouterOS = net.createServer((sock) => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  await new Promise<void>((r) => notRouterOS.listen(0, '127.0.0.1', r));
  notRouterOSPort = (notRouterOS.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await fleet?.stop();
  notRouterOS?.close();
  await ctx?.close();
});

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  caller: Parameters<typeof headersFor>[1] = 'operator',
) =>
  ctx.app.inject({
    method,
    url: `/api/tenants/${s.a.id}${url}`,
    headers: headersFor(s, caller),
    payload: payload as object,
  });
const dev = (i: number) => fleet.devices[i]!;
const target = (i: number, extra: object = {}) => ({
  host: dev(i).address,
  port: dev(i).port,
  tls_port: dev(i).tlsPort,
  username: 'admin',
  password: dev(i).password,
  ...extra,
});

describe('probing a router', () => {
  it('reads identity, model and version, and says which transport worked', async () => {
    const r = await api('POST', '/devices/probe', target(0));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      ok: true,
      code: 'ok',
      identity: 'core-1',
      model: 'CCR2004-1G-12S+2XS',
      version: '7.16',
    });
    expect(r.json().transport).toMatch(/^tls-/);
  });

  it('names the failure precisely: wrong password, refused, not RouterOS', async () => {
    const bad = (await api('POST', '/devices/probe', target(1, { password: 'wrong' }))).json();
    expect(bad).toMatchObject({ ok: false, code: 'bad_credentials' });
    expect(bad.detail).not.toContain('wrong');
    const refused = (
      await api('POST', '/devices/probe', { host: '127.0.0.1', port: 1, tls_port: 2, username: 'a', password: 'b' })
    ).json();
    expect(refused).toMatchObject({ ok: false, code: 'refused' });
    const other = (
      await api('POST', '/devices/probe', {
        host: '127.0.0.1',
        port: notRouterOSPort,
        tls_port: notRouterOSPort,
        tls_mode: 'plain',
        username: 'a',
        password: 'b',
      })
    ).json();
    expect(other.code).toBe('not_routeros');
  });
});

describe('devices', () => {
  let id: string;

  it('create probes the device, stores the password encrypted and never returns it', async () => {
    const r = await api('POST', '/devices', { name: 'Core router', ...target(0) });
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    id = d.id;
    expect(d).toMatchObject({
      name: 'Core router',
      identity: 'core-1',
      version: '7.16',
      status: 'unknown',
      username: 'admin',
      probe: { ok: true },
    });
    expect(r.body).not.toContain('pw-core');
    expect(d.password).toBeUndefined();
    const row = (await ctx.pools.owner.query('select password_enc, tls_fingerprint from devices where id = $1', [id]))
      .rows[0];
    expect(row.password_enc.includes(Buffer.from('pw-core'))).toBe(false);
    const use = useByWorker('test', 'read');
    expect(
      (await ctx.services.envelope.decrypt(s.a.id, row.password_enc, devicePasswordContext(id), use)).toString(),
    ).toBe('pw-core');
  });

  it('refuses a duplicate endpoint, missing credentials, and ids from another tenant', async () => {
    expect((await api('POST', '/devices?probe=false', { name: 'again', ...target(0) })).json().code).toBe(
      'device_exists',
    );
    const noCreds = await api('POST', '/devices', { name: 'x', host: '10.0.0.9' });
    expect(noCreds.statusCode).toBe(422);
    const foreignTag = (
      await ctx.app.inject({
        method: 'POST',
        url: `/api/tenants/${s.b.id}/device-tags`,
        headers: headersFor(s, 'admin', s.b),
        payload: { name: 'b-only' },
      })
    ).json().id;
    const r = await api('POST', '/devices?probe=false', {
      name: 'x',
      host: '10.0.0.9',
      username: 'a',
      password: 'b',
      tag_ids: [foreignTag],
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toContain('tag_ids');
  });

  it('an edit to how the device is reached bumps config_version (the poller reconnects); a note does not', async () => {
    const v = async () =>
      (await ctx.pools.owner.query('select config_version from devices where id = $1', [id])).rows[0].config_version;
    const before = await v();
    await api('PATCH', `/devices/${id}`, { notes: 'rack 3' });
    expect(await v()).toBe(before);
    await api('PATCH', `/devices/${id}`, { password: 'pw-core' });
    expect(await v()).toBe(before + 1);
    await api('PATCH', `/devices/${id}`, { disabled: true });
    expect(await v()).toBe(before + 2);
    await api('PATCH', `/devices/${id}`, { disabled: false });
  });

  it('lists with search, filters and sort', async () => {
    const tag = (await api('POST', '/device-tags', { name: 'core', color: '#ff0000' })).json().id;
    const site = (await api('POST', '/sites', { name: 'Head office', latitude: 51.5, longitude: -0.12 })).json().id;
    await api('POST', '/devices?probe=false', { name: 'Branch AP', ...target(1), tag_ids: [tag], site_id: site });
    for (let i = 0; i < 5; i++)
      await api('POST', '/devices?probe=false', {
        name: `cpe-${i}`,
        host: `10.1.0.${i + 1}`,
        username: 'admin',
        password: '',
      });
    const all = (await api('GET', '/devices?sort=-name&limit=3')).json();
    expect(all.total).toBe(7);
    expect(all.items.map((d: { name: string }) => d.name)).toEqual(['cpe-4', 'cpe-3', 'cpe-2']);
    expect((await api('GET', '/devices?search=branch')).json().items.map((d: { name: string }) => d.name)).toEqual([
      'Branch AP',
    ]);
    expect((await api('GET', `/devices?tag_id=${tag}`)).json().total).toBe(1);
    expect((await api('GET', `/devices?site_id=${site}`)).json().items[0].tag_ids).toEqual([tag]);
    expect((await api('GET', '/devices?status=unknown,offline')).json().total).toBe(7);
    expect((await api('GET', '/devices?status=bogus')).statusCode).toBe(422);
    expect((await api('GET', '/devices?sort=password_enc')).statusCode).toBe(422);
    const slim = (await api('GET', '/devices?fields=name,status,tag_ids&sort=name&limit=1')).json();
    expect(Object.keys(slim.items[0]).sort()).toEqual(['id', 'name', 'policies', 'status', 'tag_ids']);
    expect((await api('GET', '/devices?fields=name,password_enc')).statusCode).toBe(422);
    expect((await api('GET', '/device-tags')).json().items.find((t: { id: string }) => t.id === tag)).toMatchObject({
      name: 'core',
      color: '#ff0000',
      device_count: 1,
    });
  });

  it('bulk actions apply to all or none', async () => {
    const ids = (await api('GET', '/devices?search=cpe')).json().items.map((d: { id: string }) => d.id);
    const group = (await api('POST', '/device-groups', { name: 'CPEs' })).json().id;
    const r = await api('POST', '/devices/bulk', { action: 'add_groups', device_ids: ids, group_ids: [group] });
    expect(r.json()).toEqual({ action: 'add_groups', affected: 5 });
    expect((await api('GET', `/devices?group_id=${group}`)).json().total).toBe(5);
    const bad = await api(
      'POST',
      '/devices/bulk',
      { action: 'delete', device_ids: [...ids, '00000000-0000-4000-8000-000000000000'] },
      'admin',
    );
    expect(bad.statusCode).toBe(404);
    expect((await api('GET', '/devices?search=cpe')).json().total).toBe(5);
    expect((await api('POST', '/devices/bulk', { action: 'delete', device_ids: ids }, 'operator')).statusCode).toBe(
      403,
    );
  });
});

describe('credential profiles', () => {
  it('devices can use a profile; the profile cannot be deleted while in use', async () => {
    const p = await api('POST', '/credential-profiles', { name: 'Fleet admin', username: 'admin', password: 'pw-ap' });
    expect(p.statusCode).toBe(201);
    expect(p.body).not.toContain('pw-ap');
    const probe = await api('POST', '/devices/probe', {
      host: dev(1).address,
      port: dev(1).port,
      tls_port: dev(1).tlsPort,
      credential_profile_id: p.json().id,
    });
    expect(probe.json()).toMatchObject({ ok: true, identity: 'ap-1', version: '6.49.10' });
    const d = await api('POST', '/devices?probe=false', {
      name: 'via profile',
      host: '10.2.0.1',
      credential_profile_id: p.json().id,
    });
    expect(d.statusCode).toBe(201);
    expect(d.json().username).toBeNull();
    const del = await api('DELETE', `/credential-profiles/${p.json().id}`, undefined, 'admin');
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('in_use');
  });
});

describe('CSV import', () => {
  it('adds good rows, reports bad ones by line, and half-adds nothing', async () => {
    const csv = [
      'name,host,port,username,password,tags,groups,site',
      'ok-1,10.5.0.1,8728,admin,secret,edge;lte,Imported,Depot',
      'bad-port,10.5.0.2,99999,admin,x,,,',
      ',10.5.0.3,,admin,x,edge,,',
      'dup,10.5.0.1,8728,admin,x,,,',
      '"quoted, name",10.5.0.4,8728,admin,"p,w",,,',
    ].join('\n');
    const r = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/devices/import`,
      headers: { ...headersFor(s, 'operator'), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(r.statusCode, r.body).toBe(200);
    const out = r.json();
    expect(out).toMatchObject({ added: 3, failed: 2 });
    expect(out.rows.filter((x: { ok: boolean }) => !x.ok).map((x: { row: number }) => x.row)).toEqual([3, 5]);
    expect(out.rows[1].error).toMatch(/port/);
    expect(out.rows[3].error).toMatch(/exists/);
    const imported = (await api('GET', '/devices?search=10.5.0')).json();
    expect(imported.items.map((d: { name: string }) => d.name).sort()).toEqual(['10.5.0.3', 'ok-1', 'quoted, name']);
    expect((await api('GET', '/device-tags?search=lte')).json().items[0].device_count).toBe(1);
    const bad = await api('POST', '/devices/import', { csv: 'hostname,ip\nx,y' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_csv');
  });
});

describe('subnet scan', () => {
  let subnetFleet: Fleet;
  beforeAll(async () => {
    subnetFleet = await startFleet({
      devices: 4,
      subnet: '127.3.0.0/29',
      base: { users: [{ name: 'admin', password: 'scan-pw' }] },
    });
  });
  afterAll(() => subnetFleet?.stop());

  it('finds the RouterOS devices in a network and, with credentials, their identity', async () => {
    const r = await api('POST', '/devices/scan', {
      cidr: '127.3.0.0/29',
      timeout_ms: 500,
      username: 'admin',
      password: 'scan-pw',
    });
    expect(r.statusCode, r.body).toBe(200);
    const found = r.json().found;
    expect(r.json().scanned).toBe(6);
    expect(found.map((h: { address: string }) => h.address)).toEqual(subnetFleet.devices.map((d) => d.address));
    expect(
      found.every(
        (h: { routeros: boolean; login: string; identity: string }) => h.routeros && h.login === 'ok' && h.identity,
      ),
    ).toBe(true);
  });

  it('streams hits as NDJSON, and adopts the chosen ones with bulk-add', async () => {
    const r = await ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${s.a.id}/devices/scan`,
      headers: { ...headersFor(s, 'operator'), accept: 'application/x-ndjson' },
      payload: { cidr: '127.3.0.0/29', timeout_ms: 500 },
    });
    const lines = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'hit')).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({ type: 'done', scanned: 6, found: 4 });
    const add = await api('POST', '/devices/bulk-add', {
      devices: lines
        .filter((l) => l.type === 'hit')
        .slice(0, 2)
        .map((l) => ({ host: l.hit.address })),
      username: 'admin',
      password: 'scan-pw',
    });
    expect(add.json()).toMatchObject({ added: 2, failed: 0 });
  });

  it('refuses networks larger than /20', async () => {
    const r = await api('POST', '/devices/scan', { cidr: '10.0.0.0/16' });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toContain('/20');
  });
});
