import { type Fleet, startFleet, wispWorld } from '@tod/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, type Org, SIM, superAdminApi, test } from '../../../test/support/fixtures';
import type { Device } from '../../api/devices';

// The site page over a small simulated WISP: a core, one tower, one sector AP and two CPEs associated with it. An
// operator opens the site from the sites list, assigns the AP and CPEs, describes the AP's sector (drawn from above),
// puts a CPE in it, reads the site's health and wireless link, adds a site alert rule and removes a device; a viewer
// reads the same page without a single write button.

const wisp = wispWorld({ towers: 1, sectorsPerTower: 1, cpesPerSector: 2 });
const [AP, CPE1, CPE2] = [2, 3, 4];
let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    specs: wisp.specs,
    base: { users: [{ name: SIM.username, password: SIM.password }] },
    topology: wisp.world,
  });
});
afterAll(() => fleet?.stop());

/** The simulated routers at `indexes` as devices of `org`, named by their identity (t1-sector-1, t1s1-cpe-1, …). */
async function addRouters(org: Org, indexes: number[]): Promise<Device[]> {
  const { api } = await superAdminApi();
  const out: Device[] = [];
  for (const i of indexes) {
    const r = fleet.devices[i]!;
    out.push(
      await unwrap(
        api.POST('/api/tenants/{tenant_id}/devices', {
          params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
          body: { name: wisp.specs[i]!.identity!, host: r.address, port: r.port, tls_mode: 'plain', ...SIM },
        }),
      ),
    );
  }
  return out;
}

async function createSite(org: Org, name: string) {
  const { api } = await superAdminApi();
  return unwrap(
    api.POST('/api/tenants/{tenant_id}/sites', {
      params: { path: { tenant_id: org.id } },
      body: { name, address: '1 Hill Road', latitude: -33.9, longitude: 18.4 },
    }),
  );
}

const deviceRows = (page: Page) =>
  page
    .locator('[data-site-devices] tr[data-device]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-device')));
const figure = (page: Page, name: string) => page.locator(`[data-health] [data-figure="${name}"] dd`).textContent();

