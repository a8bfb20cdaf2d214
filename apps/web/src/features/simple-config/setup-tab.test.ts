import { startFleet } from '@tod/simulator';
import type { Page } from 'playwright-core';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, SIM, superAdminApi, test } from '../../../test/support/fixtures';

// The device's Setup tab as people use it: Simple or Standard (their choice, kept on the server), the DNS form read
// from a simulated router, previewed, applied and confirmed; a value the server refuses shown at its field; Test
// mode with its Keep window; the same form started on many devices as a rollout; and what a viewer may do.
// The file's routers are shared by its tests, so no test counts on what another left on them.

const tag = () => Math.floor(Math.random() * 200) + 20;

/** Opens the Setup tab in the Simple view (choosing it when the person has not yet) and the named section. */
async function openSection(page: Page, deviceId: string, section: string) {
  await page.goto(`/devices/${deviceId}/setup`);
  const view = page.getByRole('radiogroup', { name: 'View' });
  await view.waitFor();
  if ((await view.getByRole('radio', { name: 'Simple' }).getAttribute('aria-checked')) !== 'true')
    await view.getByRole('radio', { name: 'Simple' }).click();
  await page.getByRole('tablist', { name: 'Simple config sections' }).getByRole('tab', { name: section }).click();
}

test('an operator changes the DNS servers in the Simple view, previews the commands and applies them', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  const person = await signIn('operator');
  const { page } = person;
  await page.goto(`/devices/${d!.id}`);
  await page.getByRole('navigation', { name: 'Device sections' }).getByRole('link', { name: 'Setup' }).click();

  // Nothing chosen yet: the standard editor, with the switch to Simple.
  const view = page.getByRole('radiogroup', { name: 'View' });
  expect(await view.getByRole('radio', { name: 'Standard' }).getAttribute('aria-checked')).toBe('true');
  await page.getByRole('navigation', { name: 'Configuration menus' }).waitFor();
  await view.getByRole('radio', { name: 'Simple' }).click();
  await page.locator('[data-view="simple"]').waitFor();

  // The DNS form as the router has it: its servers, one input each.
  await page.getByRole('tab', { name: 'DNS' }).click();
  const form = page.locator('[data-simple-form="dns"]');
  await form.waitFor({ timeout: 15_000 });
  const before = await readServers(page);
  await expectAccessible(page, 'simple config DNS');

  // New servers: the first replaced, a second added; the preview shows the one command it takes.
  const [a, b] = [`9.9.${tag()}.9`, `1.0.0.${tag()}`];
  const servers = form.locator('[data-list="servers"]');
  if (before.length === 0) await servers.getByRole('button', { name: 'Add DNS server' }).click();
  await form.getByLabel('DNS server 1', { exact: true }).fill(a);
  for (let i = before.length; i > 1; i--) await form.getByRole('button', { name: `Remove DNS server ${i}` }).click();
  await servers.getByRole('button', { name: 'Add DNS server' }).click();
  await form.getByLabel('DNS server 2', { exact: true }).fill(b);
  expect(await form.locator('[data-dirty]').count()).toBe(1);
  await form.getByRole('button', { name: 'Preview changes' }).click();
  const preview = form.getByRole('region', { name: 'Preview' });
  await preview.locator('[data-command]').first().waitFor({ timeout: 15_000 });
  expect(await preview.locator('[data-command]').allTextContents()).toEqual([`/ip dns set servers=${a},${b}`]);
  await expectAccessible(page, 'simple config preview');
  await screenshot(page, 'simple-config-dns-preview');

  // Apply in Safe mode (the default): the operation runs to confirmed, and the form shows what the router has now.
  expect(await form.getByRole('radio', { name: 'Safe' }).getAttribute('aria-checked')).toBe('true');
  await form.getByRole('button', { name: 'Apply', exact: true }).click();
  const op = page.locator('[data-operation]');
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('confirmed');
  expect(await op.locator('[data-outcome="confirmed"]').textContent()).toContain('Confirmed');
  await expect.poll(() => form.locator('[data-dirty]').count(), { timeout: 15_000 }).toBe(0);
  expect(await readServers(page)).toEqual([a, b]);
  await screenshot(page, 'simple-config-dns-confirmed');

  // The router has them: read again over the API, as a fresh look at the device.
  const now = await unwrap(
    person.api.api.GET('/api/tenants/{tenant_id}/devices/{device_id}/simple-config/{tab}', {
      params: { path: { tenant_id: org.id, device_id: d!.id, tab: 'dns' } },
    }),
  );
  expect(now.form.servers).toEqual([a, b]);

  // The choice of view was kept on the server: a reload opens Simple again.
  await page.reload();
  await page.locator('[data-view="simple"]').waitFor();
  expect(await view.getByRole('radio', { name: 'Simple' }).getAttribute('aria-checked')).toBe('true');
  const pref = await unwrap(
    person.api.api.GET('/api/tenants/{tenant_id}/devices/{device_id}/view-preference', {
      params: { path: { tenant_id: org.id, device_id: d!.id } },
    }),
  );
  expect(pref).toMatchObject({ mode: 'simple', saved: true });

  // Back to Standard: kept as well.
  await view.getByRole('radio', { name: 'Standard' }).click();
  await page.getByRole('navigation', { name: 'Configuration menus' }).waitFor();
  await page.reload();
  await page.getByRole('navigation', { name: 'Configuration menus' }).waitFor();
  expect(await view.getByRole('radio', { name: 'Standard' }).getAttribute('aria-checked')).toBe('true');
}, 120_000);

