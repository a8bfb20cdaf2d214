// Firmware over real API sockets (and SFTP for uploads): update channels and checks, downloads into the file
// store, installs at reboot (downloaded or uploaded packages, the 6.x → 6.49 → 7.x path, downgrades), RouterBOARD
// firmware, and the failures a rollout must survive (no internet, a failed download, no room, never coming back).
import type { RouterOSClient } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNpk, type DeviceSpec, type Fleet, startFleet, type UpdateServer } from '../src/index.js';
import { connect, waitFor } from './helpers.js';
import { sftpOf, withSsh, writeFile } from './ssh-helpers.js';

const MIB = 1024 * 1024;
// One update server for the whole fleet, as MikroTik's is.
const SERVER: UpdateServer = {
  stable: ['6.49.17', '7.20.4'],
  'long-term': ['6.48.7', '7.16.3'],
  testing: '7.21beta2',
  development: '7.21beta2',
  upgrade: '7.20.4',
};
const quick: DeviceSpec = {
  updates: SERVER,
  users: [{ name: 'admin', password: 'pw' }],
  updateCheckMs: 20,
  downloadMs: 200,
  rebootDelayMs: 100,
  upgradeRebootMs: 300,
  uptimeMs: 30 * 86_400_000,
};
const NAND = { totalHdd: 128 * MIB };

let fleet: Fleet;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    base: quick,
    specs: [
      { version: '7.16', architecture: 'arm64', currentFirmware: '7.15.3', ...NAND },
      { version: '6.48.6', architecture: 'mipsbe', generate: { wireless: 1 } },
      { version: '6.45.9', architecture: 'mipsbe' },
      { version: '7.16', architecture: 'arm' },
      { version: '7.16', architecture: 'arm64', totalHdd: 128 * MIB, freeHdd: 4 * MIB },
      { version: '7.16', architecture: 'arm64', ...NAND },
      { version: '7.16', architecture: 'arm64', ...NAND },
      { version: '7.16', architecture: 'x86_64', ...NAND },
    ],
  });
});
afterAll(() => fleet?.stop());

const login = (i: number) => connect(fleet.devices[i]!);

async function update(c: RouterOSClient): Promise<Record<string, string>> {
  const [row] = await c.command('/system/package/update/print');
  return row ?? {};
}

async function files(c: RouterOSClient): Promise<string[]> {
  return (await c.command('/file/print')).map((f) => f.name ?? '');
}

/** `/system/reboot` over the API (no answer: the connection drops), then a new session once it is back. */
async function rebootAndLogin(i: number, c: RouterOSClient): Promise<RouterOSClient> {
  const bootAt = fleet.device(i).bootAt;
  c.command('/system/reboot').catch(() => {});
  return cameBack(i, bootAt);
}

async function cameBack(i: number, bootAt: number): Promise<RouterOSClient> {
  const d = fleet.device(i);
  await waitFor(() => d.bootAt !== bootAt && d.accepting, `device ${i} back from its reboot`);
  return login(i);
}

function logMessages(i: number): string[] {
  return fleet.device(i).logs.map((e) => `${e.topics} ${e.message}`);
}

