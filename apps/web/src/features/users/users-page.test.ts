import { expectAccessible, openSession, screenshot } from '../../../test/support/browser';
import { baseUrl, createPerson, expect, test } from '../../../test/support/fixtures';
import { signInWithTemporaryPassword } from '../../../test/support/sign-in';

// The users page as an organisation's admin uses it.

test('creates a user (the server’s validation shows inline), changes the role and deactivates', async ({ signIn }) => {
  const { page } = await signIn('admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Name').fill('Otto Operator');
  await dialog.getByLabel('Email').fill('otto@users-page.example');
  await dialog.getByLabel('Role').click();
  await page.getByRole('option', { name: 'Operator' }).click();
  await dialog.getByLabel('Password').fill('short');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect.poll(() => dialog.getByText('at least 12 characters').count()).toBeGreaterThan(0);
  await expectAccessible(page, 'new user dialog');
  await screenshot(page, 'users-new-dialog');
  await dialog.getByLabel('Password').fill('a-good-long-password');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('tr[data-user="otto@users-page.example"]');
  await row.getByText('Must enrol').waitFor();

  await row.getByLabel('Role of Otto Operator').click();
  await page.getByRole('option', { name: 'Viewer' }).click();
  // The toast, not its copy in the screen reader's live region.
  await page.getByText('Otto Operator is now viewer', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Actions for Otto Operator' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await row.getByText('Deactivated').waitFor();
  await expectAccessible(page, 'users');
  await screenshot(page, 'users');
});

test('resetting a user’s sign-in makes them enrol again with the temporary password', async ({
  org,
  signIn,
  browser,
}) => {
  const vera = await createPerson(org, 'viewer', 'Vera Viewer');
  const { page } = await signIn('admin');
  await page.goto('/users');
  await page.getByRole('button', { name: `Actions for ${vera.name}` }).click();
  await page.getByRole('menuitem', { name: 'Reset sign-in…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Temporary password').fill('temporary-password-77');
  await expectAccessible(page, 'reset sign-in dialog');
  await dialog.getByRole('button', { name: 'Reset sign-in' }).click();
  await page.locator(`[data-user="${vera.email}"]`).getByText('Must enrol').waitFor();

  const v = await openSession(browser, baseUrl);
  await signInWithTemporaryPassword(v.page, vera.email, 'temporary-password-77', 'vera rides seven new trams');
  expect(v.problems).toEqual([]);
  await v.context.close();
});

test('an operator has no user management: not in the sidebar, the palette or by address', async ({ signIn }) => {
  const { page } = await signIn('operator');
  const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  expect(links).not.toContain('Users');
  expect(links).not.toContain('Organisations');
  await page.goto('/users');
  await page.getByText('Not available for your role').waitFor();
  expect(await page.getByRole('button', { name: 'New user' }).count()).toBe(0);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  expect(await palette.getByRole('option', { name: 'Create user' }).count()).toBe(0);
  expect(await palette.getByRole('option', { name: 'Go to Users' }).count()).toBe(0);
  await page.keyboard.press('Escape');
});
