import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../src/platform/auth/principal.js';
import { backupNow, routerApi } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { type RolloutEnv, startRolloutEnv, waitRollout } from '../rollouts/helpers.js';

// Templates end to end against simulated routers: typed variables previewed per device, a push to 50 devices in
// waves through the safe-change engine (one device with bad credentials, one whose change cuts TOD off and is
// reverted by the router; the others finish), a restart of the rollout runner in the middle, the failure threshold,
// drift after an out-of-band change and a re-push, secrets masked, roles and another tenant.

vi.setConfig({ testTimeout: 300_000 });
let e: RolloutEnv;
const N = 50;
let templateId = '';

const body = `/ip dns set servers={{ dns_servers | join: "," }}
/ip firewall address-list add list=tod-mgmt address={{ mgmt }} comment="{{ label }}"
{% if lock_out %}/ip service set api disabled=yes
{% endif %}/snmp community add name={{ community }} addresses={{ mgmt }}
`;
const variables = [
  { name: 'dns_servers', type: 'list', of: 'ip', default: ['9.9.9.9', '1.1.1.1'] },
  { name: 'mgmt', type: 'cidr', required: true },
  { name: 'label', type: 'string', default: 'managed by TOD' },
  { name: 'lock_out', type: 'boolean', default: false },
  { name: 'community', type: 'string', default: 'c0mmunity-secret', secret: true },
];

beforeAll(async () => {
  e = await startRolloutEnv(
    Array.from({ length: N }, (_, i) => ({
      version: i % 10 === 1 ? '6.49.10' : '7.18.2',
      identity: `t-${i}`,
      safeModeTimeoutMs: 1500,
    })),
    {
      CHANGE_APPLY_SECONDS: '5',
      CHANGE_VERIFY_SECONDS: '5',
      CHANGE_WATCHDOG_GRACE_SECONDS: '5',
      CHANGE_CONCURRENCY: '16',
    },
  );
  const t = expectStatus<{ id: string }>(
    await e.admin.post(`${e.base}/templates`, { name: 'Management', description: 'dns + mgmt', body, variables }),
    201,
  );
  templateId = t.id;
  // The preview diffs against the latest backup.
  await Promise.all(e.devices.slice(0, 2).map((d) => backupNow(e, d)));
}, 300_000);
afterAll(() => e?.stop());

async function dnsOf(index: number) {
  const c = await routerApi(e, index);
  try {
    return (await c.command('/ip/dns/print'))[0]?.servers;
  } finally {
    await c.close();
  }
}

describe('save and preview', () => {
  it('refuses a body that reads an undeclared variable, naming it', async () => {
    const r = await e.admin.post(`${e.base}/templates`, { name: 'bad', body: '/ip dns set servers={{ dsn }}' });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('template_invalid');
    expect(JSON.stringify(r.json())).toContain('dsn');
    expect(
      (await e.admin.post(`${e.base}/templates`, { name: 'management', body: '/ip dns set servers=1.1.1.1' })).json()
        .code,
    ).toBe('template_exists');
  });

  it('previews per device: rendered, diff, commands; errors name the variable and the device; secrets masked', async () => {
    const [v7, v6] = [e.devices[0]!, e.devices[1]!];
    const p = expectStatus<{
      devices: Array<{
        device_id: string;
        rendered: string;
        commands: string[];
        errors: Array<{ variable?: string; device_id: string; code: string }>;
        in_sync: boolean;
      }>;
    }>(
      await apiAs(e.ctx, e.seed, 'operator').post(`${e.base}/templates/${templateId}/preview`, {
        device_ids: [v7, v6],
        values: { mgmt: '10.9.0.0/16' },
        device_values: { [v6]: { dns_servers: ['not-an-ip'] } },
      }),
      200,
    );
    const a = p.devices.find((d) => d.device_id === v7)!;
    expect(a.errors).toEqual([]);
    expect(a.in_sync).toBe(false);
    expect(a.rendered).toContain('servers=9.9.9.9,1.1.1.1');
    expect(a.commands.some((c) => c.startsWith('/ip dns set') && c.includes('9.9.9.9,1.1.1.1'))).toBe(true);
    expect(a.commands.some((c) => c.includes('/ip firewall address-list add') && c.includes('10.9.0.0/16'))).toBe(true);
    // An operator may not read secrets: the secret variable's value is masked everywhere.
    expect(JSON.stringify(a)).not.toContain('c0mmunity-secret');
    const b = p.devices.find((d) => d.device_id === v6)!;
    expect(b.errors[0]).toMatchObject({ variable: 'dns_servers', device_id: v6, code: 'variable_invalid' });
    // An admin sees them.
    const adminView = expectStatus<{ devices: Array<{ rendered: string }> }>(
      await e.admin.post(`${e.base}/templates/${templateId}/preview`, {
        device_ids: [v7],
        values: { mgmt: '10.9.0.0/16' },
      }),
      200,
    );
    expect(adminView.devices[0]?.rendered).toContain('c0mmunity-secret');
  });
});

