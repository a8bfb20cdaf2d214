import { unwrap } from '../../../test/support/api';
import { backUp, changeRouter, someAddress } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, SIM, superAdminApi, test } from '../../../test/support/fixtures';

// The fleet's Backups page: each device's last backup with failures first and their reasons, the config search,
// and the organisation's schedule.

test('lists failing backups first with their reason, finds devices by config, edits the organisation schedule', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [good] = await addDevices(1, { prefix: 'good' });
  const address = someAddress();
  changeRouter(routers, 0, `/ip firewall address-list add list=blocked address=${address}`);
  expect((await backUp(org.id, good!.id)).job.status).toBe('succeeded');
  // A router that refuses TOD's password: the backup fails at once (no retry will help), with the reason.
  const { api } = await superAdminApi();
  const r = routers.devices[1]!;
  const bad = await unwrap(
    api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
      body: {
        name: 'wrong-password',
        host: r.address,
        port: r.port,
        tls_mode: 'plain',
        username: SIM.username,
        password: 'not-it',
      },
    }),
  );
  const failed = await backUp(org.id, bad.id);
  expect(failed.job).toMatchObject({ status: 'failed', error_code: 'bad_credentials' });

  const { page } = await signIn('admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
  await page.getByRole('heading', { name: 'Backups', exact: true }).waitFor();
  const rows = page.locator('[data-backup-device]');
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
  expect(await rows.first().getAttribute('data-backup-device')).toBe(bad.id);
  expect(await rows.first().getAttribute('data-failing')).toBe('true');
  expect(await rows.first().locator('[data-failure]').textContent()).toBe(
    'The router refused the username or password',
  );
  expect(await rows.nth(1).textContent()).toContain('OK');
  expect(await rows.nth(1).textContent()).toMatch(/created .+unchanged until/);
  await expectAccessible(page, 'backups page');
  await screenshot(page, 'backups-fleet');

  // Config search: the address in the firewall's address lists finds the good router, with the matching line.
  await page.getByLabel('Text').fill(address);
  await page.getByLabel('Menu (optional)').fill('/ip firewall address-list');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const hit = page.locator(`[data-search-device="${good!.id}"]`);
  await hit.waitFor();
  expect(await hit.textContent()).toContain(`address=${address}`);
  expect(await page.locator('[data-search-results]').textContent()).toContain('1 of 1 devices match');
  // The same text in another menu: nothing.
  await page.getByLabel('Menu (optional)').fill('/ip route');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('No configuration matches').waitFor();
  await expectAccessible(page, 'config search');

  // The organisation's schedule, which every device without its own follows.
  const schedule = page.locator('[data-schedule]');
  await schedule.getByRole('button', { name: 'Edit' }).click();
  await schedule.getByLabel('When (cron)').fill('15 4 * * 0');
  await schedule.getByLabel('Time zone').fill('UTC');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect
    .poll(() => schedule.locator('[data-schedule-summary]').textContent(), { timeout: 10_000 })
    .toBe('Weekly on Sunday at 04:15 (UTC)');
  expect(await schedule.getAttribute('data-schedule')).toBe('organization');

  // A search hit opens the device's Backups tab.
  await page.getByLabel('Menu (optional)').fill('');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await hit.getByRole('link', { name: good!.name }).click();
  await page.locator('[data-device-tab="backups"] [data-version]').first().waitFor();
  expect(await page.locator('[data-schedule]').textContent()).toContain('the organisation’s schedule');
});

test('a viewer reads the fleet’s backups and cannot change the schedule', async ({ signIn, addDevices }) => {
  await addDevices(1);
  const { page } = await signIn('viewer');
  await page.goto('/backups');
  await page.locator('[data-backup-device]').first().waitFor();
  expect(await page.locator('[data-backup-device]').first().textContent()).toContain('Not backed up yet');
  await page.locator('[data-schedule-summary]').waitFor();
  expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  await expectAccessible(page, 'backups page (viewer)');
});
