import { buildNpk } from '@tod/simulator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChecker } from '../../src/features/firmware/checker.js';
import { createPools } from '../../src/platform/db/pools.js';
import { startSchedules } from '../../src/platform/jobs/schedules.js';
import { addSimDevice } from '../config-backups/helpers.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { TEST_DB_PASSWORDS } from '../helpers/constants.js';
import { type FirmwareEnv, inventory, item, quick, startFirmwareEnv } from './helpers.js';

// The firmware inventory against simulated routers: what each one runs (version, packages, architecture, channel,
// RouterBOARD firmware), what its channel offers, checked on request and by the daily schedule exactly once across
// processes; the package cache's uploads (the .npk header checked); roles and another organisation.

vi.setConfig({ testTimeout: 120_000 });
let e: FirmwareEnv;
const MIB = 1024 * 1024;

beforeAll(async () => {
  e = await startFirmwareEnv([
    quick({ version: '7.16', architecture: 'arm64', currentFirmware: '7.15.3', totalHdd: 128 * MIB }),
    quick({ version: '6.48.6', architecture: 'mipsbe', generate: { wireless: 1 } }),
    quick({ version: '7.16', architecture: 'x86_64', totalHdd: 128 * MIB }),
    quick({ version: '7.16', architecture: 'arm', faults: { noInternet: true } }),
    quick({ version: '7.18.2', architecture: 'arm64' }),
  ]);
  // The last router belongs to the other organisation.
  expectStatus(await e.admin.delete(`${e.base}/devices/${e.devices.pop()}`), 204);
  tenantBDevice = await addSimDevice(e, 4, e.seed.b);
}, 120_000);
afterAll(() => e?.stop());
let tenantBDevice: string;

const ids = () => e.devices.slice(0, 4);
const logins = (i: number) => e.fleet.device(i).logs.filter((l) => /logged in .* via api/.test(l.message)).length;

