import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The device table as an operator works it: search, status filter, bulk tag, tag filter, columns, sort.

test('searches, filters by status, tags in bulk, hides a column and sorts', async ({ signIn, addDevices }) => {
  await addDevices(3);
  await addDevices(1, { reachable: false, prefix: 'closed' });
  const { page } = await signIn('operator');
  await page.goto('/devices');
  await expect.poll(() => page.locator('[data-device-count]').textContent()).toContain('4 total');
  await page.getByLabel('Search devices').fill('router-2');
  await expect.poll(() => page.locator('[data-device]').count()).toBe(1);
  await page.getByLabel('Search devices').fill('');
  await expect.poll(() => page.locator('[data-device]').count()).toBe(4);
  // The device on a closed port goes offline (refused); the simulated ones come online.
  await page.getByLabel('Filter by status').click();
  await page.getByRole('option', { name: 'Offline' }).click();
  await expect.poll(() => page.locator('[data-device]').count(), { timeout: 20_000 }).toBe(1);
  await expect.poll(() => page.locator('[data-device]').first().getAttribute('data-device')).toBe('closed-1');
  await page.getByLabel('Filter by status').click();
  await page.getByRole('option', { name: 'Online' }).click();
  await expect.poll(() => page.locator('[data-device]').count(), { timeout: 20_000 }).toBe(3);
  // Bulk: tag everything shown (the tag is created by name), then filter by it.
  await page.getByLabel('Select all devices').check();
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Tag' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a tag' });
  await dialog.getByLabel('Tag').fill('lab');
  await dialog.getByRole('button', { name: /Apply to 3/ }).click();
  await expect.poll(() => page.locator('[data-device]').first().textContent()).toContain('lab');
  await page.getByLabel('Filter by status').click();
  await page.getByRole('option', { name: 'Any status' }).click();
  await page.getByLabel('Filter by tag').click();
  await page.getByRole('option', { name: 'lab' }).click();
  await expect.poll(() => page.locator('[data-device]').count()).toBe(3);
  // The column chooser hides a column (and stops fetching it).
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Host' }).uncheck();
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByRole('columnheader', { name: 'Host' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Name' }).click();
  await expect
    .poll(() => page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'))
    .toBe('descending');
  await expect.poll(() => page.locator('[data-device]').first().getAttribute('data-device')).toBe('router-3');
  await expectAccessible(page, 'devices table');
  await screenshot(page, 'devices-table');
});
