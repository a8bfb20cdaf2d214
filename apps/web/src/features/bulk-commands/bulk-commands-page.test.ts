import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// Bulk commands as people use them: an operator reads every router at once and gets the outputs grouped (the same
// answer once, with its devices; an unreachable router as its own group) and downloads them; a deny-listed command
// is refused at its line, an operator cannot allow it and an admin can; a viewer reads runs and results only.

async function typeAndPick(page: Page, commands: string, devices: string[]) {
  await page.getByLabel('Commands', { exact: true }).fill(commands);
  for (const d of devices) await page.getByRole('checkbox', { name: d, exact: true }).check();
}

test('an operator runs a read on every router, sees the outputs grouped and downloads them', async ({
  addDevices,
  signIn,
}) => {
  const routers = await addDevices(3);
  const [away] = await addDevices(1, { reachable: false, prefix: 'away' });
  const { page } = await signIn('operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bulk commands' }).click();
  await page.getByRole('heading', { name: 'Bulk commands', exact: true }).waitFor();
  await page.getByText('No runs yet').waitFor();
  await expectAccessible(page, 'bulk commands, no runs yet');

  // Nothing typed, nothing picked: said at once, nothing sent.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByText('Type at least one command.').waitFor();
  await page.getByText('Choose at least one device, group, tag or site.', { exact: true }).waitFor();

  // A line the terminal would not read: named by the server, marked in the gutter.
  await typeAndPick(page, '/system identity print\n/ip address print where "unclosed', [
    ...routers.map((r) => r.name ?? ''),
    away?.name ?? '',
  ]);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const errors = page.locator('[data-command-errors]');
  await errors.waitFor();
  expect(await errors.textContent()).toMatch(/^Line 2: /);
  expect(await page.locator('[data-bad-line]').evaluateAll((ls) => ls.map((l) => l.textContent))).toEqual(['2']);

  // Options of a read: mode and backup do not apply, and say so.
  await page.getByRole('radio', { name: 'Choose options' }).click();
  await page.locator('[data-no-changes]').waitFor();
  expect(await page.getByRole('radio', { name: /^Safe/ }).count()).toBe(0);
  await page.getByRole('radio', { name: 'Defaults for these commands' }).click();
  await expectAccessible(page, 'bulk commands with an error');

  await page.getByLabel('Commands', { exact: true }).fill('/system identity print');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForURL(/\/bulk-commands\/[0-9a-f-]{36}$/);
  const results = page.locator('[data-results][data-status="completed"]');
  await results.waitFor({ timeout: 60_000 });

  // The three routers said the same thing: one group; the unreachable one fails on its own.
  const groups = page.locator('[data-group]');
  expect(await groups.count()).toBe(2);
  const same = page.locator('[data-group="1"]');
  expect(await same.getAttribute('data-group-status')).toBe('done');
  expect(await same.getAttribute('data-group-count')).toBe('3');
  expect(await same.locator('[data-output]').textContent()).toContain('MikroTik');
  const names = await same.getByRole('link').allTextContents();
  expect(names.sort()).toEqual(routers.map((r) => r.name).sort());
  expect(await same.getByRole('link', { name: routers[0]?.name ?? '' }).getAttribute('href')).toBe(
    `/devices/${routers[0]?.id}`,
  );
  const failed = page.locator('[data-group="2"]');
  expect(await failed.getAttribute('data-group-status')).toBe('failed');
  expect(await failed.getByRole('link').allTextContents()).toEqual([away?.name]);
  expect(await failed.locator('[data-group-error]').textContent()).not.toBe('');
  await page.getByRole('link', { name: 'Rollout page' }).waitFor();
  await expectAccessible(page, 'bulk command results');
  await screenshot(page, 'bulk-command-results');

  // The CSV: one row per device, in group order.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^bulk-command-[0-9a-f]{8}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
  expect(csv[0]).toBe('device_id,device_name,group,output,error');
  const rows = csv.slice(1).filter(Boolean);
  expect(rows).toHaveLength(4);
  for (const r of routers) expect(rows.find((row) => row.startsWith(`${r.id},${r.name},1,`))).toContain('MikroTik');
  expect(rows.find((row) => row.startsWith(`${away?.id},${away?.name},2,`))).toBeDefined();

  // Back on the list, the run is there and opens its results.
  await page.getByRole('link', { name: 'Bulk commands', exact: true }).first().click();
  const run = page.locator('[data-run]');
  await run.first().waitFor();
  expect(await run.count()).toBe(1);
  // Listed as it was when started, then refreshed live.
  await page.locator('[data-run][data-status="completed"]').waitFor({ timeout: 20_000 });
  await expectAccessible(page, 'bulk commands with a run');
  await screenshot(page, 'bulk-commands');
}, 180_000);