describe('inventory and check', () => {
  it('lists every device before any check, with nothing known about channels yet', async () => {
    const inv = await inventory(e);
    expect(inv.total).toBe(4);
    expect(inv.items.map((i) => i.device_id).sort()).toEqual([...ids()].sort());
    expect(inv.items.every((i) => i.channel === null && i.checked_at === null && !i.update_available)).toBe(true);
    expect(inv.latest).toEqual([]);
    expect(inv.policies).toEqual({ check: true, upgrade: true, upload: true });
  });

  it('checks on request: versions, packages, RouterBOARD firmware, channel and what the channel offers', async () => {
    const r = expectStatus<{ status: string; devices: number; checked: number; failed: number }>(
      await apiAs(e.ctx, e.seed, 'operator').post(`${e.base}/firmware/check`),
      200,
    );
    expect(r).toEqual({ status: 'done', devices: 4, checked: 4, failed: 0 });
    const inv = await inventory(e);
    const [arm64, v6, x86, offline] = ids().map((id) => item(inv, id));
    expect(arm64).toMatchObject({
      version: '7.16',
      architecture: 'arm64',
      channel: 'stable',
      routerboard: true,
      current_firmware: '7.15.3',
      upgrade_firmware: '7.16',
      routerboard_upgrade_available: true,
      latest_version: '7.20.4',
      update_available: true,
      update_status: 'New version is available',
      check_due: false,
      check_error: null,
    });
    expect(arm64?.packages?.map((p) => `${p.name} ${p.version}`)).toEqual(['routeros 7.16', 'wifi-qcom-ac 7.16']);
    expect(v6).toMatchObject({ version: '6.48.6', architecture: 'mipsbe', latest_version: '6.49.17' });
    expect(v6?.packages?.map((p) => p.name)).toContain('routeros-mipsbe');
    expect(x86).toMatchObject({ routerboard: false, current_firmware: null, routerboard_upgrade_available: false });
    // Without internet the router says why; no latest version is known for it.
    expect(offline).toMatchObject({
      latest_version: null,
      update_available: false,
      update_status: 'ERROR: could not resolve dns name',
    });
    expect(inv.latest).toEqual([
      { channel: 'stable', major: 6, version: '6.49.17', devices: 1 },
      { channel: 'stable', major: 7, version: '7.20.4', devices: 2 },
    ]);
    // The device's own record says it too (the poller no longer asks: this check is the only one).
    const device = expectStatus<{ latest_version: string | null }>(
      await e.admin.get(`${e.base}/devices/${ids()[0]}`),
      200,
    );
    expect(device.latest_version).toBe('7.20.4');
  });

  it('a router that cannot be reached keeps its last reading and says why', async () => {
    const d = e.fleet.device(3);
    d.setFault({ refuse: true });
    try {
      const r = expectStatus<{ failed: number; devices: number }>(
        await e.admin.post(`${e.base}/firmware/check`, { device_ids: [e.devices[3]] }),
        200,
      );
      expect(r).toMatchObject({ devices: 1, failed: 1 });
      const offline = item(await inventory(e), e.devices[3] as string);
      expect(offline.check_error?.code).toBe('refused');
      expect(offline.version).toBe('7.16');
    } finally {
      d.setFault({ refuse: undefined });
    }
    const unknown = await e.admin.post(`${e.base}/firmware/check`, { device_ids: [tenantBDevice] });
    expect(expectStatus<{ code: string }>(unknown, 422).code).toBe('target_not_found');
  });

  it('the scheduled check runs once across processes, and each router is checked exactly once', async () => {
    const schedule = e.ctx.services.assembly.schedules().find((s) => s.name === 'firmware.check');
    expect(schedule?.everyMs).toBe(24 * 3_600_000);
    await e.ctx.pools.system.query(
      `insert into schedules (name, next_run_at) values ('firmware.check', now()) on conflict (name) do update set next_run_at = now()`,
    );
    const before = [0, 1, 2, 3, 4].map(logins);
    const other = createPools({
      ownerUrl: e.ctx.ownerUrl,
      appPassword: TEST_DB_PASSWORDS.app,
      systemPassword: TEST_DB_PASSWORDS.system,
      appMax: 4,
      systemMax: 4,
      statementTimeoutMs: 10_000,
    });
    const log = pino({ level: 'silent' });
    try {
      // Two worker processes: both schedulers tick at once; one wins the run.
      const runs = [e.ctx.pools.system, other.system].map((systemPool, n) =>
        startSchedules({ systemPool, log, owner: `worker-${n}`, schedules: [schedule!], tickMs: 3_600_000 }),
      );
      await new Promise((r) => setTimeout(r, 1000));
      await Promise.all(runs.map((s) => s.stop()));
      expect((await inventory(e)).items.every((i) => i.check_due)).toBe(true);
      // Two checkers (one per process) take the due routers between them.
      const second = createChecker({
        appPool: other.app,
        systemPool: other.system,
        access: e.ctx.services.deviceAccess,
        log,
        options: { concurrency: 2, leaseMs: 60_000, pollMs: 1000 },
      });
      const done = await Promise.all([e.ctx.services.firmware.checker.pass(() => false), second.pass(() => false)]);
      // Both organisations' routers were due.
      expect(done[0] + done[1]).toBe(5);
    } finally {
      await other.end();
    }
    expect([0, 1, 2, 3, 4].map((i) => logins(i) - (before[i] as number))).toEqual([1, 1, 1, 1, 1]);
    const inv = await inventory(e);
    expect(inv.items.every((i) => !i.check_due && i.checked_at !== null)).toBe(true);
    // The other organisation's router was checked too, but is listed only there.
    expect(inv.items.some((i) => i.device_id === tenantBDevice)).toBe(false);
    const b = expectStatus<{ items: Array<{ device_id: string; version: string }> }>(
      await apiAs(e.ctx, e.seed, 'admin', e.seed.b).get(`/api/tenants/${e.seed.b.id}/firmware`),
      200,
    );
    expect(b.items).toEqual([expect.objectContaining({ device_id: tenantBDevice, version: '7.18.2' })]);
  });

  it('viewers read, operators check and upgrade, admins upload; the check is rate limited', async () => {
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    const inv = expectStatus<{ policies: Record<string, boolean> }>(await viewer.get(`${e.base}/firmware`), 200);
    expect(inv.policies).toEqual({ check: false, upgrade: false, upload: false });
    expect((await viewer.post(`${e.base}/firmware/check`)).statusCode).toBe(403);
    expect(
      (await viewer.post(`${e.base}/firmware/upgrades`, { targets: { device_ids: ids() }, version: '7.20.4' }))
        .statusCode,
    ).toBe(403);
    const operator = apiAs(e.ctx, e.seed, 'operator');
    expect(
      expectStatus<{ policies: Record<string, boolean> }>(await operator.get(`${e.base}/firmware`), 200).policies,
    ).toEqual({ check: true, upgrade: true, upload: false });
    const upload = await e.ctx.app.inject({
      method: 'POST',
      url: `${e.base}/firmware/packages`,
      headers: { ...operator.headers, 'content-type': 'application/octet-stream' },
      payload: buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'arm64' }),
    });
    expect(upload.statusCode).toBe(403);
    // Four checks a minute per organisation (the other one has not checked yet).
    const b = apiAs(e.ctx, e.seed, 'operator', e.seed.b);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await b.post(`/api/tenants/${e.seed.b.id}/firmware/check`)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 429]);
  });
});

