import { addRule, polled } from '../../../test/support/alerts';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The Rules tab of the Alerts page: the organisation's rules (its defaults included) and the editor, whose preview
// asks the server which devices a draft covers and how many would fire on their latest poll.

test('an operator writes a rule with the preview’s count, sees the server’s field errors, edits, disables and deletes it', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [a, b] = await addDevices(2, { prefix: 'branch' });
  await polled(org.id, [a!.id, b!.id]);
  // A device rule for the same metric takes device a from any organisation-wide rule.
  await addRule(org.id, {
    name: 'Core CPU',
    metric: 'cpu_load',
    operator: '>',
    threshold: 99,
    scope: { kind: 'device', id: a!.id },
  });

  const { page } = await signIn('operator');
  await page.goto('/alerts');
  await page.getByRole('navigation', { name: 'Alerts sections' }).getByRole('link', { name: 'Rules' }).click();
  const rows = page.locator('[data-rule]');
  await rows.first().waitFor();
  // The organisation's defaults are listed beside the rule the test made.
  const cpuDefault = rows.filter({ hasText: 'High CPU load' });
  expect(await cpuDefault.textContent()).toContain('Default');
  expect(await cpuDefault.textContent()).toContain('CPU load > 90%');
  expect(await rows.filter({ hasText: 'Core CPU' }).textContent()).toContain('Device: branch-1');
  await expectAccessible(page, 'rules page');

  await page.getByRole('button', { name: 'New rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New alert rule' });
  await dialog.getByLabel('Name').fill('Any CPU');
  await dialog.getByLabel('Threshold (%)').fill('0');
  // Organisation-wide, it covers branch-2 only; branch-1 keeps its own rule, which the preview names.
  const covered = dialog.locator('[data-preview-covered]');
  const fire = dialog.locator('[data-preview-fire]');
  await expect.poll(() => fire.getAttribute('data-preview-fire'), { timeout: 10_000 }).toBe('1');
  expect(await covered.getAttribute('data-preview-covered')).toBe('1');
  expect(await dialog.locator('[data-preview-summary]').textContent()).toBe('Covers 1 device, 1 would fire now.');
  expect(await dialog.locator('[data-superseded]').textContent()).toContain('Core CPU');
  expect(await dialog.getByRole('region', { name: 'Preview' }).textContent()).toContain('branch-2');
  await expectAccessible(page, 'rule editor');
  await screenshot(page, 'alert-rule-editor');
  // No CPU is at 100%: nothing would fire.
  await dialog.getByLabel('Threshold (%)').fill('100');
  await expect.poll(() => fire.getAttribute('data-preview-fire'), { timeout: 10_000 }).toBe('0');
  await dialog.getByLabel('Threshold (%)').fill('0');
  await expect.poll(() => fire.getAttribute('data-preview-fire'), { timeout: 10_000 }).toBe('1');
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  await dialog.waitFor({ state: 'detached' });
  const mine = rows.filter({ hasText: 'Any CPU' });
  await mine.waitFor();
  expect(await mine.textContent()).toContain('CPU load ≥ 0%');
  expect(await mine.textContent()).toContain('Every device');
  expect(await mine.textContent()).toContain('Warning');

  // The server's validation lands on the fields it names.
  await page.getByRole('button', { name: 'New rule' }).click();
  const again = page.getByRole('dialog', { name: 'New alert rule' });
  await again.getByLabel('Threshold (%)').fill('lots');
  await again.getByRole('button', { name: 'Create rule' }).click();
  await again.locator('#rule-name-error').waitFor();
  await again.locator('#rule-threshold-error').waitFor();
  expect(await again.locator('#rule-threshold-error').textContent()).toMatch(/number/i);
  await expectAccessible(page, 'rule editor with errors');
  await again.getByRole('button', { name: 'Cancel' }).click();

  // Edit: critical now.
  await mine.getByRole('button', { name: 'Edit Any CPU' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Any CPU' });
  await edit.getByLabel('Severity').click();
  await page.getByRole('option', { name: 'Critical' }).click();
  await edit.getByRole('button', { name: 'Save rule' }).click();
  await edit.waitFor({ state: 'detached' });
  await expect.poll(() => mine.textContent()).toContain('Critical');

  // Disabled from the list, then deleted.
  await mine.getByLabel('Any CPU enabled').uncheck();
  await expect.poll(() => mine.getAttribute('data-enabled')).toBe('false');
  await mine.getByRole('button', { name: 'Delete Any CPU' }).click();
  await page.getByRole('dialog', { name: 'Delete Any CPU?' }).getByRole('button', { name: 'Delete rule' }).click();
  await expect.poll(() => mine.count()).toBe(0);
});

test('the palette opens the rule editor; a viewer reads the rules and cannot change them', async ({ signIn }) => {
  const operator = await signIn('operator');
  await operator.page.keyboard.press('Control+k');
  await operator.page.getByRole('option', { name: 'Create alert rule' }).click();
  await operator.page.getByRole('dialog', { name: 'New alert rule' }).waitFor();
  expect(new URL(operator.page.url()).pathname).toBe('/alerts/rules');

  const { page } = await signIn('viewer');
  await page.goto('/alerts/rules');
  await page.locator('[data-rule]').first().waitFor();
  const main = page.getByRole('main');
  expect(await main.getByRole('button', { name: /New rule|Edit|Delete/ }).count()).toBe(0);
  expect(await main.getByRole('checkbox').count()).toBe(0);
  await expectAccessible(page, 'rules page (viewer)');
});
