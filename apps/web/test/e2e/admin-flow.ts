import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, screenshot } from './browser';
import { enrol } from './enrol-flow';

// The first admin's day one, as a person would do it in the browser. Each step leaves the page where the next
// one starts; the steps run in order from app.test.ts.

/** The first admin's bootstrap password only enrols: they choose `passphrase` and get a Secret Key. */
export async function signInAsFirstAdmin(page: Page, admin: { email: string; password: string }, passphrase: string) {
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Email').waitFor();
  await expectAccessible(page, 'sign-in');
  await screenshot(page, 'sign-in');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
  await screenshot(page, 'sign-in-error');
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const secretKey = await enrol(page, admin.email, passphrase, { checkKit: true });
  // No organisation exists yet: a super_admin lands in the setup wizard.
  await page.waitForURL(/\/setup$/);
  return secretKey;
}

export type SimDevice = { address: string; port: number; tlsPort: number; username: string; password: string };

export async function completeWizard(page: Page, orgName: string, device: SimDevice) {
  await page.getByRole('heading', { name: 'Create your organisation', exact: true }).waitFor();
  await expectAccessible(page, 'setup wizard step 1');
  await screenshot(page, 'wizard-organisation');
  await page.getByLabel('Name').fill(orgName);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await page.getByRole('heading', { name: 'Add your first device', exact: true }).waitFor();
  // Resumable: a reload keeps the step.
  await page.reload();
  await page.getByRole('heading', { name: 'Add your first device', exact: true }).waitFor();
  await page.getByLabel('Address').fill(device.address);
  await page.getByLabel('API port').fill(String(device.port));
  await page.getByLabel('TLS port').fill(String(device.tlsPort));
  await page.getByLabel('TLS mode').click();
  await page.getByRole('option', { name: 'Plain API (no TLS)' }).click();
  await page.getByLabel('Username').fill(device.username);
  // A wrong password: the live probe names the precise failure.
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.locator('[data-probe="bad_credentials"]').waitFor();
  await expectAccessible(page, 'setup wizard step 2');
  await screenshot(page, 'wizard-device-bad-password');
  await page.getByLabel('Password').fill(device.password);
  await page.getByLabel('Name', { exact: true }).fill('edge-router');
  await page.getByRole('button', { name: 'Add and continue' }).click();
  await page.getByRole('heading', { name: 'Verify', exact: true }).waitFor();
  // The first poll (POLL_INTERVAL_SECONDS=3 in global-setup) brings it online.
  await page.getByText('edge-router is online').waitFor({ timeout: 20_000 });
  await expectAccessible(page, 'setup wizard step 3');
  await screenshot(page, 'wizard-verify-online');
  await page.getByRole('button', { name: 'Go to the dashboard' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  await expect.poll(() => page.getByText(`Fleet health for ${orgName}.`).count()).toBe(1);
  await expect.poll(() => page.locator('[data-tile="Online"]').textContent(), { timeout: 10_000 }).toContain('1');
  await expectAccessible(page, 'dashboard');
  await screenshot(page, 'dashboard');
}

export async function createUsers(page: Page, users: { name: string; email: string; role: string }[]) {
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  for (const u of users) {
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill(u.name);
    await dialog.getByLabel('Email').fill(u.email);
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: u.role }).click();
    await dialog.getByLabel('Password').fill('short');
    if (u === users[0]) {
      // The server's validation message shows inline, next to the field.
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await expect.poll(() => dialog.getByText('at least 12 characters').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'new user dialog');
      await screenshot(page, 'users-new-dialog');
    }
    await dialog.getByLabel('Password').fill('a-good-long-password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`tr[data-user="${u.email}"]`).waitFor();
  }
  await expectAccessible(page, 'users');
  await screenshot(page, 'users');
}

export async function createAndRevokeApiKey(page: Page, baseUrl: string) {
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
  await expectAccessible(page, 'API keys (empty)');
  await page.getByRole('button', { name: 'New API key' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Monitoring export');
  await page.getByRole('button', { name: 'Create key' }).click();
  const keyField = page.getByLabel('API key', { exact: true });
  await keyField.waitFor();
  const key = await keyField.inputValue();
  expect(key).toMatch(/^mktp_/);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await expectAccessible(page, 'API key created dialog');
  await screenshot(page, 'api-key-created');
  // The key works, and once the dialog closes it is nowhere on the page.
  expect((await fetch(`${baseUrl}/api/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(200);
  await page.getByRole('button', { name: 'Done' }).click();
  const row = page.locator('tr[data-key="Monitoring export"]');
  await row.waitFor();
  expect(await page.content()).not.toContain(key);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Revoke key' }).click();
  await row.getByText('Revoked').waitFor();
  expect((await fetch(`${baseUrl}/api/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(401);
  await screenshot(page, 'api-keys');
}

export async function auditShowsActions(page: Page) {
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
  // (The super_admin's own sign-in belongs to no organisation, so it is not in this organisation's trail.)
  for (const action of ['tenant.create', 'user.create', 'api_key.create', 'api_key.revoke'])
    await page.locator(`tr[data-action="${action}"]`).first().waitFor();
  await expectAccessible(page, 'audit log');
  await screenshot(page, 'audit');
  await page.getByLabel('Action').fill('api_key.revoke');
  await expect.poll(() => page.locator('tr[data-action]').count()).toBe(1);
  // The CSV export link carries the same filter and downloads with the session cookie.
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('action=api_key.revoke');
  const csv = await page.context().request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('api_key.revoke');
}
