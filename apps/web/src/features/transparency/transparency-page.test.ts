import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, type Org, superAdminApi, test } from '../../../test/support/fixtures';

// The Transparency page: the key-access log as an organisation's admin reads it. A router is added over the API (its
// password sealed by the super admin), the poller opens that password for its session within a poll, and the admin
// finds both uses, narrows them by who and by secret, and sees a malformed key filter refused in place.

/** The key-access log of `org` over the API (the same query the page runs). */
async function uses(org: Org, query: { actor?: string; object?: string } = {}) {
  const { api } = await superAdminApi();
  return (
    await unwrap(
      api.GET('/api/tenants/{tenant_id}/transparency/events', {
        params: { path: { tenant_id: org.id }, query: { limit: 100, ...query } },
      }),
    )
  ).items;
}

test('shows who used which key on which secret, and filters by who and by secret', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [device] = await addDevices(1);
  const secret = `device:${device!.id}:password`;
  // The poller polls every few seconds in tests; its use is written within the log's flush interval.
  await expect
    .poll(async () => (await uses(org, { actor: 'poller', object: secret })).length, { timeout: 30_000 })
    .toBeGreaterThan(0);

  const { page } = await signIn('admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transparency' }).click();
  await page.getByRole('heading', { name: 'Transparency', exact: true }).waitFor();
  const sealed = page.locator(`tr[data-op="encrypt"][data-object="${secret}"]`);
  await sealed.waitFor();
  await expect.poll(() => sealed.getByText('seal', { exact: true }).count()).toBe(1);
  await expect.poll(() => sealed.getByText('local:v1').count()).toBe(1);
  await expectAccessible(page, 'transparency');
  await screenshot(page, 'transparency');

  // Only the poller: its decrypt of the router's password, for polling.
  await page.getByLabel('Who').click();
  await page.getByRole('option', { name: 'The poller' }).click();
  const polled = page.locator(`tr[data-actor="poller"][data-object="${secret}"]`).first();
  await polled.waitFor();
  await expect.poll(() => polled.getByText('poll', { exact: true }).count()).toBe(1);
  await expect.poll(() => page.locator('tbody tr:not([data-actor="poller"])').count()).toBe(0);

  // Narrowed to another secret: nothing; a key that is not one: said at the field, the list left as it was.
  await page.getByLabel('Secret').fill('config:');
  await page.getByText('No key use for these filters').waitFor();
  await page.getByLabel('Secret').fill(`device:${device!.id}`);
  await polled.waitFor();
  await page.getByRole('textbox', { name: 'Key' }).fill('not a key');
  await page.getByText('like transit:v2, local or v3').waitFor();
  await polled.waitFor();
  await page.getByRole('textbox', { name: 'Key' }).fill('local:v1');
  await polled.waitFor();
});

test('an operator has no Transparency page: not in the sidebar, nor by address', async ({ signIn }) => {
  const { page } = await signIn('operator');
  const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  expect(links).not.toContain('Transparency');
  await page.goto('/transparency');
  await page.getByText('Not available for your role').waitFor();
});
