import { buildNpk, type DeviceSpec, type Fleet, startFleet, type UpdateServer } from '@tod/simulator';
import { afterAll, beforeAll } from 'vitest';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, type Org, SIM, superAdminApi, test } from '../../../test/support/fixtures';
import { rolloutOf } from '../../../test/support/rollouts';
import type { Device } from '../../api/devices';

// The Firmware page over simulated routers that share one update server: what each runs and what its channel
// offers after "Check now", an upgrade started from the picked devices (landing on its rollout), a jump from
// RouterOS 6 to 7 that must be confirmed, the package cache for admins, and a viewer who finds nothing to press.

/** MikroTik's update server as the routers see it (a channel offers each major its own newest). */
const UPDATES: UpdateServer = {
  stable: ['6.49.17', '7.20.4'],
  'long-term': ['6.48.7', '7.16.3'],
  testing: '7.21beta2',
  development: '7.21beta2',
  upgrade: '7.20.4',
};
// Quick checks, downloads and reboots (a real router takes minutes).
const quick: DeviceSpec = {
  users: [{ name: SIM.username, password: SIM.password }],
  updates: UPDATES,
  updateCheckMs: 20,
  downloadMs: 200,
  rebootDelayMs: 300,
  upgradeRebootMs: 600,
};
const routers = [
  { name: 'edge-a', spec: { version: '7.16' } },
  { name: 'edge-b', spec: { version: '7.16', channel: 'testing' } },
  { name: 'old-v6', spec: { version: '6.48.6' } },
];

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ base: quick, specs: routers.map((r) => r.spec) });
});
afterAll(() => fleet?.stop());

/** The routers as devices of `org`, each seen online with its version by the poller. */
async function addRouters(org: Org): Promise<Device[]> {
  const { api } = await superAdminApi();
  const tenant = { tenant_id: org.id };
  const devices: Device[] = [];
  for (const [i, r] of routers.entries()) {
    const sim = fleet.devices[i]!;
    devices.push(
      await unwrap(
        api.POST('/api/tenants/{tenant_id}/devices', {
          params: { path: tenant, query: { probe: 'false' } },
          body: { name: r.name, host: sim.address, port: sim.port, tls_mode: 'plain', ssh_port: sim.sshPort, ...SIM },
        }),
      ),
    );
  }
  await expect
    .poll(
      async () => {
        const inv = await unwrap(
          api.GET('/api/tenants/{tenant_id}/firmware', { params: { path: tenant, query: { limit: 50 } } }),
        );
        return inv.items.filter((d) => d.version !== null).length;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(routers.length);
  return devices;
}

test('a viewer reads the firmware inventory and finds nothing to press', async ({ org, signIn }) => {
  await addRouters(org);
  const { page } = await signIn('viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Firmware' }).click();
  await page.getByRole('heading', { name: 'Firmware', exact: true }).waitFor();
  await page.locator('tr[data-device="old-v6"]').waitFor();
  expect(await page.locator('tr[data-device]').count()).toBe(3);
  expect(await page.locator('tr[data-device="old-v6"] [data-col="version"]').textContent()).toBe('6.48.6');
  expect(await page.getByRole('button', { name: 'Check now' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^Upgrade/ }).count()).toBe(0);
  expect(await page.getByRole('checkbox', { name: /^Select/ }).count()).toBe(0);
  expect(await page.getByRole('heading', { name: 'Packages', exact: true }).count()).toBe(0);
  // The name leads to the device.
  await page.getByRole('link', { name: 'edge-a', exact: true }).click();
  await page.waitForURL(/\/devices\/[0-9a-f-]{36}/);
});

test('an admin keeps RouterOS packages in the cache and sees what the server refuses', async ({ org, signIn }) => {
  await addRouters(org);
  const { page } = await signIn('admin');
  await page.goto('/firmware');
  await page.getByRole('heading', { name: 'Packages', exact: true }).waitFor();
  await page.getByText('No packages in the cache').waitFor();

  const file = page.getByLabel('Package file (.npk)');
  await file.setInputFiles({ name: 'notes.npk', mimeType: 'application/octet-stream', buffer: Buffer.from('hello') });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const error = page.locator('[data-upload-error]');
  await error.waitFor();
  expect(await error.textContent()).toMatch(/\S/);

  const npk = buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'arm64', size: 4096 });
  await file.setInputFiles({ name: 'routeros-7.20.4-arm64.npk', mimeType: 'application/octet-stream', buffer: npk });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const row = page.locator('tr[data-package]');
  await row.first().waitFor();
  expect(await row.first().locator('td').allTextContents()).toEqual(
    expect.arrayContaining(['routeros', '7.20.4', 'arm64', '4.0 KiB']),
  );
  expect(await error.count()).toBe(0);

  // From MikroTik's server (the simulator's): a version it lacks is said as such; RouterOS and an extra arrive.
  const form = page.getByRole('form', { name: 'Download from MikroTik' });
  await form.getByLabel('Version').fill('7.99');
  await form.getByRole('button', { name: 'Download from MikroTik' }).click();
  const failed = page.locator('[data-download-error]');
  await failed.waitFor();
  expect(await failed.textContent()).toMatch(/no such file/);
  await form.getByLabel('Version').fill('7.16.2');
  await form.getByLabel('Extra packages').fill('wifi-qcom');
  await form.getByRole('button', { name: 'Download from MikroTik' }).click();
  await page.locator('tr[data-package="wifi-qcom@7.16.2@arm64.npk"]').waitFor();
  await page.locator('tr[data-package="routeros@7.16.2@arm64.npk"]').waitFor();
  expect(await failed.count()).toBe(0);
  await expectAccessible(page, 'firmware page with packages');
  await screenshot(page, 'firmware-packages');
});

