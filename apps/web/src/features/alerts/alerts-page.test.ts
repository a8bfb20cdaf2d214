import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addRule, alertOf, withoutDefaultRules } from '../../../test/support/alerts';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// The Alerts page: active alerts (critical first) and the history, each alert with its value against the rule's
// threshold and the notifications it caused; operators acknowledge (with a note) and resolve, viewers only read.
// Alerts come from real polls of the simulated routers (the test TOD polls every 3 s).

/** A webhook receiver in the test process: TOD's notifications arrive here. */
async function receiver() {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((ok) => server.close(ok)) };
}

test('lists a firing alert with its notification; an operator acknowledges it with a note and resolves it, a viewer sees no buttons', async ({
  org,
  signIn,
  addDevices,
}) => {
  await withoutDefaultRules(org.id);
  const hook = await receiver();
  try {
    const { api } = await superAdminApi();
    const channel = await unwrap(
      api.POST('/api/tenants/{tenant_id}/notification-channels', {
        params: { path: { tenant_id: org.id } },
        body: {
          kind: 'webhook',
          name: 'On-call hook',
          config: { url: hook.url },
          severities: ['warning', 'critical'],
          template: null,
          enabled: true,
        },
      }),
    );
    const [d] = await addDevices(1, { prefix: 'core' });
    // Any CPU figure breaches it: the device's next poll fires it.
    const rule = await addRule(org.id, {
      name: 'CPU busy',
      metric: 'cpu_load',
      operator: '>=',
      threshold: 0,
      duration_polls: 1,
      severity: 'warning',
      scope: { kind: 'device', id: d!.id },
      channel_ids: [channel.id],
    });
    const fired = await alertOf(org.id, rule.id);
    await expect.poll(() => hook.bodies.length, { timeout: 20_000 }).toBeGreaterThan(0);

    const { page } = await signIn('operator');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Alerts/ })
      .click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    const row = page.locator(`[data-alert-section="active"] [data-alert="${fired.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('firing');
    const text = (await row.textContent()) ?? '';
    for (const part of ['Warning', 'core-1', 'CPU busy', 'CPU load', '(≥ 0%)']) expect(text).toContain(part);
    expect(await row.locator('[data-value]').textContent()).toMatch(/^\d+(\.\d)?% \(≥ 0%\)$/);
    expect(await row.getByRole('link', { name: 'core-1' }).getAttribute('href')).toBe(`/devices/${d!.id}/alerts`);

    // The details: the notification sent to the webhook for the alert firing.
    await row.getByRole('button', { name: 'Show the details of CPU busy on core-1' }).click();
    const detail = page.locator(`[data-alert-detail="${fired.id}"]`);
    await detail.locator('[data-delivery="sent"]').waitFor({ timeout: 15_000 });
    const delivery = (await detail.locator('[data-delivery="sent"]').textContent()) ?? '';
    expect(delivery).toContain('On-call hook');
    expect(delivery).toContain('Fired');
    await expectAccessible(page, 'alerts page');
    await screenshot(page, 'alerts-page');

    // Acknowledge with a note: notifications say someone is on it.
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge alert' });
    await dialog.getByLabel('Note (optional)').fill('Looking at the scheduler');
    await expectAccessible(page, 'acknowledge dialog');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('acknowledged');
    expect(await row.locator('[data-marker="state"]').textContent()).toBe('Acknowledged');
    expect(await row.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await detail.locator('[data-ack]').waitFor();
    expect(await detail.locator('[data-ack]').textContent()).toContain('“Looking at the scheduler”');
    const stored = await unwrap(
      api.GET('/api/tenants/{tenant_id}/alert-events/{alert_id}', {
        params: { path: { tenant_id: org.id, alert_id: fired.id } },
      }),
    );
    expect(stored).toMatchObject({ state: 'acknowledged', acknowledged_note: 'Looking at the scheduler' });

    // A viewer reads the same alert and is offered nothing to do.
    const viewer = await signIn('viewer');
    await viewer.page.goto('/alerts');
    const seen = viewer.page.locator(`[data-alert="${fired.id}"]`);
    await seen.waitFor();
    expect(await seen.getAttribute('data-state')).toBe('acknowledged');
    expect(
      await viewer.page
        .getByRole('main')
        .getByRole('button', { name: /Acknowledge|Resolve/ })
        .count(),
    ).toBe(0);
    await expectAccessible(viewer.page, 'alerts page (viewer)');

    // Resolve by hand: it moves to the history with how long it lasted.
    await row.getByRole('button', { name: 'Resolve' }).click();
    const resolved = page.locator(`[data-alert-section="history"] [data-alert="${fired.id}"]`);
    await resolved.waitFor({ timeout: 10_000 });
    expect(await resolved.getAttribute('data-state')).toBe('resolved');
    expect(await resolved.locator('[data-duration]').textContent()).toMatch(/^\d+s$|^\d+m$/);
  } finally {
    await hook.close();
  }
});

test('the sidebar badge counts active alerts live, in the critical colour, and clears when the alert resolves', async ({
  org,
  signIn,
  addDevices,
  routers,
}) => {
  await withoutDefaultRules(org.id);
  // The third device is the file's third simulated router, whose CPU load the test sets.
  const devices = await addDevices(3, { prefix: 'edge' });
  const hot = devices[2]!;
  const sim = routers.device(2);
  sim.load = { cpuLoad: 5 };
  try {
    const { page } = await signIn('viewer');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const badge = nav.locator('[data-alert-badge]');
    expect(await badge.count()).toBe(0);

    const rule = await addRule(org.id, {
      name: 'CPU overloaded',
      metric: 'cpu_load',
      operator: '>',
      threshold: 80,
      duration_polls: 1,
      clear_polls: 1,
      severity: 'critical',
      scope: { kind: 'device', id: hot.id },
    });
    sim.load = { cpuLoad: 95 };
    // Live: the page is not reloaded; `alert.changed` refreshes the count.
    await expect.poll(() => badge.getAttribute('data-alert-badge'), { timeout: 30_000 }).toBe('1');
    expect(await badge.getAttribute('data-critical')).toBe('true');
    expect(await nav.getByRole('link', { name: 'Alerts 1 active', exact: true }).count()).toBe(1);
    const fired = await alertOf(org.id, rule.id);
    expect(fired).toMatchObject({ severity: 'critical', value: 95, device_id: hot.id });
    await expectAccessible(page, 'sidebar with the alerts badge');
    await screenshot(page, 'alerts-badge');

    // The router calms down: the next poll clears the rule and the alert resolves.
    sim.load = { cpuLoad: 5 };
    await expect.poll(() => badge.count(), { timeout: 30_000 }).toBe(0);
    const after = await alertOf(org.id, rule.id, 'resolved');
    expect(after.id).toBe(fired.id);
    expect(after.resolved_by).toBe('automatically');
  } finally {
    sim.load = {};
  }
});

test('a site alert, which has no device, shows its site instead', async ({ org, signIn, addDevices }) => {
  await withoutDefaultRules(org.id);
  const { api } = await superAdminApi();
  const path = { tenant_id: org.id };
  const site = await unwrap(
    api.POST('/api/tenants/{tenant_id}/sites', { params: { path }, body: { name: 'Tower North' } }),
  );
  const [d] = await addDevices(1, { reachable: false, prefix: 'tower' });
  await unwrap(
    api.POST('/api/tenants/{tenant_id}/sites/{site_id}/devices/{device_id}', {
      params: { path: { ...path, site_id: site.id, device_id: d!.id } },
    }),
  );
  // Zero or more devices offline: true at once; the worker's site evaluation (every minute) fires it.
  const rule = await unwrap(
    api.POST('/api/tenants/{tenant_id}/sites/{site_id}/alert-rules', {
      params: { path: { ...path, site_id: site.id } },
      body: { name: 'Tower watch', metric: 'site_offline_count', operator: '>=', threshold: 0, severity: 'info' },
    }),
  );
  const fired = await alertOf(org.id, rule.id, 'active', 90_000);
  expect(fired).toMatchObject({ owner: 'site', device_id: null, site_id: site.id, site_name: 'Tower North' });

  const { page } = await signIn('viewer');
  await page.goto('/alerts');
  const row = page.locator(`[data-alert-section="active"] [data-alert="${fired.id}"]`);
  await row.waitFor();
  expect(await row.locator('[data-owner="site"]').textContent()).toBe('Tower North');
  expect(await row.getByRole('link', { name: 'Tower North' }).count()).toBe(0);
  await row.getByRole('button', { name: 'Show the details of Tower watch on Tower North' }).click();
  await page.locator(`[data-alert-detail="${fired.id}"]`).waitFor();
}, 150_000);
