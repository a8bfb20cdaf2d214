import { buildNpk } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/platform/db/tx.js';
import { routerApi } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { type RolloutJson, rollout, waitRollout } from '../rollouts/helpers.js';
import { type FirmwareEnv, inventory, item, logsOf, preUpgradeBackups, quick, startFirmwareEnv } from './helpers.js';

// Firmware upgrades as rollouts against simulated routers: the router's own updater with a pre-upgrade backup and
// the exact version verified, RouterBOARD firmware with its second reboot, a major jump refused without
// confirmation and done with it through 6.49, a failed download, routers without internet upgraded from TOD's
// cache over SFTP, a maintenance window's next occurrence as the start, and another organisation's devices.

vi.setConfig({ testTimeout: 180_000 });
let e: FirmwareEnv;
const MIB = 1024 * 1024;
const NAND = { totalHdd: 128 * MIB };

beforeAll(async () => {
  e = await startFirmwareEnv([
    quick({ version: '7.16', architecture: 'arm64', currentFirmware: '7.15.3', ...NAND }),
    quick({ version: '6.48.6', architecture: 'mipsbe', generate: { wireless: 1 } }),
    quick({ version: '7.16', architecture: 'arm64', ...NAND, faults: { downloadFails: true } }),
    quick({ version: '7.16', architecture: 'arm', ...NAND, faults: { noInternet: true } }),
    quick({ version: '6.48.6', architecture: 'mipsbe' }),
    quick({ version: '7.16', architecture: 'x86_64', ...NAND }),
  ]);
}, 120_000);
afterAll(() => e?.stop());

const upgrades = (body: Record<string, unknown>, api = e.admin) => api.post(`${e.base}/firmware/upgrades`, body);
async function start(body: Record<string, unknown>): Promise<string> {
  return expectStatus<{ rollout_id: string }>(
    await upgrades({ rollout: { max_failures: null, canary: 0 }, ...body }),
    202,
  ).rollout_id;
}
const deviceOf = (r: RolloutJson, id: string) => r.devices.find((d) => d.device_id === id) as RolloutJson['devices'][0];
const output = (id: string, deviceId: string) =>
  withTenant(e.ctx.pools.app, e.seed.a.id, async (db) => {
    const r = await db.query<{ output: string | null }>(
      'select output from rollout_devices where rollout_id = $1 and device_id = $2',
      [id, deviceId],
    );
    return r.rows[0]?.output ?? null;
  });
const reboots = (i: number) => logsOf(e, i).filter((l) => l === 'system,info router rebooted').length;
const lockHeld = (deviceId: string) =>
  withTenant(e.ctx.pools.app, e.seed.a.id, async (db) => {
    const r = await db.query(
      `select 1 from device_leases where device_id = $1 and name = 'change' and expires_at > now()`,
      [deviceId],
    );
    return (r.rowCount ?? 0) > 0;
  });

