import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The device page as a person uses it: the tabs the features add, each at its own address, live data in them.

test('shows the features’ tabs, each at its own address; Interfaces draws live traffic', async ({
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('admin');
  await page.goto(`/devices/${d!.id}`);
  await page.getByRole('heading', { name: d!.name, exact: true }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Device sections' }).getByRole('link');
  expect(await tabs.allTextContents()).toEqual([
    'Overview',
    'Interfaces',
    'Wireless',
    'Backups',
    'Config',
    'Firewall',
    'DHCP',
    'Clients',
    'Setup',
    'Alerts',
    'Logs',
    'Remote',
  ]);
  await page.locator('[data-device-status="online"]').waitFor({ timeout: 20_000 });
  await page.locator('[data-device-tab="overview"]').getByRole('meter', { name: 'CPU' }).waitFor();
  await expectAccessible(page, 'device overview');

  await tabs.getByText('Interfaces').click();
  await page.waitForURL((u) => u.pathname === `/devices/${d!.id}/interfaces`);
  await page.locator('[data-interface]').first().waitFor({ timeout: 15_000 });
  // Rates need two polls; the chart appears (and keeps updating) as they arrive.
  await page.locator('[data-traffic-chart] canvas').waitFor({ timeout: 20_000 });
  await expect.poll(() => page.locator('[data-rx]').first().textContent(), { timeout: 15_000 }).toMatch(/bps/);
  await page.getByRole('radio', { name: '6h' }).click();
  await page.locator('[data-traffic-chart] canvas').waitFor();
  await expectAccessible(page, 'device interfaces');
  await screenshot(page, 'device-interfaces');

  // A tab's address opens it directly; an unknown one says so.
  await page.reload();
  await page.locator('[data-device-tab="interfaces"]').waitFor();
  await page.goto(`/devices/${d!.id}/no-such-tab`);
  await page.getByText('No such section').waitFor();
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await page.locator('[data-device-tab="overview"]').waitFor();
});

test('an operator renames the device; an admin deletes it and is back on the list', async ({ signIn, addDevices }) => {
  const [d] = await addDevices(1, { reachable: false });
  const operator = await signIn('operator');
  await operator.page.goto(`/devices/${d!.id}`);
  expect(await operator.page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
  await operator.page.getByRole('button', { name: 'Edit' }).click();
  const dialog = operator.page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('renamed-router');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await operator.page.getByRole('heading', { name: 'renamed-router', exact: true }).waitFor();

  const admin = await signIn('admin');
  await admin.page.goto(`/devices/${d!.id}`);
  await admin.page.getByRole('heading', { name: 'renamed-router', exact: true }).waitFor();
  await admin.page.getByRole('button', { name: 'Delete' }).click();
  await admin.page.getByRole('button', { name: 'Delete device' }).click();
  await admin.page.waitForURL((u) => u.pathname === '/devices');
  await admin.page.goto(`/devices/${d!.id}`);
  await admin.page.getByText('No such device').waitFor();
});

test('a viewer sees the tabs and no Edit or Delete', async ({ signIn, addDevices }) => {
  const [d] = await addDevices(1, { reachable: false });
  const { page } = await signIn('viewer');
  await page.goto(`/devices/${d!.id}/interfaces`);
  await page.locator('[data-device-tab="interfaces"]').waitFor();
  expect(await page.getByRole('button', { name: /^(Edit|Delete)$/ }).count()).toBe(0);
  await expectAccessible(page, 'device page (viewer)');
});
