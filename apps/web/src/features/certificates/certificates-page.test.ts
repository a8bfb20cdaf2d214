import { type Fleet, startFleet } from '@tod/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, type Org, SIM, superAdminApi, test } from '../../../test/support/fixtures';
import type { Device } from '../../api/devices';

// The Certificates page over a simulated RouterOS 7.16 router whose api-ssl presents a certificate of its own: an
// admin creates the organisation's CA, deploys a certificate to the router and watches it turn deployed (TOD then
// verifies the router), rotates it and revokes the new one with a reason; a viewer reads the page and finds nothing
// to press.

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    base: { users: [{ name: SIM.username, password: SIM.password }] },
    specs: [{ version: '7.16', identity: 'core-1', tls: 'cert' }],
  });
});
afterAll(() => fleet?.stop());

/** The router as a device of `org`, reached over TLS (auto: whatever the router presents until it is verified). */
async function addRouter(org: Org): Promise<Device> {
  const { api } = await superAdminApi();
  const r = fleet.devices[0]!;
  return unwrap(
    api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
      body: {
        name: 'core-1',
        host: r.address,
        port: r.port,
        tls_port: r.tlsPort!,
        tls_mode: 'auto',
        ...(r.sshPort ? { ssh_port: r.sshPort } : {}),
        ...SIM,
      },
    }),
  );
}

async function certificatesOf(org: Org) {
  const { api } = await superAdminApi();
  return (
    await unwrap(
      api.GET('/api/tenants/{tenant_id}/certificates', {
        params: { path: { tenant_id: org.id }, query: { limit: 50 } },
      }),
    )
  ).items;
}

async function tlsModeOf(org: Org, deviceId: string) {
  const { api } = await superAdminApi();
  const d = await unwrap(
    api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
      params: { path: { tenant_id: org.id, device_id: deviceId } },
    }),
  );
  return d.tls_mode;
}

const rows = (page: Page) => page.locator('tr[data-certificate]');
const states = (page: Page) => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
/** A deploy is a safe change on the router, then a verified connection: seconds on the simulator. */
const DEPLOYED_MS = 90_000;

