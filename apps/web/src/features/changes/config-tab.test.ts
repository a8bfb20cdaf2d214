import { backUp } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The device page's Config tab as operators use it: the menu tree, a menu's rows, edits collected in a change set,
// the review of the exact commands, an apply in Test mode with its countdown and Keep; a change the router refuses,
// reverted, with the router's words on the field; and what a viewer sees.

const tag = () => Math.random().toString(36).slice(2, 8);

test('an operator edits firewall rules in Test mode, watches the countdown and keeps the change', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  // The tree marks the menus of the device's latest backup.
  await backUp(org.id, d!.id);
  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/config`);
  const tree = page.getByRole('navigation', { name: 'Configuration menus' });
  await tree.locator('[data-menu-path="/ip/firewall/filter"][data-in-config]').waitFor();
  expect(await tree.locator('[data-menu-path="/snmp"]').getAttribute('data-in-config')).toBeNull();
  // The firewall filter opens first: its rules in order, with their flags and properties.
  const table = page.locator('[data-menu="/ip/firewall/filter"]');
  await table.locator('[data-row]').first().waitFor({ timeout: 15_000 });
  expect(await table.locator('[data-row]').count()).toBeGreaterThanOrEqual(3);
  expect(await table.locator('[data-row]').first().locator('[data-prop="connection-state"]').textContent()).toBe(
    'connection-state=established,related',
  );
  await expectAccessible(page, 'config tab');

  // Two edits: a comment on rule 1 (through its form) and rule 2 disabled; both wait in the change set.
  const comment = `allow established ${tag()}`;
  await table.getByRole('button', { name: 'Edit rule 1' }).click();
  const form = page.getByRole('dialog', { name: 'Edit rule 1' });
  await form.getByLabel('comment', { exact: true }).fill(comment);
  await expectAccessible(page, 'row form');
  await form.getByRole('button', { name: 'Save to change set' }).click();
  const wasDisabled = (await table.locator('[data-row]').nth(1).getAttribute('data-disabled')) === 'true';
  const toggle = wasDisabled ? 'Enable' : 'Disable';
  await table.getByRole('button', { name: `${toggle} rule 2` }).click();
  const set = page.locator('[data-change-set]');
  expect(await set.getAttribute('data-change-set')).toBe('2');
  expect(await set.locator('[data-edit]').allTextContents()).toEqual([
    expect.stringContaining(`Change rule 1 in /ip firewall filter: comment="${comment}"`),
    expect.stringContaining(`${toggle} rule 2 in /ip firewall filter`),
  ]);
  expect(await table.locator('[data-row]').first().locator('[data-pending]').textContent()).toBe('edited');

  // Review: the exact commands, keyed by what identifies each rule rather than its id.
  await set.getByRole('button', { name: 'Review' }).click();
  const review = page.getByRole('dialog', { name: 'Review the changes' });
  const commands = review.locator('[data-command]');
  await commands.first().waitFor({ timeout: 15_000 });
  const lines = await commands.allTextContents();
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^/ip firewall filter set \\[ find .*chain=input.* \\] comment="${comment}"$`));
  expect(lines[1]).toMatch(new RegExp(`^/ip firewall filter ${toggle.toLowerCase()} \\[ find .*chain=forward`));
  expect(await review.getByRole('radio', { name: /^Safe/ }).isChecked()).toBe(true);
  await review.getByRole('radio', { name: /^Test/ }).check();
  await review.getByLabel('Keep within (seconds)').fill('90');
  await expectAccessible(page, 'review dialog');
  await screenshot(page, 'config-review');
  await review.getByRole('button', { name: 'Apply' }).click();

  // The operation follows live: the steps, then the countdown to the router's own revert and Keep / Revert.
  const op = page.locator('[data-operation]');
  const countdown = op.locator('[data-countdown]');
  await countdown.waitFor({ timeout: 45_000 });
  expect(await op.getAttribute('data-operation-status')).toBe('awaiting_confirmation');
  for (const step of ['backing_up', 'arming', 'applying', 'verifying'])
    expect(await op.locator(`[data-step="${step}"]`).getAttribute('data-state')).toBe('done');
  const first = Number(await countdown.getAttribute('data-countdown'));
  expect(first).toBeGreaterThan(30);
  expect(first).toBeLessThanOrEqual(90);
  await expect
    .poll(async () => Number(await countdown.getAttribute('data-countdown')), { timeout: 5000 })
    .toBeLessThan(first);
  expect(await countdown.textContent()).toMatch(/^\d:\d\d$/);
  await expectAccessible(page, 'operation awaiting confirmation');
  await screenshot(page, 'config-countdown');
  await op.getByRole('button', { name: 'Keep' }).click();
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 30_000 }).toBe('confirmed');
  expect(await op.locator('[data-outcome="confirmed"]').textContent()).toContain('Confirmed');
  expect(await op.locator('[data-step="confirmed"]').getAttribute('data-state')).toBe('done');

  // Kept: the change set is empty and the rows, read again from the router, have the change.
  await expect.poll(() => set.count(), { timeout: 5000 }).toBe(0);
  await expect.poll(() => table.locator('[data-row]').first().textContent(), { timeout: 15_000 }).toContain(comment);
  await expect
    .poll(() => table.locator('[data-row]').nth(1).getAttribute('data-disabled'), { timeout: 15_000 })
    .toBe(wasDisabled ? null : 'true');
  await screenshot(page, 'config-confirmed');
});