describe('update channels and check-for-updates', () => {
  it('shows the channel and installed version; set channel takes only the names RouterOS knows', async () => {
    const c = await login(0);
    expect(await update(c)).toEqual({ channel: 'stable', 'installed-version': '7.16' });
    await expect(c.command('/system/package/update/set', { channel: 'beta' })).rejects.toThrow(
      /input does not match any value of channel/,
    );
    // `upgrade` is 6.49's channel to v7: a v7 router does not have it.
    await expect(c.command('/system/package/update/set', { channel: 'upgrade' })).rejects.toThrow(
      /input does not match any value of channel/,
    );
    await c.command('/system/package/update/set', { channel: 'long-term' });
    expect((await update(c)).channel).toBe('long-term');
    await c.close();
  });

  it('check-for-updates streams finding out, then the channel latest version of the device major', async () => {
    const c = await login(0);
    const rows = await c.command('/system/package/update/check-for-updates');
    expect(rows[0]).toMatchObject({ status: 'finding out latest version...', '.section': '0' });
    expect(rows.at(-1)).toMatchObject({
      channel: 'long-term',
      'installed-version': '7.16',
      'latest-version': '7.16.3',
      status: 'New version is available',
    });
    await c.command('/system/package/update/set', { channel: 'testing' });
    // A channel change forgets what was found out about the other one.
    expect(await update(c)).toEqual({ channel: 'testing', 'installed-version': '7.16' });
    const testing = await c.command('/system/package/update/check-for-updates');
    expect(testing.at(-1)?.['latest-version']).toBe('7.21beta2');
    await c.command('/system/package/update/set', { channel: 'stable' });
    const stable = await c.command('/system/package/update/check-for-updates');
    expect(stable.at(-1)).toMatchObject({ 'latest-version': '7.20.4', status: 'New version is available' });
    expect(await update(c)).toMatchObject({ 'latest-version': '7.20.4', status: 'New version is available' });
    await c.close();
  });

  it('devices share the update server: a release published at run time is what the next check finds', async () => {
    const c = await login(5);
    const before = await c.command('/system/package/update/check-for-updates');
    expect(before.at(-1)?.['latest-version']).toBe('7.20.4');
    const stable = SERVER.stable;
    SERVER.stable = ['6.49.17', '7.20.5'];
    try {
      const after = await c.command('/system/package/update/check-for-updates');
      expect(after.at(-1)?.['latest-version']).toBe('7.20.5');
    } finally {
      SERVER.stable = stable;
    }
    await c.close();
  });

  it('a channel other than stable is configuration: the export has it', async () => {
    const c = await login(5);
    await c.command('/system/package/update/set', { channel: 'long-term' });
    await c.command('/export', { file: 'cfg' });
    expect(fleet.device(5).fileContents('cfg.rsc')).toMatch(/\/system package update\r?\nset channel=long-term/);
    await c.command('/system/package/update/set', { channel: 'stable' });
    await c.command('/export', { file: 'cfg' });
    expect(fleet.device(5).fileContents('cfg.rsc')).not.toMatch(/channel=/);
    await c.close();
  });

  it('without internet the check ends in the DNS error and no latest version', async () => {
    const c = await login(5);
    fleet.device(5).setFault({ noInternet: true });
    const rows = await c.command('/system/package/update/check-for-updates');
    expect(rows.at(-1)).toEqual({
      channel: 'stable',
      'installed-version': '7.16',
      status: 'ERROR: could not resolve dns name',
      '.section': '1',
    });
    const dl = await c.command('/system/package/update/download');
    expect(dl.at(-1)?.status).toBe('ERROR: could not resolve dns name');
    expect((await files(c)).filter((f) => f.endsWith('.npk'))).toEqual([]);
    fleet.device(5).setFault({ noInternet: undefined });
    await c.close();
  });

  it('v6 before 6.49 has no upgrade channel, and a v7 package uploaded there is not installed', async () => {
    const c = await login(2);
    await expect(c.command('/system/package/update/set', { channel: 'upgrade' })).rejects.toThrow(
      /input does not match any value of channel/,
    );
    const stable = await c.command('/system/package/update/check-for-updates');
    expect(stable.at(-1)?.['latest-version']).toBe('6.49.17');
    await withSsh(fleet.devices[2]!, async (s) => {
      const npk = buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'mipsbe' });
      await writeFile(await sftpOf(s), 'routeros-7.20.4-mipsbe.npk', npk);
    });
    const back = await rebootAndLogin(2, c);
    expect((await update(back))['installed-version']).toBe('6.45.9');
    expect(logMessages(2)).toContain(
      'system,error package routeros-7.20.4-mipsbe.npk not installed: upgrade to 6.49 first',
    );
    await back.close();
  });
});