test('an operator builds a site: devices, a sector with its AP, a CPE in it, health, links and a site rule', async ({
  org,
  signIn,
}) => {
  const site = await createSite(org, 'Hilltop');
  // The CPEs first: the AP's registrations name a managed device once TOD knows the CPE's interface MACs.
  const [cpe1, cpe2] = await addRouters(org, [CPE1, CPE2]);
  const { api } = await superAdminApi();
  const status = async (id: string) =>
    (
      await unwrap(
        api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
          params: { path: { tenant_id: org.id, device_id: id } },
        }),
      )
    ).status;
  for (const c of [cpe1!, cpe2!])
    await expect.poll(() => status(c.id), { timeout: 30_000, interval: 500 }).toBe('online');
  const [ap] = await addRouters(org, [AP]);

  const { page } = await signIn('operator');
  await page.goto('/sites');
  await page.getByRole('link', { name: 'Hilltop' }).click();
  await page.waitForURL(new RegExp(`/sites/${site.id}$`));
  await page.getByRole('heading', { name: 'Hilltop', exact: true }).waitFor();
  await page.getByText('No devices at this site').waitFor();
  await page.getByText('No sectors yet').waitFor();

  // Assign the AP and both CPEs in one bulk-assign, picked from the organisation's devices.
  await page.getByRole('button', { name: 'Add devices' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add devices to the site' });
  for (const d of [ap!, cpe1!, cpe2!]) await dialog.getByLabel(new RegExp(`^${d.name}`)).check();
  await dialog.getByRole('button', { name: 'Add 3 devices' }).click();
  await page.getByText('3 devices assigned', { exact: true }).waitFor();
  await expect.poll(() => deviceRows(page)).toEqual([ap!.name, cpe1!.name, cpe2!.name].sort());

  // A sector facing east, 60° wide, served by the AP.
  await page.getByRole('button', { name: 'New sector' }).click();
  const form = page.getByRole('dialog', { name: 'New sector' });
  await form.getByLabel('Name').fill('East');
  await form.getByLabel('Azimuth (°)').fill('90');
  await form.getByLabel('Width (°)').fill('400');
  await form.getByLabel('Frequency (MHz)').fill('5180');
  await form.getByLabel('AP', { exact: true }).click();
  await page.getByRole('option', { name: ap!.name }).click();
  // Out of range: the server's error on its field, the dialog stays.
  await form.getByRole('button', { name: 'Create sector' }).click();
  await form.locator('#sector-width-error').waitFor();
  await form.getByLabel('Width (°)').fill('60');
  await form.getByRole('button', { name: 'Create sector' }).click();
  await page.getByText('Sector East created', { exact: true }).waitFor();
  const row = page.locator('[data-sector-row="East"]');
  await row.getByText('5180 MHz').waitFor();
  await row.getByText(ap!.name!).waitFor();
  const wedge = page.locator('[data-sector-diagram] [data-wedge="East"]');
  expect([await wedge.getAttribute('data-azimuth'), await wedge.getAttribute('data-width')]).toEqual(['90', '60']);

  // The first CPE goes into the sector.
  await page.getByLabel(`Sector of ${cpe1!.name}`).click();
  await page.getByRole('option', { name: 'East' }).click();
  await page.getByText('Sector set to East', { exact: true }).waitFor();
  const sectors = await unwrap(
    api.GET('/api/tenants/{tenant_id}/sites/{site_id}/sectors', {
      params: { path: { tenant_id: org.id, site_id: site.id } },
    }),
  );
  const east = sectors.items[0]!;
  const cpeNow = await unwrap(
    api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
      params: { path: { tenant_id: org.id, device_id: cpe1!.id } },
    }),
  );
  expect(cpeNow.sector_id).toBe(east.id);
  await expect.poll(() => row.locator('td').nth(5).textContent()).toBe('1');

  // Health: the three polled online (the page follows the live stream and refetches the roll-up).
  await expect
    .poll(
      async () => {
        await page.reload();
        return figure(page, 'online');
      },
      { timeout: 30_000, interval: 2_000 },
    )
    .toBe('3');
  expect(await figure(page, 'offline')).toBe('0');

  // The AP's registrations name both CPEs: two active links with their signal.
  const links = page.locator('[data-site-links] tr[data-link]');
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.locator('[data-site-links]').waitFor();
        return links.evaluateAll((els) => els.map((e) => e.getAttribute('data-link')).sort());
      },
      { timeout: 30_000, interval: 2_000 },
    )
    .toEqual([`${ap!.name} → ${cpe1!.name}`, `${ap!.name} → ${cpe2!.name}`]);
  expect(await links.first().locator('[data-state]').getAttribute('data-state')).toMatch(/^(active|degraded)$/);
  expect(await links.first().locator('td').nth(3).textContent()).toMatch(/^-\d+ dBm$/);
  await expectAccessible(page, 'site page');
  await screenshot(page, 'site');

  // A site rule: half the site offline, on the whole site.
  await page.getByRole('button', { name: 'New rule' }).click();
  const rule = page.getByRole('dialog', { name: 'New site alert rule' });
  await rule.getByLabel('Name').fill('Half the site down');
  await expectAccessible(page, 'site rule dialog');
  await rule.getByRole('button', { name: 'Create rule' }).click();
  await page.getByText('Rule Half the site down created', { exact: true }).waitFor();
  const ruleRow = page.locator('[data-rule="Half the site down"]');
  await ruleRow.getByText('The whole site').waitFor();
  const rules = await unwrap(
    api.GET('/api/tenants/{tenant_id}/sites/{site_id}/alert-rules', {
      params: { path: { tenant_id: org.id, site_id: site.id } },
    }),
  );
  expect(rules.items.map((r) => [r.name, r.metric, r.scope])).toEqual([
    ['Half the site down', 'site_offline_pct', { kind: 'site', id: site.id }],
  ]);

  // Edit the sector wider; remove the second CPE from the site.
  await row.getByRole('button', { name: 'Edit East' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit East' });
  await edit.getByLabel('Width (°)').fill('120');
  await edit.getByRole('button', { name: 'Save sector' }).click();
  await page.getByText('Sector East saved', { exact: true }).waitFor();
  await expect.poll(() => wedge.getAttribute('data-width')).toBe('120');
  await page.getByRole('button', { name: `Remove ${cpe2!.name} from the site` }).click();
  await page.getByText(`${cpe2!.name} removed from the site`, { exact: true }).waitFor();
  await expect.poll(() => deviceRows(page)).toEqual([ap!.name, cpe1!.name].sort());
}, 150_000);

test('a viewer reads a site without write buttons', async ({ org, signIn }) => {
  const site = await createSite(org, 'Valley');
  const [ap, cpe] = await addRouters(org, [AP, CPE1]);
  const { api } = await superAdminApi();
  const path = { tenant_id: org.id, site_id: site.id };
  await unwrap(
    api.POST('/api/tenants/{tenant_id}/sites/{site_id}/devices/bulk-assign', {
      params: { path },
      body: { device_ids: [ap!.id, cpe!.id] },
    }),
  );
  const sector = await unwrap(
    api.POST('/api/tenants/{tenant_id}/sites/{site_id}/sectors', {
      params: { path },
      body: { name: 'West', azimuth: 270, width: 90, frequency: null, ap_device_id: ap!.id, notes: '' },
    }),
  );
  await unwrap(
    api.PUT('/api/tenants/{tenant_id}/devices/{device_id}/sector', {
      params: { path: { tenant_id: org.id, device_id: cpe!.id } },
      body: { sector_id: sector.id },
    }),
  );

  const { page } = await signIn('viewer');
  await page.goto(`/sites/${site.id}`);
  await page.getByRole('heading', { name: 'Valley', exact: true }).waitFor();
  await page.locator('[data-sector-diagram] [data-wedge="West"]').waitFor();
  await expect.poll(() => deviceRows(page)).toEqual([ap!.name, cpe!.name].sort());
  expect(await page.locator(`[data-device="${cpe!.name}"] [data-sector]`).textContent()).toBe('West');
  // Open alerts counted in the roll-up are the ones listed (default rules may have fired on the routers).
  const open = await page.locator('[data-site-alerts] [data-alert]').count();
  expect(await figure(page, 'alerts')).toBe(String(open));
  for (const name of ['Add devices', 'New sector', 'New rule', 'Edit West', 'Delete West'])
    expect(await page.getByRole('button', { name }).count(), name).toBe(0);
  expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(0);
  await expectAccessible(page, 'site page for a viewer');
  await screenshot(page, 'site-viewer');
});
