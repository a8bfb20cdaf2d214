import type { Page } from 'playwright-core';
import { expectAccessible, screenshot } from '../support/browser';
import { expect, test } from '../support/fixtures';

// The frame around every page, for an admin: keyboard, theme, sidebar, session upkeep, signing out.

const path = (page: Page) => new URL(page.url()).pathname;

test('drives the app from the keyboard: palette, g shortcuts, / to search, ? for help', async ({ signIn }) => {
  const { page } = await signIn('admin');
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  await page.keyboard.type('audit');
  await screenshot(page, 'command-palette');
  await expectAccessible(page, 'command palette');
  await page.keyboard.press('Enter');
  await expect.poll(() => path(page)).toBe('/audit');
  await page.locator('body').click({ position: { x: 900, y: 820 } });
  for (const [key, to, heading] of [
    ['d', '/devices', 'Devices'],
    ['h', '/', 'Dashboard'],
    ['t', '/device-tags', 'Device tags'],
    ['u', '/users', 'Users'],
  ] as const) {
    await page.keyboard.press('g');
    await page.keyboard.press(key);
    await expect.poll(() => path(page)).toBe(to);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  }
  await page.keyboard.press('/');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search users');
  await page.keyboard.press('Escape');
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  // The help lists the shortcut of every page this admin may open (the features' nav entries).
  await help.getByText('Go to audit log').waitFor();
  expect(await help.getByText('Go to organisations').count()).toBe(0);
  await screenshot(page, 'shortcut-help');
  await page.keyboard.press('Escape');
});

test('dark mode from settings is remembered and passes the contrast checks', async ({ signIn }) => {
  const { page } = await signIn('admin');
  await page.goto('/settings');
  await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
  await expectAccessible(page, 'settings');
  await page.getByText('Always dark').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
  await page.goto('/');
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
  await expectAccessible(page, 'dashboard (dark)');
  await screenshot(page, 'dashboard-dark');
  await page.goto('/users');
  await page.locator('tr[data-user]').first().waitFor();
  await expectAccessible(page, 'users (dark)');
  await screenshot(page, 'users-dark');
});

test('the sidebar collapses to an icon rail (remembered) and expands again', async ({ signIn }) => {
  const { page } = await signIn('viewer');
  await page.getByRole('button', { name: 'Collapse sidebar' }).click();
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Expand sidebar' }).waitFor();
  await expectAccessible(page, 'collapsed sidebar');
  await screenshot(page, 'sidebar-collapsed');
  await page.getByRole('button', { name: 'Expand sidebar' }).click();
  await page.getByRole('button', { name: 'Collapse sidebar' }).waitFor();
});

test('an expired access token is renewed silently; signing out ends the session', async ({ signIn }) => {
  const person = await signIn('operator');
  const { page } = person;
  await page.goto('/devices');
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  expect((await page.context().cookies()).map((c) => c.name)).toContain('tod_refresh');
  await page.context().clearCookies({ name: 'tod_access' });
  // A full reload asks the server who we are with no access token: the app must refresh, not ask to sign in.
  await page.reload();
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  expect(path(page)).toBe('/devices');
  expect((await page.context().cookies()).map((c) => c.name)).toContain('tod_access');

  await page.getByRole('button', { name: new RegExp(person.name) }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  // The session is really gone: a signed-in page sends us back to sign-in.
  await page.goto('/users');
  await page.waitForURL(/\/sign-in\?redirect=%2Fusers/);
});
