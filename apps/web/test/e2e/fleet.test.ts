import { startFleet } from '@tod/simulator';
import { expectAccessible, screenshot } from '../support/browser';
import { expect, SIM, test } from '../support/fixtures';

const SIM_USER = { name: SIM.username, password: SIM.password };

// An operator's first fleet, in an organisation of its own: one router added by hand (probed live), ten found by a
// subnet scan, one imported from CSV; the dashboard counts them and the palette finds them by name.

test('adds a router, scans a subnet, imports a CSV, and finds them from the dashboard and the palette', async ({
  signIn,
  routers,
}) => {
  const subnet = await startFleet({ devices: 10, subnet: '127.5.0.0/27', base: { users: [SIM_USER] } });
  try {
    const { page } = await signIn('operator');
    const router = routers.devices[0]!;

    // By hand: the live probe, then the device page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('main').getByRole('link', { name: 'Add device' }).first().click();
    await page.getByLabel('Address').fill(router.address);
    await page.getByLabel('API port').fill(String(router.port));
    await page.getByLabel('TLS mode').click();
    await page.getByRole('option', { name: 'Plain API (no TLS)' }).click();
    await page.getByLabel('Username').fill(SIM.username);
    await page.getByLabel('Password').fill(SIM.password);
    await page.getByLabel('Name', { exact: true }).fill('edge-router');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('[data-probe="ok"]').waitFor();
    await page.getByRole('button', { name: 'Add device', exact: true }).click();
    await page.getByRole('heading', { name: 'edge-router', exact: true }).waitFor();
    await page.locator('[data-device-status="online"]').waitFor({ timeout: 20_000 });

    // A subnet scan: hits stream in, all ten are adopted in one go.
    await page.goto('/devices');
    await page.getByRole('link', { name: 'Scan subnet' }).click();
    await page.getByRole('heading', { name: 'Scan a subnet', exact: true }).waitFor();
    await page.getByLabel('Network').fill('127.5.0.0/27');
    await page.getByLabel('Username').fill(SIM.username);
    await page.getByLabel('Password').fill(SIM.password);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await expect.poll(() => page.locator('[data-scan-hit]').count(), { timeout: 20_000 }).toBe(10);
    await expectAccessible(page, 'subnet scan');
    await screenshot(page, 'scan-results');
    await page.getByRole('button', { name: 'Add 10 selected' }).click();
    await page.waitForURL((u) => u.pathname === '/devices');
    await expect.poll(() => page.locator('[data-device-count]').textContent()).toContain('11 total');

    // CSV import reports each row: the good one lands, the bad one says why.
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import devices', exact: true }).waitFor();
    await page
      .getByLabel('CSV')
      .fill(
        `name,host,port,tls_mode,username,password,tags\nimported-1,127.0.0.1,9,plain,admin,secret,imported\nbroken,not a host!,8728,plain,admin,x,\n`,
      );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('1 added, 1 failed').waitFor();
    await expect.poll(() => page.locator('[data-import-row="3"]').textContent()).toMatch(/host/i);
    await expectAccessible(page, 'CSV import');
    await screenshot(page, 'import-results');

    // The dashboard counts all twelve; the palette finds a router by part of its name.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.locator('[data-tile="Devices"]').textContent(), { timeout: 15_000 }).toContain('12');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('edge-rou');
    await palette
      .getByRole('group', { name: 'Devices' })
      .getByRole('option', { name: /edge-router/ })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'edge-router', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/devices\/[0-9a-f-]{36}$/);
  } finally {
    await subnet.stop();
  }
});
