import type { Fleet } from '@tod/simulator';
import { backUp, changeRouter, someAddress } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// Restoring from the Backups tab after reading the preview (what changes, the exact commands, the risks), followed
// to the end in the device's operation panel; then the emergency rollback undoes it.

/** Address-list entries with this address on the first simulated router. */
const entries = (routers: Fleet, address: string) =>
  (routers.device(0).store.menu('/ip/firewall/address-list', false)?.items ?? []).filter(
    (i) => i.props.get('address') === address,
  ).length;

test('an operator reads a restore’s preview, restores, then rolls the restore back', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  const address = someAddress();
  const before = await backUp(org.id, d!.id);
  expect(before.job.status).toBe('succeeded');
  // Since then: an address-list entry added and the default route moved to another gateway.
  changeRouter(
    routers,
    0,
    `/ip firewall address-list add list=restore-test address=${address}\n/ip route set [ find ] gateway=10.99.99.1`,
  );
  const changed = (await backUp(org.id, d!.id)).version?.changes ?? 0;
  expect(changed).toBeGreaterThanOrEqual(2);

  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/backups`);
  const older = page.locator('[data-version]').nth(1);
  await older.waitFor({ timeout: 10_000 });
  // The current version has nothing to restore to.
  expect(
    await page
      .locator('[data-version]')
      .first()
      .getByRole('button', { name: /^Restore the version/ })
      .count(),
  ).toBe(0);
  await older.getByRole('button', { name: /^Restore the version/ }).click();

  const dialog = page.getByRole('dialog', { name: /^Restore the version of/ });
  const preview = dialog.locator('[data-restore-preview]');
  await expect.poll(() => preview.getAttribute('data-restore-preview'), { timeout: 20_000 }).toBe(String(changed));
  // What changes, per menu, as the backups comparison shows it.
  await dialog.locator('[data-diff-menu="/ip/firewall/address-list"] [data-change="removed"]').waitFor();
  await dialog.locator('[data-diff-menu="/ip/route"] [data-change="added"]').waitFor();
  // The exact commands: items addressed by what identifies them, never by id.
  expect(await dialog.locator('[data-command]').allTextContents()).toEqual([
    `/ip firewall address-list remove [ find list=restore-test address=${address} ]`,
    '/ip route remove [ find gateway=10.99.99.1 distance=1 ]',
    expect.stringMatching(/^\/ip route add distance=1 gateway=10\.\d+\.\d+\.254$/),
  ]);
  // Replacing the default route may cut TOD off: a danger, listed first and announced; the new route a warning.
  const risks = dialog.getByRole('alert').filter({ has: page.locator('[data-risk]') });
  expect(await risks.locator('h3').textContent()).toBe('1 change may cut off access to this router');
  expect(await risks.locator('[data-risk]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-risk')))).toEqual([
    'danger',
    'warning',
  ]);
  expect(await risks.locator('[data-risk="danger"]').textContent()).toContain('removes the default route');
  // The danger command is marked in the list, and Restore is styled as destructive.
  expect(await dialog.locator('[data-command]').nth(1).getAttribute('class')).toContain('text-destructive');
  await expectAccessible(page, 'restore preview');
  await screenshot(page, 'restore-preview');

  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  const op = page.locator('[data-operation]');
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('confirmed');
  expect(await op.textContent()).toContain('Restore: restore version');
  expect(entries(routers, address)).toBe(0);
  await screenshot(page, 'restore-confirmed');

  // Emergency rollback: back to before the restore, asked for first.
  await page.getByRole('button', { name: 'Close the operation' }).click();
  await page.getByRole('button', { name: 'Emergency rollback' }).click();
  const confirm = page.getByRole('dialog', { name: 'Roll back the last change?' });
  await expectAccessible(page, 'emergency rollback confirmation');
  await confirm.getByRole('button', { name: 'Roll back now' }).click();
  const rollback = page.locator('[data-operation]');
  await expect.poll(() => rollback.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('confirmed');
  expect(await rollback.textContent()).toContain('Emergency rollback');
  expect(entries(routers, address)).toBe(1);
});

test('a replaced router takes the binary backup once its name is typed', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  const address = someAddress();
  expect((await backUp(org.id, d!.id)).job.status).toBe('succeeded');
  changeRouter(routers, 0, `/ip firewall address-list add list=binary-test address=${address}`);
  expect((await backUp(org.id, d!.id)).job.status).toBe('succeeded');

  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/backups`);
  const older = page.locator('[data-version]').nth(1);
  await older.waitFor({ timeout: 10_000 });
  await older.getByRole('button', { name: /^Restore the version/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Restore the version of/ });
  const binary = dialog.locator('[data-binary-restore]');
  await binary.locator('summary').click();
  const name = binary.getByLabel('Device name');
  await name.fill('not-this-router');
  await binary.getByRole('button', { name: 'Load the binary backup' }).click();
  await expect.poll(() => binary.getByRole('alert').textContent()).toContain('type the device name exactly');
  await expectAccessible(page, 'binary restore');
  await name.fill(d!.name ?? '');
  await binary.getByRole('button', { name: 'Load the binary backup' }).click();
  const op = page.locator('[data-operation]');
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('confirmed');
  expect(await op.textContent()).toContain('load the binary backup of version');
  expect(entries(routers, address)).toBe(0);
});

test('a viewer sees versions and no Restore or Emergency rollback', async ({ org, signIn, addDevices }) => {
  const [d] = await addDevices(1);
  await backUp(org.id, d!.id, 'viewer restore check');
  const { page } = await signIn('viewer');
  await page.goto(`/devices/${d!.id}/backups`);
  await page.locator('[data-version]').first().waitFor({ timeout: 10_000 });
  expect(await page.getByRole('button', { name: /Restore|Emergency rollback/ }).count()).toBe(0);
});
