import { addRule, alertOf, withoutDefaultRules } from '../../../test/support/alerts';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// A device's Alerts tab: its active alerts and its history, and silencing its notifications until a time.

test('a device’s Alerts tab lists its alert; an operator silences the device and ends the silence', async ({
  org,
  signIn,
  addDevices,
}) => {
  await withoutDefaultRules(org.id);
  const [d, other] = await addDevices(2, { prefix: 'tower' });
  const rule = await addRule(org.id, {
    name: 'CPU seen',
    metric: 'cpu_load',
    operator: '>=',
    threshold: 0,
    duration_polls: 1,
    severity: 'info',
    scope: { kind: 'device', id: d!.id },
  });
  const fired = await alertOf(org.id, rule.id);

  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/alerts`);
  const tab = page.locator('[data-device-tab="alerts"]');
  const row = tab.locator(`[data-alert-section="active"] [data-alert="${fired.id}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain('CPU seen');
  expect(await row.textContent()).toContain('Info');
  await expectAccessible(page, 'device alerts tab');

  const silence = tab.locator('[data-silence]');
  expect(await silence.getAttribute('data-silence')).toBe('off');
  await tab.getByRole('button', { name: 'Silence this device until…' }).click();
  const dialog = page.getByRole('dialog', { name: `Silence ${d!.name}` });
  await dialog.getByRole('button', { name: '1 day' }).click();
  await dialog.getByLabel('Note (optional)').fill('Tower climb');
  await expectAccessible(page, 'silence dialog');
  await dialog.getByRole('button', { name: 'Silence', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await expect.poll(() => silence.getAttribute('data-silence')).toBe('on');
  expect(await silence.textContent()).toContain('Notifications are silenced until');
  expect(await silence.textContent()).toContain('Tower climb');
  await screenshot(page, 'device-alerts-tab');

  const { api } = await superAdminApi();
  const silences = await unwrap(
    api.GET('/api/tenants/{tenant_id}/alert-silences', { params: { path: { tenant_id: org.id } } }),
  );
  expect(silences.items).toHaveLength(1);
  expect(silences.items[0]).toMatchObject({ device_id: d!.id, note: 'Tower climb' });
  const hours = (Date.parse(silences.items[0]!.until) - Date.now()) / 3_600_000;
  expect(hours).toBeGreaterThan(23);
  expect(hours).toBeLessThanOrEqual(24);

  // Another device is not silenced, and has no alerts.
  await page.goto(`/devices/${other!.id}/alerts`);
  await tab.locator('[data-silence="off"]').waitFor();
  await tab.getByText('Nothing is wrong').waitFor();

  await page.goto(`/devices/${d!.id}/alerts`);
  await tab.getByRole('button', { name: 'End silence' }).click();
  await expect.poll(() => silence.getAttribute('data-silence')).toBe('off');
  const after = await unwrap(
    api.GET('/api/tenants/{tenant_id}/alert-silences', { params: { path: { tenant_id: org.id } } }),
  );
  expect(after.items).toEqual([]);
});

test('a viewer sees a device’s alerts and no way to silence it', async ({ org, signIn, addDevices }) => {
  await withoutDefaultRules(org.id);
  const [d] = await addDevices(1, { prefix: 'mast' });
  const rule = await addRule(org.id, {
    name: 'CPU seen',
    metric: 'cpu_load',
    operator: '>=',
    threshold: 0,
    scope: { kind: 'device', id: d!.id },
  });
  const fired = await alertOf(org.id, rule.id);
  const { page } = await signIn('viewer');
  await page.goto(`/devices/${d!.id}/alerts`);
  await page.locator(`[data-alert="${fired.id}"]`).waitFor();
  await page.locator('[data-silence="off"]').waitFor();
  expect(
    await page
      .getByRole('main')
      .getByRole('button', { name: /Silence|Acknowledge|Resolve/ })
      .count(),
  ).toBe(0);
  await expectAccessible(page, 'device alerts tab (viewer)');
});
