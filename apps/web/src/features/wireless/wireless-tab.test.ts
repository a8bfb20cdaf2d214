import { type Fleet, startFleet, wispWorld } from '@tod/simulator';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApiSession, enrolAccount, passwordSession, unwrap } from '../../../test/support/api';
import { expectAccessible, launch, openSession, type Session, screenshot } from '../../../test/support/browser';
import { FIRST_ADMIN, startTod, type Tod } from '../../../test/support/tod';
import type { Device } from '../../api/devices';

// A device's Wireless tab and a client's signal chart over a small simulated WISP (one sector AP, two CPEs), in a
// TOD of its own: the suite's server collects registrations every 5 minutes, and a chart needs several samples, so
// this one polls radios every 10 s (POLL_LINKS_INTERVAL_SECONDS' minimum). The sector degrades fast, so the AP
// shows up among the wireless issues.

const SIM = { username: 'admin', password: 'sim-password' };
const wisp = wispWorld({ towers: 1, sectorsPerTower: 1, cpesPerSector: 2, degradeDbPerHour: 3600 });
const [AP, CPE1, CPE2] = [2, 3, 4];
const name = (i: number) => wisp.specs[i]!.identity!;

let tod: Tod;
let browser: Browser;
let fleet: Fleet;
let admin: ApiSession;
let org: { id: string };
let session: Session | undefined;
let ap: Device;
let cpe1: Device;
let cpes: Device[];

async function addRouter(i: number): Promise<Device> {
  const r = fleet.devices[i]!;
  return unwrap(
    admin.api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
      body: { name: name(i), host: r.address, port: r.port, tls_mode: 'plain', ...SIM },
    }),
  );
}

const status = async (id: string) =>
  (
    await unwrap(
      admin.api.GET('/api/tenants/{tenant_id}/devices/{device_id}', {
        params: { path: { tenant_id: org.id, device_id: id } },
      }),
    )
  ).status;

beforeAll(async () => {
  [tod, browser, fleet] = await Promise.all([
    startTod({ POLL_LINKS_INTERVAL_SECONDS: '10' }),
    launch(),
    startFleet({
      specs: wisp.specs,
      base: { users: [{ name: SIM.username, password: SIM.password }] },
      topology: wisp.world,
    }),
  ]);
  admin = await passwordSession(tod.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password);
  await enrolAccount(admin, FIRST_ADMIN.email, 'mauve otter climbs 41 ladders');
  org = await unwrap(admin.api.POST('/api/tenants', { body: { name: 'Wireless ISP', description: 'e2e' } }));
  // The CPEs first: the AP's registrations name a managed device once TOD knows the CPE's interface MACs.
  cpes = [await addRouter(CPE1), await addRouter(CPE2)];
}, 180_000);

afterAll(async () => {
  const problems = session ? [...session.problems] : [];
  await session?.context.close();
  await browser?.close();
  await fleet?.stop();
  await tod?.stop();
  expect(problems, 'console errors, page errors or external requests').toEqual([]);
});

