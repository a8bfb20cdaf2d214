import { screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// A change that locks TOD out, made from the Firewall tab: the review flags it as a danger; applied anyway (Safe),
// TOD cannot log in again over a fresh connection, so the change is undone and the revert proven.

test('an input rule that drops TOD’s API is flagged, then reverted and the revert verified', async ({
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/firewall`);
  const filter = page.locator('[data-menu="/ip/firewall/filter"]');
  await filter.locator('[data-row]').first().waitFor({ timeout: 15_000 });
  const before = await filter.locator('[data-row]').count();

  await filter.getByRole('button', { name: 'Add', exact: true }).click();
  const form = page.getByRole('dialog', { name: 'Add to /ip firewall filter' });
  for (const [k, v] of [
    ['chain', 'input'],
    ['action', 'drop'],
    ['protocol', 'tcp'],
    ['src-address', '127.0.0.1'],
    ['dst-port', '8728'],
    ['comment', 'lock TOD out'],
  ] as const)
    await form.getByLabel(k, { exact: true }).fill(v);
  await form.getByRole('button', { name: 'Save to change set' }).click();
  await page.locator('[data-change-set]').getByRole('button', { name: 'Review' }).click();

  const review = page.getByRole('dialog', { name: 'Review the changes' });
  const danger = review.locator('[data-risk="danger"]');
  await danger.waitFor({ timeout: 15_000 });
  expect(await danger.textContent()).toContain('8728 (API)');
  expect(await review.getByRole('alert').locator('h3').textContent()).toBe(
    '1 change may cut off access to this router',
  );
  await screenshot(page, 'lockout-review');
  await review.getByRole('button', { name: 'Apply' }).click();

  const op = page.locator('[data-operation]');
  await expect
    .poll(() => op.getAttribute('data-operation-status'), { timeout: 120_000, interval: 1000 })
    .toBe('reverted');
  expect(await op.locator('[data-outcome="reverted"]').textContent()).toBe(
    'Reverted: the change could not be verified.',
  );
  await op.locator('[data-revert-verified="true"]').waitFor({ timeout: 10_000 });
  // The router no longer has the rule, and TOD reaches it again.
  const rules = routers.device(0).store.menu('/ip/firewall/filter', false)?.items ?? [];
  expect(rules.some((r) => r.props.get('comment') === 'lock TOD out')).toBe(false);
  await filter.getByRole('button', { name: /again from the device/ }).click();
  await expect.poll(() => filter.locator('[data-row]').count(), { timeout: 15_000 }).toBe(before);
  await screenshot(page, 'lockout-reverted');
}, 180_000);
