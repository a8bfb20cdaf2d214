import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// Device logs as people read them: lines the simulated routers log, collected by the real TOD as it polls their
// /log (POLL_INTERVAL_SECONDS=3), shown on the device's Logs tab and on the organisation's Logs page.

const tag = () => Math.random().toString(36).slice(2, 8);

/** Waits until TOD has stored `n` lines containing `q` in the organisation (the poller reads /log every 3 s). */
async function collected(orgId: string, q: string, n: number) {
  const admin = await superAdminApi();
  const count = async () =>
    (
      await unwrap(
        admin.api.GET('/api/tenants/{tenant_id}/logs', {
          params: { path: { tenant_id: orgId }, query: { q, limit: 500 } },
        }),
      )
    ).items.length;
  await expect.poll(count, { timeout: 30_000, interval: 1_000 }).toBe(n);
}

test('the device Logs tab shows what the router logged, newest first, filtered by severity and text, and follows', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [d] = await addDevices(1);
  const router = routers.device(0);
  const t = tag();
  router.log('dhcp,info', `defconf assigned 192.168.88.254 to ${t}-laptop`);
  router.log('system,error,critical', `login failure for user mallory-${t} from 10.9.8.7 via ssh`);
  router.log('firewall,warning', `input: in:ether1 out:(unknown 0) src-mac ${t}`);
  await collected(org.id, t, 3);

  const { page } = await signIn('viewer');
  await page.goto(`/devices/${d!.id}/logs`);
  await page.getByRole('heading', { name: d!.name, exact: true }).waitFor();
  const lines = page.locator('[data-device-tab="logs"] [data-log-line]');
  const messages = () => lines.locator('[data-log-message]').allTextContents();
  await lines.first().waitFor();
  // Newest first: the three lines in the reverse of the order they were logged.
  const ours = (await messages()).filter((m) => m.includes(t));
  expect(ours).toEqual([
    `input: in:ether1 out:(unknown 0) src-mac ${t}`,
    `login failure for user mallory-${t} from 10.9.8.7 via ssh`,
    `defconf assigned 192.168.88.254 to ${t}-laptop`,
  ]);
  const critical = lines.filter({ hasText: `mallory-${t}` });
  expect(await critical.getAttribute('data-log-line')).toBe('critical');
  expect(await critical.textContent()).toContain('Critical');
  expect(await critical.textContent()).toContain('system, error, critical');
  await expectAccessible(page, 'device logs tab');
  await screenshot(page, 'device-logs');

  // Severity: only the critical line (and any other critical ones the router logged, such as failed logins).
  const tab = page.locator('[data-device-tab="logs"]');
  await tab.getByRole('button', { name: 'Critical' }).click();
  await expect
    .poll(async () => new Set(await lines.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-log-line')))))
    .toEqual(new Set(['critical']));
  await tab.getByRole('button', { name: 'Critical' }).click();

  // Text, applied on Enter.
  await tab.getByLabel('Message contains').fill(`mallory-${t}`);
  await tab.getByLabel('Message contains').press('Enter');
  await expect.poll(messages).toEqual([`login failure for user mallory-${t} from 10.9.8.7 via ssh`]);
  // A topic with nothing logged under it: the empty state says so.
  await tab.getByLabel('Topic').fill('ospf');
  await tab.getByLabel('Topic').press('Enter');
  await tab.getByText('No lines match').waitFor();
  await tab.getByLabel('Topic').fill('');
  await tab.getByLabel('Message contains').fill('');
  await tab.getByLabel('Message contains').press('Enter');
  await expect.poll(async () => (await messages()).filter((m) => m.includes(t)).length).toBe(3);

  // Follow: a line logged now appears without reloading.
  await tab.getByLabel('Follow (new lines every 5 s)').check();
  router.log('script,info', `backup-${t} finished`);
  await expect.poll(async () => (await messages())[0], { timeout: 30_000 }).toBe(`backup-${t} finished`);
});

test('the Logs page shows every device’s lines with a device filter, and loads older lines on request', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  const [a, b] = await addDevices(2, { prefix: 'site' });
  const t = tag();
  // More than a page (100) on the first router; one line on the second.
  for (let i = 1; i <= 130; i++) routers.device(0).log('system,info', `${t} line ${i}`);
  routers.device(1).log('interface,info', `${t} ether2 link up`);
  await collected(org.id, t, 131);

  const { page } = await signIn('operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs', exact: true }).click();
  await page.getByRole('heading', { name: 'Logs', exact: true }).waitFor();
  const lines = page.locator('[data-log-line]');
  await page.getByLabel('Message contains').fill(t);
  await page.getByLabel('Message contains').press('Enter');
  await expect.poll(() => lines.count()).toBe(100);
  await expectAccessible(page, 'organisation logs');
  await screenshot(page, 'logs');

  // Load more: the rest of the 131 lines. The first router's lines newest first, the second router's among them.
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => lines.count()).toBe(131);
  const shown = await lines.locator('[data-log-message]').allTextContents();
  expect(shown.filter((m) => / line \d+$/.test(m))).toEqual(
    Array.from({ length: 130 }, (_, i) => `${t} line ${130 - i}`),
  );
  const other = lines.filter({ hasText: `${t} ether2 link up` });
  expect(await other.getByRole('link').textContent()).toBe(b!.name);
  expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

  // One device: only its lines, each linking to that device's Logs tab.
  await page.getByLabel('Device', { exact: true }).click();
  await page.getByRole('option', { name: a!.name!, exact: true }).click();
  await expect.poll(() => page.getByText(`${t} ether2 link up`).count()).toBe(0);
  expect(await page.getByRole('link', { name: b!.name!, exact: true }).count()).toBe(0);
  await page.getByRole('link', { name: a!.name!, exact: true }).first().click();
  await page.waitForURL((u) => u.pathname === `/devices/${a!.id}/logs`);
});
