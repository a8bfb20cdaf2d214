import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// Notification channels as an admin sets them up: a webhook's signing secret shown once, "Send test" against real
// HTTP receivers on loopback (one accepting, one failing), and what an operator may do there.

type Received = { headers: IncomingHttpHeaders; raw: string };
/** A real HTTP receiver answering every request with `status`, recording what it got. */
async function receiver(status: number) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end(status < 300 ? 'ok' : 'broken');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  opened.push(close);
  return { url: `http://127.0.0.1:${port}/hook`, got };
}
const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c()));
});

test('an admin creates a webhook, copies its secret shown once, and a test reaches the receiver signed with it', async ({
  signIn,
}) => {
  const good = await receiver(200);
  const { page } = await signIn('admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notification channels' }).click();
  await page.getByRole('heading', { name: 'Notification channels', exact: true }).waitFor();
  await page.getByText('No notification channels yet').waitFor();
  await expectAccessible(page, 'notification channels, empty');

  await page.getByRole('button', { name: 'New channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'New notification channel' });
  await dialog.getByLabel('Name', { exact: true }).fill('NOC webhook');
  await dialog.getByRole('radio', { name: 'Webhook' }).click();
  // A template naming a variable that does not exist is refused on its field.
  await dialog.getByLabel('Message template').fill('{{device.nope}} is down');
  await dialog.getByLabel('URL').fill(good.url);
  await dialog.getByText('Variables you can use').click();
  await dialog.getByText('{{device.name}}').waitFor();
  await expectAccessible(page, 'new channel dialog');
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('unknown variable {{device.nope}}');
  await dialog.getByLabel('Message template').fill('{{device.name}}: {{condition}}');
  await dialog.getByRole('button', { name: 'Create channel' }).click();

  // The signing secret, once, to copy.
  const secretDialog = page.getByRole('dialog', { name: 'Signing secret of NOC webhook' });
  await secretDialog.getByText('You won’t see this again.').waitFor();
  const secret = await secretDialog.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_[\w-]{43}$/);
  await secretDialog.getByRole('button', { name: 'Copy' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await expectAccessible(page, 'channel secret');
  await screenshot(page, 'channel-secret');
  await secretDialog.getByRole('button', { name: 'Done' }).click();

  const row = page.locator('[data-channel="NOC webhook"]');
  await expect.poll(() => row.textContent()).toContain('127.0.0.1');
  // Never shown again: not in the list, not when editing.
  expect(await page.getByText(secret).count()).toBe(0);
  expect(await row.textContent()).not.toContain('/hook');
  await row.getByRole('button', { name: 'Edit NOC webhook' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit NOC webhook' });
  expect(await edit.getByLabel('URL').inputValue()).toBe('');
  expect(await edit.getByText('The signing secret is hidden.').count()).toBe(1);
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // Send test: the receiver gets a notification signed with that secret, and the row says it was delivered.
  await row.getByRole('button', { name: 'Send test to NOC webhook' }).click();
  await expect.poll(() => row.locator('[data-test-result]').textContent()).toBe('Test delivered (HTTP 200)');
  expect(good.got).toHaveLength(1);
  const [sent] = good.got;
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(sent!.headers['x-tod-signature'])) ?? [];
  expect(v1).toBe(createHmac('sha256', secret).update(`${t}.`).update(sent!.raw).digest('hex'));
  expect(await row.textContent()).toContain('Last sent');
});

test('a test against a receiver answering 500 says why it failed; rotating the secret shows a new one once', async ({
  signIn,
}) => {
  const bad = await receiver(500);
  const { page } = await signIn('admin');
  await page.goto('/notification-channels?new=1');
  const dialog = page.getByRole('dialog', { name: 'New notification channel' });
  // A receiver answering 500: the test says why it failed, and the failure counts on the row.
  await dialog.getByLabel('Name', { exact: true }).fill('Broken hook');
  await dialog.getByRole('radio', { name: 'Webhook' }).click();
  await dialog.getByLabel('URL').fill(bad.url);
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  const first = page.getByRole('dialog', { name: 'Signing secret of Broken hook' });
  const firstSecret = await first.getByLabel('Signing secret').inputValue();
  await first.getByRole('button', { name: 'Done' }).click();
  const broken = page.locator('[data-channel="Broken hook"]');
  await broken.getByRole('button', { name: 'Send test to Broken hook' }).click();
  const result = broken.locator('[data-test-result="failed"]');
  await expect.poll(() => result.textContent()).toBe('Test failed: the receiver answered HTTP 500');
  expect(bad.got).toHaveLength(1);
  await expect.poll(() => broken.locator('[data-channel-failures]').textContent()).toContain('1 failed in 24 h');
  await expectAccessible(page, 'notification channels with test results');
  await screenshot(page, 'notification-channels');

  // Rotating the secret answers a new one, once.
  await broken.getByRole('button', { name: 'Edit Broken hook' }).click();
  await page.getByRole('dialog', { name: 'Edit Broken hook' }).getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = page.getByRole('dialog', { name: 'Signing secret of Broken hook' });
  const secret = await rotated.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  expect(secret).not.toBe(firstSecret);
  await rotated.getByRole('button', { name: 'Done' }).click();
});

test('an email channel keeps its password write-only; editing without retyping it keeps it', async ({ signIn }) => {
  const { page } = await signIn('admin');
  await page.goto('/notification-channels?new=1');
  const dialog = page.getByRole('dialog', { name: 'New notification channel' });
  await dialog.getByLabel('Name', { exact: true }).fill('Ops mail');
  await dialog.getByRole('radio', { name: 'Email' }).click();
  await dialog.getByLabel('Recipients').fill('ops@example.com, noc@example.com');
  await dialog.getByRole('radio', { name: 'Another SMTP server' }).click();
  await dialog.getByLabel('SMTP host').fill('smtp.example.com');
  await dialog.getByLabel('Port', { exact: true }).fill('2525');
  await dialog.getByLabel('Username').fill('tod');
  await dialog.getByLabel('Password').fill('mail-secret-123');
  // Critical only.
  await dialog.getByLabel('Warning').uncheck();
  await dialog.getByLabel('Info').uncheck();
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('[data-channel="Ops mail"]');
  await expect.poll(() => row.textContent()).toContain('ops@example.com, noc@example.com via smtp.example.com');
  expect(await row.textContent()).toContain('Critical');
  expect(await row.textContent()).not.toContain('Warning');
  expect(await page.getByText('mail-secret-123').count()).toBe(0);

  await row.getByRole('button', { name: 'Edit Ops mail' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Ops mail' });
  expect(await edit.getByLabel('Password').inputValue()).toBe('');
  await edit.getByText('A password is set; blank keeps it.').waitFor();
  expect(await edit.getByLabel('SMTP host').inputValue()).toBe('smtp.example.com');
  await edit.getByLabel('Recipients').fill('ops@example.com');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await expect.poll(() => row.textContent()).toContain('ops@example.com via smtp.example.com');
  await row.getByRole('button', { name: 'Edit Ops mail' }).click();
  await edit.getByText('A password is set; blank keeps it.').waitFor();
  await expectAccessible(page, 'edit email channel');
});

test('an operator sees the channels and may test them, but not create, change or delete', async ({ signIn }) => {
  const good = await receiver(204);
  const admin = await signIn('admin');
  await admin.page.goto('/notification-channels?new=1');
  const dialog = admin.page.getByRole('dialog', { name: 'New notification channel' });
  await dialog.getByLabel('Name', { exact: true }).fill('Team Slack');
  await dialog.getByRole('radio', { name: 'Slack' }).click();
  await dialog.getByLabel('URL').fill(good.url);
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  // Slack has no signing secret: the dialog just closes.
  await dialog.waitFor({ state: 'hidden' });

  const { page } = await signIn('operator');
  await page.goto('/notification-channels');
  const row = page.locator('[data-channel="Team Slack"]');
  await row.waitFor();
  expect(await page.getByRole('button', { name: 'New channel' }).count()).toBe(0);
  expect(await row.getByRole('button', { name: /^(Edit|Delete)/ }).count()).toBe(0);
  await row.getByRole('button', { name: 'Send test to Team Slack' }).click();
  await expect.poll(() => row.locator('[data-test-result]').textContent()).toBe('Test delivered (HTTP 204)');
  expect(good.got).toHaveLength(1);
  expect(good.got[0]!.raw).toContain('[TEST]');
  await expectAccessible(page, 'notification channels for an operator');
});
