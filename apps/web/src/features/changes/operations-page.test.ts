import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// The organisation's Operations page: every change TOD made to its routers, filtered by status and device, each
// opening to its steps, with a link to the device. Viewers see it all and nothing to act on.

type Ref = { tenant_id: string; device_id: string };

/** Applies one change over the API and waits for the operation to end. */
async function change(path: Ref, c: { path: string; properties: Record<string, string> }, mode: 'safe' | 'standard') {
  const { api } = await superAdminApi();
  const browse = await unwrap(
    api.GET('/api/tenants/{tenant_id}/devices/{device_id}/config/browse', {
      params: { path, query: { path: c.path } },
    }),
  );
  const r = await unwrap(
    api.POST('/api/tenants/{tenant_id}/devices/{device_id}/config/changes', {
      params: { path },
      body: {
        changes: [{ path: c.path, action: 'set', id: browse.rows[0]?.id ?? '', properties: c.properties }],
        mode,
      },
    }),
  );
  const id = 'operation_id' in r && r.operation_id ? r.operation_id : '';
  for (let i = 0; i < 120; i++) {
    const op = await unwrap(
      api.GET('/api/tenants/{tenant_id}/devices/{device_id}/operations/{operation_id}', {
        params: { path: { ...path, operation_id: id } },
      }),
    );
    if (['confirmed', 'reverted', 'failed'].includes(op.status)) return op;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`operation ${id} did not end`);
}

test('a viewer follows the organisation’s operations, filters them and opens one', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [a, b] = await addDevices(2);
  const kept = await change(
    { tenant_id: org.id, device_id: a!.id },
    { path: '/ip/firewall/filter', properties: { comment: 'operations page' } },
    'standard',
  );
  expect(kept.status).toBe('confirmed');
  const refused = await change(
    { tenant_id: org.id, device_id: b!.id },
    { path: '/ip/address', properties: { interface: 'no-such-port' } },
    'safe',
  );
  expect(refused.status).toBe('reverted');

  const { page } = await signIn('viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
  await page.getByRole('heading', { name: 'Operations', exact: true }).waitFor();
  const rows = page.locator('[data-operation-row]');
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
  // Newest first: the refused change, reverted, then the standard one, confirmed.
  expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).toEqual([
    'reverted',
    'confirmed',
  ]);
  expect(await rows.first().textContent()).toContain(b!.name);
  expect(await rows.nth(1).textContent()).toContain('Standard');
  await expectAccessible(page, 'operations page');

  await page.getByLabel('Status').click();
  await page.getByRole('option', { name: 'Confirmed' }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
  expect(await rows.first().getAttribute('data-operation-row')).toBe(kept.id);
  await page.getByLabel('Status').click();
  await page.getByRole('option', { name: 'Any status' }).click();
  await page.getByLabel('Device').click();
  await page.getByRole('option', { name: b!.name, exact: true }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
  expect(await rows.first().getAttribute('data-operation-row')).toBe(refused.id);

  // Opened: its steps and how it ended, with the router's words; nothing to press for a viewer.
  await rows
    .first()
    .getByRole('button', { name: /^Show the steps of/ })
    .click();
  const details = page.locator('[data-outcome="reverted"]');
  await details.waitFor();
  await page.locator('[data-revert-verified="true"]').waitFor();
  expect(await page.locator('[data-operation-error]').textContent()).toContain('input does not match any value');
  expect(await page.getByRole('button', { name: /^(Keep|Revert|Revert now)$/ }).count()).toBe(0);
  await expectAccessible(page, 'operation details');
  await screenshot(page, 'operations-page');

  await rows.first().getByRole('link', { name: b!.name }).click();
  await page.getByRole('heading', { name: b!.name, exact: true }).waitFor();
});
