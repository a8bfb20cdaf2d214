import { expectAccessible, screenshot } from '../support/browser';
import { baseUrl, expect, test } from '../support/fixtures';

// An organisation's admin sets it up for a team: people of each role, an API key for a script, and the audit
// trail that records it all. Then the super_admin's view across organisations.

test('an admin adds people of each role and an API key, and finds both in the audit log', async ({ signIn, org }) => {
  const { page } = await signIn('admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  for (const [name, role] of [
    ['Ada Admin', 'Admin'],
    ['Otto Operator', 'Operator'],
    ['Vera Viewer', 'Viewer'],
  ] as const) {
    const email = `${name.split(' ')[0]!.toLowerCase()}@${org.id.slice(0, 8)}.example`;
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: role }).click();
    await dialog.getByLabel('Password').fill('a-good-long-password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`tr[data-user="${email}"]`).waitFor();
  }

  // An API key: shown once, copyable, working; revoked, it stops working.
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
  expect((await fetch(`${baseUrl}/api/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(200);
  await page.getByRole('button', { name: 'Done' }).click();
  const row = page.locator('tr[data-key="Monitoring export"]');
  await row.waitFor();
  expect(await page.content()).not.toContain(key);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Revoke key' }).click();
  await row.getByText('Revoked').waitFor();
  expect((await fetch(`${baseUrl}/api/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(401);

  // The audit log: each action, a filter, and the same filter as a CSV download.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
  for (const action of ['user.create', 'api_key.create', 'api_key.revoke'])
    await page.locator(`tr[data-action="${action}"]`).first().waitFor();
  await expectAccessible(page, 'audit log');
  await screenshot(page, 'audit');
  await page.getByLabel('Action').fill('api_key.revoke');
  await expect.poll(() => page.locator('tr[data-action]').count()).toBe(1);
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('action=api_key.revoke');
  const csv = await page.context().request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('api_key.revoke');
});

test('a super_admin creates an organisation from the palette, lands in it, and switches back', async ({
  signIn,
  org,
}) => {
  const { page } = await signIn('super_admin');
  await page.getByText(`Fleet health for ${org.name}.`).waitFor();
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
  await page.keyboard.type('create organisation');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New organisation' });
  const other = `Globex ${org.id.slice(0, 6)}`;
  await dialog.getByLabel('Name').fill(other);
  await dialog.getByRole('button', { name: 'Create organisation' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator(`tr[data-tenant="${other}"]`).getByText('Current').waitFor();
  await expectAccessible(page, 'organisations');
  await screenshot(page, 'organisations');
  await page.getByRole('button', { name: other }).click();
  await page.getByRole('menuitem', { name: org.name }).click();
  await page.locator(`tr[data-tenant="${org.name}"]`).getByText('Current').waitFor();
});
