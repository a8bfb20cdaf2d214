import { expectAccessible, openSession, screenshot } from '../support/browser';
import { baseUrl, expect, invitePerson, test } from '../support/fixtures';
import { enrol, signInWithKey } from '../support/sign-in';

// People as they meet TOD: a first sign-in with the temporary password an admin gave, the Emergency Kit, signing in
// again on the same browser and on a new one; and what each role is shown.

test('a new person enrols, signs out, signs in again on this browser and on a new one with the kit’s key', async ({
  org,
  browser,
}) => {
  const p = await invitePerson(org, 'operator', 'Olga Operator');
  const passphrase = 'olga keeps nine amber lanterns';
  const first = await openSession(browser, baseUrl);
  await first.page.goto('/');
  await first.page.waitForURL(/\/sign-in/);
  await first.page.getByLabel('Email').fill(p.email);
  await first.page.getByLabel('Password', { exact: true }).fill(p.temporary);
  await first.page.getByRole('button', { name: 'Sign in' }).click();
  const secretKey = await enrol(first.page, p.email, passphrase, { checkKit: true });
  await first.page.waitForURL((u) => u.pathname === '/');
  await first.page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();

  await first.page.getByRole('button', { name: /Olga Operator/ }).click();
  await first.page.getByRole('menuitem', { name: 'Sign out' }).click();
  await first.page.waitForURL(/\/sign-in/);
  // This browser remembers the Secret Key: email and password are enough.
  await signInWithKey(first.page, p.email, passphrase);
  await screenshot(first.page, 'signed-in-again');
  expect(first.problems).toEqual([]);
  await first.context.close();

  // A new browser needs the key from the Emergency Kit; a wrong one is refused.
  const fresh = await openSession(browser, baseUrl);
  await fresh.page.goto('/sign-in');
  await fresh.page.getByLabel('Email').fill(p.email);
  await fresh.page.getByLabel('Password', { exact: true }).fill(passphrase);
  await fresh.page.getByLabel('Secret Key').fill('A3-000G40-R40M3-0E209-185GR-38E1W');
  await fresh.page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => fresh.page.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('do not match');
  await expectAccessible(fresh.page, 'sign-in with Secret Key');
  await screenshot(fresh.page, 'sign-in-new-browser-error');
  await signInWithKey(fresh.page, p.email, passphrase, secretKey);
  expect(fresh.problems).toEqual([]);
  await fresh.context.close();
});

const WRITE =
  /^(New |Create|Revoke|Delete|Deactivate|Reactivate|Add(\s|$)|Import|Scan|Edit|Tag|Test connection|Back up|Checkpoint|Push|Restore|Emergency|Review|Apply|Keep|Revert|Enable|Disable|Discard|Acknowledge|Resolve$|Silence|Send test|Rotate|Plan )/;

test('a viewer sees the fleet pages and settings, and nothing that changes anything', async ({
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1, { reachable: false });
  const { page } = await signIn('viewer');
  const writeButtons = async () =>
    [
      ...(await page.getByRole('button').allTextContents()),
      // Actions that navigate (Add device, Import CSV, Scan subnet) are links styled as buttons: both count.
      ...(await page.getByRole('main').getByRole('link').allTextContents()),
    ]
      .map((n) => n.trim())
      .filter((n) => WRITE.test(n) && n !== 'Delete my account…');
  const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  // The Alerts entry may carry its live count ("Alerts3 active"): the entry is what is checked here.
  expect(nav.map((t) => t.replace(/\d+ active$/, ''))).toEqual([
    'Dashboard',
    'Devices',
    'Topology',
    'Map',
    'Wireless issues',
    'Backups',
    'Operations',
    'Rollouts',
    'Firmware',
    'Certificates',
    'Templates',
    'Bulk commands',
    'Alerts',
    'Notification channels',
    'Maintenance windows',
    'Logs',
    'Sites',
    'Device groups',
    'Device tags',
    'WireGuard VPN',
    'Reports',
    'Settings',
  ]);
  for (const [url, heading] of [
    ['/', 'Dashboard'],
    ['/devices', 'Devices'],
    ['/topology', 'Topology'],
    ['/map', 'Map'],
    ['/wireless', 'Wireless issues'],
    ['/backups', 'Backups'],
    ['/operations', 'Operations'],
    ['/rollouts', 'Rollouts'],
    ['/firmware', 'Firmware'],
    ['/templates', 'Templates'],
    ['/bulk-commands', 'Bulk commands'],
    ['/alerts', 'Alerts'],
    ['/alerts/rules', 'Alerts'],
    ['/notification-channels', 'Notification channels'],
    ['/maintenance', 'Maintenance windows'],
    ['/logs', 'Logs'],
    ['/sites', 'Sites'],
    ['/device-tags', 'Device tags'],
    ['/settings', 'Settings'],
    [`/devices/${d!.id}`, d!.name],
    [`/devices/${d!.id}/interfaces`, d!.name],
    [`/devices/${d!.id}/backups`, d!.name],
  ] as const) {
    await page.goto(url);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    expect(await writeButtons(), `write actions for a viewer on ${url}`).toEqual([]);
  }
  await page.goto('/devices');
  await page.locator('[data-device]').first().waitFor();
  expect(await page.getByLabel('Select all devices').count()).toBe(0);
  for (const url of ['/devices/new', '/devices/scan', '/credential-profiles', '/users']) {
    await page.goto(url);
    await page.getByText('Not available for your role').waitFor();
  }
  expect(await writeButtons()).toEqual([]);
  await expectAccessible(page, 'no access');
  await screenshot(page, 'viewer-no-access');
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  expect((await palette.getByRole('option').allTextContents()).filter((o) => WRITE.test(o))).toEqual([]);
  await page.keyboard.press('Escape');
  // One page after another for every nav entry: past the default minute on a loaded machine.
}, 180_000);