async function readServers(page: Page): Promise<string[]> {
  const inputs = page.locator('[data-simple-form="dns"] [data-list="servers"] input');
  return inputs.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
}

test('a value the server refuses is shown at its field, and nothing is applied', async ({ signIn, addDevices }) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('operator');
  await openSection(page, d!.id, 'DNS');
  const form = page.locator('[data-simple-form="dns"]');
  await form.waitFor({ timeout: 15_000 });
  const before = await readServers(page);
  const servers = form.locator('[data-list="servers"]');
  await servers.getByRole('button', { name: 'Add DNS server' }).click();
  const n = before.length + 1;
  const input = form.getByLabel(`DNS server ${n}`, { exact: true });
  await input.fill('not-an-address');

  // Apply straight away: the server checks the form first (422) and names the field.
  await form.getByRole('button', { name: 'Apply', exact: true }).click();
  const error = form.locator(`#sc-servers-${n - 1}-error`);
  await error.waitFor();
  expect(await error.textContent()).toBe('an IP address');
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('[data-operation]').count()).toBe(0);
  await expectAccessible(page, 'simple config field error');
  await screenshot(page, 'simple-config-field-error');

  // Fixed, the preview goes through and the error is gone.
  await input.fill('192.0.2.53');
  await form.getByRole('button', { name: 'Preview changes' }).click();
  await form.getByRole('region', { name: 'Preview' }).locator('[data-command]').first().waitFor({ timeout: 15_000 });
  expect(await error.count()).toBe(0);
});

test('Test mode waits for Keep: the router’s name changes once the operator keeps it', async ({
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('operator');
  await openSection(page, d!.id, 'System');
  const form = page.locator('[data-simple-form="system"]');
  await form.waitFor({ timeout: 15_000 });
  const name = `edge-${tag()}-${tag()}`;
  await form.getByLabel('Router name (identity)').fill(name);
  await form.getByRole('radio', { name: 'Test' }).click();
  await form.getByLabel('Keep within (seconds)').fill('5');
  await form.getByText('A whole number of seconds from 10 to 3600').waitFor();
  expect(await form.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);
  await form.getByLabel('Keep within (seconds)').fill('120');
  await expectAccessible(page, 'simple config system, test mode');
  await form.getByRole('button', { name: 'Apply', exact: true }).click();

  const op = page.locator('[data-operation]');
  await page
    .locator(
      '[data-operation-status="awaiting_confirmation"], [data-operation-status="failed"], [data-operation-status="reverted"]',
    )
    .waitFor({ timeout: 40_000 });
  expect(await op.getAttribute('data-operation-status'), (await op.textContent()) ?? '').toBe('awaiting_confirmation');
  await op.locator('[data-countdown]').waitFor();
  // While it waits, the form takes no edits.
  expect(await form.getByLabel('Router name (identity)').isDisabled()).toBe(true);
  await op.getByRole('button', { name: 'Keep' }).click();
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 30_000 }).toBe('confirmed');
  // The form reads the router again: the kept name is what it has now, and nothing is left unsaved.
  await expect.poll(() => form.locator('[data-dirty]').count(), { timeout: 15_000 }).toBe(0);
  expect(await form.getByLabel('Router name (identity)').inputValue()).toBe(name);
}, 120_000);

