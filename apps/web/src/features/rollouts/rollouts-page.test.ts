import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';
import { cancelRollout, inAnHour, pushTemplate } from '../../../test/support/rollouts';

// The organisation's Rollouts page: every rollout with its kind, status and progress, filtered by kind and status,
// each opening to its detail. A viewer reads it all and finds nothing to press.

test('a viewer lists the organisation’s rollouts, filters them and opens one', async ({ org, signIn, addDevices }) => {
  const devices = await addDevices(3);
  const ids = devices.map((d) => d.id);
  const waiting = await pushTemplate(org.id, ids, { canary: 1, batch_size: 1, scheduled_at: inAnHour() });
  const stopped = await pushTemplate(org.id, ids.slice(0, 2), { scheduled_at: inAnHour() });
  await cancelRollout(org.id, stopped.id);

  const { page } = await signIn('viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  await page.getByRole('heading', { name: 'Rollouts', exact: true }).waitFor();
  const rows = page.locator('[data-rollout-row]');
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
  // Newest first: the cancelled one (its two devices skipped), then the one waiting for its time.
  expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).toEqual([
    'cancelled',
    'scheduled',
  ]);
  const first = rows.first();
  expect(await first.textContent()).toContain('Template');
  expect(await first.getByRole('img').getAttribute('aria-label')).toBe('0 of 2 done, 2 skipped');
  expect(await rows.nth(1).getByRole('img').getAttribute('aria-label')).toBe('0 of 3 done');
  expect(await rows.nth(1).textContent()).toContain('Scheduled');
  expect(await rows.nth(1).textContent()).toContain('scheduled for');
  await expectAccessible(page, 'rollouts page');
  await screenshot(page, 'rollouts-page');

  await page.getByLabel('Status').click();
  await page.getByRole('option', { name: 'Cancelled' }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
  expect(await rows.first().getAttribute('data-rollout-row')).toBe(stopped.id);
  await page.getByLabel('Status').click();
  await page.getByRole('option', { name: 'Any status' }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
  await page.getByLabel('Kind').click();
  await page.getByRole('option', { name: 'Firmware upgrade' }).click();
  await page.getByText('Nothing matches these filters').waitFor();
  await page.getByLabel('Kind').click();
  await page.getByRole('option', { name: 'Template' }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);

  await page.getByRole('link', { name: waiting.name }).click();
  await page.getByRole('heading', { name: waiting.name }).waitFor();
  await page.locator('[data-rollout-status="scheduled"]').waitFor();
  expect(await page.locator('[data-rollout-device]').count()).toBe(3);
  // Nothing to press for a viewer.
  expect(
    await page.getByRole('button', { name: /^(Pause|Resume|Cancel|Retry failed|Back up all targets)$/ }).count(),
  ).toBe(0);
  await expectAccessible(page, 'rollout detail for a viewer');
});
