import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, screenshot } from './browser';

const path = (page: Page) => new URL(page.url()).pathname;

/** Cmd/Ctrl+K palette, `g` shortcuts, `/` search and `?` help. */
export async function keyboard(page: Page) {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  // Devices come from a server search on name, host or identity: part of the wizard's router's name finds it.
  await page.keyboard.type('edge-rou');
  await palette
    .getByRole('group', { name: 'Devices' })
    .getByRole('option', { name: /edge-router/ })
    .waitFor();
  await page.keyboard.press('Enter');
  await expect.poll(() => path(page)).toMatch(/^\/devices\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'edge-router', exact: true }).waitFor();
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await page.keyboard.type('audit');
  await screenshot(page, 'command-palette');
  await expectAccessible(page, 'command palette');
  await page.keyboard.press('Enter');
  await expect.poll(() => path(page)).toBe('/audit');
  await page.locator('body').click({ position: { x: 900, y: 820 } });
  await page.keyboard.press('g');
  await page.keyboard.press('d');
  await expect.poll(() => path(page)).toBe('/devices');
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  await expectAccessible(page, 'devices');
  await screenshot(page, 'devices');
  await page.keyboard.press('g');
  await page.keyboard.press('h');
  await expect.poll(() => path(page)).toBe('/');
  await page.keyboard.press('g');
  await page.keyboard.press('u');
  await expect.poll(() => path(page)).toBe('/users');
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  await page.keyboard.press('/');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search users');
  await page.keyboard.press('Escape');
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await screenshot(page, 'shortcut-help');
  await page.keyboard.press('Escape');
}

/** Dark mode from settings, remembered across a reload; the dark pages pass the contrast checks too. */
export async function darkTheme(page: Page) {
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
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  await page.locator('tr[data-user]').first().waitFor();
  await expectAccessible(page, 'users (dark)');
  await screenshot(page, 'users-dark');
  await page.goto('/settings');
  await page.getByText('Follow the operating system').click();
}

/** An expired access token (its cookie gone) is renewed silently with the refresh cookie. */
export async function silentRefresh(page: Page) {
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.name)).toContain('tod_refresh');
  await page.context().clearCookies({ name: 'tod_access' });
  // A full reload asks the server who we are with no access token: the app must refresh, not ask to sign in.
  await page.reload();
  await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
  await page.locator('tr[data-action]').first().waitFor();
  expect(new URL(page.url()).pathname).toBe('/audit');
  expect((await page.context().cookies()).map((c) => c.name)).toContain('tod_access');
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /Administrator/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  // The session is really gone: a signed-in page sends us back to sign-in.
  await page.goto('/users');
  await page.waitForURL(/\/sign-in\?redirect=%2Fusers/);
}

/** A super_admin creates a second organisation from the palette, lands in it, and switches back in the sidebar. */
export async function organisations(page: Page, back: string) {
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
  await page.keyboard.type('create organisation');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New organisation' });
  await dialog.getByLabel('Name').fill('Globex Transit');
  await dialog.getByRole('button', { name: 'Create organisation' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('tr[data-tenant="Globex Transit"]').getByText('Current').waitFor();
  await expectAccessible(page, 'organisations');
  await screenshot(page, 'organisations');
  await page.getByRole('button', { name: 'Globex Transit' }).click();
  await page.getByRole('menuitem', { name: back }).click();
  await page.locator(`tr[data-tenant="${back}"]`).getByText('Current').waitFor();
}

/** The sidebar collapses to an icon rail (remembered) and expands again. */
export async function collapseSidebar(page: Page) {
  await page.getByRole('button', { name: 'Collapse sidebar' }).click();
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Expand sidebar' }).waitFor();
  await expectAccessible(page, 'collapsed sidebar');
  await screenshot(page, 'sidebar-collapsed');
  await page.getByRole('button', { name: 'Expand sidebar' }).click();
  await page.getByRole('button', { name: 'Collapse sidebar' }).waitFor();
}
