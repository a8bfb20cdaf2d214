import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import { openAuditRows } from '../audit/open.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { factories } from '../helpers/factories.js';
import { type RolloutEnv, rollout, startRollout, startRolloutEnv } from '../rollouts/helpers.js';
import { refused, results, runAndWait, runBulk } from './helpers.js';

// Bulk commands on a fleet of 100 simulated routers (RouterOS 6 and 7): identical outputs grouped, failures as
// their own groups, CSV/JSON downloads, the checks before anything runs, the deny-list, roles and tenants.

vi.setConfig({ testTimeout: 240_000 });
const N = 100;
let e: RolloutEnv;
// Every third router is a core router: two identities over the fleet.
const identityOf = (i: number) => (i % 3 === 0 ? 'core' : 'edge');

beforeAll(async () => {
  e = await startRolloutEnv(
    Array.from({ length: N }, (_, i) => ({ version: i % 2 ? '6.49.10' : '7.18.2', identity: identityOf(i) })),
  );
}, 300_000);
afterAll(() => e?.stop());

const operator = () => apiAs(e.ctx, e.seed, 'operator');

describe('grouped results', () => {
  it('a read on 100 devices groups identical outputs, with one wave and no failure threshold', async () => {
    const r = await runAndWait(e, operator(), {
      targets: { device_ids: e.devices },
      commands: '/system identity print',
    });
    expect(r.kind).toBe('bulk_command_read');
    expect(r.status).toBe('completed');
    expect(r.counts).toMatchObject({ done: N, failed: 0 });
    expect(r.groups.map((g) => [g.output, g.device_ids.length, g.status, g.error])).toEqual([
      ['name=edge', 66, 'done', null],
      ['name=core', 34, 'done', null],
    ]);
    const core = e.devices.filter((_, i) => identityOf(i) === 'core');
    expect(new Set(r.groups[1]?.device_ids)).toEqual(new Set(core));
    expect(r.groups[1]?.device_names.every((n) => n.startsWith('sim-'))).toBe(true);
    const detail = await rollout(e, r.rollout_id);
    expect(detail.waves).toHaveLength(1);
    expect((detail as unknown as { options: Record<string, unknown> }).options).toMatchObject({
      canary: 0,
      max_failures: null,
      concurrency: 25,
    });
  });

  it('several commands: one output per device, each answer under its command line', async () => {
    const r = await runAndWait(e, operator(), {
      targets: { device_ids: e.devices.slice(0, 6) },
      commands: [
        '/system identity',
        'print',
        ':put [ /ip address print count-only where interface=ether1 ]',
        '/system resource get version',
      ].join('\n'),
    });
    expect(r.counts.done).toBe(6);
    // Identity (2) × version (2): devices 0..5 are core/edge and v7/v6 mixed, each pair its own output.
    for (const g of r.groups) {
      expect(g.output).toMatch(
        /^> print\nname=(core|edge)\n> :put \[ \/ip address print count-only where interface=ether1 \]\n\d+\n> \/system resource get version\n(7\.18\.2|6\.49\.10)/,
      );
    }
    expect(r.groups.reduce((n, g) => n + g.device_ids.length, 0)).toBe(6);
  });

  it('a device that fails is a group of its own, with the reason', async () => {
    const bad = e.devices[1]!;
    expectStatus(await e.admin.patch(`${e.base}/devices/${bad}`, { password: 'wrong-password' }), 200);
    try {
      const r = await runAndWait(e, operator(), {
        targets: { device_ids: e.devices.slice(0, 4) },
        commands: '/system identity print',
      });
      expect(r.counts).toMatchObject({ done: 3, failed: 1 });
      const failed = r.groups.find((g) => g.status === 'failed');
      expect(failed?.device_ids).toEqual([bad]);
      expect(failed?.error?.code).toBe('bad_credentials');
      // Devices 0 and 3 are core routers, 2 an edge one.
      expect(r.groups.filter((g) => g.status === 'done').map((g) => [g.output, g.device_ids.length])).toEqual([
        ['name=core', 2],
        ['name=edge', 1],
      ]);
    } finally {
      const sim = e.fleet.devices[1]!;
      expectStatus(await e.admin.patch(`${e.base}/devices/${bad}`, { password: sim.password }), 200);
    }
  });

  it('exports over SSH, masked and normalised, group devices with the same configuration', async () => {
    const r = await runAndWait(e, operator(), {
      targets: { device_ids: e.devices.slice(0, 4) },
      commands: '/system identity export',
    });
    expect(r.counts.done).toBe(4);
    expect(r.groups.map((g) => g.output).sort()).toEqual([
      '/system identity\nset name=core',
      '/system identity\nset name=edge',
    ]);
  });

  it('downloads the results as CSV and JSON, one row per device', async () => {
    const id = await runBulk(e, operator(), {
      targets: { device_ids: e.devices.slice(0, 9) },
      commands: '/system identity print',
    });
    await waitDone(id);
    const csv = await operator().get(`${e.base}/bulk-commands/${id}/results?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="bulk-command-${id.slice(0, 8)}.csv"`);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('device_id,device_name,group,output,error');
    expect(lines).toHaveLength(10);
    expect(lines.filter((l) => l.endsWith(',1,name=edge,'))).toHaveLength(6);
    expect(lines.filter((l) => l.endsWith(',2,name=core,'))).toHaveLength(3);
    const json = await operator().get(`${e.base}/bulk-commands/${id}/results?format=json`);
    expect(json.headers['content-disposition']).toContain('.json"');
    const rows = JSON.parse(json.body) as { device_id: string; output: string; group: number }[];
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((x) => x.device_id))).toEqual(new Set(e.devices.slice(0, 9)));
  });
});

