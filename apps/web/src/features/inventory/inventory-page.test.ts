import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, SIM, test } from '../../../test/support/fixtures';

// Sites, device tags and credential profiles as an operator manages them from the sidebar.

test('a tag with a bad colour is refused inline, then created and renamed; a site is listed with its address', async ({
  signIn,
}) => {
  const { page } = await signIn('operator');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Device tags' }).click();
  await page.getByRole('heading', { name: 'Device tags', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New device tag' }).click();
  const dialog = page.getByRole('dialog', { name: 'New device tag' });
  await dialog.getByLabel('Name', { exact: true }).fill('Core');
  // A bad colour comes back from the server as a field error, shown inline.
  await dialog.getByLabel('Colour', { exact: true }).fill('red');
  await dialog.getByRole('button', { name: 'Create device tag' }).click();
  await dialog.getByRole('alert').waitFor();
  await dialog.getByLabel('Colour', { exact: true }).fill('#E11D48');
  await dialog.getByRole('button', { name: 'Create device tag' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('[data-entry="Core"]');
  await expect.poll(() => row.textContent()).toContain('#e11d48');
  await expectAccessible(page, 'device tags');
  await screenshot(page, 'device-tags');
  await row.getByRole('button', { name: 'Edit Core' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Core' });
  await edit.getByLabel('Name').fill('Core routers');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-entry="Core routers"]').waitFor();

  await nav.getByRole('link', { name: 'Sites' }).click();
  await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New site' }).click();
  const site = page.getByRole('dialog', { name: 'New site' });
  await site.getByLabel('Name').fill('Head office');
  await site.getByLabel('Address').fill('1 Main Street');
  await site.getByLabel('Latitude').fill('51.5');
  await site.getByLabel('Longitude').fill('-0.12');
  await site.getByRole('button', { name: 'Create site' }).click();
  await site.waitFor({ state: 'hidden' });
  await expect.poll(() => page.locator('[data-entry="Head office"]').textContent()).toContain('1 Main Street');
  await expectAccessible(page, 'sites');
});

test('a credential profile never shows its password, and the add-device probe logs in with it', async ({
  signIn,
  routers,
}) => {
  const router = routers.devices[0]!;
  const { page } = await signIn('admin');
  await page.goto('/credential-profiles');
  await page.getByRole('button', { name: 'New credential profile' }).click();
  const cred = page.getByRole('dialog', { name: 'New credential profile' });
  await cred.getByLabel('Name', { exact: true }).fill('Field routers');
  await cred.getByLabel('Password').fill(SIM.password);
  await cred.getByRole('button', { name: 'Create credential profile' }).click();
  await cred.waitFor({ state: 'hidden' });
  const profile = page.locator('[data-entry="Field routers"]');
  await expect.poll(() => profile.textContent()).toContain('admin');
  expect(await page.getByText(SIM.password).count()).toBe(0);
  await expectAccessible(page, 'credential profiles');

  // The add-device form offers the profile instead of username and password; the probe logs in with it.
  await page.goto('/devices/new');
  await page.getByLabel('Login').click();
  await page.getByRole('option', { name: 'Field routers (admin)' }).click();
  expect(await page.getByLabel('Password').count()).toBe(0);
  await page.getByLabel('Address').fill(router.address);
  await page.getByLabel('API port').fill(String(router.port));
  await page.getByLabel('TLS mode').click();
  await page.getByRole('option', { name: 'Plain API (no TLS)' }).click();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.locator('[data-probe="ok"]').waitFor();
  await expectAccessible(page, 'add device with a credential profile');
});

test('a viewer reads sites but has no New, Edit or Delete, and no credential profiles', async ({ signIn }) => {
  const { page } = await signIn('viewer');
  await page.goto('/sites');
  await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
  expect(await page.getByRole('button', { name: /^(New|Edit|Delete)/ }).count()).toBe(0);
  await page.goto('/credential-profiles');
  await page.getByText('Not available for your role').waitFor();
});
