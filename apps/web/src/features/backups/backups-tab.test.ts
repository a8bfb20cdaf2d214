import { backUp, changeRouter, someAddress } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The device page's Backups tab as people use it: the versions as time ranges, the comparison of two, downloads,
// back up now and checkpoints with their progress, the schedule; what each role may do there.

test('shows versions as time ranges and compares two: changes per menu, then side by side', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  const address = someAddress();
  changeRouter(routers, 0, `/system note set note="before ${address}"`);
  const first = await backUp(org.id, d!.id);
  expect(first.job).toMatchObject({ status: 'succeeded', error_code: null });
  const note = `after ${address}`;
  changeRouter(
    routers,
    0,
    `/system note set note="${note}"\n/ip firewall address-list add list=blocked address=${address}`,
  );
  const second = await backUp(org.id, d!.id, 'before the VLAN work');
  expect(second.version?.changes).toBe(2);

  const { page } = await signIn('admin');
  await page.goto(`/devices/${d!.id}/backups`);
  const versions = page.locator('[data-version]');
  await expect.poll(() => versions.count(), { timeout: 10_000 }).toBe(2);
  // Newest first: the checkpoint, with its name and its two changes; then the first version.
  const newest = versions.first();
  expect(await newest.getAttribute('data-trigger')).toBe('checkpoint');
  await expect.poll(() => newest.textContent(), { timeout: 10_000 }).toContain('“before the VLAN work”');
  expect(await newest.textContent()).toContain('2 changes');
  expect(await newest.textContent()).toMatch(/Created .+ · unchanged until .+\(current\)/);
  expect(await versions.nth(1).textContent()).toContain('first version');
  expect(await versions.nth(1).getAttribute('data-trigger')).toBe('manual');

  // The comparison opens on the newest version against the one before: a changed note, an added entry.
  const viewer = page.locator('[data-diff-viewer]');
  await viewer.locator('[data-diff-count]').waitFor();
  expect(await viewer.locator('[data-diff-count]').textContent()).toBe('2 changes in 2 menus');
  const noteMenu = viewer.locator('[data-diff-menu="/system/note"]');
  expect(await noteMenu.locator('h3').textContent()).toBe('/system note');
  expect(await noteMenu.locator('[data-prop="note"] ins').textContent()).toBe(note);
  const list = viewer.locator('[data-diff-menu="/ip/firewall/address-list"] [data-change="added"]');
  expect(await list.textContent()).toContain(`address=${address}`);
  // Admins may see secrets: no redaction notice.
  expect(await viewer.getByText('Secrets (passwords, keys) are hidden').count()).toBe(0);
  await expectAccessible(page, 'backups tab');
  await viewer.scrollIntoViewIfNeeded();
  await screenshot(page, 'backups-changes');

  await viewer.getByRole('radio', { name: 'Side by side' }).click();
  const added = viewer.locator('[data-line="new"]').filter({ hasText: address });
  await expect.poll(() => added.count(), { timeout: 10_000 }).toBe(2);
  // RouterOS highlighting: the verb, the property name and its value are tokens of their own.
  const tokens = viewer.locator('[data-line="new"]').filter({ hasText: 'list=blocked' }).locator('[data-token]');
  expect(await tokens.evaluateAll((ts) => ts.map((t) => `${t.getAttribute('data-token')}:${t.textContent}`))).toEqual(
    expect.arrayContaining(['verb:add', 'name:address', `value:${address}`, 'name:list', 'value:blocked']),
  );
  await expectAccessible(page, 'backups side by side');
  await added.first().scrollIntoViewIfNeeded();
  await screenshot(page, 'backups-side-by-side');

  // Comparing the same version with itself says so.
  await page.getByLabel('From').click();
  await page.getByRole('option').first().click();
  await viewer.getByText('These two versions are the same configuration.').waitFor();

  // Downloads: the export, the export with secrets and the binary backup, each a real file.
  await newest.getByRole('button', { name: /^Download the version/ }).click();
  const items = page.getByRole('menuitem');
  expect(await items.allTextContents()).toEqual([
    'Export (.rsc), secrets hidden',
    'Export with secrets (.rsc)',
    expect.stringMatching(/^Binary backup \(\.backup\), /),
  ]);
  const [rsc, withSecrets, binary] = await Promise.all(
    [0, 1, 2].map(async (i) => page.request.get((await items.nth(i).getAttribute('href')) as string)),
  );
  expect(rsc!.status()).toBe(200);
  expect(await rsc!.text()).toContain(`address=${address}`);
  expect(withSecrets!.status()).toBe(200);
  expect(binary!.headers()['content-type']).toBe('application/octet-stream');
  await page.keyboard.press('Escape');
});