async function waitDone(id: string) {
  for (let i = 0; i < 600; i++) {
    const r = await results(e, e.admin, id);
    if (r.status === 'completed') return r;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('the run did not complete');
}

describe('checked before anything runs', () => {
  it('answers 422 with every problem of the text and starts nothing', async () => {
    const before = await rolloutCount();
    const r = await refused(e, operator(), {
      targets: { device_ids: e.devices.slice(0, 2) },
      commands: ['/ip address print', '/system reboot', '/interface set 0 disabled=yes', '/ip route print follow'].join(
        '\n',
      ),
    });
    expect(r.code).toBe('command_denied');
    expect(r.errors?.map((x) => x.path)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(r.errors?.[1]?.message).toContain('command_syntax');
    expect(r.errors?.[2]?.message).toContain('command_unsupported');
    expect(await rolloutCount()).toBe(before);
  });

  it('refuses too many commands and unknown deny-list ids', async () => {
    const many = Array.from({ length: 101 }, () => '/system identity print').join('\n');
    const r = await refused(e, operator(), { targets: { device_ids: [e.devices[0]] }, commands: many });
    expect(r.code).toBe('commands_too_large');
    const bad = await refused(e, e.admin, {
      targets: { device_ids: [e.devices[0]] },
      commands: '/system identity print',
      allow: ['format-disk'],
    });
    expect(bad.code).toBe('validation_failed');
  });

  it('refuses targets of another organisation', async () => {
    const theirs = await factories(e.ctx, e.seed, e.seed.b).device();
    const r = await refused(e, operator(), {
      targets: { device_ids: [theirs.id] },
      commands: '/system identity print',
    });
    expect(r.code).toBe('target_not_found');
  });
});

async function rolloutCount() {
  return withTenant(e.ctx.pools.app, e.seed.a.id, async (db) =>
    Number((await db.query('select count(*) from rollouts')).rows[0].count),
  );
}

describe('deny-list, roles and tenants', () => {
  it('refuses a denied command, an allow from an operator, and runs it for an admin who allows it', async () => {
    const body = { targets: { device_ids: e.devices.slice(0, 2) }, commands: '/user print where name=admin' };
    const denied = await refused(e, operator(), body);
    expect(denied.code).toBe('command_denied');
    expect(denied.detail).toContain('"user"');
    const notAdmin = await refused(e, operator(), { ...body, allow: ['user'] }, 403);
    expect(notAdmin.code).toBe('command_allow_forbidden');

    const r = await runAndWait(e, e.admin, { ...body, allow: ['user'] });
    expect(r.counts.done).toBe(2);
    for (const g of r.groups) expect(g.output).toMatch(/name=admin/);
    const rows = await withTenant(
      e.ctx.pools.app,
      e.seed.a.id,
      async (db) =>
        (
          await db.query(
            `select tenant_id, entry_id, details, details_sealed from audit_logs
            where action = 'bulk_commands.started' and target_id = $1`,
            [r.rollout_id],
          )
        ).rows,
    );
    const audit = (await openAuditRows(e.ctx, rows)).map((x) => x.details);
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'bulk_command_read',
        commands: '/user print where name=admin',
        allowed: [expect.objectContaining({ id: 'user', line: 1 })],
      }),
    ]);
  });

  it('viewers read results but cannot run; another tenant sees nothing', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const body = { targets: { device_ids: [e.devices[0]] }, commands: '/system identity print' };
    const no = await viewer.post(`${e.base}/bulk-commands`, body);
    expect(no.statusCode).toBe(403);
    const id = await runBulk(e, operator(), body);
    expect((await viewer.get(`${e.base}/bulk-commands/${id}/results`)).statusCode).toBe(200);

    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    const theirs = `/api/tenants/${e.seed.b.id}/bulk-commands/${id}/results`;
    expect((await other.get(theirs)).statusCode).toBe(404);
    expect((await other.get(`${e.base}/bulk-commands/${id}/results`)).statusCode).toBe(404);
    // Another kind of rollout is not a bulk command.
    const test = await startRollout(e, {
      kind: 'test_run',
      targets: { device_ids: [e.devices[0]!] },
      options: { scheduled_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect((await e.admin.get(`${e.base}/bulk-commands/${test}/results`)).statusCode).toBe(404);
  });
});
