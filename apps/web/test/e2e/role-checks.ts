import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, screenshot } from './browser';
import { enrol } from './enrol-flow';

const WRITE = /^(New |Create|Revoke|Delete|Deactivate|Reactivate|Add |Import|Scan|Edit|Tag|Test connection)/;

/** First sign-in of a user an admin created: the temporary password, then enrolment with a passphrase. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enrol(page, email, `${email.split('@')[0]} rides seven quiet trams`);
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
}

async function navLinks(page: Page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}

async function writeButtons(page: Page) {
  // Actions that navigate (Add device, Import CSV, Scan subnet) are links styled as buttons: both count.
  const names = [
    ...(await page.getByRole('button').allTextContents()),
    ...(await page.getByRole('main').getByRole('link').allTextContents()),
  ];
  return names.map((n) => n.trim()).filter((n) => WRITE.test(n));
}

/** A viewer sees the fleet pages and settings, and no button that changes anything. */
export async function viewerSeesNoWrites(page: Page) {
  expect(await navLinks(page)).toEqual(['Dashboard', 'Devices', 'Sites', 'Device groups', 'Device tags', 'Settings']);
  for (const [url, heading] of [
    ['/', 'Dashboard'],
    ['/devices', 'Devices'],
    ['/sites', 'Sites'],
    ['/device-tags', 'Device tags'],
    ['/settings', 'Settings'],
  ] as const) {
    await page.goto(url);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    expect(await writeButtons(page), `write actions for a viewer on ${url}`).toEqual([]);
  }
  // A device page: live data, no edit or delete; no selection checkboxes in the table.
  await page.goto('/devices');
  await page.locator('[data-device]').first().waitFor();
  expect(await page.getByLabel('Select all devices').count()).toBe(0);
  await page.locator('[data-device]').first().click();
  await page.locator('[data-device-status]').waitFor();
  expect(await writeButtons(page), 'write actions for a viewer on a device page').toEqual([]);
  await expectAccessible(page, 'device page (viewer)');
  await screenshot(page, 'viewer-device-page');
  for (const url of ['/devices/new', '/devices/scan', '/credential-profiles']) {
    await page.goto(url);
    await page.getByText('Not available for your role').waitFor();
  }
  // Typing a manager's URL does not reveal the page either.
  await page.goto('/users');
  await page.getByText('Not available for your role').waitFor();
  expect(await writeButtons(page)).toEqual([]);
  await expectAccessible(page, 'no access');
  await screenshot(page, 'viewer-no-access');
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  const options = await palette.getByRole('option').allTextContents();
  expect(options.filter((o) => WRITE.test(o))).toEqual([]);
  await page.keyboard.press('Escape');
}

/** An operator has no user management: not in the sidebar, not in the palette, not by URL. */
export async function operatorCannotManageUsers(page: Page) {
  const links = await navLinks(page);
  expect(links).not.toContain('Users');
  expect(links).not.toContain('Organisations');
  await page.goto('/users');
  await page.getByText('Not available for your role').waitFor();
  expect(await page.getByRole('button', { name: 'New user' }).count()).toBe(0);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  expect(await palette.getByRole('option', { name: 'Create user' }).count()).toBe(0);
  expect(await palette.getByRole('option', { name: 'Go to Users' }).count()).toBe(0);
  await page.keyboard.press('Escape');
  await screenshot(page, 'operator-no-users');
}
