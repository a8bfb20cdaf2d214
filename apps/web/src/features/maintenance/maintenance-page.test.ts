import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, superAdminApi, test } from '../../../test/support/fixtures';

// Maintenance windows as an operator plans them: a weekly window on another time zone's clock listed with its next
// occurrence and its occurrences of the next two weeks by day; a window open now on one device; a viewer's view.

const DAY = 86_400_000;
/** YYYY-MM-DD of the first Monday at least two days from now (UTC dates; the times below are midday in Berlin). */
function nextMonday(): string {
  let t = Date.now() + 2 * DAY;
  while (new Date(t).getUTCDay() !== 1) t += DAY;
  return new Date(t).toISOString().slice(0, 10);
}
const utcInput = (t: number) => new Date(t).toISOString().slice(0, 16);

test('a weekly window in Europe/Berlin is listed with its next occurrence and its days of the next two weeks', async ({
  org,
  signIn,
}) => {
  const monday = nextMonday();
  const { page, api } = await signIn('operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Maintenance windows' }).click();
  await page.getByRole('heading', { name: 'Maintenance windows', exact: true }).waitFor();
  await page.getByText('No maintenance windows').waitFor();
  await expectAccessible(page, 'maintenance, empty');

  await page.getByRole('button', { name: 'New window' }).click();
  const dialog = page.getByRole('dialog', { name: 'New maintenance window' });
  await dialog.getByLabel('Name').fill('Core upgrades');
  // Midday on Berlin's clock: the same date wherever the browser is.
  await dialog.getByLabel('Starts').fill(`${monday}T12:00`);
  await dialog.getByLabel('Ends').fill(`${monday}T13:30`);
  await dialog.getByLabel('Time zone').click();
  await page.getByRole('option', { name: 'Europe/Berlin', exact: true }).click();
  await dialog.getByRole('radio', { name: 'Weekly' }).click();
  // The start's weekday is chosen for you; add Thursday.
  expect(await dialog.getByRole('button', { name: 'Mon' }).getAttribute('aria-pressed')).toBe('true');
  await dialog.getByRole('button', { name: 'Thu' }).click();
  await expectAccessible(page, 'new maintenance window');
  await screenshot(page, 'maintenance-dialog');
  await dialog.getByRole('button', { name: 'Create window' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // What the server stored: 12:00 CET/CEST on that Monday, weekly on Monday and Thursday.
  const { items } = await unwrap(
    api.api.GET('/api/tenants/{tenant_id}/maintenance-windows', { params: { path: { tenant_id: org.id } } }),
  );
  expect(items).toHaveLength(1);
  const w = items[0]!;
  expect(w).toMatchObject({ timezone: 'Europe/Berlin', recurrence: { freq: 'weekly', by_day: ['mo', 'th'] } });
  const berlin = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'short',
    timeStyle: 'short',
  });
  expect(berlin.format(new Date(w.starts_at))).toBe(`${monday.split('-').reverse().join('/')}, 12:00`);
  expect(w.next?.starts_at).toBe(w.starts_at);

  // The list: its next occurrence as the browser shows times, and each of its days in the next 14.
  const row = page.locator('[data-window="Core upgrades"]');
  const nextText = await page.evaluate(
    (iso) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
    w.next!.starts_at,
  );
  await expect.poll(() => row.locator('[data-next]').textContent()).toBe(nextText);
  expect(await row.textContent()).toContain('Every week on Mon, Thu');
  expect(await row.textContent()).toContain('Whole organisation');
  const days = page.locator('[data-upcoming] section');
  const titles = await days.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  expect(titles.length).toBeGreaterThanOrEqual(3);
  for (const title of titles) expect(title).toMatch(/^(Monday|Thursday)/);
  // The first day listed is the window's first occurrence.
  expect(await days.first().getAttribute('data-day')).toBe(monday);
  expect(await page.locator('[data-open-windows]').textContent()).toContain('No window is open');
  await expectAccessible(page, 'maintenance windows');
  await screenshot(page, 'maintenance');

  // Editing shows the window on its own clock.
  await row.getByRole('button', { name: 'Edit Core upgrades' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Core upgrades' });
  expect(await edit.getByLabel('Starts').inputValue()).toBe(`${monday}T12:00`);
  expect(await edit.getByLabel('Time zone').textContent()).toBe('Europe/Berlin');
  expect(await edit.getByRole('button', { name: 'Thu' }).getAttribute('aria-pressed')).toBe('true');
  // The series ends after its first Thursday: the calendar keeps that Monday and Thursday only.
  const thursday = new Date(Date.parse(monday) + 3 * DAY).toISOString().slice(0, 10);
  await edit.getByLabel('Until').fill(thursday);
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await expect.poll(() => row.textContent()).toContain(`Every week on Mon, Thu, until ${thursday}`);
  expect(await days.evaluateAll((els) => els.map((e) => e.getAttribute('data-day')))).toEqual([monday, thursday]);
});

test('a window open now on one chosen device is listed first; a viewer plans nothing', async ({
  org,
  signIn,
  addDevices,
}) => {
  const [d] = await addDevices(1, { reachable: false, prefix: 'edge' });
  const admin = await superAdminApi();
  await unwrap(
    admin.api.POST('/api/tenants/{tenant_id}/device-groups', {
      params: { path: { tenant_id: org.id } },
      body: { name: 'Backbone' },
    }),
  );
  const { page } = await signIn('operator');
  await page.goto('/maintenance?new=1');
  const dialog = page.getByRole('dialog', { name: 'New maintenance window' });
  await dialog.getByLabel('Name').fill('Fibre repair');
  await dialog.getByLabel('Time zone').click();
  await page.getByRole('option', { name: 'UTC', exact: true }).click();
  await dialog.getByLabel('Starts').fill(utcInput(Date.now() - 3_600_000));
  await dialog.getByLabel('Ends').fill(utcInput(Date.now() + 3 * 3_600_000));
  await dialog.getByRole('radio', { name: 'Chosen devices, groups or sites' }).click();
  // Nothing chosen yet: the form says so instead of sending.
  await dialog.getByRole('button', { name: 'Create window' }).click();
  await dialog.getByText('Choose what it covers, or the whole organisation.').waitFor();
  await dialog.getByLabel('Find a site, group, tag or device').fill('edge');
  await dialog.getByLabel(d!.name!).check();
  expect(await dialog.getByLabel('Backbone').count()).toBe(0);
  await dialog.getByRole('button', { name: 'Create window' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const open = page.locator('[data-open-windows] [data-slot="Fibre repair"]');
  await expect.poll(() => open.textContent()).toContain(`device ${d!.name}`);
  expect(await open.textContent()).toContain('Once');
  expect(await page.locator('[data-window="Fibre repair"]').textContent()).toContain('Open now');
  await expectAccessible(page, 'maintenance with an open window');

  const viewer = await signIn('viewer');
  await viewer.page.goto('/maintenance');
  await viewer.page.locator('[data-window="Fibre repair"]').waitFor();
  expect(await viewer.page.getByRole('button', { name: /^(New window|Edit|Delete)/ }).count()).toBe(0);
});
