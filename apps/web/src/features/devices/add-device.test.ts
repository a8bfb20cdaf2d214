import { unwrap } from '../../../test/support/api';
import { expect, SIM, superAdminApi, test } from '../../../test/support/fixtures';

// The SSH port (configuration backups run over SSH) beside the API ports: sent by the add-device form, shown and
// changed in the device's edit dialog.

test('the add-device form sends the SSH port; the edit dialog shows and changes it', async ({
  org,
  signIn,
  routers,
}) => {
  const r = routers.devices[0]!;
  expect(r.sshPort).toBeGreaterThan(0);
  const { page } = await signIn('operator');
  await page.goto('/devices/new');
  expect(await page.getByLabel('SSH port').inputValue()).toBe('22');
  await page.getByLabel('Address').fill(r.address);
  await page.getByLabel('API port').fill(String(r.port));
  await page.getByLabel('SSH port').fill(String(r.sshPort));
  await page.getByLabel('TLS mode').click();
  await page.getByRole('option', { name: 'Plain API (no TLS)' }).click();
  await page.getByLabel('Username').fill(SIM.username);
  await page.getByLabel('Password').fill(SIM.password);
  await page.getByLabel('Name', { exact: true }).fill('ssh-router');
  await page.getByRole('button', { name: 'Add device', exact: true }).click();
  await page.getByRole('heading', { name: 'ssh-router', exact: true }).waitFor();
  const id = new URL(page.url()).pathname.split('/')[2]!;

  const { api } = await superAdminApi();
  const get = () =>
    unwrap(
      api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
        params: { path: { tenant_id: org.id, device_id: id } },
      }),
    );
  expect((await get()).ssh_port).toBe(r.sshPort);

  await page.getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog');
  expect(await dialog.getByLabel('SSH port').inputValue()).toBe(String(r.sshPort));
  // Out of range: refused inline, nothing saved.
  await dialog.getByLabel('SSH port').fill('70000');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('#edit-ssh-port-error').waitFor();
  await dialog.getByLabel('SSH port').fill('2222');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expect.poll(async () => (await get()).ssh_port).toBe(2222);
});
