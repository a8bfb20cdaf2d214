import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/features/alerts/notify/sign.js';
import { releaseEndedWindows } from '../../src/features/alerts/release.js';
import { addSimDevice } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';
import {
  type AlertJson,
  type AlertsEnv,
  alertsOf,
  createChannel,
  createRule,
  startAlertsEnv,
  waitUntil,
} from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

// The alert path end to end against simulated routers: the real poller every second, ingest evaluating in its
// transaction, the outbox's sender posting to a real HTTP receiver on loopback.

let e: AlertsEnv;
let hooks: Receiver;
let secret: string;
let channel: string;
const ids: string[] = [];
const users = [{ name: 'admin', password: 'sim-pass' }];

beforeAll(async () => {
  e = await startAlertsEnv([
    { identity: 'cpu-box', version: '7.16', users },
    { identity: 'gone-box', version: '7.16', users },
    { identity: 'flappy', version: '7.16', users },
    { identity: 'in-maintenance', version: '6.49.10', users },
  ]);
  hooks = await startReceiver();
  for (let i = 0; i < 4; i++) ids.push(await addSimDevice(e as never, i));
  const ch = await createChannel(e, { name: 'ops hook', kind: 'webhook', config: { url: hooks.url() } });
  channel = ch.id;
  secret = ch.secret!;
  expect(secret).toMatch(/^whsec_/);
}, 60_000);
afterAll(async () => {
  await hooks?.close();
  await e?.stop();
});

const forDevice = (r: Receiver, i: number) =>
  r.requests.filter((q) => (q.json.device as { id?: string } | undefined)?.id === ids[i]);
const health = (i: number) =>
  e.ctx.pools.system.query<{ time: Date; cpu_load: number }>(
    'select time, cpu_load from metrics_health where device_id = $1 order by time',
    [ids[i]],
  );