describe('push', () => {
  it('pushes to 50 devices in waves; a bad-credential device fails, a lock-out is reverted, a restart resumes', async () => {
    const [bad, cut] = [e.devices[5]!, e.devices[6]!];
    expectStatus(await e.admin.patch(`${e.base}/devices/${bad}`, { password: 'wrong-password' }), 200);
    const invalid = await e.admin.post(`${e.base}/templates/${templateId}/push`, {
      targets: { device_ids: e.devices },
      values: {},
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().code).toBe('template_invalid');
    expect(invalid.json().errors.length).toBe(N);

    const { rollout_id } = expectStatus<{ rollout_id: string }>(
      await e.admin.post(`${e.base}/templates/${templateId}/push`, {
        targets: { device_ids: e.devices },
        values: { mgmt: '10.9.0.0/16' },
        device_values: { [cut]: { lock_out: true } },
        rollout: { canary: 2, batch_size: 16, concurrency: 8, max_failures: 2 },
      }),
      202,
    );
    await waitRollout(e, rollout_id, (r) => (r.counts.done ?? 0) >= 12, 200_000);
    await e.stopRollouts();
    e.startRollouts();
    const r = await waitRollout(e, rollout_id, undefined, 280_000);
    expect(r.status).toBe('completed');
    expect(r.waves.map((w) => w.size)).toEqual([2, 16, 16, 16]);
    expect(r.counts).toMatchObject({ done: N - 2, failed: 1, reverted: 1 });
    expect(r.devices.find((d) => d.device_id === bad)?.error?.code).toBe('bad_credentials');
    expect(r.devices.find((d) => d.device_id === cut)?.status).toBe('reverted');
    for (const i of [0, 1, 20, 49]) expect(await dnsOf(i)).toBe('9.9.9.9,1.1.1.1');
    expect(await dnsOf(6)).not.toBe('9.9.9.9,1.1.1.1');
    // One operation per device for this push, restart or not.
    const ops = await e.ctx.pools.system.query<{ device_id: string; n: string }>(
      `select device_id, count(*) as n from change_operations where kind = 'template' group by device_id`,
    );
    expect(ops.rows.filter((x) => Number(x.n) !== 1)).toEqual([]);
    expectStatus(await e.admin.patch(`${e.base}/devices/${bad}`, { password: e.fleet.devices[5]!.password }), 200);
  });

  it('pauses at the failure threshold', async () => {
    const bad = e.devices[7]!;
    expectStatus(await e.admin.patch(`${e.base}/devices/${bad}`, { password: 'wrong-password' }), 200);
    const { rollout_id } = expectStatus<{ rollout_id: string }>(
      await e.admin.post(`${e.base}/templates/${templateId}/push`, {
        targets: { device_ids: [bad, ...e.devices.slice(10, 14)] },
        values: { mgmt: '10.9.0.0/16', label: 'second' },
        rollout: { canary: 1, batch_size: 4 },
      }),
      202,
    );
    const r = await waitRollout(e, rollout_id, (x) => x.status === 'paused');
    expect(r.pause_reason).toBe('failure_threshold');
    expect(r.counts).toMatchObject({ failed: 1, pending: 4 });
    expectStatus(await e.admin.post(`${e.base}/rollouts/${rollout_id}/cancel`), 200);
    expectStatus(await e.admin.patch(`${e.base}/devices/${bad}`, { password: e.fleet.devices[7]!.password }), 200);
  });
});

describe('drift', () => {
  it('lists a device changed out of band as drifted, with the diff; a re-push brings it back', async () => {
    const target = e.devices[3]!;
    // The backups queued after the push must not be the ones that read the device before the change below.
    for (let i = 0; i < 300; i++) {
      const open = await e.ctx.pools.system.query(
        `select 1 from config_jobs where device_id = $1 and status in ('queued', 'running')`,
        [target],
      );
      if (open.rowCount === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const c = await routerApi(e, 3);
    try {
      await c.command('/ip/dns/set', { servers: '8.8.8.8' });
    } finally {
      await c.close();
    }
    await backupNow(e, target);
    // What the handler of config.version_created does for a new version.
    await e.ctx.services.templates.deviceBackedUp(systemActor('templates', e.seed.a.id), target);
    const d = expectStatus<{
      counts: Record<string, number>;
      devices: Array<{ device_id: string; drift: string; diff: unknown; commands: number }>;
    }>(await e.admin.get(`${e.base}/templates/${templateId}/drift`), 200);
    const item = d.devices.find((x) => x.device_id === target)!;
    expect(item.drift, JSON.stringify(item)).toBe('drifted');
    expect(item.commands).toBe(1);
    expect(JSON.stringify(item.diff)).toContain('8.8.8.8');
    expect(d.counts.drifted).toBeGreaterThanOrEqual(1);

    // Re-checking now: devices backed up since the push are in sync; the secret never shows.
    await backupNow(e, e.devices[0]!);
    const checked = expectStatus<{ devices: Array<{ device_id: string; drift: string }> }>(
      await apiAs(e.ctx, e.seed, 'viewer').post(`${e.base}/templates/${templateId}/drift/check`),
      200,
    );
    expect(checked.devices.find((x) => x.device_id === e.devices[0])?.drift).toBe('in_sync');
    expect(JSON.stringify(checked)).not.toContain('c0mmunity-secret');

    // Re-push as it was pushed: without its stored values `mgmt` (required) is missing.
    const bare = await e.admin.post(`${e.base}/templates/${templateId}/push`, { targets: { device_ids: [target] } });
    expect(bare.json().code).toBe('template_invalid');
    const { rollout_id } = expectStatus<{ rollout_id: string }>(
      await e.admin.post(`${e.base}/templates/${templateId}/push`, {
        targets: { device_ids: [target] },
        reuse_values: true,
      }),
      202,
    );
    expect((await waitRollout(e, rollout_id)).counts.done).toBe(1);
    expect(await dnsOf(3)).toBe('9.9.9.9,1.1.1.1');
  });
});

describe('secrets', () => {
  it('a masked secret sent back unchanged keeps what is stored', async () => {
    const g = expectStatus<{ id: string }>(await e.admin.post(`${e.base}/device-groups`, { name: 'tpl-secrets' }), 201);
    expectStatus(
      await e.admin.patch(`${e.base}/templates/${templateId}`, {
        group_values: { [g.id]: { community: 'group-secret' } },
      }),
      200,
    );
    const operator = apiAs(e.ctx, e.seed, 'operator');
    const seen = expectStatus<{
      variables: Array<{ name: string; default?: unknown }>;
      group_values: Record<string, Record<string, unknown>>;
    }>(await operator.get(`${e.base}/templates/${templateId}`), 200);
    expect(seen.variables.find((v) => v.name === 'community')?.default).toBe('*****');
    expect(seen.group_values[g.id]?.community).toBe('*****');
    expectStatus(
      await operator.patch(`${e.base}/templates/${templateId}`, {
        variables: seen.variables,
        group_values: seen.group_values,
        description: 'saved by an operator',
      }),
      200,
    );
    const stored = expectStatus<{
      variables: Array<{ name: string; default?: unknown }>;
      group_values: Record<string, Record<string, unknown>>;
    }>(await e.admin.get(`${e.base}/templates/${templateId}`), 200);
    expect(stored.variables.find((v) => v.name === 'community')?.default).toBe('c0mmunity-secret');
    expect(stored.group_values[g.id]?.community).toBe('group-secret');
  });
});

describe('roles and tenants', () => {
  it('viewers read and preview nothing they may not; operators push; another tenant sees nothing', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const got = expectStatus<{
      policies: Record<string, boolean>;
      variables: Array<{ name: string; default?: unknown }>;
    }>(await viewer.get(`${e.base}/templates/${templateId}`), 200);
    expect(got.policies).toEqual({ update: false, delete: false, push: false });
    expect(JSON.stringify(got)).not.toContain('c0mmunity-secret');
    expect((await viewer.patch(`${e.base}/templates/${templateId}`, { description: 'x' })).statusCode).toBe(403);
    expect(
      (await viewer.post(`${e.base}/templates/${templateId}/push`, { targets: { device_ids: [e.devices[0]] } }))
        .statusCode,
    ).toBe(403);
    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    const b = `/api/tenants/${e.seed.b.id}`;
    expect((await other.get(`${b}/templates/${templateId}`)).statusCode).toBe(404);
    expect(
      (await other.post(`${b}/templates/${templateId}/push`, { targets: { device_ids: [e.devices[0]] } })).statusCode,
    ).toBe(404);
    // Another tenant's devices are not targets here either.
    const own = expectStatus<{ id: string }>(
      await other.post(`${b}/templates`, { name: 'theirs', body: '/ip dns set servers=1.1.1.1' }),
      201,
    );
    const cross = await other.post(`${b}/templates/${own.id}/push`, { targets: { device_ids: [e.devices[0]] } });
    expect(cross.statusCode).toBe(422);
    expect(cross.json().code).toBe('target_not_found');
    const starters = expectStatus<{ items: Array<{ key: string }> }>(
      await viewer.get(`${e.base}/template-starters`),
      200,
    );
    expect(starters.items.map((s) => s.key)).toContain('basic-firewall');
  });
});
