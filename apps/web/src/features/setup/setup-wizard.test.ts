import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, SIM, test } from '../../../test/support/fixtures';

// The wizard's device path, driven by a super_admin who opens /setup (first-run.test.ts covers the wizard being
// offered on a fresh install, and the demo fleet).

test('adds a first device: a wrong password is named, it comes online, and the dashboard is the new organisation’s', async ({
  signIn,
  routers,
}) => {
  const router = routers.devices[0]!;
  const { page } = await signIn('super_admin');
  await page.goto('/setup');
  await page.getByRole('heading', { name: 'Create your organisation', exact: true }).waitFor();
  const name = `Wizard ${Date.now().toString(36)}`;
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await page.getByRole('heading', { name: 'Add your first device', exact: true }).waitFor();
  // Resumable: a reload keeps the step.
  await page.reload();
  await page.getByRole('heading', { name: 'Add your first device', exact: true }).waitFor();
  await page.getByLabel('Address').fill(router.address);
  await page.getByLabel('API port').fill(String(router.port));
  await page.getByLabel('TLS mode').click();
  await page.getByRole('option', { name: 'Plain API (no TLS)' }).click();
  await page.getByLabel('Username').fill(SIM.username);
  // A wrong password: the live probe names the precise failure.
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.locator('[data-probe="bad_credentials"]').waitFor();
  await expectAccessible(page, 'setup wizard step 2');
  await screenshot(page, 'wizard-device-bad-password');
  await page.getByLabel('Password').fill(SIM.password);
  await page.getByLabel('Name', { exact: true }).fill('edge-router');
  await page.getByRole('button', { name: 'Add and continue' }).click();
  await page.getByRole('heading', { name: 'Verify', exact: true }).waitFor();
  await page.getByText('edge-router is online').waitFor({ timeout: 20_000 });
  await expectAccessible(page, 'setup wizard step 3');
  await page.getByRole('button', { name: 'Go to the dashboard' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  await expect.poll(() => page.getByText(`Fleet health for ${name}.`).count()).toBe(1);
  await expect.poll(() => page.locator('[data-tile="Online"]').textContent(), { timeout: 10_000 }).toContain('1');
});