test('a deny-listed command is refused; an operator cannot allow it, an admin can', async ({
  org,
  addDevices,
  signIn,
}) => {
  // An unreachable router: nothing is really reset when the admin allows it.
  const [away] = await addDevices(1, { reachable: false, prefix: 'spare' });
  const target = away?.name ?? '';
  const text = '/system identity print\n/system reset-configuration';

  const operator = await signIn('operator');
  await operator.page.goto('/bulk-commands');
  await typeAndPick(operator.page, text, [target]);
  await operator.page.getByRole('button', { name: 'Run', exact: true }).click();
  const denied = operator.page.locator('[data-denied-entry="reset-configuration"]');
  await denied.waitFor();
  expect(await operator.page.locator('[data-command-errors]').textContent()).toMatch(
    /^Line 2: .*deny-list entry "reset-configuration"/,
  );
  expect(await operator.page.locator('[data-bad-line]').evaluateAll((ls) => ls.map((l) => l.textContent))).toEqual([
    '2',
  ]);
  expect(await denied.textContent()).toContain('Line 2: wipes the configuration');
  expect(await denied.getByRole('checkbox').count()).toBe(0);
  await operator.page.getByText('only an admin can allow them').waitFor();
  await expectAccessible(operator.page, 'bulk command denied, operator');
  // Nor over the API.
  const asOperator = await operator.api.api.POST('/api/tenants/{tenant_id}/bulk-commands', {
    params: { path: { tenant_id: org.id } },
    body: { targets: { device_ids: [away?.id ?? ''] }, commands: text, allow: ['reset-configuration'] },
  });
  expect(asOperator.response.status).toBe(403);
  expect((asOperator.error as { code: string }).code).toBe('command_allow_forbidden');

  const admin = await signIn('admin');
  await admin.page.goto('/bulk-commands');
  await typeAndPick(admin.page, text, [target]);
  await admin.page.getByRole('button', { name: 'Run', exact: true }).click();
  const allow = admin.page.getByRole('checkbox', { name: 'Allow reset-configuration for this run' });
  await allow.check();
  await expectAccessible(admin.page, 'bulk command denied, admin');
  await screenshot(admin.page, 'bulk-command-denied');
  await admin.page.getByRole('button', { name: 'Run', exact: true }).click();
  await admin.page.waitForURL(/\/bulk-commands\/[0-9a-f-]{36}$/);
  await admin.page.locator('[data-group-status="failed"]').waitFor({ timeout: 60_000 });
  expect(await admin.page.locator('pre').first().textContent()).toContain('/system reset-configuration');
}, 180_000);

test('a viewer reads runs and results and finds no Run button', async ({ org, addDevices, signIn }) => {
  const [router] = await addDevices(1);
  const { api } = await superAdminApi();
  const started = await unwrap(
    api.POST('/api/tenants/{tenant_id}/bulk-commands', {
      params: { path: { tenant_id: org.id } },
      body: { targets: { device_ids: [router?.id ?? ''] }, commands: '/system identity print' },
    }),
  );
  const { page } = await signIn('viewer');
  await page.goto('/bulk-commands');
  await page.locator('[data-read-only]').waitFor();
  expect(await page.getByRole('button', { name: 'Run', exact: true }).count()).toBe(0);
  expect(await page.getByLabel('Commands', { exact: true }).count()).toBe(0);
  await page.locator(`[data-run="${started.rollout_id}"]`).getByRole('link').click();
  await page.locator('[data-results][data-status="completed"]').waitFor({ timeout: 60_000 });
  expect(await page.locator('[data-group="1"]').getAttribute('data-group-count')).toBe('1');
  await page.getByRole('link', { name: 'Download JSON' }).waitFor();
  await expectAccessible(page, 'bulk command results, viewer');
}, 120_000);