test('an operator backs up now and takes a checkpoint, following each live; sets the device’s schedule', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  expect((await backUp(org.id, d!.id)).job).toMatchObject({ status: 'succeeded', error_code: null });
  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/backups`);
  const versions = page.locator('[data-version]');
  await expect.poll(() => versions.count(), { timeout: 10_000 }).toBe(1);

  // Nothing changed: the backup ends as "no change", the timeline keeps one version whose range grew.
  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.getByText('No change since the last backup').first().waitFor({ timeout: 30_000 });
  await page.locator('[data-job-status="succeeded"]').waitFor();
  expect(await versions.count()).toBe(1);

  // A checkpoint after a change: asked for a name, followed to the end, listed first.
  changeRouter(routers, 0, `/ip firewall address-list add list=blocked address=${someAddress()}`);
  await page.getByRole('button', { name: 'Checkpoint' }).click();
  const dialog = page.getByRole('dialog', { name: 'Take a checkpoint' });
  await dialog.getByLabel('Name').fill('before the upgrade');
  await dialog.getByRole('button', { name: 'Take checkpoint' }).click();
  await expect.poll(() => versions.count(), { timeout: 30_000 }).toBe(2);
  await expect.poll(() => versions.first().textContent(), { timeout: 10_000 }).toContain('“before the upgrade”');
  expect(await versions.first().textContent()).toContain('1 change');
  await page.locator('[data-job-status="succeeded"]').waitFor();
  expect(await page.locator('[data-job-status]').textContent()).toContain('Checkpoint “before the upgrade”');

  // Operators see redacted comparisons and may download only the redacted export.
  await page.locator('[data-diff-viewer]').getByText('Secrets (passwords, keys) are hidden').waitFor();
  await versions
    .first()
    .getByRole('button', { name: /^Download the version/ })
    .click();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Export (.rsc)']);
  await page.keyboard.press('Escape');

  // The schedule: TOD's default until changed; a bad expression is refused inline; then the device's own.
  const schedule = page.locator('[data-schedule]');
  await expect.poll(() => schedule.getAttribute('data-schedule'), { timeout: 10_000 }).toBe('default');
  expect(await schedule.locator('[data-schedule-summary]').textContent()).toContain('Daily at 02:00');
  await schedule.getByRole('button', { name: 'Edit' }).click();
  await schedule.getByLabel('A schedule for this device').check();
  await schedule.getByLabel('When (cron)').fill('every night');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await schedule.getByRole('alert').waitFor();
  await schedule.getByLabel('When (cron)').fill('30 3 * * *');
  await schedule.getByLabel('Time zone').fill('Europe/Berlin');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  const summary = schedule.locator('[data-schedule-summary]');
  await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe('Daily at 03:30 (Europe/Berlin)');
  expect(await schedule.getAttribute('data-schedule')).toBe('device');
  expect(await schedule.textContent()).toContain('set for this device');
  await expectAccessible(page, 'backups tab (operator)');

  // Back to the organisation's schedule.
  await schedule.getByRole('button', { name: 'Edit' }).click();
  await schedule.getByLabel('Use the organisation’s schedule').check();
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe('Daily at 02:00 (UTC)');
  expect(await schedule.getAttribute('data-schedule')).toBe('default');
});

test('a viewer sees the versions and their comparison, and no way to back up or schedule', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('viewer');
  await page.goto(`/devices/${d!.id}/backups`);
  await page.getByText('No backups yet').waitFor();
  await page.getByText('The first version appears after the next scheduled backup.').waitFor();
  await backUp(org.id, d!.id);
  await page.reload();
  await page.locator('[data-version]').first().waitFor();
  await page.locator('[data-schedule]').waitFor();
  expect(await page.getByRole('button', { name: /^(Back up now|Checkpoint|Edit)$/ }).count()).toBe(0);
  await expectAccessible(page, 'backups tab (viewer)');
});