test('an admin creates the CA, deploys a certificate, sees it verified, rotates it and revokes it', async ({
  org,
  signIn,
}) => {
  const device = await addRouter(org);
  const { page } = await signIn('admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
  await page.getByRole('heading', { name: 'Certificates', exact: true }).waitFor();

  // No CA yet: the form that creates it, with why it matters and the two key types.
  const form = page.getByRole('form', { name: 'Create certificate authority' });
  await form.waitFor();
  expect(await page.getByRole('button', { name: 'Deploy certificates' }).count()).toBe(0);
  expect(await form.getByRole('radio', { name: /ECDSA P-256/ }).isChecked()).toBe(true);
  expect(await form.getByRole('radio', { name: /RSA 2048/ }).isChecked()).toBe(false);
  await form.getByLabel('Valid for (days)').fill('10');
  await form.getByRole('button', { name: 'Create certificate authority' }).click();
  expect(await form.getByRole('alert').textContent()).toContain('from 30 to 36500');
  await form.getByLabel('Valid for (days)').fill('3650');
  await form.getByLabel('Common name').fill('Acme routers CA');
  await expectAccessible(page, 'certificates, no CA');
  await screenshot(page, 'certificates-create-ca');
  await form.getByRole('button', { name: 'Create certificate authority' }).click();

  const ca = page.locator('[data-ca="Acme routers CA"]');
  await ca.waitFor();
  expect(await ca.locator('[data-ca-field="key_type"]').textContent()).toBe('ECDSA P-256');
  expect(await ca.locator('[data-ca-field="fingerprint"] code').textContent()).toMatch(
    /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
  );
  const download = ca.getByRole('link', { name: 'Download CA certificate' });
  expect(await download.getAttribute('href')).toBe(`/api/tenants/${org.id}/certificates/ca/pem`);
  await page.getByText('No certificates yet').waitFor();

  // One device: a single safe change, followed in its row until TOD has verified the router with it.
  await page.getByRole('button', { name: 'Deploy certificates' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy certificates' });
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await dialog.getByText('Choose at least one device, group, tag or site.', { exact: true }).waitFor();
  await dialog.getByRole('checkbox', { name: 'core-1' }).check();
  expect(await dialog.locator('[data-deploy-how]').textContent()).toContain('a single safe change');
  await expectAccessible(page, 'deploy certificates dialog');
  await screenshot(page, 'certificates-deploy-dialog');
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  const first = rows(page).first();
  await first.waitFor();
  expect(await first.getAttribute('data-device')).toBe('core-1');
  // Its row opened on the deploy operation, live.
  await page.locator('[data-operation]').waitFor();
  await page.locator('tr[data-certificate][data-state="deployed"]').waitFor({ timeout: DEPLOYED_MS });
  const [deployed] = await certificatesOf(org);
  expect(deployed?.state).toBe('deployed');
  expect(await first.getAttribute('data-certificate')).toBe(deployed!.id);
  expect(await first.locator('[data-state-badge]').textContent()).toBe('Deployed');
  // TOD's default validity: 730 days.
  expect(await first.locator('[data-expires]').textContent()).toContain('in 2 years');
  expect(await first.locator('[data-fingerprint]').getAttribute('data-fingerprint')).toBe(deployed!.fingerprint);
  expect(await first.locator('[data-fingerprint] code').textContent()).toBe(
    `${deployed!.fingerprint.split(':').slice(0, 8).join(':')}…`,
  );
  expect(await tlsModeOf(org, device.id)).toBe('verify');
  await expectAccessible(page, 'certificates, one deployed');
  await screenshot(page, 'certificates-deployed');

  // Rotation: a successor deployed the same way; the first is superseded once the new one is proven.
  await first.getByRole('button', { name: 'Rotate the certificate of core-1' }).click();
  await page.getByText('Rotating the certificate of core-1', { exact: true }).waitFor();
  await expect.poll(() => states(page), { timeout: DEPLOYED_MS, interval: 500 }).toEqual(['deployed', 'superseded']);
  const [rotated, superseded] = await certificatesOf(org);
  expect(superseded!.id).toBe(deployed!.id);
  expect(rotated!.fingerprint).not.toBe(deployed!.fingerprint);
  expect(rotated!.replaces_id).toBe(deployed!.id);
  // A superseded certificate can no longer be rotated.
  expect(
    await rows(page)
      .nth(1)
      .getByRole('button', { name: /^Rotate/ })
      .count(),
  ).toBe(0);

  // Revocation asks first, with a reason; TOD then trusts the router by that exact certificate (pinned).
  await rows(page).first().getByRole('button', { name: 'Revoke the certificate of core-1' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke the certificate of core-1?' });
  await confirm.getByLabel('Reason').fill('Router moved to another customer');
  await expectAccessible(page, 'revoke dialog');
  await confirm.getByRole('button', { name: 'Revoke certificate' }).click();
  await confirm.waitFor({ state: 'hidden' });
  await expect.poll(() => states(page)).toEqual(['revoked', 'superseded']);
  expect(await rows(page).first().locator('[data-revoke-reason]').textContent()).toBe(
    'Router moved to another customer',
  );
  expect(
    await rows(page)
      .first()
      .getByRole('button', { name: /^(Rotate|Revoke)/ })
      .count(),
  ).toBe(0);
  expect(await tlsModeOf(org, device.id)).toBe('auto');
  await screenshot(page, 'certificates-revoked');

  // The state filter asks the server.
  await page.getByRole('combobox', { name: 'State' }).click();
  await page.getByRole('option', { name: 'Superseded', exact: true }).click();
  await expect.poll(() => states(page)).toEqual(['superseded']);
  await expectAccessible(page, 'certificates, filtered');
}, 240_000);

test('a viewer reads the CA and the certificates and finds nothing to press', async ({ org, signIn }) => {
  const device = await addRouter(org);
  const { page } = await signIn('viewer');
  await page.goto('/certificates');
  await page.getByRole('heading', { name: 'Certificates', exact: true }).waitFor();
  // No CA: an explanation, no form.
  await page.locator('[data-no-ca]').waitFor();
  expect(await page.getByRole('form', { name: 'Create certificate authority' }).count()).toBe(0);
  await expectAccessible(page, 'certificates, viewer without a CA');

  const { api } = await superAdminApi();
  const tenant = { tenant_id: org.id };
  await unwrap(
    api.POST('/api/tenants/{tenant_id}/certificates/ca', {
      params: { path: tenant },
      body: { key_type: 'ecdsa-p256', validity_days: 3650, common_name: 'Viewer test CA' },
    }),
  );
  await unwrap(
    api.POST('/api/tenants/{tenant_id}/devices/{device_id}/certificate', {
      params: { path: { ...tenant, device_id: device.id } },
      body: {},
    }),
  );
  await page.reload();
  await page.locator('[data-ca="Viewer test CA"]').waitFor();
  expect(await page.getByRole('link', { name: 'Download CA certificate' }).count()).toBe(1);
  await page.locator('tr[data-certificate][data-state="deployed"]').waitFor({ timeout: DEPLOYED_MS });
  expect(await page.getByRole('button', { name: 'Deploy certificates' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^(Rotate|Revoke)/ }).count()).toBe(0);
  // The device name leads to the device.
  await rows(page).first().getByRole('link', { name: 'core-1', exact: true }).click();
  await page.waitForURL(new RegExp(`/devices/${device.id}`));
}, 150_000);