test('the same DNS form started on two devices as a rollout, followed on its page', async ({ signIn, addDevices }) => {
  const [d, other] = await addDevices(2);
  const { page } = await signIn('operator');
  await openSection(page, d!.id, 'DNS');
  const form = page.locator('[data-simple-form="dns"]');
  await form.waitFor({ timeout: 15_000 });
  await form.getByRole('button', { name: 'Apply to many devices…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply DNS to many devices' });
  // This device is chosen already; the second is added by name.
  await dialog.getByRole('list', { name: 'Chosen' }).getByText(d!.name!).waitFor();
  await dialog.getByLabel('Find a site, group, tag or device').fill(other!.name!);
  await dialog.getByRole('checkbox', { name: other!.name! }).check();
  await dialog.getByLabel('Concurrency').fill('0');
  await dialog.getByRole('button', { name: 'Start rollout' }).click();
  await dialog.getByText('A whole number from 1 to 500').waitFor();
  await dialog.getByLabel('Concurrency').fill('2');
  await dialog.getByLabel('Canary devices').fill('0');
  await expectAccessible(page, 'apply to many dialog');
  await dialog.getByRole('button', { name: 'Start rollout' }).click();

  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'Simple Config: DNS' }).waitFor();
  await expect
    .poll(() => page.locator('[data-rollout-status]').getAttribute('data-rollout-status'), { timeout: 90_000 })
    .toBe('completed');
  expect(await page.locator('[data-rollout-device][data-status="done"]').count()).toBe(2);
}, 120_000);

test('each form, read from the router and previewed unchanged, changes nothing', async ({ signIn, addDevices }) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('operator');
  await openSection(page, d!.id, 'Internet');
  for (const [section, tab] of [
    ['Internet', 'internet'],
    ['Port forwarding', 'port-forwarding'],
    ['Firewall', 'firewall'],
    ['DNS', 'dns'],
    ['System', 'system'],
  ] as const) {
    await page.getByRole('tab', { name: section }).click();
    const form = page.locator(`[data-simple-form="${tab}"]`);
    await form.waitFor({ timeout: 15_000 });
    await form.getByRole('button', { name: 'Preview changes' }).click();
    await form.locator('[data-preview], [data-form-problem]').first().waitFor({ timeout: 15_000 });
    const problem = form.locator('[data-form-problem]');
    expect(await problem.count(), `${section}: ${await problem.allTextContents()}`).toBe(0);
    expect(await form.locator('[data-preview]').getAttribute('data-preview')).toBe('0');
    await expectAccessible(page, `simple config ${section}`);
    await screenshot(page, `simple-config-${tab}`);
  }

  // The simulated router has no radio, and no address on its LAN bridge: the form asks for one.
  await page.getByRole('tab', { name: 'WiFi' }).click();
  await page.locator('[data-simple-form="wifi"]').getByText('This device has no wireless interfaces.').waitFor();
  await page.getByRole('tab', { name: 'LAN and DHCP' }).click();
  const lan = page.locator('[data-simple-form="lan"]');
  await lan.waitFor({ timeout: 15_000 });
  await lan.getByRole('button', { name: 'Preview changes' }).click();
  const address = lan.locator('#sc-address-error');
  await address.waitFor();
  expect(await address.textContent()).toBe('an IPv4 address with its prefix length, such as 192.168.88.1/24');
  await lan.getByLabel('Router address with prefix length').fill('192.168.88.1/24');
  await lan.getByRole('button', { name: 'Preview changes' }).click();
  await lan.locator('[data-command]').first().waitFor({ timeout: 15_000 });
  expect(await lan.locator('[data-command]').allTextContents()).toContain(
    '/ip address add address=192.168.88.1/24 interface=bridge network=192.168.88.0',
  );
  expect(await address.count()).toBe(0);
  await expectAccessible(page, 'simple config LAN');
  await screenshot(page, 'simple-config-lan');
}, 180_000);

