// The Topology screen at 2,000 nodes, in headless Chromium against the real bundled `tod` (api role only): 1,900
// routers in a tree (fanout 4) and 100 unmanaged neighbours, with their links written straight into the database as
// ingest would store them. Measures navigation start to the first node drawn and to the link count shown (the
// whole graph laid out), cold (a fresh browser context) and warm. Last stdout line: one JSON object.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { startBenchPostgres, startTodProcess } from '../../server/bench/lib.js';
import { edgeId } from '../../server/src/features/topology/edge-id.js';
import { hashPassword } from '../../server/src/platform/auth/passwords.js';
import { migrate } from '../../server/src/platform/db/migrate.js';
import { enrolAccount, passwordSession, signInApi } from '../test/support/api.js';
import { launch, openSession } from '../test/support/browser.js';

const DEVICES = 1900;
const UNMANAGED = 100;
const FANOUT = 4;
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';

async function seedGraph(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tenant = (await c.query<{ id: string }>("insert into tenants (name) values ('Big WISP') returning id")).rows[0]!
    .id;
  await c.query(
    `insert into users (tenant_id, email, name, role, password_hash) values (null, 'bench@tod.test', 'Bench', 'super_admin', $1)`,
    [await hashPassword('bench-password-123')],
  );
  const ids = Array.from({ length: DEVICES }, () => randomUUID());
  await c.query(
    `insert into devices (id, tenant_id, name, host, port, username, password_enc, status)
     select x.id, $1, 'r-' || lpad(x.i::text, 4, '0'), '10.9.' || (x.i / 256) || '.' || (x.i % 256), 8728, 'admin', '\\x00',
            (array['online','online','online','degraded','offline'])[1 + x.i % 5]
       from unnest($2::uuid[]) with ordinality as x(id, i)`,
    [tenant, ids],
  );
  const now = new Date().toISOString();
  const edges: unknown[] = [];
  const edge = (a: string, b: string, protocol: string, unmanaged: unknown = null) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    edges.push({
      tenant_id: tenant,
      id: edgeId(x, y),
      node_a: x,
      node_b: y,
      device_a: x.startsWith('u:') ? null : x,
      device_b: y.startsWith('u:') ? null : y,
      evidence: [{ protocol, source_interface: 'ether2', target_interface: 'ether1', last_seen: now, gone_at: null }],
      up: true,
      last_seen: now,
      down_since: null,
      unmanaged,
    });
  };
  for (let i = 1; i < DEVICES; i++)
    edge(ids[Math.floor((i - 1) / FANOUT)]!, ids[i]!, i % 3 === 0 ? 'wireless' : 'lldp');
  for (let u = 0; u < UNMANAGED; u++) {
    const mac = `02:00:00:00:${(u >> 8).toString(16).padStart(2, '0')}:${(u & 255).toString(16).padStart(2, '0')}`;
    edge(ids[(u * 17) % DEVICES]!, `u:${mac.toUpperCase()}`, 'lldp', { mac, identity: `switch-${u}` });
  }
  await c.query(
    `insert into topology_edges (tenant_id, id, node_a, node_b, device_a, device_b, evidence, up, last_seen, down_since, unmanaged)
     select tenant_id, id, node_a, node_b, device_a, device_b, evidence, up, last_seen, down_since, unmanaged
       from json_to_recordset($1::json) as x(tenant_id uuid, id text, node_a text, node_b text, device_a uuid,
            device_b uuid, evidence jsonb, up boolean, last_seen timestamptz, down_since timestamptz, unmanaged jsonb)`,
    [JSON.stringify(edges)],
  );
  await c.query('insert into topology_roots (tenant_id, device_id) values ($1, $2)', [tenant, ids[0]]);
  await c.query('analyze');
  await c.end();
  return { tenant, edges: edges.length };
}

/** ms from navigation start until `selector` is in the page. */
async function timeTo(page: Page, url: string, selector: string) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { timeout: 120_000 });
  return Math.round(await page.evaluate(() => performance.now()));
}

async function main() {
  const db = await startBenchPostgres();
  let tod: Awaited<ReturnType<typeof startTodProcess>> | undefined;
  const browser = await launch();
  try {
    await migrate({ ownerUrl: db.url, appPassword: APP_PW, systemPassword: SYS_PW });
    const seeded = await seedGraph(db.url);
    tod = await startTodProcess({
      DATABASE_URL: db.url,
      DB_APP_PASSWORD: APP_PW,
      DB_SYSTEM_PASSWORD: SYS_PW,
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    });
    // Sign in as the browser would end up: enrolled (SRP), the organisation picked.
    const account = await enrolAccount(
      await passwordSession(tod.base, 'bench@tod.test', 'bench-password-123'),
      'bench@tod.test',
      'bench-passphrase-0123456789',
    );
    const session = await signInApi(tod.base, account);
    const s = await openSession(browser, tod.base, {
      storageState: {
        cookies: session.cookies(),
        origins: [{ origin: tod.base, localStorage: [{ name: 'tod.tenant', value: seeded.tenant }] }],
      },
    });
    s.context.setDefaultTimeout(120_000);
    const { page } = s;
    const cookies = await s.context.cookies();
    const cold = await browser.newContext({ baseURL: tod.base, viewport: { width: 1360, height: 860 } });
    await cold.addCookies(cookies);
    const coldPage = await cold.newPage();
    const coldFirst = await timeTo(coldPage, '/topology', '.react-flow__node [data-node]');
    await cold.close();
    const warmFirst: number[] = [];
    for (let i = 0; i < 3; i++) warmFirst.push(await timeTo(page, '/topology', '.react-flow__node [data-node]'));
    warmFirst.sort((a, b) => a - b);
    const counts = await page.locator('[data-counts]').textContent();
    const inDom = await page.locator('.react-flow__node').count();
    console.error(
      `topology: cold ${coldFirst} ms, warm ${warmFirst.join('/')} ms; ${counts}; ${inDom} nodes in the DOM`,
    );
    if (s.problems.length) console.error(`page problems: ${s.problems.join('; ')}`);
    console.log(
      JSON.stringify({
        bench: 'topology-ui',
        nodes: DEVICES + UNMANAGED,
        edges: seeded.edges,
        first_render_ms: { cold: coldFirst, warm_median: warmFirst[1], warm_runs: warmFirst },
        counts,
        nodes_in_dom: inDom,
      }),
    );
  } finally {
    await browser.close();
    await tod?.stop();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
