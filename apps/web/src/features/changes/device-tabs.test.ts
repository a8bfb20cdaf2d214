import { runScript, startFleet } from '@tod/simulator';
import { unwrap } from '../../../test/support/api';
import { backUp, someAddress } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, SIM, superAdminApi, test } from '../../../test/support/fixtures';

// The Firewall, DHCP and Clients tabs: the editor's rows on fixed menus (counters on firewall rules, one change set
// across sections), DHCP's servers, networks, pools and leases, and the clients merged by MAC address.

test('an operator moves a filter rule and adds an address-list entry in one change set', async ({
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/firewall`);
  const filter = page.locator('[data-menu="/ip/firewall/filter"]');
  const rules = filter.locator('[data-row]');
  await rules.first().waitFor({ timeout: 15_000 });
  // Rule counters from the router: bytes and packets.
  expect(Number(await rules.first().locator('[data-packets]').getAttribute('data-packets'))).toBeGreaterThan(0);
  expect(await rules.first().locator('[data-bytes]').textContent()).toMatch(/\d/);
  expect(await rules.first().locator('[data-col="chain"]').textContent()).toBe('input');
  await expectAccessible(page, 'firewall tab');
  await screenshot(page, 'firewall-tab');

  const n = await rules.count();
  const lastAction = await rules
    .nth(n - 1)
    .locator('[data-col="action"]')
    .textContent();
  await filter.getByRole('button', { name: `Move rule ${n} up` }).click();

  await page.getByRole('radio', { name: 'NAT' }).click();
  const nat = page.locator('[data-menu="/ip/firewall/nat"]');
  await nat.locator('[data-row]').first().waitFor({ timeout: 15_000 });
  expect(await nat.locator('[data-row]').first().locator('[data-col="action"]').textContent()).toBe('masquerade');

  await page.getByRole('radio', { name: 'Address lists' }).click();
  const lists = page.locator('[data-menu="/ip/firewall/address-list"]');
  await lists.getByRole('button', { name: 'Add', exact: true }).click();
  const form = page.getByRole('dialog', { name: 'Add to /ip firewall address-list' });
  const address = someAddress();
  await form.getByLabel('list', { exact: true }).fill('tabs-test');
  await form.getByLabel('address', { exact: true }).fill(address);
  await form.getByRole('button', { name: 'Save to change set' }).click();

  const set = page.locator('[data-change-set]');
  expect(await set.locator('[data-edit]').allTextContents()).toEqual([
    `Move rule ${n} up in /ip firewall filter`,
    `Add to /ip firewall address-list: list=tabs-test address=${address}`,
  ]);
  await set.getByRole('button', { name: 'Review' }).click();
  const review = page.getByRole('dialog', { name: 'Review the changes' });
  await review.locator('[data-command]').first().waitFor({ timeout: 15_000 });
  const commands = await review.locator('[data-command]').allTextContents();
  expect(commands[0]).toMatch(/^\/ip firewall filter move \[ find .* \] destination=\[ find .* \]$/);
  expect(commands[1]).toBe(`/ip firewall address-list add list=tabs-test address=${address}`);
  await review.getByRole('button', { name: 'Apply' }).click();

  const op = page.locator('[data-operation]');
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('confirmed');
  await lists.locator('[data-row]').filter({ hasText: address }).waitFor({ timeout: 15_000 });
  await page.getByRole('radio', { name: 'Filter' }).click();
  await expect
    .poll(
      () =>
        rules
          .nth(n - 2)
          .locator('[data-col="action"]')
          .textContent(),
      { timeout: 15_000 },
    )
    .toBe(lastAction);
});

test('DHCP shows servers, pools and leases; Clients joins leases, ARP and wireless by MAC', async ({ org, signIn }) => {
  // A router with clients: three dynamic leases and two wireless registrations.
  const fleet = await startFleet({
    devices: 1,
    base: {
      users: [{ name: SIM.username, password: SIM.password }],
      generate: { dhcpLeases: 3, wireless: 1, wirelessClients: 2 },
    },
  });
  try {
    const r = fleet.devices[0]!;
    const { api } = await superAdminApi();
    const d = await unwrap(
      api.POST('/api/tenants/{tenant_id}/devices', {
        params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
        body: { name: 'clients', host: r.address, port: r.port, tls_mode: 'plain', ssh_port: r.sshPort, ...SIM },
      }),
    );
    // The Clients tab finds the wireless package from the latest backup's menus.
    expect((await backUp(org.id, d.id)).job.status).toBe('succeeded');
    const { page } = await signIn('operator');
    await page.goto(`/devices/${d.id}/dhcp`);
    const servers = page.locator('[data-menu="/ip/dhcp-server"]');
    await servers.locator('[data-row]').first().waitFor({ timeout: 15_000 });
    expect(await servers.locator('[data-col="name"]').first().textContent()).toBe('defconf');
    expect(await page.locator('[data-menu="/ip/pool"] [data-col="ranges"]').first().textContent()).toBe(
      '192.168.88.10-192.168.88.254',
    );
    const leases = page.locator('[data-menu="/ip/dhcp-server/lease"] [data-row]');
    await expect.poll(() => leases.count(), { timeout: 15_000 }).toBe(3);
    // Dynamic leases are the router's: flagged, and offered only Make static.
    expect(await leases.first().locator('[data-flag="dynamic"]').count()).toBe(1);
    expect(await leases.first().getByRole('button').allTextContents()).toEqual(['Make static']);
    await expectAccessible(page, 'dhcp tab');
    await screenshot(page, 'dhcp-tab');
    const staticMac = (await leases.last().locator('[data-col="mac-address"]').textContent()) ?? '';
    await leases
      .last()
      .getByRole('button', { name: /^Make static/ })
      .click();
    const set = page.locator('[data-change-set]');
    expect(await set.locator('[data-edit]').allTextContents()).toEqual([expect.stringMatching(/static lease$/)]);
    await set.getByRole('button', { name: 'Review' }).click();
    const review = page.getByRole('dialog', { name: 'Review the changes' });
    await review.locator('[data-command]').first().waitFor({ timeout: 15_000 });
    expect(await review.locator('[data-command]').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^/ip dhcp-server lease make-static \\[ find mac-address=${staticMac} `)),
    ]);
    await review.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.locator('[data-operation]').getAttribute('data-operation-status'), { timeout: 60_000 })
      .toBe('confirmed');
    const made = page.locator('[data-menu="/ip/dhcp-server/lease"] [data-row]').filter({ hasText: staticMac });
    await expect.poll(() => made.locator('[data-flag="dynamic"]').count(), { timeout: 15_000 }).toBe(0);

    // ARP saw the first lease's client: one row for it, from both sources.
    const mac = (await leases.first().locator('[data-col="mac-address"]').textContent()) ?? '';
    const ip = (await leases.first().locator('[data-col="address"]').textContent()) ?? '';
    expect(
      runScript(fleet.device(0), `/ip arp add address=${ip} mac-address=${mac} interface=bridge`, 'admin').error,
    ).toBeUndefined();
    await page.goto(`/devices/${d.id}/clients`);
    const clients = page.locator('[data-client]');
    await expect.poll(() => clients.count(), { timeout: 15_000 }).toBe(5);
    const joined = page.locator(`[data-client="${mac.toUpperCase()}"]`);
    expect(await joined.getAttribute('data-sources')).toBe('dhcp arp');
    expect(await joined.textContent()).toContain(ip);
    expect(await joined.textContent()).toContain('bridge');
    const wireless = page.locator('[data-sources="wireless"]');
    expect(await wireless.count()).toBe(2);
    expect(await wireless.first().textContent()).toContain('wlan1');
    // Read-only: no way to change anything here.
    expect(await page.locator('[data-device-tab="clients"]').getByRole('button').count()).toBe(0);
    await expectAccessible(page, 'clients tab');
    await screenshot(page, 'clients-tab');
  } finally {
    await fleet.stop();
  }
});
