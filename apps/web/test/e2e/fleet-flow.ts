import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, screenshot } from './browser';

/** The device page of the wizard's device: live resources, interfaces, and a traffic chart drawn on canvas. */
export async function devicePageShowsTraffic(page: Page) {
  await page.getByRole('link', { name: 'Devices' }).first().click();
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  await page.locator('[data-device="edge-router"]').click();
  await page.getByRole('heading', { name: 'edge-router', exact: true }).waitFor();
  await page.locator('[data-device-status="online"]').waitFor();
  await page.locator('[data-interface]').first().waitFor({ timeout: 15_000 });
  // Rates need two polls; the chart appears (and keeps updating) as they arrive.
  await page.locator('[data-traffic-chart] canvas').waitFor({ timeout: 20_000 });
  await expect.poll(() => page.locator('[data-rx]').first().textContent(), { timeout: 15_000 }).toMatch(/bps/);
  await expectAccessible(page, 'device page');
  await screenshot(page, 'device-page');
  await page.getByRole('radio', { name: '6h' }).first().click();
  await page.locator('[data-traffic-chart] canvas').waitFor();
}

/** A subnet of simulated routers: hits stream in, all ten are adopted in one go. */
export async function addBySubnetScan(page: Page, cidr: string, creds: { username: string; password: string }) {
  await page.goto('/devices');
  await page.getByRole('link', { name: 'Scan subnet' }).click();
  await page.getByRole('heading', { name: 'Scan a subnet', exact: true }).waitFor();
  await page.getByLabel('Network').fill(cidr);
  await page.getByLabel('Username').fill(creds.username);
  await page.getByLabel('Password').fill(creds.password);
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  await expect.poll(() => page.locator('[data-scan-hit]').count(), { timeout: 20_000 }).toBe(10);
  await page.getByRole('button', { name: 'Add 10 selected' }).waitFor();
  await expectAccessible(page, 'subnet scan');
  await screenshot(page, 'scan-results');
  await page.getByRole('button', { name: 'Add 10 selected' }).click();
  await page.waitForURL((u) => u.pathname === '/devices');
  await expect.poll(() => page.locator('[data-device-count]').textContent()).toContain('11 total');
}

/** CSV import reports each row: the good one lands, the bad one says why. */
export async function importCsv(page: Page) {
  await page.goto('/devices/import');
  await page.getByRole('heading', { name: 'Import devices', exact: true }).waitFor();
  await page
    .getByLabel('CSV')
    .fill(
      `name,host,port,tls_mode,username,password,tags\nimported-1,127.0.0.1,9,plain,admin,secret,imported\nbroken,not a host!,8728,plain,admin,x,\n`,
    );
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('1 added, 1 failed').waitFor();
  await expect.poll(() => page.locator('[data-import-row="3"]').textContent()).toMatch(/host/i);
  await expectAccessible(page, 'CSV import');
  await screenshot(page, 'import-results');
}

/** Search, a status filter, sorting, the column chooser and a bulk tag on the live table. */
export async function filterTable(page: Page) {
  await page.goto('/devices');
  await page.locator('[data-device]').first().waitFor();
  await expect.poll(() => page.locator('[data-device-count]').textContent()).toContain('12 total');
  await page.getByLabel('Search devices').fill('edge-router');
  await expect.poll(() => page.locator('[data-device]').count()).toBe(1);
  await page.getByLabel('Search devices').fill('');
  await expect.poll(() => page.locator('[data-device]').count()).toBe(12);
  // The imported device points at a closed port: it goes offline (refused); the simulated ones come online.
  await page.getByLabel('Filter by status').click();
  await page.getByRole('option', { name: 'Offline' }).click();
  await expect.poll(() => page.locator('[data-device]').count(), { timeout: 20_000 }).toBe(1);
  await expect.poll(() => page.locator('[data-device]').first().getAttribute('data-device')).toBe('imported-1');
  await page.getByLabel('Filter by status').click();
  await page.getByRole('option', { name: 'Online' }).click();
  await expect.poll(() => page.locator('[data-device]').count(), { timeout: 20_000 }).toBe(11);
  // Bulk: tag everything shown, then filter by that tag.
  await page.getByLabel('Select all devices').check();
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Tag' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a tag' });
  await dialog.getByLabel('Tag').fill('lab');
  await dialog.getByRole('button', { name: /Apply to 11/ }).click();
  await expect.poll(() => page.locator('[data-device]').first().textContent()).toContain('lab');
  // The column chooser hides a column (and stops fetching it).
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Host' }).uncheck();
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByRole('columnheader', { name: 'Host' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Name' }).click();
  await expect
    .poll(() => page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'))
    .toBe('descending');
  await expectAccessible(page, 'devices table');
  await screenshot(page, 'devices-table');
}
