import { unwrap } from '../support/api';
import { changeRouter } from '../support/backups';
import { expectAccessible, screenshot } from '../support/browser';
import { expect, SIM, superAdminApi, test } from '../support/fixtures';

// An operator's first backups of a router reached over SSH: back up now from the device's Backups tab, a change
// made on the router by someone else, a second backup followed live, the comparison naming that change, and the
// fleet's Backups page.

test('backs a router up, sees another client’s change in the next version and its diff', async ({
  org,
  signIn,
  routers,
}) => {
  const r = routers.devices[0]!;
  const { api } = await superAdminApi();
  const d = await unwrap(
    api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
      body: {
        name: 'core-router',
        host: r.address,
        port: r.port,
        tls_mode: 'plain',
        ssh_port: r.sshPort,
        username: SIM.username,
        password: SIM.password,
      },
    }),
  );
  const before = `core-${Date.now().toString(36)}`;
  changeRouter(routers, 0, `/system identity set name=${before}`);
  const { page } = await signIn('operator');

  // From the device list to the device's Backups tab: nothing stored yet.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('link', { name: 'core-router' }).first().click();
  await page.getByRole('heading', { name: 'core-router', exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Device sections' }).getByRole('link', { name: 'Backups' }).click();
  await page.waitForURL((u) => u.pathname === `/devices/${d.id}/backups`);
  await page.getByText('No backups yet').waitFor();

  // Back up now: the first version, taken over SSH.
  await page.getByRole('button', { name: 'Back up now' }).click();
  const versions = page.locator('[data-version]');
  await expect.poll(() => versions.count(), { timeout: 30_000 }).toBe(1);
  expect(await versions.first().textContent()).toContain('first version');
  expect(await versions.first().locator('[data-method="api"]').count()).toBe(0);
  await page.locator('[data-job-status="succeeded"]').waitFor();

  // Someone changes the router outside TOD; the next backup runs slowly enough to watch it live.
  const identity = `edge-${Date.now().toString(36)}`;
  changeRouter(routers, 0, `/system identity set name=${identity}`);
  routers.device(0).setFault({ sshLatencyMs: 600 });
  try {
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.locator('[data-job-status="running"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => versions.count(), { timeout: 60_000 }).toBe(2);
  } finally {
    routers.device(0).setFault({ sshLatencyMs: 0 });
  }
  // TOD also read the change in the router's log, so a change-triggered backup may already be queued behind it.
  await page.locator('[data-job-status="succeeded"], [data-job-status="queued"]').waitFor();
  expect(await versions.first().textContent()).toContain('1 change');
  expect(await versions.first().textContent()).toContain('Manual');

  // The comparison names the change, and nothing else.
  await versions
    .first()
    .getByRole('button', { name: /^Show changes/ })
    .click();
  const viewer = page.locator('[data-diff-viewer]');
  await expect
    .poll(() => viewer.locator('[data-diff-count]').textContent(), { timeout: 10_000 })
    .toBe('1 change in 1 menu');
  expect(
    await viewer.locator('[data-diff-menu]').evaluateAll((ms) => ms.map((m) => m.getAttribute('data-diff-menu'))),
  ).toEqual(['/system/identity']);
  expect(await viewer.locator('[data-prop="name"] del').textContent()).toBe(before);
  expect(await viewer.locator('[data-prop="name"] ins').textContent()).toBe(identity);
  await expectAccessible(page, 'backups journey: comparison');
  await viewer.getByRole('radio', { name: 'Side by side' }).click();
  await viewer
    .locator('[data-line="new"]')
    .filter({ hasText: `name=${identity}` })
    .waitFor();
  await screenshot(page, 'backups-journey-diff');

  // The fleet's Backups page: the router backed up over SSH, nothing failing.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
  const row = page.locator(`[data-backup-device="${d.id}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain('OK');
  expect(await row.textContent()).toContain('SSH');
});
