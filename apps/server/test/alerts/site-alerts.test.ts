import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsFeature } from '../../src/features/alerts/alerts.feature.js';
import { evaluateSites } from '../../src/features/alerts/site-evaluate.js';
import { writeResults } from '../../src/features/ingest/ingest.batch.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { consumeWireless } from '../../src/features/wireless/consume.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { insertDevice, pollResult } from '../helpers/poll-result.js';
import { type Seed, seed } from '../helpers/seed.js';
import { waitUntil } from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

// Site alerts: rules over a site's or a sector's devices (offline share and count, average client signal, clients
// dropped against an hour ago), managed under /sites/{site_id}/alert-rules and evaluated by the worker's schedule
// (called here directly, with chosen times) on what ingest wrote: device status from poll results, registrations
// through the wireless consumer, signal rows. Notifications go through the real outbox to a webhook on loopback.

let ctx: TestContext;
let s: Seed;
let op: Api;
let viewer: Api;
let admin: Api;
let base: string;
let hook: Receiver;
let sender: { stop: () => Promise<unknown> };

beforeAll(async () => {
  ctx = await createTestContext({ NOTIFY_RETRY_BASE_SECONDS: '1' });
  s = await seed(ctx);
  op = apiAs(ctx, s, 'operator');
  viewer = apiAs(ctx, s, 'viewer');
  admin = apiAs(ctx, s, 'admin');
  base = `/api/tenants/${s.a.id}`;
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }), { behindDays: 1 });
  await withSystem(ctx.pools.system, (db) => db.query('delete from alert_rules'));
  hook = await startReceiver();
  sender = ctx.services.alerts.delivery.start(200);
}, 60_000);
afterAll(async () => {
  await sender?.stop();
  await hook?.close();
  await ctx?.close();
});

// Evaluations a minute apart, as the schedule runs them.
let clock = Date.now();
const tick = () => {
  clock += 60_000;
  return new Date(clock);
};
const evaluate = (at: Date) =>
  withSystem(ctx.pools.system, (db) => evaluateSites(db, ctx.services.alerts.siteDeps, at));
const ingest = async (results: PollResult[]) => {
  const w = await writeResults(ctx.pools.system, results, [{ name: 'wireless', consume: consumeWireless }]);
  expect(w.failedConsumers).toEqual([]);
};
const sql = (text: string, params: unknown[] = []) => withSystem(ctx.pools.system, (db) => db.query(text, params));

const newSite = async (tenant = s.a) => (await factories(ctx, s, tenant).site()).id;
async function newSector(siteId: string, apDeviceId: string | null = null) {
  const r = await op.post(`${base}/sites/${siteId}/sectors`, {
    name: `sec-${randomUUID().slice(0, 8)}`,
    azimuth: 90,
    width: 60,
    ap_device_id: apDeviceId,
  });
  return expectStatus<{ id: string }>(r, 201).id;
}
/** Devices placed in a site (and a sector) directly: the sites feature's own tests cover assignment. */
async function devicesIn(siteId: string, n: number, sectorId: string | null = null) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await insertDevice(ctx, s.a.id));
  await sql('update devices set site_id = $1, sector_id = $2 where id = any($3::uuid[])', [siteId, sectorId, ids]);
  return ids;
}
const rulesUrl = (siteId: string) => `${base}/sites/${siteId}/alert-rules`;
const siteRule = async (siteId: string, body: Record<string, unknown>) =>
  expectStatus<{ id: string; scope: { kind: string; id: string } }>(await op.post(rulesUrl(siteId), body), 201);

type SiteAlert = {
  id: string;
  owner: string;
  state: string;
  device_id: string | null;
  device_name: string;
  site_id: string | null;
  site_name: string | null;
  sector_id: string | null;
  sector_name: string | null;
  value: number | null;
  last_value: number | null;
  in_maintenance: boolean;
  deliveries?: Array<{ transition: string; state: string; hold_reason: string | null }>;
};
const siteAlerts = async (siteId: string, q = '') =>
  expectStatus<{ items: SiteAlert[]; next_cursor: string | null }>(
    await viewer.get(`${base}/sites/${siteId}/alert-events?${q}`),
    200,
  );

