import { readFileSync } from 'node:fs';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, test } from '../../../test/support/fixtures';

// The Reports page as people use it: an operator asks for a fleet report (a period the server refuses first), sees
// it rendered and downloads the PDF, and deletes it; a viewer reads and downloads only; an admin schedules a device
// report (a cron the server refuses first), edits and disables it, and deletes it.

test('an operator creates a fleet report, sees it done and downloads the PDF; a viewer only reads', async ({
  org,
  signIn,
}) => {
  const { page, api, account } = await signIn('operator');
  await page.goto('/reports');
  await page.getByRole('heading', { name: 'Reports', exact: true }).waitFor();
  await page.getByText('No reports yet').waitFor();
  // Operators read schedules; only admins write them.
  const schedules = page.getByRole('region', { name: 'Schedules' });
  await schedules.getByText('No schedules').waitFor();
  expect(await schedules.getByRole('button', { name: 'New schedule' }).count()).toBe(0);
  await expectAccessible(page, 'reports, empty');

  await page.getByRole('button', { name: 'New report' }).click();
  const dialog = page.getByRole('dialog', { name: 'New report' });
  // The last 7 days by default, on the browser's calendar.
  const [weekAgo, today] = await page.evaluate(() => {
    const d = (t: number) => {
      const x = new Date(t);
      return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
    };
    return [d(Date.now() - 7 * 86_400_000), d(Date.now())];
  });
  expect(await dialog.getByLabel('From').inputValue()).toBe(weekAgo);
  expect(await dialog.getByLabel('To').inputValue()).toBe(today);
  expect(await dialog.getByRole('radio', { name: 'Fleet' }).getAttribute('aria-checked')).toBe('true');
  expect(await dialog.getByRole('radio', { name: 'PDF' }).getAttribute('aria-checked')).toBe('true');

  // A period ending before it starts: the server's message at the To field.
  await dialog.getByLabel('To').fill('2020-01-01');
  await dialog.getByRole('button', { name: 'Create report' }).click();
  await expect.poll(() => dialog.locator('#report-to-error').textContent()).toContain('must be after from');
  await expectAccessible(page, 'new report, refused period');
  await dialog.getByLabel('To').fill(today);
  await dialog.getByRole('button', { name: 'Create report' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The list follows it to done.
  const row = page.locator('tr[data-kind="fleet"]');
  await row.waitFor();
  await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  expect(await row.textContent()).toContain(account.email);
  expect(await row.locator('[data-size]').textContent()).toMatch(/\d+(\.\d)? (B|KiB|MiB)/);
  const { items } = await unwrap(
    api.api.GET('/api/tenants/{tenant_id}/reports', { params: { path: { tenant_id: org.id } } }),
  );
  expect(items).toHaveLength(1);
  const report = items[0]!;
  expect(report).toMatchObject({ kind: 'fleet', format: 'pdf', status: 'done' });
  // From local midnight seven days ago, up to about now.
  expect(Date.now() - Date.parse(report.params.to)).toBeLessThan(120_000);
  expect(Date.parse(report.params.to) - Date.parse(report.params.from)).toBeGreaterThan(7 * 86_400_000);
  await expectAccessible(page, 'reports');
  await screenshot(page, 'reports');

  // The download is the PDF itself, under the server's file name.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: /^Download Fleet report/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(report.file_name);
  expect(download.suggestedFilename()).toMatch(/^fleet-report-.+\.pdf$/);
  expect(
    readFileSync(await download.path())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');

  // A viewer reads and downloads; nothing that writes, and no schedules (they list people's addresses).
  const viewer = await signIn('viewer');
  await viewer.page.goto('/reports');
  const seen = viewer.page.locator('tr[data-kind="fleet"]');
  await seen.getByRole('link', { name: /^Download Fleet report/ }).waitFor();
  expect(await viewer.page.getByRole('button', { name: /New report|Create|Delete/ }).count()).toBe(0);
  expect(await viewer.page.getByRole('region', { name: 'Schedules' }).count()).toBe(0);
  await expectAccessible(viewer.page, 'reports as a viewer');

  // The operator deletes the report they asked for.
  await row.getByRole('button', { name: /^Delete Fleet report/ }).click();
  await page
    .getByRole('dialog', { name: 'Delete the Fleet report?' })
    .getByRole('button', { name: 'Delete report' })
    .click();
  await row.waitFor({ state: 'detached' });
  await page.getByText('No reports yet').waitFor();
});

test('an admin schedules a device report, edits and disables it; refused values show at their field', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [device] = await addDevices(1, { reachable: false, prefix: 'branch' });
  const { page, api } = await signIn('admin');
  await page.goto('/reports');
  const card = page.getByRole('region', { name: 'Schedules' });
  await card.getByText('No schedules').waitFor();
  await card.getByRole('button', { name: 'New schedule' }).click();

  const dialog = page.getByRole('dialog', { name: 'New schedule' });
  await dialog.getByRole('radio', { name: 'Device' }).click();
  await dialog.getByLabel('Device').click();
  await page.getByRole('option', { name: device!.name }).click();
  await dialog.getByRole('radio', { name: 'Daily' }).click();
  // No name typed: the server's name for it, shown as the placeholder.
  expect(await dialog.getByLabel('Name').getAttribute('placeholder')).toBe('Daily device health report');
  await dialog.getByLabel('Time zone').click();
  await page.getByRole('option', { name: 'Europe/Berlin', exact: true }).click();
  await dialog.getByLabel('Recipients').fill('noc@example.com, owner@example.com');
  // Every minute: more often than a report may run.
  await dialog.getByLabel('Cron').fill('* * * * *');
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await expect.poll(() => dialog.locator('#schedule-cron-error').textContent()).toContain('at most once an hour');
  expect(await dialog.getByLabel('Cron').getAttribute('aria-invalid')).toBe('true');
  await expectAccessible(page, 'new schedule, refused cron');
  await screenshot(page, 'report-schedule-dialog');
  await dialog.getByLabel('Cron').fill('0 6 * * *');
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Named after its kind and period by the server; stored as chosen.
  const row = card.locator('[data-schedule="Daily device health report"]');
  await row.waitFor();
  const list = async () =>
    (
      await unwrap(
        api.api.GET('/api/tenants/{tenant_id}/report-schedules', { params: { path: { tenant_id: org.id } } }),
      )
    ).items;
  const [made] = await list();
  expect(made).toMatchObject({
    kind: 'device',
    format: 'pdf',
    cron: '0 6 * * *',
    timezone: 'Europe/Berlin',
    recipients: ['noc@example.com', 'owner@example.com'],
    params: { period: 'day', device_id: device!.id },
    enabled: true,
  });
  expect(await row.locator('[data-cron]').textContent()).toContain('Europe/Berlin');
  expect(await row.locator('[data-next]').textContent()).not.toBe('—');
  await expectAccessible(page, 'report schedules');

  // Edit: weekdays at 07:30, one more address (a bad one first), disabled.
  await row.getByRole('button', { name: 'Edit Daily device health report' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Daily device health report' });
  expect(await edit.getByLabel('Cron').inputValue()).toBe('0 6 * * *');
  expect(await edit.getByLabel('Recipients').inputValue()).toBe('noc@example.com\nowner@example.com');
  await edit.getByLabel('Cron').fill('30 7 * * 1-5');
  await edit.getByLabel('Recipients').fill('noc@example.com\nowner@example.com\nnot-an-address');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => edit.locator('#schedule-recipients-error').textContent()).toContain('not-an-address');
  await edit.getByLabel('Recipients').fill('noc@example.com\nowner@example.com\nceo@example.com');
  await edit.getByLabel('Enabled').uncheck();
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await expect.poll(() => row.locator('[data-cron]').textContent()).toContain('30 7 * * 1-5');
  await row.locator('[data-disabled]').waitFor();
  expect(await row.locator('[data-next]').textContent()).toBe('—');
  const [edited] = await list();
  expect(edited).toMatchObject({
    id: made!.id,
    cron: '30 7 * * 1-5',
    recipients: ['noc@example.com', 'owner@example.com', 'ceo@example.com'],
    params: { period: 'day', device_id: device!.id },
    enabled: false,
    next_run_at: null,
  });

  await row.getByRole('button', { name: 'Delete Daily device health report' }).click();
  await page
    .getByRole('dialog', { name: 'Delete Daily device health report?' })
    .getByRole('button', { name: 'Delete schedule' })
    .click();
  await row.waitFor({ state: 'detached' });
  await card.getByText('No schedules').waitFor();
});
