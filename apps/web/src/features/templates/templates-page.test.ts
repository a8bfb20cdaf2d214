import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// The Templates page and the editor: a template made from a starter, the server's problems shown where they belong
// (a line of the body, a variable the body reads but does not declare, declared in one click), an edit saved as a
// new revision; a viewer reads everything and finds nothing to press.

test('an operator makes a template from a starter, fixes what the server refuses, and edits it', async ({
  org,
  signIn,
}) => {
  const { api } = await superAdminApi();
  await unwrap(
    api.POST('/api/tenants/{tenant_id}/device-groups', {
      params: { path: { tenant_id: org.id } },
      body: { name: 'Shops north' },
    }),
  );
  const { page } = await signIn('operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
  await page.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
  await page.getByText('No templates yet').waitFor();
  await expectAccessible(page, 'templates, none yet');

  await page.getByRole('button', { name: 'New from starter' }).click();
  const starters = page.getByRole('dialog', { name: 'New from a starter' });
  await starters.locator('[data-starter]').first().waitFor();
  expect(
    await starters.locator('[data-starter]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-starter'))),
  ).toEqual(['basic-router', 'basic-firewall', 'dhcp-server', 'wireless-ap', 'initial-setup']);
  await expectAccessible(page, 'starters');
  await starters.getByRole('link', { name: /^DHCP server/ }).click();

  await page.getByRole('heading', { name: 'New template' }).waitFor();
  const name = page.getByLabel('Name', { exact: true });
  expect(await name.inputValue()).toBe('DHCP server');
  const rows = page.locator('[data-variable-row]');
  expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-variable-row')))).toEqual([
    'interface',
    'lan_address',
    'pool_first',
    'pool_last',
    'dns_servers',
    'lease_time',
    'server_name',
  ]);
  // Each variable with its type and default as the starter declares them.
  expect(await page.getByLabel('Type of lan_address').textContent()).toBe('Address/prefix (CIDR)');
  expect(await page.getByLabel('Type of pool_first').textContent()).toBe('Whole number');
  expect(await page.getByLabel('Items of dns_servers').textContent()).toBe('of IP addresses');
  expect(await page.getByLabel('Default of pool_first').inputValue()).toBe('10');
  await expectAccessible(page, 'template editor from a starter');
  await screenshot(page, 'template-from-starter');

  await name.fill('Shop DHCP');
  const body = page.getByLabel('Body');
  const starterBody = await body.inputValue();
  // A tag left open: the server names the line, the gutter marks it.
  await body.fill(`${starterBody}{% if lease_time %}\n`);
  await page.getByRole('button', { name: 'Create template' }).click();
  const bodyErrors = page.locator('[data-body-errors]');
  await bodyErrors.waitFor();
  expect(await bodyErrors.textContent()).toMatch(/^Line \d+: /);
  expect(await page.locator('[data-bad-line]').count()).toBe(1);

  // A variable the body reads but nobody declared: declared from the error, then given a default.
  await body.fill(`${starterBody}/ip dns static add address={{ lan_address | address }} name={{ domain | ros }}\n`);
  await page.getByRole('button', { name: 'Create template' }).click();
  await page.getByRole('button', { name: 'Declare domain' }).click();
  expect(await rows.last().getAttribute('data-variable-row')).toBe('domain');
  await page.getByLabel('Default of domain').fill('shop.example');
  await page.getByLabel('Description of domain').fill('Name of the router in the shop DNS');
  await expectAccessible(page, 'template editor with errors');
  await page.getByRole('button', { name: 'Create template' }).click();

  await page.getByRole('heading', { name: 'Shop DHCP', exact: true }).waitFor();
  await page.getByText('Revision 1').waitFor();
  expect(await page.getByLabel('Default of domain').inputValue()).toBe('shop.example');
  // Nothing changed yet: nothing to save.
  const save = page.getByRole('button', { name: 'Save', exact: true });
  expect(await save.isDisabled()).toBe(true);
  await page.getByLabel('Description', { exact: true }).fill('LAN DHCP for the shops');
  await page.getByLabel('pool_first is required').check();
  // The shops of one group get a longer lease.
  await page.getByLabel('Add values for a device group').click();
  await page.getByRole('option', { name: 'Shops north' }).click();
  const group = page.getByRole('region', { name: 'Values for Shops north' });
  await group.getByLabel('lease_time').fill('8h');
  await save.click();
  await page.getByText('Revision 2').waitFor();
  expect(await page.getByLabel('pool_first is required').isChecked()).toBe(true);
  expect(await group.getByLabel('lease_time').inputValue()).toBe('8h');
  await expectAccessible(page, 'template with group values');

  await page.getByRole('link', { name: 'Templates', exact: true }).first().click();
  const row = page.locator('[data-template="Shop DHCP"]');
  await row.waitFor();
  expect(await row.textContent()).toContain('LAN DHCP for the shops');
  expect(await row.locator('[data-assigned]').textContent()).toBe('0');
  expect(await row.textContent()).toContain('Not pushed');
  await expectAccessible(page, 'templates list');

  // Deleted after a confirmation: the list is empty again.
  await row.getByRole('link', { name: 'Shop DHCP' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Delete Shop DHCP?' })
    .getByRole('button', { name: 'Delete template' })
    .click();
  await page.getByText('No templates yet').waitFor();
}, 180_000);

test('a viewer reads a template, its preview and drift tabs, and finds nothing to change', async ({ org, signIn }) => {
  const { api } = await superAdminApi();
  const t = await unwrap(
    api.POST('/api/tenants/{tenant_id}/templates', {
      params: { path: { tenant_id: org.id } },
      body: {
        name: 'DNS servers',
        description: 'Resolvers for every router',
        body: '/ip dns set servers={{ servers | join: "," }}\n',
        variables: [{ name: 'servers', type: 'list', of: 'ip', default: ['9.9.9.9'] }],
      },
    }),
  );
  const { page } = await signIn('viewer');
  await page.goto('/templates');
  expect(await page.getByRole('button', { name: /^New/ }).count()).toBe(0);
  await page.getByRole('link', { name: 'DNS servers' }).click();
  await page.getByRole('heading', { name: 'DNS servers', exact: true }).waitFor();
  expect(await page.getByLabel('Name', { exact: true }).getAttribute('readonly')).not.toBeNull();
  expect(await page.getByLabel('Body').getAttribute('readonly')).not.toBeNull();
  const changes = /^(Save|Push|Delete|Add variable|Remove)/;
  expect((await page.getByRole('button').allTextContents()).filter((b) => changes.test(b.trim()))).toEqual([]);
  await expectAccessible(page, 'template for a viewer');

  await page.getByRole('link', { name: 'Preview', exact: true }).click();
  await page.getByRole('heading', { name: 'Preview on devices' }).waitFor();
  expect(await page.getByRole('button', { name: 'Preview', exact: true }).isDisabled()).toBe(true);
  await page.getByRole('link', { name: 'Drift', exact: true }).click();
  await page.getByRole('heading', { name: 'Not pushed yet' }).waitFor();
  expect(page.url()).toContain(`/templates/${t.id}?tab=drift`);
  expect(await page.getByRole('button', { name: /Re-push/ }).count()).toBe(0);
  await expectAccessible(page, 'template drift, not pushed');
}, 120_000);
