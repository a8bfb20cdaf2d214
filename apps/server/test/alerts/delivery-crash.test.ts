import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeResults } from '../../src/features/ingest/ingest.batch.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { ensurePartitions, seriesTables } from '../../src/platform/timeseries/partitions.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { contextEnv, spawnTod } from '../helpers/cli.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { insertDevice, pollResult } from '../helpers/poll-result.js';
import { type Seed, seed } from '../helpers/seed.js';
import { waitUntil } from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

// The outbox's sender in real `tod start --roles worker` processes: two of them share the work without sending
// anything twice, and one SIGKILLed while a receiver holds its request leaves the row to the next process, which
// sends it again under the same X-TOD-Delivery id (the receiver's key for de-duplicating) and records it sent once.

vi.setConfig({ testTimeout: 120_000 });
const TIMEOUT_S = 2; // lease = 3 × timeout + 5 s = 11 s
let ctx: TestContext;
let s: Seed;
let hooks: Receiver;
let channel: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: 2, fiveMinute: 8, hourly: 90 }));
  await withSystem(ctx.pools.system, (db) => db.query('delete from alert_rules'));
  hooks = await startReceiver();
  const admin = apiAs(ctx, s, 'admin');
  const ch = await admin.post(`/api/tenants/${s.a.id}/notification-channels`, {
    name: 'hook',
    kind: 'webhook',
    config: { url: hooks.url() },
    severities: ['warning'],
    template: null,
    enabled: true,
  });
  channel = expectStatus<{ id: string }>(ch, 201).id;
  expectStatus(
    await apiAs(ctx, s, 'operator').post(`/api/tenants/${s.a.id}/alert-rules`, {
      name: 'CPU',
      metric: 'cpu_load',
      operator: '>',
      threshold: 80,
      channel_ids: [channel],
    }),
    201,
  );
}, 60_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await hooks?.close();
  await ctx?.close();
});

function worker(): ChildProcess {
  const child = spawnTod(['start', '--roles', 'worker'], {
    ...contextEnv(ctx),
    NOTIFY_TIMEOUT_SECONDS: String(TIMEOUT_S),
    NOTIFY_RETRY_BASE_SECONDS: '1',
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-notify-')),
  });
  child.stdout?.resume();
  child.stderr?.resume();
  children.push(child);
  return child;
}
const exited = (c: ChildProcess) =>
  new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));

/** Makes `n` devices breach the CPU rule: `n` alerts, each with one queued notification. */
async function breach(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await insertDevice(ctx, s.a.id));
  const results = ids.map((id) => pollResult(s.a.id, id, { cpu: 99 }));
  await writeResults(ctx.pools.system, results, [ctx.services.alerts.evaluator]);
  return ids;
}
const rows = (deviceIds: string[]) =>
  ctx.pools.system.query<{ id: string; state: string; attempts: number }>(
    `select d.id, d.state, d.attempts from notification_deliveries d join alert_events a on a.id = d.alert_id
      where a.device_id = any($1::uuid[])`,
    [deviceIds],
  );

describe('notification delivery across processes', () => {
  it('two workers share the outbox and never both send one notification', async () => {
    const [w1, w2] = [worker(), worker()];
    const devices = await breach(40);
    await waitUntil('40 notifications', async () => hooks.requests.length >= 40, 60_000);
    await waitUntil('all recorded sent', async () => (await rows(devices)).rows.every((r) => r.state === 'sent'));
    await new Promise((r) => setTimeout(r, 1500));
    const ids = hooks.requests.map((q) => String(q.headers['x-tod-delivery']));
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect((await rows(devices)).rows.every((r) => r.attempts === 1)).toBe(true);
    w1.kill('SIGKILL');
    w2.kill('SIGKILL');
    await Promise.all([exited(w1), exited(w2)]);
  });

  it('a worker killed mid-delivery leaves it to the next one: sent again under the same id, recorded once', async () => {
    hooks.requests.length = 0;
    hooks.hang = true;
    const w = worker();
    const [device] = await breach(1);
    const first = await waitUntil('the request reaches the hanging receiver', async () => hooks.requests[0], 60_000);
    expect((await rows([device!])).rows[0]?.state).toBe('sending');
    w.kill('SIGKILL');
    await exited(w);
    hooks.hang = false;
    worker();
    const second = await waitUntil('sent again after the lease', async () => hooks.requests[1], 60_000);
    expect(second.headers['x-tod-delivery']).toBe(first.headers['x-tod-delivery']);
    expect(second.json.alert_id).toBe(first.json.alert_id);
    await waitUntil('recorded sent', async () => (await rows([device!])).rows[0]?.state === 'sent');
    await new Promise((r) => setTimeout(r, 2000));
    expect(hooks.requests).toHaveLength(2);
    expect((await rows([device!])).rows).toEqual([expect.objectContaining({ state: 'sent', attempts: 2 })]);
  });
});
