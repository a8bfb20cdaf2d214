import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../src/platform/auth/principal.js';
import { waitOperation } from '../changes/helpers.js';
import { addSimDevice, routerApi } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { deviceRows, type Env, getTab, startEnv, tabUrl } from './helpers.js';

// The API around the tabs against a simulated RouterOS 7.16 router: dry runs, validation at both levels, who may
// read and apply, another organisation's device, and each person's view preference.

vi.setConfig({ testTimeout: 120_000 });
let e: Env;
let otherTenantDevice: string;

beforeAll(async () => {
  e = await startEnv([
    { version: '7.16', identity: 'api-v7' },
    { version: '7.16', identity: 'other-org' },
  ]);
  otherTenantDevice = await addSimDevice(e, 1, e.seed.b);
}, 120_000);
afterAll(() => e?.stop());

describe('dry run', () => {
  it('answers the exact commands planned against the device now, and changes nothing', async () => {
    const r = await e.admin.post(tabUrl(e, 0, 'system'), {
      form: { identity: 'dry', admin_password: { user: 'ops', password: 'never-shown-1' } },
      dry_run: true,
    });
    const body = expectStatus<{ operation_id: null; commands: string[]; risks: unknown[] }>(r, 200);
    expect(body.operation_id).toBeNull();
    expect(body.commands).toEqual(['/system identity set name=dry', '/user set [ find name=ops ] password=********']);
    expect(r.body).not.toContain('never-shown-1');
    expect((await deviceRows(e, 0, '/system/identity'))[0]?.name).toBe('api-v7');
    const ops = expectStatus<{ items: unknown[] }>(
      await e.admin.get(`${e.base}/operations?device_id=${e.ids[0]}`),
      200,
    );
    expect(ops.items).toEqual([]);
  });
});

describe('validation', () => {
  it('a form is checked strictly against its tab: 422 naming each field', async () => {
    const cases: Array<[string, object, string]> = [
      ['internet', { interface: 'ether1', mode: 'static' }, 'body.form.static'],
      ['internet', { interface: 'ether1', mode: 'dhcp', colour: 'red' }, 'body.form'],
      ['lan', { interface: 'bridge', address: '192.168.1.0/24' }, 'body.form.address'],
      ['wifi', { radios: [{ interface: 'wlan1', passphrase: 'short' }] }, 'body.form.radios.0.passphrase'],
      [
        'port-forwarding',
        {
          wan_interface: 'ether1',
          rules: [{ name: 'x', protocol: 'tcp', external_port: '70000', internal_address: '10.0.0.2' }],
        },
        'body.form.rules.0.external_port',
      ],
      ['dns', { servers: ['not-an-ip'] }, 'body.form.servers.0'],
      ['system', { time_zone: 'Mars/Olympus' }, 'body.form.time_zone'],
    ];
    for (const [tab, form, path] of cases) {
      const r = await e.admin.post(tabUrl(e, 0, tab), { form, dry_run: true });
      expect(r.statusCode, `${tab} ${r.body}`).toBe(422);
      expect(r.json().code).toBe('validation_failed');
      expect(r.json().errors.map((x: { path: string }) => x.path)).toContain(path);
    }
    const unknownTab = await e.admin.get(`${e.base}/devices/${e.ids[0]}/simple-config/vpn`);
    expect(unknownTab.statusCode).toBe(422);
  });

  it('what the device cannot take: 422 on a dry run, a failed operation (nothing applied) otherwise', async () => {
    const form = { interface: 'ether9', mode: 'dhcp' };
    const dry = await e.admin.post(tabUrl(e, 0, 'internet'), { form, dry_run: true });
    expect(dry.statusCode).toBe(422);
    expect(dry.json()).toMatchObject({ code: 'invalid_simple_config', errors: [{ path: 'body.form.interface' }] });
    const id = expectStatus<{ operation_id: string }>(
      await e.admin.post(tabUrl(e, 0, 'internet'), { form }),
      202,
    ).operation_id;
    const op = await waitOperation(e, e.ids[0] as string, id);
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ code: 'invalid_simple_config' });
    expect(op.error?.message).toMatch(/interface: the device has no interface ether9/);
    expect(op.applied_count).toBe(0);
  });
});

