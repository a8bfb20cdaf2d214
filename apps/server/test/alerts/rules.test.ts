import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../src/features/ingest/ingest.batch.js';
import type { PollResult } from '../../src/features/poller/types.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { type Api, apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { insertDevice, pollResult } from '../helpers/poll-result.js';
import { type Seed, seed } from '../helpers/seed.js';

// Rules through the API and evaluation on poll results written the way ingest writes them (no poller: the values
// are chosen), so precedence, redelivery, silences and rule changes are checked exactly.

let ctx: TestContext;
let s: Seed;
let op: Api;
let admin: Api;
let base: string;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  op = apiAs(ctx, s, 'operator');
  admin = apiAs(ctx, s, 'admin');
  base = `/api/tenants/${s.a.id}`;
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
}, 60_000);
afterAll(async () => ctx?.close());

const device = (tenant = s.a.id) => insertDevice(ctx, tenant);

// Today (UTC midnight): metrics are written to daily partitions made from a day behind to two days ahead of now.
let clock = Math.floor(Date.now() / 86_400_000) * 86_400_000;
/** The next poll result of `deviceId`, a minute after the previous one. */
function result(deviceId: string, cpu: number, tenant = s.a.id): PollResult {
  clock += 60_000;
  return pollResult(tenant, deviceId, { at: clock, cpu });
}
const ingest = (results: PollResult[]) => writeResults(ctx.pools.system, results, [ctx.services.alerts.evaluator]);
const alerts = async (deviceId: string) =>
  expectStatus<{
    items: Array<{ id: string; rule_id: string; state: string; silenced: boolean; resolved_by: string | null }>;
  }>(await op.get(`${base}/alert-events?device_id=${deviceId}`), 200).items;
const rule = async (body: Record<string, unknown>) =>
  expectStatus<{ id: string }>(
    await op.post(`${base}/alert-rules`, { metric: 'cpu_load', operator: '>', threshold: 80, ...body }),
    201,
  );

