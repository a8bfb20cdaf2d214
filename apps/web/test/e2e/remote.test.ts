import { unwrap } from '../support/api';
import { expectAccessible, screenshot } from '../support/browser';
import { expect, SIM, superAdminApi, test } from '../support/fixtures';

// An operator reaches a router from the browser: the device's Remote tab opens its terminal (TOD signs in with the
// stored credentials), a look at the addresses and a rename, the new identity in TOD after the next poll, the
// session ended and listed; an admin finds it in the audit log.

test('an operator runs commands in a router’s terminal, sees the change in TOD and the session audited', async ({
  org,
  signIn,
  routers,
}) => {
  const r = routers.devices[0]!;
  const { api } = await superAdminApi();
  const d = await unwrap(
    api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
      body: {
        name: 'tower-router',
        host: r.address,
        port: r.port,
        tls_mode: 'plain',
        ssh_port: r.sshPort,
        winbox_port: r.winboxPort,
        username: SIM.username,
        password: SIM.password,
      },
    }),
  );
  const { page } = await signIn('operator');
  await page.goto(`/devices/${d.id}/remote`);
  await page.getByRole('heading', { name: 'tower-router', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('[data-terminal-state="connected"]').waitFor();
  const screen = page.locator('.xterm-rows');
  const shown = async () => (await screen.textContent())?.replace(/\u00a0/g, ' ') ?? '';
  await expect.poll(shown, { timeout: 15_000 }).toMatch(/\[admin@[^\]]+\] > /);

  await page.keyboard.type('/ip address print');
  await page.keyboard.press('Enter');
  await expect.poll(shown, { timeout: 15_000 }).toMatch(/ADDRESS\s+NETWORK\s+INTERFACE/);
  const identity = `tower-${Date.now().toString(36)}`;
  await page.keyboard.type(`/system identity set name=${identity}`);
  await page.keyboard.press('Enter');
  await expect.poll(shown, { timeout: 15_000 }).toContain(`[admin@${identity}] >`);
  await page.locator('[data-session-state="open"][data-session-kind="ssh"]').waitFor({ timeout: 15_000 });
  await expectAccessible(page, 'remote tab: terminal connected');
  await screenshot(page, 'remote-terminal');

  // Ended from the sessions list: the terminal says so, the row is closed.
  const row = page.locator('[data-session-state="open"][data-session-kind="ssh"]');
  await row.getByRole('button', { name: 'End' }).click();
  await page.locator('[data-terminal-state="closed"]').waitFor({ timeout: 15_000 });
  expect(await page.locator('[data-terminal-status]').textContent()).toContain('ended by');
  await page.locator('[data-session-kind="ssh"][data-session-state="closed"]').first().waitFor({ timeout: 15_000 });

  // TOD reads the new identity at its next poll (the change's log line makes it read identity at once).
  await expect
    .poll(
      async () =>
        (
          await unwrap(
            api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
              params: { path: { tenant_id: org.id, device_id: d.id } },
            }),
          )
        ).identity,
      { timeout: 30_000 },
    )
    .toBe(identity);
  await page.goto(`/devices/${d.id}`);
  await expect.poll(() => page.getByText(identity, { exact: true }).count(), { timeout: 15_000 }).toBeGreaterThan(0);

  // The admin sets the organisation's limits on the same tab; the audit log holds the session, opened and closed.
  const admin = await signIn('admin');
  await admin.page.goto(`/devices/${d.id}/remote`);
  const settings = admin.page.locator('[data-remote-settings]');
  await settings.getByRole('button', { name: 'Edit' }).click();
  await settings.getByLabel('Idle timeout (minutes)').fill('0.01');
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByRole('alert').first().waitFor();
  await settings.getByLabel('Idle timeout (minutes)').fill('30');
  await settings.getByLabel('Record terminal transcripts').check();
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText(/Idle timeout 30m .* transcripts recorded/).waitFor();
  await admin.page.locator('[data-session-kind="ssh"][data-session-state="closed"]').first().waitFor();
  await expectAccessible(admin.page, 'remote tab: admin');
  await admin.page.getByRole('link', { name: 'Audit log' }).click();
  await admin.page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
  for (const action of ['remote.ssh_opened', 'remote.ssh_closed'])
    await admin.page.locator(`tr[data-action="${action}"]`).first().waitFor({ timeout: 15_000 });
});
