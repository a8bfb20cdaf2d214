import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// Settings → Your account (issue 16, GDPR): a person downloads everything TOD holds about them, and deletes their
// account with their current password; the organisation's audit trail still verifies afterwards.

const json = async (d: Download) => JSON.parse(await readFile((await d.path())!, 'utf8'));

async function openDeleteDialog(page: Page) {
  await page.getByRole('button', { name: 'Delete my account…' }).click();
  return page.getByRole('dialog', { name: 'Delete your account' });
}

test('a person downloads their data, then deletes their account; the audit chain still verifies', async ({
  org,
  signIn,
}) => {
  const p = await signIn('operator');
  const { page } = p;
  await page.goto('/settings');
  await page.getByRole('heading', { name: 'Your account' }).waitFor();

  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download my data' }).click(),
  ]);
  expect(exported.suggestedFilename()).toMatch(/^tod-personal-data-\d{4}-\d\d-\d\d\.json$/);
  const data = await json(exported);
  expect(data.account).toMatchObject({ email: p.account.email, role: 'operator', organisation: { id: org.id } });
  expect(data.audit_entries.map((e: { action: string }) => e.action)).toContain('user.srp_enrolled');
  expect(JSON.stringify(data)).not.toContain('srp_verifier');

  const dialog = await openDeleteDialog(page);
  await dialog.getByLabel('Current password').fill('not my password at all');
  await dialog.getByLabel('Secret Key').fill(p.account.secretKey);
  const confirm = dialog.getByRole('button', { name: 'Delete my account' });
  // Nothing is sent before the email is typed back.
  expect(await confirm.isDisabled()).toBe(true);
  await dialog.getByLabel('Type your email address to confirm').fill(p.account.email.toUpperCase());
  await expectAccessible(page, 'delete account dialog');
  await screenshot(page, 'settings-delete-account');
  await confirm.click();
  await expect
    .poll(() => dialog.getByRole('alert').textContent(), { timeout: 30_000 })
    .toContain('password or Secret Key is wrong');

  await dialog.getByLabel('Current password').fill(p.account.password);
  const [receiptFile] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), confirm.click()]);
  expect(receiptFile.suggestedFilename()).toMatch(/^tod-deletion-receipt-/);
  const receipt = await json(receiptFile);
  expect(receipt).toMatchObject({ organisation_id: org.id, removed: { account: 1 } });
  expect(receipt.subject_salt).toMatch(/^[0-9a-f]{32}$/);
  await page.waitForURL((u) => u.pathname === '/sign-in');
  await page.getByText('Your account was deleted').waitFor();

  // The account and its session are gone; the organisation's trail verifies, with this person's entries anonymised.
  expect((await p.api.api.GET('/api/auth/me')).response.status).toBe(401);
  const admin = await superAdminApi();
  const v = await unwrap(
    admin.api.GET('/api/tenants/{tenant_id}/audit-logs/verify', { params: { path: { tenant_id: org.id } } }),
  );
  expect(v).toMatchObject({ valid: true, first_broken_seq: null });
  expect(v.anonymised).toBeGreaterThan(0);
});

test('the only admin of an organisation is told to appoint another first', async ({ signIn }) => {
  const p = await signIn('admin');
  const { page } = p;
  await page.goto('/settings');
  const dialog = await openDeleteDialog(page);
  await dialog.getByLabel('Current password').fill(p.account.password);
  await dialog.getByLabel('Secret Key').fill(p.account.secretKey);
  await dialog.getByLabel('Type your email address to confirm').fill(p.account.email);
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 30_000 }).toContain('last admin');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await p.api.api.GET('/api/auth/me')).response.status).toBe(200);
});
