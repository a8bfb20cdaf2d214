import { type Fleet, startFleet } from '@tod/simulator';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { baseUrl, expect, type Org, SIM, superAdminApi, test } from '../../../test/support/fixtures';
import { freePort } from '../../../test/support/tod';
import type { Device } from '../../api/devices';

// The Map page: the bundled base map drawn with nothing fetched from anywhere but TOD, a site and a device placed
// by typing and by a click on the map (their markers, and the link between two routers cabled together drawn
// between them), clustering of nearby devices, and the tile server setting kept in the browser.

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    devices: 2,
    base: { users: [{ name: SIM.username, password: SIM.password }] },
    topology: 'chain',
  });
});
afterAll(() => fleet?.stop());

const tenant = (org: Org) => ({ tenant_id: org.id });

async function addRouter(org: Org, i: number, extra: { site_id?: string } = {}): Promise<Device> {
  const { api } = await superAdminApi();
  const r = fleet.devices[i]!;
  return unwrap(
    api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: tenant(org), query: { probe: 'false' } },
      body: { name: `router-${i + 1}`, host: r.address, port: r.port, tls_mode: 'plain', ...SIM, ...extra },
    }),
  );
}

/** Every request the page makes, to check that none leaves TOD. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

const marker = (page: Page, kind: 'site' | 'device', name: string) =>
  page.locator(`[data-map] [data-${kind}="${name}"]`);

/** Where a marker is; one replaced between finding and measuring it is found again. */
async function boxOf(l: Locator) {
  for (let tries = 0; tries < 20; tries++) {
    await l.waitFor();
    const box = await l.boundingBox();
    if (box) return box;
  }
  throw new Error('the marker never stayed long enough to be measured');
}

test('an operator places a site by typing and a router by a click, and sees the link between them', async ({
  org,
  signIn,
}) => {
  const { api } = await superAdminApi();
  const tower = await unwrap(
    api.POST('/api/tenants/{tenant_id}/sites', { params: { path: tenant(org) }, body: { name: 'Tower A' } }),
  );
  const r1 = await addRouter(org, 0, { site_id: tower.id });
  const r2 = await addRouter(org, 1);
  // The two routers report each other: the link the map draws once both are placed.
  const linked = (e: { source: string; target: string }) =>
    [e.source, e.target].sort().join() === [r1.id, r2.id].sort().join();
  await expect
    .poll(
      async () =>
        (await unwrap(api.GET('/api/tenants/{tenant_id}/topology', { params: { path: tenant(org) } }))).edges.some(
          linked,
        ),
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);

  const { page } = await signIn('operator');
  const requests = recordRequests(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
  await page.getByRole('heading', { name: 'Map', exact: true }).waitFor();
  // The offline base map: Natural Earth's countries from TOD's own assets, drawn as vectors.
  await expect.poll(() => page.locator('[data-map] path.map-land').count(), { timeout: 20_000 }).toBeGreaterThan(100);
  expect(requests.some((u) => /\/assets\/countries-50m-[\w-]+\.json$/.test(u))).toBe(true);

  // Nothing is located yet: the panel lists the site and both routers.
  const unlocated = page.getByRole('complementary', { name: 'Not on the map' });
  await unlocated.getByText('1 site and 2 devices have no location yet.', { exact: false }).waitFor();
  expect(await page.locator('[data-map] .map-marker').count()).toBe(0);

  // The site, by typing its coordinates: its marker appears, standing for router-1.
  await unlocated.getByRole('button', { name: 'Tower A' }).click();
  const sitePanel = page.getByRole('complementary', { name: 'Details of Tower A' });
  await sitePanel.getByRole('button', { name: 'Set location' }).click();
  await sitePanel.getByLabel('Latitude').fill('47.3769');
  await sitePanel.getByLabel('Longitude').fill('8.5417');
  await sitePanel.getByRole('button', { name: 'Save location' }).click();
  await page.getByText('Location saved', { exact: true }).waitFor();
  const site = marker(page, 'site', 'Tower A');
  await site.waitFor();
  expect(await site.textContent()).toBe('1');
  await expect.poll(() => site.getAttribute('data-status'), { timeout: 20_000 }).toBe('online');
  const saved = await unwrap(
    api.GET('/api/tenants/{tenant_id}/sites/{id}', { params: { path: { ...tenant(org), id: tower.id } } }),
  );
  expect([saved.latitude, saved.longitude]).toEqual([47.3769, 8.5417]);
  await sitePanel.getByText('47.37690, 8.54170').waitFor();

  // router-2 by a click on the map east of the site: its own marker, and the link between the two.
  await sitePanel.getByRole('button', { name: 'Close details' }).click();
  await unlocated.getByRole('button', { name: 'router-2' }).click();
  const devicePanel = page.getByRole('complementary', { name: 'Details of router-2' });
  await devicePanel.getByRole('button', { name: 'Set location' }).click();
  await devicePanel.getByRole('button', { name: 'Click the map to place it' }).waitFor();
  // A marker is replaced when its look changes (a status arriving): measure the one that is there now.
  const at = await boxOf(site);
  await page.mouse.click(at.x + at.width / 2 + 160, at.y + at.height / 2 + 40);
  await expect.poll(() => devicePanel.getByLabel('Latitude').inputValue()).not.toBe('');
  await devicePanel.getByRole('button', { name: 'Save location' }).click();
  const router2 = marker(page, 'device', 'router-2');
  await router2.waitFor();
  await expect.poll(() => page.locator('[data-map] path.map-link').count()).toBe(1);
  const placed = await unwrap(
    api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
      params: { path: { ...tenant(org), device_id: r2.id } },
    }),
  );
  // East of the site, a little south: on this zoom, well within a degree.
  expect(placed.longitude! - 8.5417).toBeGreaterThan(0);
  expect(Math.abs(placed.latitude! - 47.3769)).toBeLessThan(1);

  // The site's marker opens its details with the device drawn there. A status arriving redraws a marker; a click
  // whose press and release straddle that redraw is lost (CI saw it once in a while), and a person clicks again.
  const atSite = sitePanel
    .getByRole('region', { name: 'Devices at this site' })
    .getByRole('button', { name: /router-1/ });
  for (let tries = 1; ; tries++) {
    await site.click();
    const shown = await atSite.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (tries === 3)
      throw new Error(`no router-1 at the site after 3 clicks; panels: ${await page.locator('aside').allInnerTexts()}`);
  }
  await expectAccessible(page, 'map');
  await screenshot(page, 'map');
  // Nothing left TOD: no tile server, no CDN.
  expect(requests.filter((u) => !u.startsWith(baseUrl) && !u.startsWith('data:'))).toEqual([]);
});