describe('download, install, reboot into the new version', () => {
  it('download fetches routeros and the extra packages with progress, then a reboot installs them', async () => {
    const i = 0;
    let c = await login(i);
    const rows = await c.command('/system/package/update/download');
    const statuses = rows.map((r) => r.status);
    expect(statuses).toContain('calculating download size...');
    expect(statuses.some((s) => /^Downloaded \d+% \(\d+\.\dMiB\)$/.test(s ?? ''))).toBe(true);
    expect(rows.at(-1)).toMatchObject({
      'latest-version': '7.20.4',
      status: 'Downloaded, please reboot router to upgrade it',
    });
    expect(rows.map((r) => r['.section'])).toEqual(rows.map((_, n) => String(n)));
    const npks = (await c.command('/file/print')).filter((f) => f.type === 'package');
    expect(npks.map((f) => f.name).sort()).toEqual(['routeros-7.20.4-arm64.npk', 'wifi-qcom-ac-7.20.4-arm64.npk']);
    expect(Number(npks.find((f) => f.name?.startsWith('routeros'))?.size)).toBeGreaterThan(10 * MIB);
    expect((await update(c)).status).toBe('Downloaded, please reboot router to upgrade it');

    c = await rebootAndLogin(i, c);
    const [res] = await c.command('/system/resource/print');
    expect(res?.version).toMatch(/^7\.20\.4 /);
    expect(res?.uptime).not.toMatch(/[wd]/);
    const pkgs = await c.command('/system/package/print');
    expect(pkgs.map((p) => [p.name, p.version])).toEqual([
      ['routeros', '7.20.4'],
      ['wifi-qcom-ac', '7.20.4'],
    ]);
    expect(await update(c)).toEqual({ channel: 'stable', 'installed-version': '7.20.4' });
    await c.command('/export', { file: 'after' });
    expect(fleet.device(i).fileContents('after.rsc')).toMatch(/^# .* by RouterOS 7\.20\.4\r?\n/);
    expect((await files(c)).filter((f) => f.endsWith('.npk'))).toEqual([]);
    expect(logMessages(i)).toEqual(
      expect.arrayContaining(['system,info installed routeros-7.20.4', 'system,info installed wifi-qcom-ac-7.20.4']),
    );
    const check = await c.command('/system/package/update/check-for-updates');
    expect(check.at(-1)?.status).toBe('System is already up to date');
    await c.close();
  });

  it('RouterBOOT: upgrade-firmware follows RouterOS; upgrade writes it and the next reboot runs it', async () => {
    const i = 0;
    let c = await login(i);
    const [before] = await c.command('/system/routerboard/print');
    expect(before).toMatchObject({ routerboard: 'true', 'current-firmware': '7.15.3', 'upgrade-firmware': '7.20.4' });
    await c.command('/system/routerboard/upgrade');
    expect(logMessages(i)).toContain(
      'system,info,critical Firmware upgraded successfully, please reboot for changes to take effect!',
    );
    const [pending] = await c.command('/system/routerboard/print');
    expect(pending?.['current-firmware']).toBe('7.15.3');
    c = await rebootAndLogin(i, c);
    const [after] = await c.command('/system/routerboard/print');
    expect(after).toMatchObject({ 'current-firmware': '7.20.4', 'upgrade-firmware': '7.20.4' });
    await c.close();
  });

  it('v6 → 6.49 → v7: install on stable, then the upgrade channel offers v7; behaviour switches to v7', async () => {
    const i = 1; // 16 MiB flash: packages go to the RAM disk, so they fit
    let c = await login(i);
    const firstBoot = fleet.device(i).bootAt;
    const first = await c.command('/system/package/update/install');
    expect(first.at(-1)).toMatchObject({ 'latest-version': '6.49.17', status: 'Downloaded, rebooting...' });
    c = await cameBack(i, firstBoot);
    expect((await update(c))['installed-version']).toBe('6.49.17');
    expect((await c.command('/system/package/print'))[0]).toMatchObject({
      name: 'routeros-mipsbe',
      version: '6.49.17',
    });
    await c.command('/export', { file: 'v6' });
    expect(fleet.device(i).fileContents('v6.rsc')).toMatch(/^# [a-z]{3}\/\d\d\/\d{4} .* by RouterOS 6\.49\.17/);

    await c.command('/system/package/update/set', { channel: 'upgrade' });
    const offer = await c.command('/system/package/update/check-for-updates');
    expect(offer.at(-1)).toMatchObject({ channel: 'upgrade', 'latest-version': '7.20.4' });
    const bootAt = fleet.device(i).bootAt;
    const second = await c.command('/system/package/update/install');
    expect(second.at(-1)?.status).toBe('Downloaded, rebooting...');
    c = await cameBack(i, bootAt);
    expect(fleet.device(i).behaviour.v7).toBe(true);
    expect(await update(c)).toEqual({ channel: 'stable', 'installed-version': '7.20.4' });
    const pkgs = await c.command('/system/package/print');
    expect(pkgs.map((p) => p.name)).toEqual(['routeros', 'wireless']);
    await c.command('/export', { file: 'v7' });
    expect(fleet.device(i).fileContents('v7.rsc')).toMatch(/^# \d{4}-\d\d-\d\d .* by RouterOS 7\.20\.4/);
    // v7-only menus answer now.
    expect(await c.command('/safe-mode/print')).toBeDefined();
    await c.close();
  });

  it('uploaded packages install at reboot: the right architecture only, wrong ones are logged and left', async () => {
    const i = 3;
    const c = await login(i);
    await withSsh(fleet.devices[i]!, async (s) => {
      const sftp = await sftpOf(s);
      await writeFile(
        sftp,
        'routeros-7.20.4-arm.npk',
        buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'arm' }),
      );
      await writeFile(
        sftp,
        'wifi-qcom-ac-7.20.4-arm.npk',
        buildNpk({ name: 'wifi-qcom-ac', version: '7.20.4', architecture: 'arm' }),
      );
      await writeFile(
        sftp,
        'routeros-7.21beta2-arm64.npk',
        buildNpk({ name: 'routeros', version: '7.21beta2', architecture: 'arm64' }),
      );
      await writeFile(sftp, 'broken.npk', Buffer.from('not a package\0'));
    });
    const back = await rebootAndLogin(i, c);
    expect((await update(back))['installed-version']).toBe('7.20.4');
    expect((await back.command('/system/package/print')).map((p) => `${p.name} ${p.version}`)).toEqual([
      'routeros 7.20.4',
      'wifi-qcom-ac 7.20.4',
    ]);
    expect((await files(back)).filter((f) => f.endsWith('.npk')).sort()).toEqual([
      'broken.npk',
      'routeros-7.21beta2-arm64.npk',
    ]);
    expect(logMessages(i)).toEqual(
      expect.arrayContaining([
        'system,error package routeros-7.21beta2-arm64.npk not installed: wrong architecture arm64',
        'system,error package broken.npk not installed: not a valid package',
        'system,info installed routeros-7.20.4',
      ]),
    );
    await back.close();
  });

  it('an older package is left alone by a reboot; /system/package/downgrade installs it', async () => {
    const i = 3;
    let c = await login(i);
    await withSsh(fleet.devices[i]!, async (s) => {
      const npk = buildNpk({ name: 'routeros', version: '7.16', architecture: 'arm' });
      await writeFile(await sftpOf(s), 'routeros-7.16-arm.npk', npk);
    });
    c = await rebootAndLogin(i, c);
    expect((await update(c))['installed-version']).toBe('7.20.4');
    expect(await files(c)).toContain('routeros-7.16-arm.npk');
    const bootAt = fleet.device(i).bootAt;
    c.command('/system/package/downgrade').catch(() => {});
    c = await cameBack(i, bootAt);
    expect((await update(c))['installed-version']).toBe('7.16');
    // No wifi-qcom-ac 7.16 package came along: the extra cannot stay on another version.
    expect((await c.command('/system/package/print')).map((p) => p.name)).toEqual(['routeros']);
    expect(logMessages(i)).toContain(
      'system,error package wifi-qcom-ac removed: no wifi-qcom-ac package of version 7.16',
    );
    await c.close();
  });

  it('x86 (CHR) has no RouterBOARD firmware and gets packages without an architecture suffix', async () => {
    const c = await login(7);
    expect(await c.command('/system/routerboard/print')).toEqual([{ routerboard: 'false' }]);
    await expect(c.command('/system/routerboard/upgrade')).rejects.toThrow(/no such command/);
    await c.command('/system/package/update/download');
    expect((await files(c)).filter((f) => f.endsWith('.npk'))).toEqual(['routeros-7.20.4.npk']);
    await c.close();
  });
});

describe('failures', () => {
  it('not enough room for the packages: the download is refused and nothing is written', async () => {
    const c = await login(4);
    for (const verb of ['download', 'install']) {
      const rows = await c.command(`/system/package/update/${verb}`);
      expect(rows.at(-1)?.status).toBe('ERROR: not enough disk space');
    }
    expect((await files(c)).filter((f) => f.endsWith('.npk'))).toEqual([]);
    // install did not reboot
    expect((await c.command('/system/identity/print')).length).toBe(1);
    await c.close();
  });

  it('a download that fails part-way reports the error and keeps nothing', async () => {
    const c = await login(5);
    fleet.device(5).setFault({ downloadFails: true });
    const rows = await c.command('/system/package/update/install');
    expect(rows.some((r) => /^Downloaded \d+%/.test(r.status ?? ''))).toBe(true);
    expect(rows.at(-1)?.status).toBe('ERROR: connection timed out');
    expect((await update(c)).status).toBe('ERROR: connection timed out');
    expect((await files(c)).filter((f) => f.endsWith('.npk'))).toEqual([]);
    fleet.device(5).setFault({ downloadFails: undefined });
    await c.close();
  });

  it('a device that never comes back stays down until power-cycled', async () => {
    const i = 6;
    const d = fleet.device(i);
    d.setFault({ neverComesBack: true });
    const c = await login(i);
    const rows = await c.command('/system/package/update/install');
    expect(rows.at(-1)?.status).toBe('Downloaded, rebooting...');
    await waitFor(() => !d.accepting, 'the device going down');
    await sleep(1000); // three times its upgrade reboot
    expect(d.accepting).toBe(false);
    await expect(login(i)).rejects.toThrow();
    d.setFault({ neverComesBack: undefined });
    const bootAt = d.bootAt;
    d.reboot();
    const back = await cameBack(i, bootAt);
    expect((await update(back))['installed-version']).toBe('7.20.4');
    await back.close();
  });
});
