import { randomBytes } from 'node:crypto';
import { unwrap } from '../../../test/support/api';
import { backUp } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// The fleet Backups page's settings card (admins: `config.settings`): retention, the git remote whose credentials
// never come back, Push now with its outcome, the bundle to clone; operators and viewers do not see it.

test('an admin sets retention and a remote whose token is never shown, pushes, downloads the bundle', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  expect((await backUp(org.id, d!.id)).job.status).toBe('succeeded');
  const token = `tok-${randomBytes(6).toString('hex')}`;

  const { page } = await signIn('admin');
  await page.goto('/backups');
  const card = page.locator('[data-backup-settings]');
  await card.locator('[data-retention]').waitFor();
  expect(await card.locator('[data-retention]').textContent()).toBe('Keep every version');
  expect(await card.locator('[data-storage]').textContent()).toMatch(/^\d+(\.\d)? (B|KiB|MiB) · 1 version$/);
  expect(await card.locator('[data-git-remote]').textContent()).toContain('None');
  expect(await card.getByRole('button', { name: 'Push now' }).count()).toBe(0);

  // A remote helper is refused, inline under the URL, and nothing is saved.
  await card.getByRole('button', { name: 'Edit' }).click();
  await card.getByLabel('Remote URL').fill('ext::foo');
  await card.getByRole('button', { name: 'Save settings' }).click();
  await card.locator('#git-remote-error').waitFor();
  expect(await card.locator('#git-remote-error').textContent()).toContain('remote helpers');
  await expectAccessible(page, 'backup settings (refused remote)');
  await screenshot(page, 'backup-settings-form');

  // Retention (newest 30 and/or 90 days) and an https remote with a token in it.
  await card.getByLabel('Remove old versions').check();
  await card.getByLabel('Keep the newest (versions)').fill('30');
  await card.getByLabel('Keep the last (days)').fill('90');
  await card.getByLabel('Remote URL').fill(`https://tod-bot:${token}@git.example.invalid/x.git`);
  await card.getByLabel('Branch').fill('configs');
  await card.getByRole('button', { name: 'Save settings' }).click();
  await card.locator('[data-git-remote]').filter({ hasText: 'git.example.invalid' }).waitFor();
  expect(await card.locator('[data-retention]').textContent()).toBe(
    'Keep the newest 30 versions and the last 90 days of each device',
  );
  expect(await card.locator('[data-git-remote]').textContent()).toBe('https://***@git.example.invalid/x.git');
  expect(await card.textContent()).toContain('branch configs');
  expect(await card.locator('[data-last-push]').getAttribute('data-last-push')).toBe('never');
  const { api } = await superAdminApi();
  const saved = await unwrap(
    api.GET('/api/tenants/{tenant_id}/config/settings', { params: { path: { tenant_id: org.id } } }),
  );
  expect(saved).toMatchObject({ retention_versions: 30, retention_days: 90, git_remote_branch: 'configs' });

  // Push now: the host does not resolve, so the push fails and says why, still without the token.
  await card.getByRole('button', { name: 'Push now' }).click();
  await card.locator('[data-push-result]').waitFor({ timeout: 20_000 });
  expect(await card.locator('[data-push-result]').getAttribute('data-push-result')).toBe('git_push_failed');
  expect(await card.locator('[data-push-result]').textContent()).toBe('Not pushed: The push failed');
  await card.locator('[data-last-push="error"]').waitFor();
  expect(await card.locator('[data-last-push]').textContent()).toMatch(/^Last push failed: git_push_failed: /);
  await expectAccessible(page, 'backup settings');
  await screenshot(page, 'backup-settings');

  // Editing shows the stored remote redacted; a blank URL keeps it.
  await card.getByRole('button', { name: 'Edit' }).click();
  expect(await card.textContent()).toContain('Now https://***@git.example.invalid/x.git; blank keeps it');
  expect(await card.getByLabel('New remote URL').inputValue()).toBe('');
  expect(await page.content()).not.toContain(token);
  await card.getByLabel('Keep the newest (versions)').fill('');
  await card.getByRole('button', { name: 'Save settings' }).click();
  await expect
    .poll(() => card.locator('[data-retention]').textContent(), { timeout: 10_000 })
    .toBe('Keep the last 90 days of each device');
  expect(await card.locator('[data-git-remote]').textContent()).toBe('https://***@git.example.invalid/x.git');
  expect(await page.content()).not.toContain(token);

  // The mirror as a bundle: a git bundle of the version backed up above.
  const link = card.getByRole('link', { name: 'Download as git bundle' });
  expect(await card.textContent()).toContain('git clone tod-configs.bundle');
  const res = await page.request.get((await link.getAttribute('href'))!);
  expect(res.status()).toBe(200);
  expect((await res.body()).subarray(0, 16).toString('latin1')).toBe('# v2 git bundle\n');

  // Clearing the remote stops the pushes: no remote, no Push now.
  await card.getByRole('button', { name: 'Edit' }).click();
  await card.getByLabel('Remove the remote (stop pushing)').check();
  await card.getByRole('button', { name: 'Save settings' }).click();
  await card.locator('[data-git-remote=""]').waitFor();
  expect(await card.getByRole('button', { name: 'Push now' }).count()).toBe(0);
});

test('operators and viewers do not see the backup settings', async ({ signIn, addDevices }) => {
  await addDevices(1);
  for (const role of ['operator', 'viewer'] as const) {
    const { page } = await signIn(role);
    await page.goto('/backups');
    await page.locator('[data-schedule-summary]').waitFor();
    await page.locator('[data-backup-device]').first().waitFor();
    expect(await page.locator('[data-backup-settings]').count()).toBe(0);
    expect(await page.getByText('Backup settings').count()).toBe(0);
  }
});
