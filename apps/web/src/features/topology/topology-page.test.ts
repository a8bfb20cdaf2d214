import { type Fleet, startFleet } from '@tod/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { unwrap } from '../../../test/support/api';
import { expectAccessible, screenshot } from '../../../test/support/browser';
import { expect, type Org, SIM, superAdminApi, test } from '../../../test/support/fixtures';
import { freePort } from '../../../test/support/tod';
import type { Device } from '../../api/devices';
import type { Topology } from '../../api/topology';

// The Topology page over simulated routers cabled in a chain, which report each other by MNDP, CDP and LLDP:
// three of the four are devices of the organisation, so the fourth is a neighbour TOD does not manage. An
// operator finds a router, reads its path from the core, focuses it, reads a link's evidence, moves the core,
// watches a router go offline and adopts the neighbour; a viewer sees devices without links and why, a status
// change without the graph being fetched again, and the site filter.

// Cabled in a chain: each router's last ethernet port to the next one's ether1.
let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    devices: 4,
    base: { users: [{ name: SIM.username, password: SIM.password }] },
    topology: 'chain',
  });
});
afterAll(() => fleet?.stop());

/** The first `n` routers of the chain as devices of `org`: router-1, router-2, … */
async function addRouters(org: Org, n: number): Promise<Device[]> {
  const { api } = await superAdminApi();
  const out: Device[] = [];
  for (const [i, r] of fleet.devices.slice(0, n).entries())
    out.push(
      await unwrap(
        api.POST('/api/tenants/{tenant_id}/devices', {
          params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
          body: { name: `router-${i + 1}`, host: r.address, port: r.port, tls_mode: 'plain', ...SIM },
        }),
      ),
    );
  return out;
}

/** A device nothing answers for (a closed port of its own) in `site`; a disabled one is not polled. */
async function addClosed(org: Org, name: string, siteId: string, disabled = false): Promise<Device> {
  const { api } = await superAdminApi();
  return unwrap(
    api.POST('/api/tenants/{tenant_id}/devices', {
      params: { path: { tenant_id: org.id }, query: { probe: 'false' } },
      body: { name, host: '127.0.0.1', port: await freePort(), tls_mode: 'plain', site_id: siteId, disabled, ...SIM },
    }),
  );
}

const graphOf = async (org: Org): Promise<Topology> =>
  unwrap(
    (await superAdminApi()).api.GET('/api/tenants/{tenant_id}/topology', { params: { path: { tenant_id: org.id } } }),
  );

/** The links of a graph as "a — b" by label, each pair in name order, sorted. */
const linksOf = (g: Topology) => {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  return g.edges.map((e) => [label.get(e.source), label.get(e.target)].sort().join(' — ')).sort();
};

/** Waits for the organisation's graph to have at least these links (the routers' first polls report them). */
async function waitForLinks(org: Org, links: string[]) {
  await expect
    .poll(async () => linksOf(await graphOf(org)), { timeout: 30_000, interval: 500 })
    .toEqual(expect.arrayContaining(links));
}

