import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import { openAuditRows } from '../audit/open.js';
import { routerApi } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { type RolloutEnv, rollout, startRolloutEnv } from '../rollouts/helpers.js';
import { refused, runAndWait } from './helpers.js';

// Bulk commands that change routers: through the safe-change engine (one operation per device) on RouterOS 6 and
// 7, read back in the same run; quoting kept from the text to the router and back; secrets sealed, never shown;
// the rules for mixing reads, changes and actions; actions, including a deny-listed one an admin allows.

vi.setConfig({ testTimeout: 240_000 });
let e: RolloutEnv;

beforeAll(async () => {
  e = await startRolloutEnv(
    [
      { version: '7.18.2', identity: 'r7' },
      { version: '6.49.10', identity: 'r6' },
      { version: '7.18.2', identity: 'spare' },
    ],
    { CHANGE_APPLY_SECONDS: '5', CHANGE_VERIFY_SECONDS: '5', CHANGE_WATCHDOG_GRACE_SECONDS: '5' },
  );
}, 120_000);
afterAll(() => e?.stop());

const operator = () => apiAs(e.ctx, e.seed, 'operator');
const both = () => ({ device_ids: e.devices.slice(0, 2) });

async function onRouter<T>(index: number, fn: (c: Awaited<ReturnType<typeof routerApi>>) => Promise<T>) {
  const c = await routerApi(e, index);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('changes', () => {
  it('land through the engine on v6 and v7, quoting preserved, read back before and after', async () => {
    const commands = [
      '/interface bridge',
      'print count-only where name=bulk-br',
      'add name=bulk-br comment="a b \\"c\\""',
      'set [ find name=bulk-br ] \\',
      '    mtu=1400',
      'print where name=bulk-br',
    ].join('\n');
    const r = await runAndWait(e, operator(), { targets: both(), commands });
    expect(r.kind).toBe('bulk_command_change');
    expect(r.counts).toMatchObject({ done: 2, failed: 0 });
    // v6 and v7 answer alike: one group. The read typed before the changes ran before them.
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]?.output.split('\n')).toEqual([
      '> print count-only where name=bulk-br',
      '0',
      '> /interface bridge add name=bulk-br comment="a b \\"c\\""',
      '> /interface bridge set [ find name=bulk-br ] mtu=1400',
      '> print where name=bulk-br',
      'comment="a b \\"c\\"" disabled=false dynamic=false mtu=1400 name=bulk-br',
    ]);
    // Each device: one confirmed operation of kind bulk_command with both commands.
    const detail = await rollout(e, r.rollout_id);
    for (const d of detail.devices) {
      expect(d.operation_status).toBe('confirmed');
      const op = expectStatus<{ kind: string; commands: string[] }>(
        await e.admin.get(`${e.base}/devices/${d.device_id}/operations/${d.operation_id}`),
        200,
      );
      expect(op.kind).toBe('bulk_command');
      expect(op.commands).toEqual([
        '/interface bridge add name=bulk-br comment="a b \\"c\\""',
        '/interface bridge set [ find name=bulk-br ] mtu=1400',
      ]);
    }
    for (const i of [0, 1]) {
      const rows = await onRouter(i, (c) => c.command('/interface/bridge/print'));
      const br = rows.find((x) => x.name === 'bulk-br');
      expect(br?.comment).toBe('a b "c"');
      expect(br?.mtu).toBe('1400');
    }
  });

  it('keep a password typed in the commands sealed: masked in the request, audit, operation and output', async () => {
    const commands =
      '/ppp secret add name=bulk-u password="s3cret pw" service=pppoe\n/ppp secret print where name=bulk-u';
    const r = await runAndWait(e, operator(), { targets: { device_ids: [e.devices[0]] }, commands });
    expect(r.counts.done, JSON.stringify(r.groups)).toBe(1);
    expect(r.commands).toBe(
      '/ppp secret add name=bulk-u password=******** service=pppoe\n/ppp secret print where name=bulk-u',
    );
    expect(r.groups[0]?.output).toMatch(/^> \/ppp secret add name=bulk-u password=\*{8} service=pppoe\n/);
    expect(r.groups[0]?.output).toMatch(/\n.* name=bulk-u password=\*{8} service=pppoe$/);
    const shown = [
      JSON.stringify(r),
      (await e.admin.get(`${e.base}/rollouts/${r.rollout_id}`)).body,
      (await e.admin.get(`${e.base}/bulk-commands/${r.rollout_id}/results?format=csv`)).body,
    ];
    const stored = await withTenant(e.ctx.pools.app, e.seed.a.id, async (db) => [
      ...(
        await db.query(
          `select request::text || commands_display::text as t from change_operations where device_id = $1`,
          [e.devices[0]],
        )
      ).rows.map((x) => x.t as string),
      // Audit details are sealed: opened, they must not hold it either.
      ...(
        await openAuditRows(
          e.ctx,
          (
            await db.query('select tenant_id, entry_id, details, details_sealed from audit_logs')
          ).rows,
        )
      ).map((x) => JSON.stringify(x.details)),
      ...(
        await db.query(
          `select request::text || coalesce(output, '') as t from rollouts
             join rollout_devices on rollout_id = id where id = $1`,
          [r.rollout_id],
        )
      ).rows.map((x) => x.t as string),
    ]);
    for (const text of [...shown, ...stored]) expect(text).not.toContain('s3cret');
    const secret = await onRouter(0, (c) => c.command('/ppp/secret/print'));
    expect(secret.find((x) => x.name === 'bulk-u')?.password).toBe('s3cret pw');
  });
});