describe('requests', () => {
  it('needs a version until the devices reported their channel latest; refuses another organisation’s devices', async () => {
    const none = await upgrades({ targets: { device_ids: [e.devices[0]] } });
    expect(expectStatus<{ code: string }>(none, 422).code).toBe('no_known_version');
    const other = await apiAs(e.ctx, e.seed, 'operator', e.seed.b).post(
      `/api/tenants/${e.seed.b.id}/firmware/upgrades`,
      {
        targets: { device_ids: [e.devices[0]] },
        version: '7.20.4',
      },
    );
    expect(expectStatus<{ code: string }>(other, 422).code).toBe('target_not_found');
    const both = await upgrades({
      targets: { device_ids: [e.devices[0]] },
      version: '7.20.4',
      maintenance_window_id: '00000000-0000-4000-8000-000000000000',
      rollout: { scheduled_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(expectStatus<{ code: string }>(both, 422).code).toBe('validation_failed');
    const badVersion = await upgrades({ targets: { device_ids: [e.devices[0]] }, version: '7.20.4; reboot' });
    expect(badVersion.statusCode).toBe(422);
  });

  it('schedules the rollout at the next occurrence of a maintenance window, to start no device after it ends', async () => {
    const startsAt = new Date(Date.now() + 2 * 3_600_000);
    startsAt.setUTCSeconds(0, 0);
    const w = expectStatus<{ id: string }>(
      await e.admin.post(`${e.base}/maintenance-windows`, {
        name: 'upgrade night',
        starts_at: startsAt.toISOString(),
        ends_at: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        timezone: 'UTC',
        scope: { kind: 'organisation' },
      }),
      201,
    );
    const id = await start({ targets: { device_ids: [e.devices[0]] }, version: '7.20.4', maintenance_window_id: w.id });
    const r = expectStatus<{ status: string; scheduled_at: string; options: { stop_at: string } }>(
      await e.admin.get(`${e.base}/rollouts/${id}`),
      200,
    );
    expect(r.status).toBe('scheduled');
    expect(Date.parse(r.scheduled_at)).toBe(startsAt.getTime());
    expect(Date.parse(r.options.stop_at)).toBe(startsAt.getTime() + 3_600_000);
    expectStatus(await e.admin.post(`${e.base}/rollouts/${id}/cancel`), 200);
    expect(e.fleet.device(0).version.text).toBe('7.16');
  });
});

describe('through the router’s own updater', () => {
  it('upgrades with a pre-upgrade backup, verifies the version, then RouterBOARD firmware with a second reboot', async () => {
    const d = e.devices[0] as string;
    const rebootsBefore = reboots(0);
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.4', routerboard: true });
    const r = await waitRollout(e, id);
    expect(deviceOf(r, d)).toMatchObject({ status: 'done', error: null });
    expect(await output(id, d)).toBe("7.16 → 7.20.4 (the router's updater); RouterBOOT 7.20.4");
    const sim = e.fleet.device(0);
    expect(sim.version.text).toBe('7.20.4');
    expect(reboots(0) - rebootsBefore).toBe(2);
    expect(logsOf(e, 0)).toEqual(
      expect.arrayContaining(['system,info installed routeros-7.20.4', 'system,info installed wifi-qcom-ac-7.20.4']),
    );
    expect(await preUpgradeBackups(e, d)).toBe(1);
    const inv = item(await inventory(e), d);
    expect(inv).toMatchObject({ version: '7.20.4', current_firmware: '7.20.4', upgrade_firmware: '7.20.4' });
    expect(inv.packages?.map((p) => `${p.name} ${p.version}`)).toEqual(['routeros 7.20.4', 'wifi-qcom-ac 7.20.4']);
    // The change lock is free again, and nothing is left to do for a second rollout.
    expect(await lockHeld(d)).toBe(false);
    const again = await waitRollout(
      e,
      await start({ targets: { device_ids: [d] }, version: '7.20.4', routerboard: true }),
    );
    expect(deviceOf(again, d).status).toBe('done');
    expect(reboots(0) - rebootsBefore).toBe(2);
  });

  it('refuses a major jump without confirmation, and takes 6.48 → 6.49 → 7.20 with it', async () => {
    const d = e.devices[1] as string;
    expectStatus(await e.admin.post(`${e.base}/firmware/check`, { device_ids: [d] }), 200);
    const refused = await upgrades({ targets: { device_ids: [d] }, version: '7.20.4' });
    const body = expectStatus<{ code: string; detail: string }>(refused, 422);
    expect(body.code).toBe('major_upgrade_unconfirmed');
    expect(body.detail).toMatch(/6\.49/);
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.4', confirm_major: true });
    const r = await waitRollout(e, id);
    expect(deviceOf(r, d)).toMatchObject({ status: 'done', error: null });
    expect(await output(id, d)).toBe("6.48.6 → 6.49.17 → 7.20.4 (the router's updater)");
    const sim = e.fleet.device(1);
    expect(sim.version.text).toBe('7.20.4');
    expect(sim.behaviour.v7).toBe(true);
    const installs = logsOf(e, 1).filter((l) => /^system,info installed routeros/.test(l));
    expect(installs).toEqual([
      'system,info installed routeros-mipsbe-6.49.17',
      'system,info installed routeros-7.20.4',
    ]);
    expect(item(await inventory(e), d)).toMatchObject({ version: '7.20.4', channel: 'stable' });
  });

  it('a router whose version TOD did not know yet is still refused the major jump by its step, untouched', async () => {
    const d = e.devices[4] as string;
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.4' });
    const r = await waitRollout(e, id);
    expect(deviceOf(r, d)).toMatchObject({ status: 'failed', error: { code: 'major_upgrade_unconfirmed' } });
    expect(e.fleet.device(4).version.text).toBe('6.48.6');
    expect(await preUpgradeBackups(e, d)).toBe(0);
  });

  it('a failed download fails the device without a reboot and frees its change lock', async () => {
    const d = e.devices[2] as string;
    const before = reboots(2);
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.4' });
    const r = await waitRollout(e, id);
    expect(deviceOf(r, d)).toMatchObject({ status: 'failed', error: { code: 'download_failed' } });
    expect(deviceOf(r, d).error?.message).toMatch(/connection timed out/);
    expect(reboots(2)).toBe(before);
    expect(e.fleet.device(2).version.text).toBe('7.16');
    expect(await lockHeld(d)).toBe(false);
    // The download works again: retry-failed upgrades it.
    e.fleet.device(2).setFault({ downloadFails: undefined });
    expectStatus(await e.admin.post(`${e.base}/rollouts/${id}/retry-failed`), 200);
    const again = await waitRollout(e, id, (x) => x.status === 'completed' && x.counts.pending === 0);
    expect(deviceOf(again, d).status).toBe('done');
    expect(e.fleet.device(2).version.text).toBe('7.20.4');
  });

  it('x86 has no RouterBOARD firmware: the upgrade says so and reboots once', async () => {
    const d = e.devices[5] as string;
    const before = reboots(5);
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.4', routerboard: true });
    const r = await waitRollout(e, id);
    expect(deviceOf(r, d).status).toBe('done');
    expect(await output(id, d)).toBe("7.16 → 7.20.4 (the router's updater); no RouterBOARD firmware on this router");
    expect(reboots(5) - before).toBe(1);
  });
});

describe('from TOD’s cache (routers without internet)', () => {
  const upload = async (name: string, arch: string) =>
    expectStatus(
      await e.ctx.app.inject({
        method: 'POST',
        url: `${e.base}/firmware/packages`,
        headers: { ...e.admin.headers, 'content-type': 'application/octet-stream' },
        payload: buildNpk({ name, version: '7.20.4', architecture: arch, size: 512 * 1024 }),
      }),
      201,
    );

  it('fails without internet, needs every package the router has, then uploads them over SFTP and reboots', async () => {
    const d = e.devices[3] as string;
    const offline = await waitRollout(
      e,
      await start({ targets: { device_ids: [d] }, version: '7.20.4', source: 'device' }),
    );
    expect(deviceOf(offline, d)).toMatchObject({ status: 'failed', error: { code: 'no_internet' } });

    await upload('routeros', 'arm');
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.4', source: 'cache' });
    const partial = await waitRollout(e, id);
    expect(deviceOf(partial, d)).toMatchObject({ status: 'failed', error: { code: 'package_not_cached' } });
    expect(deviceOf(partial, d).error?.message).toMatch(/wifi-qcom-ac/);
    expect(e.fleet.device(3).version.text).toBe('7.16');

    await upload('wifi-qcom-ac', 'arm');
    // An arm64 package in the cache is not for this router.
    await upload('routeros', 'arm64');
    expectStatus(await e.admin.post(`${e.base}/rollouts/${id}/retry-failed`), 200);
    const r = await waitRollout(e, id, (x) => x.status === 'completed' && x.counts.pending === 0);
    expect(deviceOf(r, d)).toMatchObject({ status: 'done', error: null });
    expect(await output(id, d)).toBe("7.16 → 7.20.4 (TOD's cache)");
    expect(e.fleet.device(3).version.text).toBe('7.20.4');
    expect(logsOf(e, 3)).toEqual(
      expect.arrayContaining(['system,info installed routeros-7.20.4', 'system,info installed wifi-qcom-ac-7.20.4']),
    );
    // Nothing was left behind in the router's file store.
    const c = await routerApi(e, 3);
    try {
      expect((await c.command('/file/print')).filter((f) => f.name?.endsWith('.npk'))).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('source auto falls back to the cache when the router cannot reach MikroTik', async () => {
    const d = e.devices[3] as string;
    // Back to 7.16 is not possible by upgrading: use another offline router, this one (arm) on 7.20.4 now, with a
    // newer cached release.
    await e.ctx.app.inject({
      method: 'POST',
      url: `${e.base}/firmware/packages`,
      headers: { ...e.admin.headers, 'content-type': 'application/octet-stream' },
      payload: buildNpk({ name: 'routeros', version: '7.20.5', architecture: 'arm' }),
    });
    await e.ctx.app.inject({
      method: 'POST',
      url: `${e.base}/firmware/packages`,
      headers: { ...e.admin.headers, 'content-type': 'application/octet-stream' },
      payload: buildNpk({ name: 'wifi-qcom-ac', version: '7.20.5', architecture: 'arm' }),
    });
    const id = await start({ targets: { device_ids: [d] }, version: '7.20.5' });
    const r = await waitRollout(e, id);
    expect(deviceOf(r, d)).toMatchObject({ status: 'done', error: null });
    expect(await output(id, d)).toBe("7.20.4 → 7.20.5 (TOD's cache)");
    expect(e.fleet.device(3).version.text).toBe('7.20.5');
    expect((await rollout(e, id)).status).toBe('completed');
  });
});