describe('alert rules', () => {
  it('every organisation starts with the default rules (Zabbix-like MikroTik thresholds), editable', async () => {
    const list = expectStatus<{
      items: Array<{ id: string; metric: string; threshold: number; is_default: boolean; enabled: boolean }>;
    }>(await op.get(`${base}/alert-rules`), 200).items;
    const defaults = list.filter((r) => r.is_default);
    expect(defaults.map((r) => `${r.metric}>${r.threshold}`).sort()).toEqual(
      expect.arrayContaining([
        'cpu_load>90',
        'disk_used_pct>80',
        'disk_used_pct>90',
        'temperature>50',
        'temperature>60',
        'interface_util_pct>90',
      ]),
    );
    const cpu = defaults.find((r) => r.metric === 'cpu_load')!;
    expect(
      expectStatus<{ threshold: number }>(await op.patch(`${base}/alert-rules/${cpu.id}`, { threshold: 85 }), 200)
        .threshold,
    ).toBe(85);
    // A new organisation gets its own set.
    const t = await ctx.pools.system.query<{ n: number }>(
      'select count(*)::int as n from alert_rules where tenant_id = $1 and is_default',
      [s.b.id],
    );
    expect(t.rows[0]!.n).toBe(defaults.length);
    // The rest of these tests state their own rules.
    for (const r of list) expectStatus(await op.delete(`${base}/alert-rules/${r.id}`), 204);
  });

  it('refuses what cannot work, naming the field', async () => {
    const bad = [
      [{ name: 'x', metric: 'nope', operator: '>', threshold: 1 }, 422],
      [{ name: 'x', metric: 'cpu_load', operator: '=>', threshold: 1 }, 422],
      [{ name: 'x', metric: 'cpu_load', operator: '>', threshold: 1, scope: { kind: 'group' } }, 422],
      [
        {
          name: 'x',
          metric: 'cpu_load',
          operator: '>',
          threshold: 1,
          scope: { kind: 'organisation', id: randomUUID() },
        },
        422,
      ],
      [
        { name: 'x', metric: 'cpu_load', operator: '>', threshold: 1, scope: { kind: 'device', id: randomUUID() } },
        422,
      ],
      [{ name: 'x', metric: 'cpu_load', operator: '>', threshold: 1, interface: 'ether1' }, 422],
      [{ name: 'x', metric: 'cpu_load', operator: '>', threshold: 1, channel_ids: [randomUUID()] }, 422],
      [{ name: 'x', metric: 'cpu_load', operator: '>', threshold: 1, duration_polls: 0 }, 422],
      [{ name: 'x', metric: 'cpu_load', operator: '>', threshold: 1, surprise: true }, 422],
    ] as const;
    for (const [body, status] of bad) {
      const r = await op.post(`${base}/alert-rules`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
    }
    const r = await op.post(`${base}/alert-rules`, {
      name: 'x',
      metric: 'cpu_load',
      operator: '>',
      threshold: 1,
      scope: { kind: 'device', id: randomUUID() },
    });
    expect(r.json().code).toBe('scope_not_found');
  });

  it('a narrower rule replaces a wider one for the same metric; rules at one scope all apply', async () => {
    const [d1, d2] = [await device(), await device()];
    const org = await rule({ name: 'org cpu', threshold: 80 });
    const orgCrit = await rule({ name: 'org cpu critical', threshold: 95, severity: 'critical' });
    const dev = await rule({ name: 'd1 cpu', threshold: 98, scope: { kind: 'device', id: d1 } });
    await ingest([result(d1, 97), result(d2, 97)]);
    // d2: both organisation rules; d1: only its own rule, which 97 does not breach.
    expect((await alerts(d2)).map((a) => a.rule_id).sort()).toEqual([org.id, orgCrit.id].sort());
    expect(await alerts(d1)).toEqual([]);
    await ingest([result(d1, 99)]);
    expect((await alerts(d1)).map((a) => a.rule_id)).toEqual([dev.id]);
    const preview = expectStatus<{ devices_covered: number; would_fire: number; superseded_by: Array<{ id: string }> }>(
      await op.post(`${base}/alert-rules/preview`, { name: 'p', metric: 'cpu_load', operator: '>', threshold: 90 }),
      200,
    );
    // The draft is organisation-wide: d1 keeps its device rule, so the draft covers the other devices only.
    expect(preview.devices_covered).toBeGreaterThanOrEqual(1);
    expect(preview.superseded_by.map((x) => x.id)).toContain(dev.id);
    for (const id of [org.id, orgCrit.id, dev.id]) await op.delete(`${base}/alert-rules/${id}`);
    // Deleting a rule resolves its alerts.
    expect((await alerts(d2)).every((a) => a.state === 'resolved' && a.resolved_by === 'rule deleted')).toBe(true);
  });

  it('a redelivered batch is not evaluated twice', async () => {
    const d = await device();
    await rule({ name: 'twice', duration_polls: 2, scope: { kind: 'device', id: d } });
    const first = result(d, 90);
    await ingest([first]);
    await ingest([first]);
    expect(await alerts(d)).toEqual([]);
    await ingest([result(d, 90)]);
    expect(await alerts(d)).toHaveLength(1);
  });

  it('a silenced device records its alerts but queues nothing to send', async () => {
    const d = await device();
    const hook = await admin.post(`${base}/notification-channels`, {
      name: 'silence hook',
      kind: 'webhook',
      config: { url: 'http://127.0.0.1:9/x' },
      severities: ['warning'],
      template: null,
      enabled: true,
    });
    const ch = expectStatus<{ id: string }>(hook, 201).id;
    await rule({ name: 'silenced', scope: { kind: 'device', id: d }, channel_ids: [ch] });
    expectStatus(
      await op.post(`${base}/alert-silences`, {
        device_id: d,
        until: new Date(Date.now() + 3_600_000).toISOString(),
        note: 'swap',
      }),
      201,
    );
    await ingest([result(d, 99)]);
    const [a] = await alerts(d);
    expect(a?.silenced).toBe(true);
    const q = await ctx.pools.system.query(
      'select state, hold_reason from notification_deliveries where alert_id = $1',
      [a!.id],
    );
    expect(q.rows).toEqual([{ state: 'suppressed', hold_reason: 'silenced' }]);
  });

  it('resolving by hand starts the state afresh, so a persisting condition fires again after its polls', async () => {
    const d = await device();
    await rule({ name: 'again', duration_polls: 2, scope: { kind: 'device', id: d } });
    await ingest([result(d, 90), result(d, 90)]);
    const [a] = await alerts(d);
    expectStatus(await op.post(`${base}/alert-events/${a!.id}/resolve`), 200);
    expectStatus(await op.post(`${base}/alert-events/${a!.id}/resolve`), 409);
    await ingest([result(d, 90)]);
    expect((await alerts(d)).filter((x) => x.state !== 'resolved')).toHaveLength(0);
    await ingest([result(d, 90)]);
    expect((await alerts(d)).filter((x) => x.state === 'firing')).toHaveLength(1);
  });

  it('per-interface and wireless metrics give one alert per interface (or only the named one)', async () => {
    const d = await device();
    const iface = (name: string, running: boolean, rxErrorsPs: number) => ({
      name,
      type: 'ether',
      macAddress: null,
      running,
      disabled: false,
      rxBytes: '1',
      txBytes: '1',
      rxPackets: '1',
      txPackets: '1',
      rxBps: 1,
      txBps: 1,
      rxPps: 1,
      txPps: 1,
      rxErrorsPs,
      txErrorsPs: 0,
    });
    await rule({ name: 'links', metric: 'link_down', operator: '==', threshold: 1, scope: { kind: 'device', id: d } });
    await rule({
      name: 'errors on ether1',
      metric: 'interface_errors',
      operator: '>',
      threshold: 5,
      interface: 'ether1',
      scope: { kind: 'device', id: d },
    });
    await rule({
      name: 'weak clients',
      metric: 'wireless_signal',
      operator: '<',
      threshold: -75,
      scope: { kind: 'device', id: d },
    });
    const r = result(d, 10);
    r.interfaces = [iface('ether1', true, 9), iface('ether2', false, 50), iface('ether3', true, 0)];
    r.facts = {
      wireless: [
        { interface: 'wlan1', 'mac-address': 'AA:00:00:00:00:01', 'signal-strength': '-62dBm@HT20-7' },
        { interface: 'wlan1', 'mac-address': 'AA:00:00:00:00:02', 'signal-strength': '-81dBm@HT20-4' },
        { interface: 'wlan2', 'mac-address': 'AA:00:00:00:00:03', signal: '-60' },
      ],
    };
    await ingest([r]);
    const got = await ctx.pools.system.query<{ rule_name: string; target: string; value: number }>(
      `select rule_name, target, value from alert_events where device_id = $1 order by rule_name, target`,
      [d],
    );
    expect(got.rows).toEqual([
      { rule_name: 'errors on ether1', target: 'ether1', value: 9 },
      { rule_name: 'links', target: 'ether2', value: 1 },
      { rule_name: 'weak clients', target: 'wlan1', value: -81 },
    ]);
  });

  it('another organisation sees none of it', async () => {
    const b = apiAs(ctx, s, 'admin', s.b);
    const own = expectStatus<{ items: unknown[] }>(await b.get(`/api/tenants/${s.b.id}/alert-events`), 200);
    expect(own.items).toEqual([]);
    const mine = (await op.get(`${base}/alert-rules`)).json().items[0].id;
    expect((await b.get(`/api/tenants/${s.b.id}/alert-rules/${mine}`)).statusCode).toBe(404);
    expect((await b.get(`${base}/alert-rules`)).statusCode).toBe(404);
  });
});

describe('notification channels', () => {
  it('keeps secrets write-only and sealed, and answers a webhook secret once', async () => {
    const r = expectStatus<{ id: string; secret: string; config: Record<string, unknown> }>(
      await admin.post(`${base}/notification-channels`, {
        name: 'slack-ish',
        kind: 'webhook',
        config: { url: 'https://hooks.example.test/T0/B0/very-secret-token' },
        severities: ['critical'],
        template: '{{severity}} {{device.name}}',
        enabled: true,
      }),
      201,
    );
    expect(r.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(r.config)).not.toContain('very-secret-token');
    const again = (await admin.get(`${base}/notification-channels/${r.id}`)).json();
    expect(again.secret).toBeUndefined();
    expect(again.config).toEqual({ url_host: 'hooks.example.test', url_scheme: 'https' });
    const raw = await ctx.pools.system.query<{ row: string }>(
      'select row_to_json(c)::text as row from notification_channels c where id = $1',
      [r.id],
    );
    expect(raw.rows[0]!.row).not.toContain('very-secret-token');
    expect(raw.rows[0]!.row).not.toContain(r.secret);

    const rotated = expectStatus<{ secret: string }>(
      await admin.patch(`${base}/notification-channels/${r.id}`, { rotate_secret: true }),
      200,
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(r.secret);
    const email = expectStatus<{ id: string; config: Record<string, unknown> }>(
      await admin.post(`${base}/notification-channels`, {
        name: 'noc mail',
        kind: 'email',
        config: {
          to: ['noc@example.test'],
          host: 'smtp.example.test',
          port: 587,
          username: 'u',
          password: 'hunter2-hunter2',
        },
        severities: ['warning', 'critical'],
        template: null,
        enabled: true,
      }),
      201,
    );
    expect(email.config).toMatchObject({ to: ['noc@example.test'], host: 'smtp.example.test', has_password: true });
    expect(JSON.stringify(email)).not.toContain('hunter2');
    // Changing the recipients keeps the password.
    const changed = expectStatus<{ config: Record<string, unknown> }>(
      await admin.patch(`${base}/notification-channels/${email.id}`, {
        config: { to: ['ops@example.test'], host: 'smtp.example.test' },
      }),
      200,
    );
    expect(changed.config).toMatchObject({ to: ['ops@example.test'], has_password: true });
  });

  it("never posts to TOD's own services on this machine (its database here)", async () => {
    const dbPort = new URL(ctx.ownerUrl).port;
    const ch = expectStatus<{ id: string }>(
      await admin.post(`${base}/notification-channels`, {
        name: 'sneaky',
        kind: 'webhook',
        config: { url: `http://127.0.0.1:${dbPort}/` },
        severities: ['critical'],
        template: null,
        enabled: true,
      }),
      201,
    );
    const r = expectStatus<{ ok: boolean; error: string }>(
      await op.post(`${base}/notification-channels/${ch.id}/test`),
      200,
    );
    expect(r).toMatchObject({ ok: false, error: 'target_denied' });
  });

  it('refuses a bad URL, a bad template and a second channel of the same name', async () => {
    const body = { kind: 'slack', severities: ['critical'], template: null, enabled: true };
    expect(
      (await admin.post(`${base}/notification-channels`, { ...body, name: 'a', config: { url: 'ftp://x.test/y' } }))
        .statusCode,
    ).toBe(422);
    const t = await admin.post(`${base}/notification-channels`, {
      ...body,
      name: 'b',
      config: { url: 'https://x.test/y' },
      template: '{{nope}}',
    });
    expect(t.json().code).toBe('invalid_template');
    expectStatus(
      await admin.post(`${base}/notification-channels`, { ...body, name: 'same', config: { url: 'https://x.test/y' } }),
      201,
    );
    expect(
      (
        await admin.post(`${base}/notification-channels`, {
          ...body,
          name: 'same',
          config: { url: 'https://x.test/y' },
        })
      ).json().code,
    ).toBe('channel_exists');
    // Case does not make another name, and a rename to a taken name is refused the same way.
    const other = expectStatus<{ id: string }>(
      await admin.post(`${base}/notification-channels`, {
        ...body,
        name: 'other',
        config: { url: 'https://x.test/y' },
      }),
      201,
    );
    expect((await admin.patch(`${base}/notification-channels/${other.id}`, { name: 'SAME' })).json().code).toBe(
      'channel_exists',
    );
  });
});