test('WiFi on a RouterOS 6 router: the legacy package’s choices, a new network name and passphrase applied', async ({
  org,
  signIn,
}) => {
  const fleet = await startFleet({
    devices: 1,
    base: { version: '6.49.10', generate: { wireless: 1 }, users: [{ name: SIM.username, password: SIM.password }] },
  });
  try {
    const r = fleet.devices[0]!;
    const admin = await superAdminApi();
    const ap = await unwrap(
      admin.api.POST('/api/tenants/{tenant_id}/devices', {
        params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
        body: {
          name: 'ap-v6',
          host: r.address,
          port: r.port,
          tls_mode: 'plain',
          ...(r.sshPort ? { ssh_port: r.sshPort } : {}),
          ...SIM,
        },
      }),
    );
    const { page } = await signIn('operator');
    await openSection(page, ap.id, 'WiFi');
    const form = page.locator('[data-simple-form="wifi"]');
    await form.waitFor({ timeout: 15_000 });
    const radio = form.getByRole('region', { name: 'wlan1' });
    await radio.getByText('wireless package').waitFor();

    // The legacy package offers open and WPA2 only, and its own bands. An open network has no passphrase field.
    expect(await radio.getByLabel('Passphrase').count()).toBe(0);
    await radio.getByLabel('Security').click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['Open (no password)', 'WPA2 personal']);
    await page.getByRole('option', { name: 'WPA2 personal' }).click();
    expect(await radio.locator('[data-secret-set]').getAttribute('data-secret-set')).toBe('false');
    await radio.getByLabel('Band').click();
    expect(await page.getByRole('option').allTextContents()).toContain('2ghz-b/g/n');
    expect(await page.getByRole('option').allTextContents()).not.toContain('2ghz-ax');
    await page.keyboard.press('Escape');

    // WPA2 without a passphrase: the router has none, so the server names the field.
    const ssid = `tod-${tag()}`;
    await radio.getByLabel('Network name (SSID)').fill(ssid);
    await form.getByRole('button', { name: 'Preview changes' }).click();
    const missing = radio.locator('#sc-radios-0-passphrase-error');
    await missing.waitFor({ timeout: 15_000 });
    expect(await missing.textContent()).toContain('passphrase');

    await radio.getByLabel('Passphrase').fill('correct horse battery');
    await expectAccessible(page, 'simple config WiFi, legacy package');
    await form.getByRole('button', { name: 'Apply', exact: true }).click();
    const op = page.locator('[data-operation]');
    await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('confirmed');
    // Read again: the new name, the passphrase now set (never shown), the field empty.
    await expect.poll(() => form.locator('[data-dirty]').count(), { timeout: 15_000 }).toBe(0);
    expect(await radio.getByLabel('Network name (SSID)').inputValue()).toBe(ssid);
    expect(await radio.locator('[data-secret-set]').getAttribute('data-secret-set')).toBe('true');
    expect(await radio.getByLabel('Passphrase').inputValue()).toBe('');
    await screenshot(page, 'simple-config-wifi-v6');
  } finally {
    await fleet.stop();
  }
}, 150_000);

test('a viewer reads the forms but finds nothing that changes the router', async ({ signIn, addDevices }) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('viewer');
  await openSection(page, d!.id, 'Internet');
  const form = page.locator('[data-simple-form="internet"]');
  await form.waitFor({ timeout: 15_000 });
  await form.getByText('Your role can read these settings but not change them.').waitFor();
  expect(await form.getByRole('button', { name: 'Apply', exact: true }).count()).toBe(0);
  expect(await form.getByRole('button', { name: 'Preview changes' }).count()).toBe(0);
  expect(await form.getByRole('radio', { name: 'PPPoE' }).isDisabled()).toBe(true);
  await expectAccessible(page, 'simple config, viewer');
});