test('a change the router refuses is reverted, verified, and the router’s words land on the field', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1);
  await backUp(org.id, d!.id);
  const { page } = await signIn('operator');
  await page.goto(`/devices/${d!.id}/config`);
  await page.locator('[data-menu-path="/ip/address"]').click();
  const table = page.locator('[data-menu="/ip/address"]');
  const row = table.locator('[data-row]').first();
  await row.waitFor({ timeout: 15_000 });
  await row.getByRole('button', { name: /^Edit / }).click();
  const form = page.getByRole('dialog', { name: /^Edit / });
  await form.getByLabel('interface', { exact: true }).fill('no-such-port');
  await form.getByRole('button', { name: 'Save to change set' }).click();
  await page.locator('[data-change-set]').getByRole('button', { name: 'Review' }).click();
  const review = page.getByRole('dialog', { name: 'Review the changes' });
  await review.locator('[data-command]').first().waitFor({ timeout: 15_000 });
  // Changing the address's interface is flagged: whoever reaches the router through it loses access.
  await review.locator('[data-risk]').first().waitFor();
  await review.getByRole('button', { name: 'Apply' }).click();

  const op = page.locator('[data-operation]');
  await expect.poll(() => op.getAttribute('data-operation-status'), { timeout: 60_000 }).toBe('reverted');
  expect(await op.locator('[data-outcome="reverted"]').textContent()).toBe('Reverted: the router refused a command.');
  await op.locator('[data-revert-verified="true"]').waitFor({ timeout: 10_000 });
  expect(await op.locator('[data-operation-error]').textContent()).toContain(
    'The router said: input does not match any value of interface',
  );
  await screenshot(page, 'config-refused');

  // The edit stays in the set, marked with the property the router named; its form shows the error on that field.
  const edit = page.locator('[data-change-set] [data-edit-error]');
  await edit.waitFor();
  expect(await edit.getAttribute('data-edit-error')).toBe('interface');
  await row.getByRole('button', { name: /^Edit / }).click();
  const again = page.getByRole('dialog', { name: /^Edit / });
  expect(await again.locator('#prop-interface-error').textContent()).toContain(
    'input does not match any value of interface',
  );
  expect(await again.getByLabel('interface', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  await expectAccessible(page, 'row form with the router’s error');
});

test('a viewer browses the configuration and finds nothing that changes it', async ({ org, signIn, addDevices }) => {
  const [d] = await addDevices(1);
  await backUp(org.id, d!.id);
  const { page } = await signIn('viewer');
  await page.goto(`/devices/${d!.id}/config`);
  const table = page.locator('[data-menu="/ip/firewall/filter"]');
  await table.locator('[data-row]').first().waitFor({ timeout: 15_000 });
  await page.locator('[data-menu-path="/ip/pool"]').click();
  await page.locator('[data-menu="/ip/pool"] [data-row]').first().waitFor({ timeout: 15_000 });
  expect(
    await page
      .getByRole('button', { name: /^(Add|Edit|Delete|Enable|Disable|Move|Review|Apply|Keep|Revert)\b/ })
      .count(),
  ).toBe(0);
  expect(await page.locator('[data-change-set]').count()).toBe(0);
  await expectAccessible(page, 'config tab (viewer)');
});