const reg = (mac: string, signal: number) => ({
  interface: 'wlan1',
  'mac-address': mac,
  'signal-strength': `${signal}@6Mbps`,
  'tx-ccq': '80',
});
const macOf = (n: number) => `4C:5E:0C:30:00:${n.toString(16).toUpperCase().padStart(2, '0')}`;

describe('site alert rules', () => {
  it('lists site metrics apart from device metrics', async () => {
    const m = expectStatus<{ items: Array<{ metric: string; scope: string; unit: string | null }> }>(
      await viewer.get(`${base}/alert-metrics`),
      200,
    ).items;
    const site = m.filter((x) => x.scope === 'site').map((x) => x.metric);
    expect(site.sort()).toEqual([
      'sector_avg_signal',
      'site_client_drop_pct',
      'site_offline_count',
      'site_offline_pct',
    ]);
    expect(m.find((x) => x.metric === 'cpu_load')?.scope).toBe('device');
    expect(m.find((x) => x.metric === 'sector_avg_signal')?.unit).toBe('dBm');
  });

  it('creates, lists, replaces and deletes the rules of a site and its sectors, by role', async () => {
    const site = await newSite();
    const other = await newSite();
    const sector = await newSector(site);
    const foreignSector = await newSector(other);

    // The scope defaults to the site; a sector of the site may be named instead.
    const onSite = await siteRule(site, {
      name: 'Tower down',
      metric: 'site_offline_pct',
      operator: '>',
      threshold: 40,
    });
    expect(onSite.scope).toEqual({ kind: 'site', id: site });
    const onSector = await siteRule(site, {
      name: 'Weak sector',
      metric: 'sector_avg_signal',
      operator: '<',
      threshold: -75,
      scope: { kind: 'sector', id: sector },
    });
    expect(onSector.scope).toEqual({ kind: 'sector', id: sector });
    await siteRule(other, { name: 'Other tower', metric: 'site_offline_count', operator: '>=', threshold: 1 });
    // A device metric scoped to the site (the generic route) is a device rule: not listed here.
    expectStatus(
      await op.post(`${base}/alert-rules`, {
        name: 'CPU at the tower',
        metric: 'cpu_load',
        operator: '>',
        threshold: 90,
        scope: { kind: 'site', id: site },
      }),
      201,
    );

    const list = expectStatus<{ items: Array<{ id: string; name: string }>; total: number }>(
      await viewer.get(rulesUrl(site)),
      200,
    );
    expect(list.items.map((r) => r.name)).toEqual(['Tower down', 'Weak sector']);
    expect(list.total).toBe(2);
    const one = expectStatus<{ id: string; policies: { update: boolean } }>(
      await viewer.get(`${rulesUrl(site)}/${onSector.id}`),
      200,
    );
    expect(one.policies.update).toBe(false);
    // A rule of another site is not this site's.
    expect((await viewer.get(`${rulesUrl(other)}/${onSite.id}`)).statusCode).toBe(404);

    // PUT replaces the whole rule: what the body leaves out takes its default.
    expectStatus(
      await op.put(`${rulesUrl(site)}/${onSite.id}`, {
        name: 'Tower down',
        metric: 'site_offline_pct',
        operator: '>',
        threshold: 40,
        duration_polls: 3,
        severity: 'critical',
      }),
      200,
    );
    const replaced = expectStatus<{ threshold: number; duration_polls: number; severity: string; scope: unknown }>(
      await op.put(`${rulesUrl(site)}/${onSite.id}`, {
        name: 'Tower mostly down',
        metric: 'site_offline_pct',
        operator: '>=',
        threshold: 60,
      }),
      200,
    );
    expect(replaced).toMatchObject({
      threshold: 60,
      duration_polls: 1,
      severity: 'warning',
      scope: { kind: 'site', id: site },
    });

    // Roles: viewers read, operators write.
    expect(
      (await viewer.post(rulesUrl(site), { name: 'x', metric: 'site_offline_pct', operator: '>', threshold: 1 }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await viewer.put(`${rulesUrl(site)}/${onSite.id}`, {
          name: 'x',
          metric: 'site_offline_pct',
          operator: '>',
          threshold: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect((await viewer.delete(`${rulesUrl(site)}/${onSite.id}`)).statusCode).toBe(403);
    expect((await op.delete(`${rulesUrl(other)}/${onSite.id}`)).statusCode).toBe(404);
    expect((await op.delete(`${rulesUrl(site)}/${onSite.id}`)).statusCode).toBe(204);
    expect((await viewer.get(`${rulesUrl(site)}/${onSite.id}`)).statusCode).toBe(404);
    expect((await admin.get(`${base}/alert-rules/${onSite.id}`)).statusCode).toBe(404);

    // Sector of another site: refused.
    const wrong = await op.post(rulesUrl(site), {
      name: 'x',
      metric: 'sector_avg_signal',
      operator: '<',
      threshold: -70,
      scope: { kind: 'sector', id: foreignSector },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('scope_not_found');
  });

  it('refuses device metrics on site routes and site metrics outside a site or sector', async () => {
    const site = await newSite();
    const bad = async (url: string, body: Record<string, unknown>, code: string, method: 'post' | 'put' = 'post') => {
      const r = await op[method](url, { name: 'x', operator: '>', threshold: 1, ...body });
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe(code);
    };
    await bad(rulesUrl(site), { metric: 'cpu_load' }, 'invalid_rule');
    await bad(rulesUrl(site), { metric: 'site_offline_pct', scope: { kind: 'organisation' } }, 'invalid_rule');
    await bad(
      rulesUrl(site),
      { metric: 'site_offline_pct', scope: { kind: 'site', id: await newSite() } },
      'invalid_rule',
    );
    await bad(
      rulesUrl(site),
      { metric: 'site_offline_pct', scope: { kind: 'device', id: randomUUID() } },
      'invalid_rule',
    );
    await bad(rulesUrl(site), { metric: 'nope' }, 'validation_failed');
    await bad(rulesUrl(site), { metric: 'site_offline_pct', threshold: 'high' }, 'validation_failed');
    await bad(`${base}/alert-rules`, { metric: 'site_offline_pct' }, 'invalid_rule');
    await bad(
      `${base}/alert-rules`,
      { metric: 'site_client_drop_pct', scope: { kind: 'group', id: randomUUID() } },
      'scope_not_found',
    );
    const rule = await siteRule(site, { name: 'Down', metric: 'site_offline_count', operator: '>', threshold: 1 });
    await bad(`${rulesUrl(site)}/${rule.id}`, { metric: 'cpu_load' }, 'invalid_rule', 'put');
    // The generic PATCH keeps a site metric on a site or sector.
    const patch = await op.patch(`${base}/alert-rules/${rule.id}`, { scope: { kind: 'organisation' } });
    expect(patch.statusCode).toBe(422);
    expect(patch.json().code).toBe('invalid_rule');
    expect((await op.get(`${base}/sites/not-a-uuid/alert-rules`)).statusCode).toBe(422);
    expect((await op.get(`${base}/sites/${randomUUID()}/alert-rules`)).statusCode).toBe(404);
    expect(
      (await op.post(rulesUrl(randomUUID()), { name: 'x', metric: 'site_offline_pct', operator: '>', threshold: 1 }))
        .statusCode,
    ).toBe(404);
    expect((await op.get(`${base}/sites/${randomUUID()}/alert-events`)).statusCode).toBe(404);
  });

  it("another organisation's site is 404 on every site alert route, its rules untouched", async () => {
    const theirs = await newSite(s.b);
    const theirRule = expectStatus<{ id: string }>(
      await apiAs(ctx, s, 'operator', s.b).post(`/api/tenants/${s.b.id}/sites/${theirs}/alert-rules`, {
        name: 'Theirs',
        metric: 'site_offline_pct',
        operator: '>',
        threshold: 10,
      }),
      201,
    );
    const body = { name: 'x', metric: 'site_offline_pct', operator: '>', threshold: 1 };
    for (const r of [
      await op.get(rulesUrl(theirs)),
      await op.post(rulesUrl(theirs), body),
      await op.get(`${rulesUrl(theirs)}/${theirRule.id}`),
      await op.put(`${rulesUrl(theirs)}/${theirRule.id}`, body),
      await op.delete(`${rulesUrl(theirs)}/${theirRule.id}`),
      await op.get(`${base}/sites/${theirs}/alert-events`),
    ]) {
      expect(r.statusCode, r.body).toBe(404);
      expect(r.body).not.toContain('Theirs');
    }
    const still = await sql('select threshold from alert_rules where id = $1', [theirRule.id]);
    expect(still.rows[0].threshold).toBe(10);
  });

  it('the schedule evaluates site rules once a minute', () => {
    const schedules = alertsFeature.schedules!({ pools: ctx.pools, service: ctx.services.alerts } as never);
    expect(schedules.find((x) => x.name === 'alerts.site_evaluation')?.everyMs).toBe(60_000);
  });
});

describe('site alert evaluation', () => {
  it('fires when 2 of a site’s 4 devices go offline, notifies the webhook with the site named, resolves when they return', async () => {
    const channel = expectStatus<{ id: string }>(
      await admin.post(`${base}/notification-channels`, {
        name: 'noc hook',
        kind: 'webhook',
        config: { url: hook.url('/site') },
        severities: ['critical'],
        template: null,
        enabled: true,
      }),
      201,
    );
    const site = await newSite();
    await sql(`update sites set name = 'Tower North' where id = $1`, [site]);
    const devices = await devicesIn(site, 4);
    const rule = await siteRule(site, {
      name: 'Tower down',
      metric: 'site_offline_pct',
      operator: '>',
      threshold: 40,
      duration_polls: 2,
      severity: 'critical',
      channel_ids: [channel.id],
    });
    const poll = (at: Date, offline: string[]) =>
      ingest(
        devices.map((d) =>
          offline.includes(d)
            ? pollResult(s.a.id, d, { at, status: 'offline', statusReason: 'timeout', health: null, interfaces: null })
            : pollResult(s.a.id, d, { at }),
        ),
      );

    let at = tick();
    await poll(at, []);
    expect(await evaluate(at)).toMatchObject({ opened: 0 });
    // One of four (25%) is not enough.
    at = tick();
    await poll(at, [devices[0]!]);
    await evaluate(at);
    // Two of four (50%): fires after its second evaluation (duration_polls 2).
    at = tick();
    await poll(at, [devices[0]!, devices[1]!]);
    expect(await evaluate(at)).toMatchObject({ opened: 0, evaluated: 1 });
    // The same time again (a retried run) changes nothing.
    expect(await evaluate(at)).toMatchObject({ evaluated: 0 });
    at = tick();
    expect(await evaluate(at)).toMatchObject({ opened: 1, queued: 1 });

    const [alert] = (await siteAlerts(site, 'state=active')).items;
    expect(alert).toMatchObject({
      owner: 'site',
      state: 'firing',
      device_id: null,
      device_name: '',
      site_id: site,
      site_name: 'Tower North',
      sector_id: null,
      value: 50,
    });
    // The preview of a draft site rule reads the same figure.
    const preview = expectStatus<{ devices_covered: number; would_fire: number; scope_value: number | null }>(
      await viewer.post(`${base}/alert-rules/preview`, {
        name: 'draft',
        metric: 'site_offline_pct',
        operator: '>=',
        threshold: 50,
        scope: { kind: 'site', id: site },
      }),
      200,
    );
    expect(preview).toMatchObject({ devices_covered: 4, would_fire: 1, scope_value: 50 });
    const count = expectStatus<{ active: number; by_severity: { critical: number } }>(
      await viewer.get(`${base}/alert-events/count`),
      200,
    );
    expect(count.by_severity.critical).toBeGreaterThanOrEqual(1);
    const all = expectStatus<{ items: SiteAlert[] }>(await viewer.get(`${base}/alert-events?rule_id=${rule.id}`), 200);
    expect(all.items.map((a) => a.id)).toEqual([alert!.id]);

    const fired = await waitUntil('webhook (firing)', async () =>
      hook.requests.find((q) => q.path === '/site' && q.json.status === 'firing'),
    );
    expect(fired.json).toMatchObject({
      event: 'alert.firing',
      device: null,
      site: { id: site, name: 'Tower North' },
      sector: null,
      metric: 'site_offline_pct',
      value: 50,
      unit: '%',
      alert_id: alert!.id,
    });
    expect(fired.json.message).toContain('Tower North');

    // Three down: the value follows; then all back: resolved (clear_polls 1).
    at = tick();
    await poll(at, devices.slice(0, 3));
    await evaluate(at);
    expect((await siteAlerts(site, 'state=active')).items[0]?.last_value).toBe(75);
    at = tick();
    await poll(at, []);
    expect(await evaluate(at)).toMatchObject({ resolved: 1 });
    expect((await siteAlerts(site, 'state=active')).items).toEqual([]);
    const resolved = await waitUntil('webhook (resolved)', async () =>
      hook.requests.find((q) => q.path === '/site' && q.json.status === 'resolved'),
    );
    expect(resolved.json).toMatchObject({ site: { name: 'Tower North' }, device: null });
    expect(String(resolved.json.message)).toContain('Tower North');
    const events = await sql(
      `select type, device_id, payload from domain_events where payload->>'alert_id' = $1 order by occurred_at, id`,
      [alert!.id],
    );
    expect(events.rows.map((e) => [e.type, e.device_id, e.payload.site_id])).toEqual([
      ['alert.firing', null, site],
      ['alert.resolved', null, site],
    ]);
  });

  it('counts offline devices of a sector (its devices and its AP), and lists device alerts of the site too', async () => {
    const site = await newSite();
    const [ap] = await devicesIn(site, 1);
    const sector = await newSector(site, ap!);
    const cpes = await devicesIn(site, 2, sector);
    await devicesIn(site, 3); // Elsewhere in the site: not the sector's.
    await siteRule(site, {
      name: 'Sector devices down',
      metric: 'site_offline_count',
      operator: '>=',
      threshold: 2,
      scope: { kind: 'sector', id: sector },
    });
    const at = tick();
    await ingest([
      pollResult(s.a.id, ap!, { at, status: 'offline', health: null, interfaces: null }),
      pollResult(s.a.id, cpes[0]!, { at, status: 'offline', health: null, interfaces: null }),
    ]);
    expect(await evaluate(at)).toMatchObject({ opened: 1 });
    // A device alert of one of the site's devices shows in the site's list beside the sector's.
    await sql(
      `insert into alert_events (id, tenant_id, device_id, rule_name, metric, operator, threshold, severity, state, started_at)
       values (gen_random_uuid(), $1, $2, 'CPU', 'cpu_load', '>', 90, 'warning', 'firing', now() - interval '1 day')`,
      [s.a.id, cpes[1]],
    );
    const items = (await siteAlerts(site)).items;
    expect(items.map((a) => [a.owner, a.sector_id, a.device_id])).toEqual([
      ['sector', sector, null],
      ['device', null, cpes[1]],
    ]);
    expect(items[0]).toMatchObject({ site_id: site, value: 2 });
    expect(items[0]!.sector_name).toMatch(/^sec-/);
    // Keyset pages.
    const first = await siteAlerts(site, 'limit=1');
    expect(first.items).toHaveLength(1);
    const second = await siteAlerts(site, `limit=1&cursor=${first.next_cursor}`);
    expect(second.items.map((a) => a.owner)).toEqual(['device']);
    expect(second.next_cursor).toBeNull();
  });

  it("fires when the average signal of a sector AP's clients falls below -75 dBm", async () => {
    const site = await newSite();
    const [ap, station] = await devicesIn(site, 2);
    const sector = await newSector(site, ap!);
    await siteRule(site, {
      name: 'Sector signal weak',
      metric: 'sector_avg_signal',
      operator: '<',
      threshold: -75,
      scope: { kind: 'sector', id: sector },
    });
    const apPoll = (at: Date, signals: number[]) =>
      ingest([
        pollResult(s.a.id, ap!, { at, facts: { wireless: signals.map((v, i) => reg(macOf(i + 1), v)) } }),
        // The station's own registration (to an upstream AP) is not a client of the sector.
        pollResult(s.a.id, station!, { at, facts: { wireless: [{ ...reg('4C:5E:0C:99:00:01', -90), ap: 'true' }] } }),
      ]);
    let at = tick();
    await apPoll(at, [-62, -70, -72]);
    expect(await evaluate(at)).toMatchObject({ opened: 0 });
    at = tick();
    await apPoll(at, [-79, -81, -77]);
    expect(await evaluate(at)).toMatchObject({ opened: 1 });
    const [alert] = (await siteAlerts(site, 'state=active')).items;
    expect(alert).toMatchObject({ owner: 'sector', sector_id: sector, site_id: site, device_id: null, value: -79 });

    // A whole site's APs: every device of the site serving clients. The station alone is not one.
    const siteWide = await siteRule(site, {
      name: 'Site signal',
      metric: 'sector_avg_signal',
      operator: '<',
      threshold: -75,
    });
    at = tick();
    await apPoll(at, [-60, -64]);
    const out = await evaluate(at);
    expect(out).toMatchObject({ resolved: 1, opened: 0 });
    const state = await sql('select last_value from alert_site_states where rule_id = $1', [siteWide.id]);
    expect(state.rows).toEqual([]); // -62 dBm is clear: nothing worth remembering.
  });

  it('compares the clients registered now with an hour ago, from the signal series', async () => {
    const site = await newSite();
    const [ap] = await devicesIn(site, 1);
    const sector = await newSector(site, ap!);
    const quiet = await newSector(site, (await devicesIn(site, 1))[0]!);
    const drop = await siteRule(site, {
      name: 'Clients dropped',
      metric: 'site_client_drop_pct',
      operator: '>',
      threshold: 50,
      scope: { kind: 'sector', id: sector },
    });
    const fresh = await siteRule(site, {
      name: 'New sector drop',
      metric: 'site_client_drop_pct',
      operator: '>=',
      threshold: 0,
      scope: { kind: 'sector', id: quiet },
    });
    const at = tick();
    const quietAp = (await sql('select ap_device_id from sectors where id = $1', [quiet])).rows[0].ap_device_id;
    const rows: unknown[][] = [];
    // An hour ago: ten clients, seen twice within the window; now: four of them.
    for (let i = 1; i <= 10; i++)
      for (const back of [3_600_000 + 60_000, 3_600_000 + 120_000]) rows.push([ap, macOf(i), at.getTime() - back]);
    for (let i = 1; i <= 4; i++) rows.push([ap, macOf(i), at.getTime() - 60_000]);
    // Outside both windows: not counted.
    for (let i = 20; i <= 30; i++) rows.push([ap, macOf(i), at.getTime() - 1_800_000]);
    // The quiet sector has clients now and none an hour ago: no value.
    rows.push([quietAp, macOf(40), at.getTime() - 60_000]);
    await sql(
      `insert into wireless_signal (tenant_id, device_id, interface, mac, time, signal)
       select $1, x.device_id, 'wlan1', x.mac, to_timestamp(x.ms / 1000.0), -60
         from json_to_recordset($2::json) as x(device_id uuid, mac text, ms bigint)`,
      [s.a.id, JSON.stringify(rows.map(([device_id, mac, ms]) => ({ device_id, mac, ms })))],
    );
    expect(await evaluate(at)).toMatchObject({ opened: 1 });
    const [alert] = (await siteAlerts(site, 'state=active')).items;
    expect(alert).toMatchObject({ sector_id: sector, value: 60 });
    expect(await sql('select 1 from alert_site_states where rule_id = $1', [fresh.id])).toMatchObject({ rowCount: 0 });

    // Resolved by hand: the state starts afresh, so the drop (still there) fires again at the next evaluation.
    const r = expectStatus<{ state: string; owner: string }>(
      await op.post(`${base}/alert-events/${alert!.id}/resolve`),
      200,
    );
    expect(r).toMatchObject({ state: 'resolved', owner: 'sector' });
    expect(await sql('select 1 from alert_site_states where rule_id = $1', [drop.id])).toMatchObject({ rowCount: 0 });
    const again = new Date(at.getTime() + 60_000);
    clock = again.getTime();
    expect(await evaluate(again)).toMatchObject({ opened: 1 });
    const acked = await op.post(
      `${base}/alert-events/${(await siteAlerts(site, 'state=active')).items[0]!.id}/acknowledge`,
      {
        note: 'tower crew on the way',
      },
    );
    expect(acked.statusCode).toBe(200);

    // Moving the rule to the other sector settles its open alert.
    expectStatus(
      await op.put(`${rulesUrl(site)}/${drop.id}`, {
        name: 'Clients dropped',
        metric: 'site_client_drop_pct',
        operator: '>',
        threshold: 50,
        scope: { kind: 'sector', id: quiet },
      }),
      200,
    );
    expect((await siteAlerts(site, 'state=active')).items).toEqual([]);
  });

  it('holds the notification of a site in a maintenance window, and records the alert as in maintenance', async () => {
    const site = await newSite();
    const devices = await devicesIn(site, 2);
    const channel = expectStatus<{ id: string }>(
      await admin.post(`${base}/notification-channels`, {
        name: 'maintenance hook',
        kind: 'webhook',
        config: { url: hook.url('/maintenance') },
        severities: ['warning'],
        template: null,
        enabled: true,
      }),
      201,
    );
    const now = Date.now();
    expectStatus(
      await op.post(`${base}/maintenance-windows`, {
        name: 'Tower work',
        starts_at: new Date(now - 3_600_000).toISOString(),
        ends_at: new Date(now + 24 * 3_600_000).toISOString(),
        timezone: 'UTC',
        scope: { kind: 'site', id: site },
      }),
      201,
    );
    await siteRule(site, {
      name: 'Any down',
      metric: 'site_offline_count',
      operator: '>',
      threshold: 0,
      channel_ids: [channel.id],
    });
    const at = tick();
    await ingest([pollResult(s.a.id, devices[0]!, { at, status: 'offline', health: null, interfaces: null })]);
    expect(await evaluate(at)).toMatchObject({ opened: 1 });
    const [alert] = (await siteAlerts(site, 'state=active')).items;
    expect(alert!.in_maintenance).toBe(true);
    const detail = expectStatus<SiteAlert>(await viewer.get(`${base}/alert-events/${alert!.id}`), 200);
    expect(detail.deliveries).toEqual([expect.objectContaining({ state: 'held', hold_reason: 'maintenance' })]);
  });

  it('deleting a site deletes its alerts and their states', async () => {
    const site = await newSite();
    await devicesIn(site, 1);
    const rule = await siteRule(site, { name: 'Empty', metric: 'site_offline_count', operator: '==', threshold: 0 });
    const at = tick();
    expect(await evaluate(at)).toMatchObject({ opened: 1 });
    expectStatus(await admin.delete(`${base}/sites/${site}`), 204);
    expect((await sql('select 1 from alert_events where rule_id = $1', [rule.id])).rowCount).toBe(0);
    expect((await sql('select 1 from alert_site_states where rule_id = $1', [rule.id])).rowCount).toBe(0);
  });
});