describe('package cache', () => {
  const upload = (body: Buffer, query = '', caller: 'admin' | 'operator' = 'admin', tenant = e.seed.a) =>
    e.ctx.app.inject({
      method: 'POST',
      url: `/api/tenants/${tenant.id}/firmware/packages${query}`,
      headers: { ...apiAs(e.ctx, e.seed, caller, tenant).headers, 'content-type': 'application/octet-stream' },
      payload: body,
    });

  it('keeps a package under a name made from its header, for this organisation only', async () => {
    const npk = buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'arm64', size: 256 * 1024 });
    const r = expectStatus<Record<string, unknown>>(await upload(npk), 201);
    expect(r).toMatchObject({
      file: 'routeros@7.20.4@arm64.npk',
      name: 'routeros',
      version: '7.20.4',
      architecture: 'arm64',
      size: npk.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Math.abs(Date.parse(r.added_at as string) - Date.now())).toBeLessThan(60_000);
    const v6 = buildNpk({ name: 'routeros-mipsbe', version: '6.49.17', architecture: 'mips' });
    expect(expectStatus<Record<string, unknown>>(await upload(v6), 201)).toMatchObject({ architecture: 'mipsbe' });
    const list = expectStatus<{ items: Array<{ file: string; added_at: string }> }>(
      await apiAs(e.ctx, e.seed, 'viewer').get(`${e.base}/firmware/packages`),
      200,
    );
    expect(list.items.every((p) => Date.parse(p.added_at) > 0)).toBe(true);
    expect(list.items.map((p) => p.file).sort()).toEqual([
      'routeros-mipsbe@6.49.17@mipsbe.npk',
      'routeros@7.20.4@arm64.npk',
    ]);
    const other = expectStatus<{ items: unknown[] }>(
      await apiAs(e.ctx, e.seed, 'admin', e.seed.b).get(`/api/tenants/${e.seed.b.id}/firmware/packages`),
      200,
    );
    expect(other.items).toEqual([]);
  });

  it('refuses what is not a whole RouterOS package', async () => {
    const npk = buildNpk({ name: 'wifi-qcom-ac', version: '7.20.4', architecture: 'arm64', size: 4096 });
    const refused = [
      Buffer.from('MZ not a package at all'),
      npk.subarray(0, npk.length - 100),
      // The declared length fits, but the last part runs past the end.
      (() => {
        const b = Buffer.from(npk);
        // The padding part's length: after the header (8), name info (6 + 36) and architecture (6 + 5), its type.
        b.writeUInt32LE(b.length, 8 + 42 + 11 + 2);
        return b;
      })(),
      buildNpk({ name: 'Bad Name!', version: '7.20.4', architecture: 'arm64' }),
    ];
    for (const body of refused) {
      const r = await upload(body);
      expect(expectStatus<{ code: string }>(r, 422).code).toBe('npk_invalid');
    }
    const json = await e.admin.post(`${e.base}/firmware/packages`, { npk: 'x' });
    expect(json.statusCode).toBe(415);
  });

  it('takes the architecture from the request only when the package has none, and never a contradicting one', async () => {
    // A name-info part of RouterOS's older layout (type 0x12) and no architecture part.
    const info = Buffer.alloc(32);
    info.write('ntp', 0, 'latin1');
    Buffer.from([17, 102, 49, 6]).copy(info, 16); // 6.49.17 final
    const part = Buffer.concat([Buffer.from([0x12, 0, 32, 0, 0, 0]), info]);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(0xbad0f11e, 0);
    head.writeUInt32LE(part.length, 4);
    const bare = Buffer.concat([head, part]);
    expect(expectStatus<{ code: string; detail: string }>(await upload(bare), 422).detail).toMatch(/architecture/);
    expect(expectStatus<Record<string, unknown>>(await upload(bare, '?architecture=mipsbe'), 201)).toMatchObject({
      name: 'ntp',
      version: '6.49.17',
      architecture: 'mipsbe',
    });
    const arm = buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'arm' });
    expect(expectStatus<{ code: string }>(await upload(arm, '?architecture=arm64'), 422).code).toBe('npk_invalid');
  });
});