const node = (page: Page, label: string) => page.locator(`.react-flow__node [data-node="${label}"]`);
const nodeById = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] [data-node]`);
const shownNodes = (page: Page) =>
  page
    .locator('.react-flow__node [data-node]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-node')).sort());
const hops = (page: Page) =>
  page.locator('[data-upstream] [data-hop]').evaluateAll((els) => els.map((e) => e.getAttribute('data-hop')));

test('an operator finds a router, follows its path from the core, moves the core and adopts a neighbour', async ({
  org,
  signIn,
}) => {
  const [r1, r2, r3] = await addRouters(org, 3);
  // The fourth router, cabled to router-3, is a neighbour TOD does not manage, named by its identity.
  await waitForLinks(org, ['router-1 — router-2', 'router-2 — router-3', 'MikroTik — router-3']);
  // The middle of the chain is the core (named: TOD would otherwise infer one of the two middle routers).
  const { api } = await superAdminApi();
  const tenant = { tenant_id: org.id };
  await unwrap(
    api.PUT('/api/tenants/{tenant_id}/topology/cores', { params: { path: tenant }, body: { device_ids: [r2!.id] } }),
  );
  const seen = await graphOf(org);
  const neighbour = seen.nodes.find(
    (n) => !n.managed && seen.edges.some((e) => [e.source, e.target].sort().join() === [n.id, r3!.id].sort().join()),
  )!;
  expect(neighbour).toMatchObject({ label: 'MikroTik', status: 'unmanaged', address: expect.stringMatching(/^10\./) });
  const unmanaged = seen.nodes.filter((n) => !n.managed).length;

  const { page } = await signIn('operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topology' }).click();
  await page.getByRole('heading', { name: 'Topology', exact: true }).waitFor();
  await node(page, 'router-3').waitFor();
  expect(await shownNodes(page)).toEqual(seen.nodes.map((n) => n.label).sort());
  expect(await page.locator('.react-flow__node [data-status="unmanaged"]').count()).toBe(unmanaged);
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(seen.edges.length);
  expect(await page.locator('[data-counts]').textContent()).toBe(
    `3 devices · ${unmanaged} not in TOD · ${seen.edges.length} links`,
  );
  expect(await page.locator('[data-no-links]').count()).toBe(0);
  // The core at the top, marked; the others below it.
  const y = async (label: string) => (await node(page, label).boundingBox())!.y;
  expect(await y('router-2')).toBeLessThan(await y('router-1'));
  expect(await y('router-2')).toBeLessThan(await y('router-3'));
  await node(page, 'router-2').getByText('core', { exact: true }).waitFor();
  await expectAccessible(page, 'topology');
  await screenshot(page, 'topology');

  // Search: the router's details and its path from the core.
  await page.getByLabel('Find a device').fill('router-3');
  await page.getByLabel('Find a device').press('Enter');
  const panel = page.getByRole('complementary', { name: 'Details of router-3' });
  await panel.waitFor();
  await panel.getByText('Online').waitFor();
  await expect.poll(() => hops(page)).toEqual(['router-2', 'router-3']);
  await panel.getByText('1 hop from the core.').waitFor();
  expect(await panel.getByRole('link', { name: 'Open device' }).getAttribute('href')).toBe(`/devices/${r3!.id}`);

  // Focus: router-3 and the nodes one link away from it (as the server has them now), then everything again.
  await panel.getByRole('button', { name: 'Focus' }).click();
  await page.locator('[data-focus-banner]').getByText('Showing router-3 and its neighbours only.').waitFor();
  const now = await graphOf(org);
  const around = new Set([r3!.id]);
  for (const e of now.edges) if (e.source === r3!.id || e.target === r3!.id) around.add(e.source).add(e.target);
  const expected = now.nodes.filter((n) => around.has(n.id)).map((n) => n.label);
  expect(expected).toEqual(expect.arrayContaining(['router-2', 'router-3', neighbour.label]));
  expect(expected).not.toContain('router-1');
  await expect.poll(() => shownNodes(page)).toEqual(expected.sort());
  await page.getByRole('button', { name: 'Show everything' }).click();
  await expect.poll(async () => (await shownNodes(page)).length).toBeGreaterThanOrEqual(seen.nodes.length);

  // A link: its evidence, protocol by protocol, with the ports on each end.
  const link = page.getByRole('group', { name: /^Link (router-2 — router-3|router-3 — router-2): Up$/ });
  await link.focus();
  await link.press('Enter');
  const linkPanel = page.getByRole('complementary', { name: 'Details of the link' });
  await linkPanel.waitFor();
  const evidence = await linkPanel.locator('[data-evidence] tbody tr td:first-child').allTextContents();
  expect(new Set(evidence)).toEqual(new Set(['MNDP', 'CDP', 'LLDP']));
  await page.locator('[data-edge-label]').waitFor();
  await expectAccessible(page, 'topology with a link selected');

  // Moving the core to router-1: router-3's path now starts there.
  await node(page, 'router-2').click();
  const r2Panel = page.getByRole('complementary', { name: 'Details of router-2' });
  await r2Panel.getByRole('button', { name: 'Unmark as core' }).click();
  await page.getByText('router-2 is no longer a core', { exact: true }).waitFor();
  await node(page, 'router-1').click();
  const r1Panel = page.getByRole('complementary', { name: 'Details of router-1' });
  await r1Panel.getByRole('button', { name: 'Mark as core' }).click();
  await page.getByText('router-1 is a core', { exact: true }).waitFor();
  await node(page, 'router-1').getByText('core', { exact: true }).waitFor();
  await r1Panel.getByRole('button', { name: 'Unmark as core' }).waitFor();
  const cores = await unwrap(api.GET('/api/tenants/{tenant_id}/topology/cores', { params: { path: tenant } }));
  expect(cores.device_ids).toEqual([r1!.id]);
  await page.getByLabel('Find a device').fill('router-3');
  await page
    .getByRole('list', { name: 'Matching devices' })
    .getByRole('button', { name: /router-3/ })
    .click();
  await expect.poll(() => hops(page)).toEqual(['router-1', 'router-2', 'router-3']);

  // A router that stops answering turns red on the canvas.
  fleet.device(0).setFault({ refuse: true });
  try {
    await expect.poll(() => node(page, 'router-1').getAttribute('data-status'), { timeout: 20_000 }).toBe('offline');
  } finally {
    fleet.device(0).clearFaults();
  }

  // The neighbour TOD does not manage: what its neighbours say, and Adopt with the add-device form filled in.
  await nodeById(page, neighbour.id).click();
  const n = page.getByRole('complementary', { name: `Details of ${neighbour.label}` });
  await n.getByText(neighbour.mac!).waitFor();
  await n.getByText(neighbour.address!).waitFor();
  await screenshot(page, 'topology-neighbour');
  await n.getByRole('link', { name: 'Adopt' }).click();
  await page.getByRole('heading', { name: 'Add a device' }).waitFor();
  expect(await page.getByLabel('Address').inputValue()).toBe(neighbour.address);
  expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(neighbour.identity);
});

test('a viewer sees devices without links and why, a status change without a refetch, and the site filter', async ({
  org,
  signIn,
}) => {
  const { api } = await superAdminApi();
  const site = async (name: string) =>
    unwrap(api.POST('/api/tenants/{tenant_id}/sites', { params: { path: { tenant_id: org.id } }, body: { name } }));
  const [north, south] = [await site('North'), await site('South')];
  const closed = await addClosed(org, 'closed-1', north.id, true);
  await addClosed(org, 'far-1', south.id);

  const { page } = await signIn('viewer');
  const graphRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/topology')) graphRequests.push(r.url());
  });
  await page.goto('/topology');
  await node(page, 'far-1').waitFor();
  expect(await shownNodes(page)).toEqual(['closed-1', 'far-1']);
  const notice = page.locator('[data-no-links]');
  await notice.getByText('No links yet').waitFor();
  expect(await notice.textContent()).toContain('neighbour discovery (MNDP, CDP, LLDP) and wireless registrations');
  expect(await page.locator('[data-counts]').textContent()).toBe('2 devices · 0 links');
  await expectAccessible(page, 'topology without links');
  await screenshot(page, 'topology-no-links');

  // Enabled, closed-1 is polled and found offline: its node turns red from the poll result alone (device.state),
  // without the graph being fetched again.
  expect(await node(page, 'closed-1').getAttribute('data-status')).toBe('unknown');
  const fetched = graphRequests.length;
  await unwrap(
    api.PATCH('/api/tenants/{tenant_id}/devices/{device_id}', {
      params: { path: { tenant_id: org.id, device_id: closed.id } },
      body: { disabled: false },
    }),
  );
  await expect.poll(() => node(page, 'closed-1').getAttribute('data-status'), { timeout: 20_000 }).toBe('offline');
  expect(graphRequests.length).toBe(fetched);

  await page.getByLabel('Filter by site').click();
  await page.getByRole('option', { name: 'North' }).click();
  await expect.poll(() => shownNodes(page)).toEqual(['closed-1']);
  expect(new URL(page.url()).searchParams.get('site')).toBe(north.id);

  // A viewer reads; naming cores is an operator's.
  await node(page, 'closed-1').click();
  const panel = page.getByRole('complementary', { name: 'Details of closed-1' });
  await panel.getByText('No links to other devices yet.').waitFor();
  expect(await panel.getByRole('button', { name: 'Mark as core' }).count()).toBe(0);
  await panel.getByRole('link', { name: 'Open device' }).click();
  await page.waitForURL(new RegExp(`/devices/${closed.id}$`));
});