describe('mixing reads, changes and actions', () => {
  it('refuses actions with changes, reads between changes, and an action that drops the session before others', async () => {
    const targets = both();
    const withAction = await refused(e, operator(), {
      targets,
      commands: '/ip dns cache flush\n/system identity set name=x',
    });
    expect(withAction.code).toBe('command_unsupported');
    expect(withAction.errors?.map((x) => x.path)).toEqual(['line 1']);
    const between = await refused(e, operator(), {
      targets,
      commands: '/system identity set name=x\n/system identity print\n/ip dns set servers=192.0.2.53',
    });
    expect(between.errors?.map((x) => x.path)).toEqual(['line 2']);
    expect(between.detail).toContain('before the first change or after the last');
    const notLast = await refused(e, e.admin, {
      targets,
      commands: '/system reboot\n/system identity print',
      allow: ['reboot'],
    });
    expect(notLast.code).toBe('command_unsupported');
    expect(notLast.detail).toContain('put it last');
    for (const i of [0, 1])
      expect((await onRouter(i, (c) => c.command('/system/identity/print')))[0]?.name).not.toBe('x');
  });

  it('runs actions directly, with reads, and a deny-listed one when an admin allows it', async () => {
    const check = await runAndWait(e, operator(), {
      targets: both(),
      commands: '/system package update check-for-updates\n/system identity print',
    });
    expect(check.kind).toBe('bulk_command_action');
    expect(check.counts.done).toBe(2);
    // Each router its own answer: its version is up to date, its identity.
    for (const [name, version] of [
      ['r7', '7.18.2'],
      ['r6', '6.49.10'],
    ] as const) {
      const g = check.groups.find((x) => x.output.endsWith(`name=${name}`));
      expect(g?.output).toMatch(
        new RegExp(
          `^> /system package update check-for-updates\\n.*installed-version=${version.replaceAll('.', '\\.')}`,
        ),
      );
      expect(g?.output).toContain('\n> /system identity print\nname=');
    }

    const spare = e.devices[2]!;
    const reboot = { targets: { device_ids: [spare] }, commands: '/system reboot' };
    expect((await refused(e, operator(), reboot)).code).toBe('command_denied');
    const r = await runAndWait(e, e.admin, { ...reboot, allow: ['reboot'] });
    expect(r.counts).toMatchObject({ done: 1, failed: 0 });
    expect(r.groups).toEqual([expect.objectContaining({ device_ids: [spare], status: 'done', error: null })]);
    // The router rebooted (it refuses connections for a moment, then logs why it restarted).
    let log: Record<string, string>[] | undefined;
    for (let i = 0; i < 100 && !log; i++)
      log = await onRouter(2, (c) => c.command('/log/print')).catch(async () => {
        await new Promise((res) => setTimeout(res, 200));
        return undefined;
      });
    expect(log?.map((x) => x.message)).toContain('system rebooted by request');
  });

  it('fails a device whose router refuses an action, with the reason, and the canary pauses the run', async () => {
    const r = await runAndWait(e, operator(), {
      targets: both(),
      commands: '/system identity print\n/ip dhcp-client renew nowhere',
    });
    expect(r.status).toBe('paused');
    expect(r.counts).toMatchObject({ failed: 1, pending: 1 });
    expect(r.groups).toEqual([
      expect.objectContaining({
        device_ids: [e.devices[0]],
        status: 'failed',
        // What the device said before the refusal stays, under its command line.
        output: '> /system identity print\nname=r7',
        error: { code: 'command_failed', message: expect.stringMatching(/^\/ip dhcp-client renew nowhere: no such/) },
      }),
    ]);
    expect(r.waiting).toEqual([expect.objectContaining({ device_id: e.devices[1], status: 'pending' })]);
    expectStatus(await e.admin.post(`${e.base}/rollouts/${r.rollout_id}/cancel`), 200);
  });
});