describe('threshold rules against simulated routers', () => {
  it('fires after N polls above the threshold and resolves after M below, notifying each once with a valid signature', async () => {
    await createRule(e, {
      name: 'CPU hot',
      metric: 'cpu_load',
      operator: '>',
      threshold: 80,
      duration_polls: 3,
      clear_polls: 2,
      severity: 'critical',
      scope: { kind: 'device', id: ids[0] },
      channel_ids: [channel],
    });
    e.fleet.device(0).load.cpuLoad = 95;
    const fired = await waitUntil(
      'CPU alert firing',
      async () => (await alertsOf(e, `device_id=${ids[0]}&state=firing`))[0],
    );
    // Exactly three breaching results had been stored when it fired: the third one fired it.
    const samples = (await health(0)).rows;
    const breachingBefore = samples.filter((s) => s.cpu_load > 80 && s.time.getTime() <= Date.parse(fired.started_at));
    expect(breachingBefore).toHaveLength(3);
    expect(fired.value).toBe(95);

    const firing = await waitUntil('webhook for the fire', async () => forDevice(hooks, 0)[0]);
    expect(firing.headers['x-tod-event']).toBe('alert.firing');
    const sig = String(firing.headers['x-tod-signature']);
    expect(verifySignature(secret, sig, firing.raw, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifySignature(secret, sig, firing.raw.replace('95', '96'), Math.floor(Date.now() / 1000))).toBe(false);
    expect(firing.json).toMatchObject({
      event: 'alert.firing',
      status: 'firing',
      rule: { name: 'CPU hot' },
      severity: 'critical',
      device: { id: ids[0] },
      metric: 'cpu_load',
      value: 95,
      threshold: 80,
      started_at: fired.started_at,
      organisation: { id: e.seed.a.id },
    });
    expect(String(firing.json.url)).toContain(fired.id);

    e.fleet.device(0).load.cpuLoad = 10;
    const resolved = await waitUntil('CPU alert resolved', async () => {
      const a = (await alertsOf(e, `device_id=${ids[0]}`)).find((x) => x.id === fired.id);
      return a?.state === 'resolved' ? a : null;
    });
    const after = (await health(0)).rows.filter(
      (s) => s.time.getTime() > Date.parse(fired.started_at) && s.time.getTime() <= Date.parse(resolved.resolved_at!),
    );
    const lastBreach = after.map((s) => s.cpu_load > 80).lastIndexOf(true);
    expect(after.slice(lastBreach + 1)).toHaveLength(2);
    await waitUntil('webhook for the resolve', async () => forDevice(hooks, 0).length === 2);
    expect(forDevice(hooks, 0).map((q) => q.json.event)).toEqual(['alert.firing', 'alert.resolved']);
  });

  it('fires device_offline only after the grace period, and resolves when the device answers again', async () => {
    await createRule(e, {
      name: 'Offline',
      metric: 'device_offline',
      operator: '==',
      threshold: 1,
      duration_polls: 1,
      duration_seconds: 4,
      severity: 'critical',
      scope: { kind: 'device', id: ids[1] },
      channel_ids: [channel],
    });
    e.fleet.device(1).setFault({ refuse: true });
    const fired = await waitUntil(
      'offline alert',
      async () => (await alertsOf(e, `device_id=${ids[1]}&state=firing`))[0],
    );
    const firstOffline = await e.ctx.pools.system.query<{ created_at: Date }>(
      `select created_at from events where device_id = $1 and type = 'device.offline' order by created_at desc limit 1`,
      [ids[1]],
    );
    const grace = Date.parse(fired.started_at) - firstOffline.rows[0]!.created_at.getTime();
    expect(grace).toBeGreaterThanOrEqual(4000);
    e.fleet.device(1).clearFaults();
    await waitUntil('offline alert resolved', async () => (await alertsOf(e, `device_id=${ids[1]}&state=resolved`))[0]);
    await waitUntil('both notified', async () => forDevice(hooks, 1).length === 2);
  });

  it('marks a flapping device flapping and stops notifying every transition', async () => {
    await createRule(e, {
      name: 'Flap watch',
      metric: 'device_offline',
      operator: '==',
      threshold: 1,
      duration_polls: 1,
      clear_polls: 1,
      flap_transitions: 4,
      flap_window_seconds: 600,
      severity: 'warning',
      scope: { kind: 'device', id: ids[2] },
      channel_ids: [channel],
    });
    e.fleet.device(2).setFault({ flap: { upMs: 1500, downMs: 1500 } });
    const flapping = await waitUntil(
      'flapping alert',
      async () => (await alertsOf(e, `device_id=${ids[2]}&state=active`)).find((a) => a.flapping),
      40_000,
    );
    const sentAtFlap = forDevice(hooks, 2).length;
    // Fire, resolve, fire: the fourth transition made it flapping, and nothing after that is sent.
    expect(sentAtFlap).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 8000));
    expect(forDevice(hooks, 2).length).toBe(sentAtFlap);
    const still = (await alertsOf(e, `device_id=${ids[2]}`)).filter((a) => a.state !== 'resolved');
    expect(still.map((a) => a.id)).toEqual([flapping.id]);
    e.fleet.device(2).clearFaults();
  }, 60_000);

  it('records alerts inside a maintenance window without sending them, and sends what still fires when it ends', async () => {
    const w = expectStatus<{ id: string }>(
      await e.operator.post(`${e.base}/maintenance-windows`, {
        name: 'Firmware night',
        starts_at: new Date(Date.now() - 60_000).toISOString(),
        ends_at: new Date(Date.now() + 3_600_000).toISOString(),
        timezone: 'Europe/Berlin',
        scope: { kind: 'device', id: ids[3] },
      }),
      201,
    );
    await createRule(e, {
      name: 'CPU during works',
      metric: 'cpu_load',
      operator: '>',
      threshold: 80,
      duration_polls: 1,
      severity: 'warning',
      scope: { kind: 'device', id: ids[3] },
      channel_ids: [channel],
    });
    e.fleet.device(3).load.cpuLoad = 99;
    const fired = await waitUntil(
      'alert in maintenance',
      async () => (await alertsOf(e, `device_id=${ids[3]}&state=firing`))[0],
    );
    expect(fired.in_maintenance).toBe(true);
    const detail = expectStatus<AlertJson>(await e.operator.get(`${e.base}/alert-events/${fired.id}`), 200);
    expect(detail.deliveries).toEqual([
      expect.objectContaining({ transition: 'firing', state: 'held', hold_reason: 'maintenance' }),
    ]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await releaseEndedWindows(e.ctx.pools.system)).toBe(0);
    expect(forDevice(hooks, 3)).toHaveLength(0);

    expectStatus(await e.operator.delete(`${e.base}/maintenance-windows/${w.id}`), 204);
    expect(await releaseEndedWindows(e.ctx.pools.system)).toBe(1);
    e.ctx.services.alerts.delivery.kick();
    const late = await waitUntil('the held alert sent', async () => forDevice(hooks, 3)[0]);
    expect(late.json).toMatchObject({ event: 'alert.firing', in_maintenance: true, alert_id: fired.id });
  });

  it('retries a receiver that answers 500 twice, and delivers exactly once', async () => {
    const flaky = await startReceiver();
    try {
      flaky.script = [500, 500];
      const ch = await createChannel(e, { name: 'flaky hook', kind: 'webhook', config: { url: flaky.url() } });
      const rule = await createRule(e, {
        name: 'CPU again',
        metric: 'cpu_load',
        operator: '>',
        threshold: 80,
        duration_polls: 1,
        severity: 'warning',
        scope: { kind: 'device', id: ids[0] },
        channel_ids: [ch.id],
      });
      e.fleet.device(0).load.cpuLoad = 97;
      await waitUntil('three attempts', async () => flaky.requests.length >= 3, 30_000);
      await new Promise((r) => setTimeout(r, 3000));
      const deliveries = new Set(flaky.requests.map((q) => q.headers['x-tod-delivery']));
      expect(flaky.requests).toHaveLength(3);
      expect(deliveries.size).toBe(1);
      // 'CPU hot' (same metric, same scope) fires too: both apply; this one is the rule's own alert.
      const alert = (await alertsOf(e, `rule_id=${rule.id}&state=firing`))[0]!;
      const detail = expectStatus<AlertJson>(await e.operator.get(`${e.base}/alert-events/${alert.id}`), 200);
      expect(detail.deliveries).toEqual([
        expect.objectContaining({ transition: 'firing', state: 'sent', attempts: 3 }),
      ]);
      e.fleet.device(0).load.cpuLoad = undefined;
    } finally {
      await flaky.close();
    }
  }, 60_000);

  it('acknowledging notifies the channels that had the fire, and the count follows', async () => {
    const before = expectStatus<{ active: number; firing: number }>(
      await e.operator.get(`${e.base}/alert-events/count`),
      200,
    );
    const alert = (await alertsOf(e, `device_id=${ids[3]}&state=firing`))[0]!;
    const r = expectStatus<AlertJson>(
      await e.operator.post(`${e.base}/alert-events/${alert.id}/acknowledge`, { note: 'on it' }),
      200,
    );
    expect(r.state).toBe('acknowledged');
    const after = expectStatus<{ active: number; firing: number }>(
      await e.operator.get(`${e.base}/alert-events/count`),
      200,
    );
    expect(after.active).toBe(before.active);
    expect(after.firing).toBe(before.firing - 1);
    const ack = await waitUntil('acknowledgement sent', async () =>
      forDevice(hooks, 3).find((q) => q.json.event === 'alert.acknowledged'),
    );
    expect(ack.json).toMatchObject({ note: 'on it', status: 'acknowledged' });
    expectStatus(await e.operator.post(`${e.base}/alert-events/${alert.id}/acknowledge`, { note: 'again' }), 409);
  });
});