test('an operator reads an AP’s radios and clients, and a client’s signal chart', async () => {
  const tenant = org.id;
  for (const c of cpes) await expect.poll(() => status(c.id), { timeout: 30_000, interval: 500 }).toBe('online');
  cpe1 = cpes[0]!;
  ap = await addRouter(AP);
  // Three wireless polls of the AP (10 s apart) name the CPE and leave three samples of its signal.
  const regs = async () =>
    (
      await unwrap(
        admin.api.GET('/api/tenants/{tenant_id}/devices/{device_id}/registrations', {
          params: { path: { tenant_id: tenant, device_id: ap.id } },
        }),
      )
    ).items;
  await expect
    .poll(async () => (await regs()).find((r) => r.peer_device_id === cpe1.id)?.mac_address, { timeout: 60_000 })
    .toBeTruthy();
  const mac = (await regs()).find((r) => r.peer_device_id === cpe1.id)!.mac_address;
  const history = () =>
    unwrap(
      admin.api.GET('/api/tenants/{tenant_id}/devices/{device_id}/signal-history', {
        params: { path: { tenant_id: tenant, device_id: ap.id }, query: { mac_address: mac, range: '24h' } },
      }),
    );
  await expect
    .poll(async () => (await history()).points.length, { timeout: 60_000, interval: 2_000 })
    .toBeGreaterThanOrEqual(3);

  session = await openSession(browser, tod.baseUrl, {
    storageState: {
      cookies: admin.cookies(),
      origins: [{ origin: tod.baseUrl, localStorage: [{ name: 'tod.tenant', value: tenant }] }],
    },
  });
  const { page } = session;
  await page.goto(`/devices/${ap.id}`);
  const tab = page.getByRole('navigation', { name: 'Device sections' }).getByRole('link', { name: 'Wireless' });
  await tab.click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/devices/${ap.id}/wireless`);

  // The radio and its figures; both CPEs registered, by name, and nothing unknown.
  const radio = page.locator('[data-radios] [data-radio="wlan1"]');
  await radio.waitFor();
  expect(await radio.locator('td').nth(1).textContent()).toMatch(/ap-bridge|ap/);
  const clients = page.locator('[data-registrations="Registrations"] tr[data-registration]');
  await expect
    .poll(() => clients.locator('button').allTextContents())
    .toEqual(expect.arrayContaining([name(CPE1), name(CPE2)]));
  expect(await page.locator('[data-registrations="Unknown clients"]').count()).toBe(0);
  await expectAccessible(page, 'wireless tab');

  // The client's chart: signal with its min/max band, SNR and CCQ, one point per sample so far.
  await page.getByRole('button', { name: `Signal of ${name(CPE1)}` }).click();
  const panel = page.getByRole('region', { name: `Signal of ${name(CPE1)}` });
  await panel.getByText(mac).waitFor();
  const chart = panel.locator('[data-signal-chart]');
  await chart.waitFor();
  const shown = Number(await chart.getAttribute('data-points'));
  expect(shown).toBeGreaterThanOrEqual(3);
  expect(await chart.locator('[data-panel="signal"] [data-point]').count()).toBe(shown);
  expect(await chart.locator('[data-panel="signal"] [data-band]').count()).toBe(1);
  for (const p of ['snr', 'ccq'])
    expect(await chart.locator(`[data-panel="${p}"] [data-point]`).count()).toBeGreaterThan(0);
  const latest = (await history()).points.at(-1)!;
  expect(await chart.locator('[data-panel="signal"] figcaption').textContent()).toMatch(/latest -\d+ dBm/);
  expect(latest.signal).toBeLessThan(0);
  await expectAccessible(page, 'signal chart');
  await screenshot(page, 'wireless-signal');

  // Another window: 7 days reads the same samples (hourly once there are rollups) and redraws.
  const asked = page.waitForRequest((r) => r.url().includes('signal-history') && r.url().includes('range=7d'));
  await panel.getByRole('radio', { name: '7 days' }).click();
  await asked;
  expect(await panel.getByRole('radio', { name: '7 days' }).getAttribute('aria-checked')).toBe('true');

  // The CPE's own tab names its AP.
  await page.goto(`/devices/${cpe1.id}/wireless`);
  const up = page.locator('[data-registrations="Registrations"] tr[data-registration]').first();
  await up.getByText('AP (this device is its client)').waitFor();
  await up.getByText(name(AP)).waitFor();

  // The sector degrades at 1 dB a second: the AP joins the wireless issues, linked to its Wireless tab.
  const issues = async () =>
    (
      await unwrap(
        admin.api.GET('/api/tenants/{tenant_id}/fleet/wireless-issues', { params: { path: { tenant_id: tenant } } }),
      )
    ).items;
  await expect
    .poll(async () => (await issues()).map((i) => i.name), { timeout: 90_000, interval: 3_000 })
    .toContain(name(AP));
  await page.goto('/wireless');
  await page.getByRole('heading', { name: 'Wireless issues', exact: true }).waitFor();
  const row = page.locator(`[data-ap="${name(AP)}"]`);
  await row.waitFor();
  const expected = (await issues()).find((i) => i.name === name(AP))!;
  expect(await row.locator('[data-issue]').evaluateAll((els) => els.map((e) => e.getAttribute('data-issue')))).toEqual(
    expected.issues,
  );
  await expectAccessible(page, 'wireless issues');
  await screenshot(page, 'wireless-issues');
  await row.getByRole('link', { name: name(AP) }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/devices/${ap.id}/wireless`);
  await page.locator('[data-radios]').waitFor();
}, 240_000);