test('an operator checks for updates, upgrades a router and confirms a major upgrade', async ({ org, signIn }) => {
  const devices = await addRouters(org);
  const { page } = await signIn('operator');
  await page.goto('/firmware');
  await page.getByRole('heading', { name: 'Firmware', exact: true }).waitFor();
  const row = (name: string) => page.locator(`tr[data-device="${name}"]`);
  const cell = (name: string, col: string) => row(name).locator(`[data-col="${col}"]`).textContent();
  await row('old-v6').waitFor();
  expect(await cell('edge-a', 'version')).toBe('7.16');
  expect(await cell('old-v6', 'version')).toBe('6.48.6');

  // Each router asks its channel; the newest per channel and major shows, and what each device could run.
  await page.getByRole('button', { name: 'Check now' }).click();
  await page.getByText('Checked 3 devices', { exact: true }).waitFor({ timeout: 30_000 });
  const stable = page.locator('[data-channel="stable"] [data-version]');
  await expect.poll(() => stable.allTextContents(), { timeout: 10_000 }).toEqual(['7.20.4', '6.49.17']);
  expect(await page.locator('[data-channel="testing"] [data-version]').allTextContents()).toEqual(['7.21beta2']);
  // No router follows long-term: nobody reported what it offers.
  expect(await page.locator('[data-channel="long-term"] [data-latest]').textContent()).toBe('Not reported');
  expect(await page.locator('[data-last-checked]').textContent()).toMatch(/last checked just now/);
  expect(await cell('edge-a', 'latest')).toBe('7.20.4');
  expect(await cell('edge-a', 'channel')).toBe('Stable');
  expect(await cell('edge-b', 'channel')).toBe('Testing');
  expect(await cell('edge-b', 'latest')).toBe('7.21beta2');
  expect(await cell('old-v6', 'latest')).toBe('6.49.17');
  expect(await cell('edge-a', 'update')).toBe('Upgrade available');
  await page.getByLabel('Only devices with an upgrade').check();
  expect(await page.locator('tr[data-device]').count()).toBe(3);
  await expectAccessible(page, 'firmware page after a check');
  await screenshot(page, 'firmware-checked');

  // edge-a to the newest stable: the rollout's page opens.
  const upgrade = page.getByRole('button', { name: 'Upgrade…' });
  expect(await upgrade.isDisabled()).toBe(true);
  await page.getByLabel('Select edge-a').check();
  await upgrade.click();
  const dialog = page.getByRole('dialog', { name: 'Upgrade edge-a' });
  await dialog.waitFor();
  await dialog.getByText('Newest reported: 7.20.4').waitFor();
  expect(await dialog.locator('[data-major-warning]').count()).toBe(0);
  await expectAccessible(page, 'upgrade dialog');
  await screenshot(page, 'firmware-upgrade-dialog');
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
  const first = page.url().split('/').pop()!;
  const r1 = await rolloutOf(org.id, first);
  expect(r1.kind).toBe('firmware');
  expect(r1.devices.map((d) => d.device_id)).toEqual([devices[0]!.id]);

  // old-v6 to 7.20.4 crosses a major version: nothing starts until it is confirmed.
  await page.goto('/firmware');
  await page.getByLabel('Select old-v6').check();
  await page.getByRole('button', { name: 'Upgrade…' }).click();
  const v6 = page.getByRole('dialog', { name: 'Upgrade old-v6' });
  const warning = v6.locator('[data-major-warning]');
  await warning.waitFor();
  expect(await warning.textContent()).toContain('7.20.4 is a new major version for old-v6 (6.48.6)');
  await v6.getByRole('button', { name: 'Start upgrade' }).click();
  await warning.getByText('Tick “Confirm major upgrade” to go on.').waitFor();
  expect(page.url()).toMatch(/\/firmware$/);
  await expectAccessible(page, 'major upgrade warning');
  await v6.getByLabel('Confirm major upgrade').check();
  await v6.getByRole('button', { name: 'Start upgrade' }).click();
  await page.waitForURL((u) => /\/rollouts\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(first));
  const r2 = await rolloutOf(org.id, page.url().split('/').pop()!);
  expect(r2.kind).toBe('firmware');
  expect(r2.devices.map((d) => d.device_id)).toEqual([devices[2]!.id]);
});
