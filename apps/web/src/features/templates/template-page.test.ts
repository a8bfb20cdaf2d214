import type { Fleet } from '@tod/simulator';
import { backUp, changeRouter } from '../../../test/support/backups';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// A template's life on a simulated router, driven as a person does: made from the "Initial device setup" starter,
// previewed with typed values (a value of the wrong type named with its variable), pushed as a rollout followed on
// its page, then changed on the router behind TOD's back: the Drift tab shows what a re-push changes back, and the
// re-push brings the router in line again.

const dnsServers = (routers: Fleet) => routers.device(0).store.menu('/ip/dns', false)?.items[0]?.props.get('servers');

test('an operator previews a starter on a router, pushes it, sees it drift and re-pushes it', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  // The preview compares with the latest backup.
  expect((await backUp(org.id, d!.id)).job.status).toBe('succeeded');

  const { page } = await signIn('operator');
  await page.goto('/templates');
  await page.getByRole('button', { name: 'New from starter' }).click();
  await page
    .getByRole('dialog', { name: 'New from a starter' })
    .getByRole('link', { name: /^Initial device setup/ })
    .click();
  await page.getByRole('button', { name: 'Create template' }).click();
  await page.getByRole('heading', { name: 'Initial device setup', exact: true }).waitFor();
  const templateId = /\/templates\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(templateId).toBeTruthy();

  // Preview: the router picked, values typed by their variable's type.
  await page.getByRole('link', { name: 'Preview', exact: true }).click();
  await page.locator('[data-pick-device="router-1"] input').check();
  const dns = page.getByLabel('dns_servers');
  await dns.fill('9.9.9.9, not-an-address');
  await page.getByLabel('dns_remote_requests').click();
  await page.getByRole('option', { name: 'Yes' }).click();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const card = page.locator('[data-preview-device="router-1"]');
  await card.locator('[data-preview-error="variable_invalid"]').waitFor({ timeout: 20_000 });
  expect(await card.locator('[data-error-variable]').textContent()).toBe('dns_servers');
  expect(await card.locator('[data-preview-error]').textContent()).toContain('item 2');

  await dns.fill('9.9.9.9, 149.112.112.112');
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await card.locator('[data-diff-menu="/ip/dns"]').waitFor({ timeout: 20_000 });
  expect(await card.locator('[data-preview-error]').count()).toBe(0);
  const commands = await card.locator('[data-command]').allTextContents();
  expect(commands).toContain('/ip dns set allow-remote-requests=yes servers=9.9.9.9,149.112.112.112');
  await card.locator('[data-rendered] summary').click();
  expect(await card.locator('[data-rendered]').textContent()).toContain('set name=router-1');
  await expectAccessible(page, 'template preview');
  await screenshot(page, 'template-preview');

  // Push the previewed device with the same values; the rollout options start at their defaults.
  await page.getByRole('button', { name: 'Push to these devices…' }).click();
  const push = page.getByRole('dialog', { name: 'Push Initial device setup' });
  expect(await push.getByRole('list', { name: 'Chosen' }).textContent()).toContain('router-1');
  expect(await push.getByLabel('dns_servers').inputValue()).toBe('9.9.9.9, 149.112.112.112');
  expect(await push.getByLabel('Canary devices').inputValue()).toBe('1');
  expect(await push.getByLabel('Batch size').inputValue()).toBe('10');
  expect(await push.getByLabel('Concurrency').inputValue()).toBe('10');
  expect(await push.getByLabel('Pause after more than this many failures').inputValue()).toBe('0');
  expect(await push.getByRole('radio', { name: /^Safe/ }).isChecked()).toBe(true);
  await expectAccessible(page, 'push dialog');
  await screenshot(page, 'template-push');
  await push.getByRole('button', { name: 'Push', exact: true }).click();

  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: /^Template “Initial device setup”/ }).waitFor();
  await page.locator('[data-rollout-status="completed"]').waitFor({ timeout: 120_000 });
  expect(await page.locator('[data-rollout-device][data-status="done"]').count()).toBe(1);
  expect(dnsServers(routers)).toBe('9.9.9.9,149.112.112.112');

  // Changed behind TOD's back; the next backup shows it, and Check now compares again.
  changeRouter(routers, 0, '/ip dns set servers=8.8.8.8');
  expect((await backUp(org.id, d!.id)).job.status).toBe('succeeded');
  await page.goto(`/templates/${templateId}?tab=drift`);
  await page.getByRole('button', { name: 'Check now' }).click();
  const row = page.locator('[data-drift-device="router-1"]');
  await expect.poll(() => row.getAttribute('data-drift-state'), { timeout: 20_000 }).toBe('drifted');
  await row.locator('[data-diff-menu="/ip/dns"]').waitFor();
  expect(await row.locator('[data-diff-menu="/ip/dns"]').textContent()).toContain('8.8.8.8');
  expect(await page.locator('[data-count="drifted"]').textContent()).toBe('1 drifted');
  await expectAccessible(page, 'template drift');
  await screenshot(page, 'template-drift');
  await page.getByRole('link', { name: 'Templates', exact: true }).first().click();
  await page.locator('[data-template="Initial device setup"] [data-drifted="1"]').waitFor();

  // Re-push to the drifted router, with the values of the first push.
  await page.getByRole('link', { name: 'Initial device setup' }).click();
  await page.getByRole('link', { name: /^Drift/ }).click();
  await page.getByRole('button', { name: 'Re-push to router-1' }).click();
  const again = page.getByRole('dialog', { name: 'Push Initial device setup' });
  // The values of the first push come back by themselves: nothing is typed again.
  expect(await again.getByLabel(/Keep each device's values from its last push/).isChecked()).toBe(true);
  expect(await again.getByLabel('dns_servers').inputValue()).toBe('');
  await again.getByRole('button', { name: 'Push', exact: true }).click();
  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
  await page.locator('[data-rollout-status="completed"]').waitFor({ timeout: 120_000 });
  expect(dnsServers(routers)).toBe('9.9.9.9,149.112.112.112');
  await page.goto(`/templates/${templateId}?tab=drift`);
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect.poll(() => row.getAttribute('data-drift-state'), { timeout: 20_000 }).toBe('in_sync');
}, 420_000);