describe('who may', () => {
  it('a viewer reads a tab but may not apply it; an operator and an API key may', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const v = expectStatus<{ policies: { apply: boolean } }>(await viewer.get(tabUrl(e, 0, 'dns')), 200);
    expect(v.policies.apply).toBe(false);
    expect((await viewer.post(tabUrl(e, 0, 'dns'), { form: { servers: ['1.1.1.1'] }, dry_run: true })).statusCode).toBe(
      403,
    );
    for (const who of ['operator', 'api_key'] as const) {
      const api = apiAs(e.ctx, e.seed, who);
      expect((await api.get(tabUrl(e, 0, 'dns'))).json().policies.apply).toBe(true);
      const id = expectStatus<{ operation_id: string }>(
        await api.post(tabUrl(e, 0, 'dns'), {
          form: { servers: [who === 'api_key' ? '9.9.9.9' : '1.1.1.1'] },
          mode: 'standard',
        }),
        202,
      ).operation_id;
      expect((await waitOperation(e, e.ids[0] as string, id)).status).toBe('confirmed');
    }
    expect((await deviceRows(e, 0, '/ip/dns'))[0]?.servers).toBe('9.9.9.9');
  });

  it('another organisation’s device is not found, read or applied', async () => {
    const url = `${e.base}/devices/${otherTenantDevice}/simple-config/system`;
    expect((await e.admin.get(url)).statusCode).toBe(404);
    expect((await e.admin.post(url, { form: { identity: 'taken' } })).statusCode).toBe(404);
    expect((await deviceRows(e, 1, '/system/identity'))[0]?.name).toBe('other-org');
  });

  it('GET answers what the form needs: the version, pickers, and policies', async () => {
    const v = await getTab(e, 0, 'system');
    expect(v).toMatchObject({ tab: 'system', version: expect.stringMatching(/^7\.16/), v7: true });
    expect(v.options.users).toEqual([
      { name: 'admin', group: 'full', tod_login: true },
      { name: 'ops', group: 'full', tod_login: false },
    ]);
  });
});

describe('for rollouts', () => {
  it('operationSpec: a checked form as an operation request with its secrets sealed, which lands when submitted', async () => {
    const actor = systemActor('rollout-test', e.seed.a.id);
    const svc = e.ctx.services.simpleConfig;
    const form = { identity: 'from-a-rollout', admin_password: { user: 'ops', password: 'rollout-secret-1' } };
    const spec = await svc.operationSpec(actor, e.ids[0] as string, 'system', form);
    expect(spec).toMatchObject({ kind: 'simple_config', summary: 'Simple Config: system' });
    expect(JSON.stringify(spec)).not.toContain('rollout-secret-1');
    await expect(svc.operationSpec(actor, e.ids[0] as string, 'system', { identity: '' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      svc.operationSpec(actor, e.ids[0] as string, 'system', { admin_password: { user: 'admin', password: 'x' } }),
    ).rejects.toMatchObject({ code: 'invalid_simple_config' });
    const { operation_id } = await e.ctx.services.changes.submitOperation(actor, e.ids[0] as string, {
      ...spec,
      mode: 'safe',
    });
    expect((await waitOperation(e, e.ids[0] as string, operation_id)).status).toBe('confirmed');
    expect((await deviceRows(e, 0, '/system/identity'))[0]?.name).toBe('from-a-rollout');
    const ops = await routerApi(e, 0, { name: 'ops', password: 'rollout-secret-1' });
    await ops.close();
  });
});

describe('view preference', () => {
  const url = () => `${e.base}/devices/${e.ids[0]}/view-preference`;
  it('is kept per person and device', async () => {
    const admin = e.admin;
    const operator = apiAs(e.ctx, e.seed, 'operator');
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    expect(expectStatus(await admin.get(url()), 200)).toEqual({ mode: 'standard', saved: false, updated_at: null });
    expect(expectStatus(await admin.put(url(), { mode: 'simple' }), 200)).toMatchObject({
      mode: 'simple',
      saved: true,
    });
    expect(expectStatus(await viewer.put(url(), { mode: 'standard' }), 200)).toMatchObject({
      mode: 'standard',
      saved: true,
    });
    expect(expectStatus(await admin.get(url()), 200)).toMatchObject({ mode: 'simple', saved: true });
    expect(expectStatus(await viewer.get(url()), 200)).toMatchObject({ mode: 'standard', saved: true });
    expect(expectStatus(await operator.get(url()), 200)).toMatchObject({ mode: 'standard', saved: false });
    expect(expectStatus(await admin.get(`${e.base}/devices/${e.ids[1]}/view-preference`), 200)).toMatchObject({
      saved: false,
    });
    expect((await admin.put(url(), { mode: 'fancy' })).statusCode).toBe(422);
  });

  it('API keys have none; another organisation’s device is not found', async () => {
    const key = apiAs(e.ctx, e.seed, 'api_key');
    expect((await key.get(url())).statusCode).toBe(403);
    expect((await key.put(url(), { mode: 'simple' })).statusCode).toBe(403);
    expect(
      (await e.admin.put(`${e.base}/devices/${otherTenantDevice}/view-preference`, { mode: 'simple' })).statusCode,
    ).toBe(404);
  });

  it('is a tenant row under RLS: another organisation sees none of it', async () => {
    const { withTenant } = await import('../../src/platform/db/tx.js');
    const seen = await withTenant(
      e.ctx.pools.app,
      e.seed.b.id,
      async (db) => (await db.query('select * from device_view_preferences')).rows,
    );
    expect(seen).toEqual([]);
    const own = await withTenant(
      e.ctx.pools.app,
      e.seed.a.id,
      async (db) => (await db.query('select * from device_view_preferences')).rows,
    );
    expect(own.length).toBe(2);
  });
});
