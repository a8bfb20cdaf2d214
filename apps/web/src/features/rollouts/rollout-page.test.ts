import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';
import { inAnHour, pushTemplate, rolloutOf } from '../../../test/support/rollouts';

// A rollout's page: its options, waves (canary first), controls as its policies allow — pause, resume with a new
// failure threshold, cancel after a confirmation, retry failed —, the summary of failures by reason and the
// devices, all following the rollout live.

test('an operator pauses a rollout, resumes it with a new failure threshold and cancels it', async ({
  org,
  signIn,
  addDevices,
}) => {
  const devices = await addDevices(3);
  // Scheduled an hour ahead: it waits, so each control acts on a rollout that stays where the test put it.
  const r = await pushTemplate(
    org.id,
    devices.map((d) => d.id),
    { canary: 1, batch_size: 1, concurrency: 2, max_failures: 0, mode: 'test', scheduled_at: inAnHour() },
  );

  const { page } = await signIn('operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  await page.getByRole('link', { name: r.name }).click();
  await page.getByRole('heading', { name: r.name }).waitFor();
  const status = (s: string) => page.locator(`[data-rollout-status="${s}"]`).waitFor({ timeout: 15_000 });
  await status('scheduled');
  const options = page.getByRole('definition');
  expect(await options.allTextContents()).toEqual(
    expect.arrayContaining(['1 device first', '2 at once', 'pauses at the first failure', 'Test']),
  );
  // Three waves of one device: the canary, then two batches.
  const waves = page.locator('[data-wave]');
  expect(await waves.count()).toBe(3);
  expect(await waves.first().getAttribute('data-canary')).toBe('true');
  expect(await page.locator('[data-wave-name]').allTextContents()).toEqual(['Canary', 'Wave 1', 'Wave 2']);
  expect(await page.locator('[data-rollout-device][data-status="pending"]').count()).toBe(3);
  expect(await page.getByRole('button', { name: 'Retry failed' }).count()).toBe(0);
  await expectAccessible(page, 'scheduled rollout');

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await status('paused');
  await page.locator('[data-pause-reason="manual"]').waitFor();
  expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);

  // Resume with a threshold of 2: the options say so, and the server kept it.
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const resume = page.getByRole('dialog', { name: 'Resume the rollout' });
  await resume.getByLabel('New failure threshold (optional)').fill('-1');
  await resume.getByText('A whole number, 0 or more.').waitFor();
  expect(await resume.getByRole('button', { name: 'Resume rollout' }).isDisabled()).toBe(true);
  await resume.getByLabel('New failure threshold (optional)').fill('2');
  await expectAccessible(page, 'resume dialog');
  await resume.getByRole('button', { name: 'Resume rollout' }).click();
  await status('running');
  await page.getByText('pauses after more than 2').waitFor();
  expect((await rolloutOf(org.id, r.id)).options.max_failures).toBe(2);

  // Cancel asks first; keeping it running changes nothing.
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const ask = page.getByRole('dialog', { name: 'Cancel the rollout?' });
  expect(await ask.textContent()).toContain('3 devices not started yet will be skipped');
  await expectAccessible(page, 'cancel confirmation');
  await ask.getByRole('button', { name: 'Keep it running' }).click();
  await ask.waitFor({ state: 'hidden' });
  expect((await rolloutOf(org.id, r.id)).status).toBe('running');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Cancel the rollout?' })
    .getByRole('button', { name: 'Cancel rollout' })
    .click();
  await status('cancelled');
  await page.locator('[data-count="skipped"] dd', { hasText: '3' }).waitFor();
  await expect.poll(() => page.locator('[data-rollout-device][data-status="skipped"]').count()).toBe(3);
  expect(await page.getByRole('button', { name: /^(Pause|Resume|Cancel)$/ }).count()).toBe(0);

  // The device filter.
  await page.getByLabel('Device status').click();
  await page.getByRole('option', { name: 'Done (0)' }).click();
  await page.getByText('No device is done.').waitFor();
  await page.getByLabel('Device status').click();
  await page.getByRole('option', { name: 'Skipped (3)' }).click();
  await expect.poll(() => page.locator('[data-rollout-device]').count()).toBe(3);
  expect(await page.locator('[data-device-error="cancelled"]').count()).toBe(3);
  await expectAccessible(page, 'cancelled rollout');
});

test('devices follow live: a test-mode change waits for Keep, an unreachable one fails with its reason, retried', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [good] = await addDevices(1);
  const [bad] = await addDevices(1, { reachable: false });
  const r = await pushTemplate(org.id, [good!.id, bad!.id], {
    canary: 0,
    batch_size: 10,
    mode: 'test',
    max_failures: null,
    backup_after: false,
  });

  const { page } = await signIn('operator');
  await page.goto(`/rollouts/${r.id}`);
  await page.getByRole('heading', { name: r.name }).waitFor();
  const row = (id: string) => page.locator(`[data-rollout-device="${id}"]`);
  // The router's change waits for Keep; the unreachable device failed, its reason in the summary.
  const keep = row(good!.id).getByRole('link', { name: 'Waiting for you to keep it' });
  await keep.waitFor({ timeout: 90_000 });
  await row(bad!.id).and(page.locator('[data-status="failed"]')).waitFor({ timeout: 60_000 });
  const reason = page.locator('[data-reason]');
  await reason.waitFor();
  const code = await reason.getAttribute('data-reason');
  expect(await row(bad!.id).locator(`[data-device-error="${code}"]`).textContent()).not.toBe('');
  expect(await reason.textContent()).toContain(bad!.name);
  await page.locator('[data-count="failed"] dd', { hasText: '1' }).waitFor();
  await screenshot(page, 'rollout-detail');
  await expectAccessible(page, 'running rollout');

  // Answered on the device's page, then back: the device is done and the rollout completes.
  await keep.click();
  await page.getByRole('heading', { name: good!.name, exact: true }).waitFor();
  const op = page.getByRole('region', { name: 'Change operation' });
  await op.getByRole('button', { name: 'Keep' }).click();
  // Kept, the operation is over: the tab shows no open operation any more.
  await op.waitFor({ state: 'detached', timeout: 30_000 });
  await page.goBack();
  await row(good!.id).and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
  await page.locator('[data-rollout-status="completed"]').waitFor({ timeout: 30_000 });

  // Retry failed: the unreachable device runs again (a second attempt) and fails again.
  await page.getByRole('button', { name: 'Retry failed' }).click();
  await expect
    .poll(async () => (await rolloutOf(org.id, r.id)).devices.find((d) => d.device_id === bad!.id)?.attempts, {
      timeout: 60_000,
    })
    .toBe(2);
  await page.locator('[data-rollout-status="completed"]').waitFor({ timeout: 60_000 });
  await expect.poll(() => row(bad!.id).locator('td').nth(3).textContent(), { timeout: 15_000 }).toBe('2');
});
