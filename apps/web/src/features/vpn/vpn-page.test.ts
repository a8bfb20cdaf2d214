import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The WireGuard page as an admin uses it: set up the hub, give it the public host routers dial, onboard a router and
// copy its commands (shown once), see the peer, remove it; and what a viewer sees.

test('an admin sets up the hub, onboards a router and copies its commands once; a viewer only reads', async ({
  org,
  signIn,
}) => {
  const { page, api } = await signIn('admin');
  await page.goto('/vpn');
  await page.getByRole('heading', { name: 'WireGuard VPN', exact: true }).waitFor();
  await page.getByText('No hub yet').waitFor();
  await page.getByText('No routers on the hub').waitFor();
  await expectAccessible(page, 'vpn, no hub');

  await page.getByRole('button', { name: 'Set up the hub' }).click();
  const hubCard = page.getByRole('region', { name: 'Hub' });
  await hubCard.locator('[data-public-key]').waitFor();
  const hub = await unwrap(api.api.GET('/api/tenants/{tenant_id}/vpn', { params: { path: { tenant_id: org.id } } }));
  expect(await hubCard.locator('[data-public-key]').textContent()).toBe(hub.hub?.public_key);
  expect(await hubCard.textContent()).toContain(hub.hub?.network ?? '?');
  // No public host yet (the test's TOD has no WIREGUARD_ENDPOINT): no onboarding.
  await hubCard.getByText('Routers cannot be onboarded until they have a public host to dial').waitFor();
  expect(await page.getByRole('button', { name: 'Onboard router' }).count()).toBe(0);

  await hubCard.getByLabel('Endpoint host').fill('not a host!');
  await hubCard.getByRole('button', { name: 'Save settings' }).click();
  await hubCard.getByRole('alert').first().waitFor();
  await hubCard.getByLabel('Endpoint host').fill('vpn.example.net');
  await hubCard.getByRole('button', { name: 'Save settings' }).click();
  await hubCard.getByText(`vpn.example.net:${hub.hub?.listen_port}`).waitFor();

  await page.getByRole('button', { name: 'Onboard router' }).click();
  const dialog = page.getByRole('dialog', { name: 'Onboard a router' });
  await dialog.getByLabel('Name').fill('Branch 7');
  await dialog.getByLabel('Password').fill('router-password');
  await expectAccessible(page, 'onboard dialog');
  await dialog.getByRole('button', { name: 'Onboard' }).click();

  const shown = page.getByRole('dialog', { name: 'Paste these commands into the router' });
  const commands = shown.getByLabel('RouterOS commands');
  await commands.waitFor();
  const text = await commands.inputValue();
  expect(text).toContain('/interface wireguard add name=tod-wg');
  expect(text).toContain(`public-key="${hub.hub?.public_key}"`);
  expect(text).toContain(`endpoint-address=vpn.example.net endpoint-port=${hub.hub?.listen_port}`);
  const privateKey = /private-key="([^"]+)"/.exec(text)?.[1];
  expect(privateKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  await shown.getByRole('button', { name: 'Copy commands' }).click();
  await shown.getByRole('button', { name: 'Copied' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  await expectAccessible(page, 'onboarding commands');
  await screenshot(page, 'vpn-onboard-commands');
  await shown.getByRole('button', { name: 'Done' }).click();
  await shown.waitFor({ state: 'hidden' });

  // The peer is listed; the private key is nowhere on the page any more.
  const row = page.locator('[data-peer="Branch 7"]');
  await row.waitFor();
  expect(await row.textContent()).toContain(`${hub.hub?.network.replace(/0\/\d+$/, '2')}`);
  expect(await row.locator('[data-status]').textContent()).toMatch(/No status yet|Never connected/);
  expect(await page.content()).not.toContain(privateKey);
  await expectAccessible(page, 'vpn with a peer');
  await screenshot(page, 'vpn');

  // A viewer reads the hub and its peers, and changes nothing.
  const viewer = await signIn('viewer');
  await viewer.page.goto('/vpn');
  await viewer.page.locator('[data-peer="Branch 7"]').waitFor();
  expect(await viewer.page.getByRole('button', { name: 'Onboard router' }).count()).toBe(0);
  expect(await viewer.page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
  expect(await viewer.page.getByRole('button', { name: /Remove/ }).count()).toBe(0);
  await expectAccessible(viewer.page, 'vpn as a viewer');

  // The admin removes the peer; the device stays.
  await row.getByRole('button', { name: 'Remove Branch 7 from the hub' }).click();
  await page
    .getByRole('dialog', { name: 'Remove “Branch 7” from the hub?' })
    .getByRole('button', { name: 'Remove peer' })
    .click();
  await row.waitFor({ state: 'detached' });
  await page.getByText('No routers on the hub').waitFor();
  const devices = await unwrap(
    api.api.GET('/api/tenants/{tenant_id}/devices', { params: { path: { tenant_id: org.id }, query: {} } }),
  );
  expect(devices.items.map((d) => d.name)).toContain('Branch 7');
});