test('a viewer sees nearby devices clustered, cannot move them, and keeps a tile server in the browser', async ({
  org,
  signIn,
}) => {
  const { api } = await superAdminApi();
  const spots = [
    [46.948, 7.4474],
    [46.9481, 7.4476],
    [46.9479, 7.4478],
  ];
  for (const [i, [lat, lon]] of spots.entries())
    await unwrap(
      api.POST('/api/tenants/{tenant_id}/devices', {
        params: { path: tenant(org), query: { probe: 'false' } },
        body: {
          name: `cpe-${i + 1}`,
          host: '127.0.0.1',
          port: await freePort(),
          tls_mode: 'plain',
          latitude: lat!,
          longitude: lon!,
          ...SIM,
        },
      }),
    );

  const { page } = await signIn('viewer');
  const requests = recordRequests(page);
  await page.goto('/map');
  // Fitted to the three (a few dozen metres apart): one cluster of three, in the worst status among them.
  const clusterMarker = page.locator('[data-map] [data-cluster="3"]');
  await clusterMarker.waitFor();
  expect(await clusterMarker.textContent()).toBe('3');
  await clusterMarker.click();
  await expect.poll(() => page.locator('[data-map] .map-device').count()).toBe(3);
  await marker(page, 'device', 'cpe-1').click();
  const panel = page.getByRole('complementary', { name: 'Details of cpe-1' });
  await panel.getByText('46.94800, 7.44740').waitFor();
  // Placing things is an operator's.
  expect(await panel.getByRole('button', { name: /Set location|Move/ }).count()).toBe(0);
  await expect
    .poll(() => marker(page, 'device', 'cpe-1').getAttribute('data-status'), { timeout: 20_000 })
    .toBe('offline');
  await expectAccessible(page, 'map with a device selected');

  // A tile server on TOD's own address (what the page's CSP allows): tiles are asked of it, not of anyone else.
  await page.getByRole('button', { name: 'Base map' }).click();
  const dialog = page.getByRole('dialog', { name: 'Base map' });
  await dialog.getByLabel('A tile server').check();
  await dialog.getByLabel('Tile URL template').fill('/tiles/{z}/{x}');
  await dialog.getByRole('button', { name: 'Use this base map' }).click();
  await dialog.getByText('The template needs {y}.').waitFor();
  await dialog.getByLabel('Tile URL template').fill('/tiles/{z}/{x}/{y}.png');
  await dialog.getByRole('button', { name: 'Use this base map' }).click();
  await expect.poll(() => requests.filter((u) => u.startsWith(`${baseUrl}/tiles/`)).length).toBeGreaterThan(0);
  await expect.poll(() => page.locator('[data-map] path.map-land').count()).toBe(0);
  // Remembered in this browser.
  await page.reload();
  await page.locator('[data-map] .leaflet-tile').first().waitFor({ state: 'attached' });
  expect(await page.locator('[data-map] path.map-land').count()).toBe(0);
  await page.getByRole('button', { name: 'Base map' }).click();
  await dialog.getByLabel('Country outlines (built in, offline)').check();
  await dialog.getByRole('button', { name: 'Use this base map' }).click();
  await expect.poll(() => page.locator('[data-map] path.map-land').count(), { timeout: 20_000 }).toBeGreaterThan(100);
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom out' }).click();
  await screenshot(page, 'map-outlines');
  expect(requests.filter((u) => !u.startsWith(baseUrl) && !u.startsWith('data:'))).toEqual([]);
});
