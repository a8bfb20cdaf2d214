import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_QUEUE_CAP } from '../../src/features/reports/reports.feature.js';
import type { LiveMessage } from '../../src/platform/bus/types.js';
import { withSystem } from '../../src/platform/db/tx.js';
import { startEventDispatcher } from '../../src/platform/events/index.js';
import { apiAs, expectStatus } from '../helpers/api.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { factories } from '../helpers/factories.js';
import { type Seed, seed } from '../helpers/seed.js';
import { otherRunner } from './helpers.js';

// Reports on request against a real PostgreSQL and the real content: 202, the worker renders, the file downloads and
// is sealed at rest; the queue cap; failures; a crashed worker's report resumed; who may delete; other tenants.

let ctx: TestContext;
let s: Seed;
let base: string;

const week = { from: '2025-01-01T00:00:00Z', to: '2025-01-08T00:00:00Z' };
const ask = (caller: 'operator' | 'admin' | 'api_key' | 'viewer', body: object) =>
  apiAs(ctx, s, caller).post(`${base}/reports`, body);
const reportOf = async (id: string) =>
  expectStatus<Record<string, unknown>>(await apiAs(ctx, s, 'viewer').get(`${base}/reports/${id}`), 200);
const raw = (id: string) =>
  withSystem(ctx.pools.system, async (db) => (await db.query('select * from reports where id = $1', [id])).rows[0]);
/** Empties tenant A's queue between tests (each test asks for what it needs). */
const clearQueue = () =>
  withSystem(ctx.pools.system, (db) => db.query(`delete from reports where status in ('queued', 'running')`));

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  base = `/api/tenants/${s.a.id}`;
});
afterAll(() => ctx?.close());

describe('a report on request', () => {
  it('answers 202 at once, the worker renders it, and the PDF downloads', async () => {
    await clearQueue();
    const r = await ask('operator', { kind: 'fleet', format: 'pdf', ...week });
    const { report_id } = expectStatus<{ report_id: string; status: string }>(r, 202);
    expect(await reportOf(report_id)).toMatchObject({
      status: 'queued',
      kind: 'fleet',
      format: 'pdf',
      params: { from: '2025-01-01T00:00:00.000Z', to: '2025-01-08T00:00:00.000Z', device_id: null },
      requested_by: { type: 'user', id: s.a.users.operator.id, label: s.a.users.operator.email },
      policies: { download: false, delete: false }, // as the viewer asking
    });
    expect((await apiAs(ctx, s, 'operator').get(`${base}/reports/${report_id}`)).json().policies).toEqual({
      download: false,
      delete: true,
    });
    const early = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report_id}/file`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('report_not_ready');

    // The worker role's runner, as `tod start --roles worker` runs it: it polls and renders in the background.
    const worker = ctx.services.reports.runner.start();
    try {
      const until = Date.now() + 30_000;
      let item = await reportOf(report_id);
      while (item.status !== 'done' && item.status !== 'failed' && Date.now() < until) {
        await new Promise((ok) => setTimeout(ok, 100));
        item = await reportOf(report_id);
      }
      expect(item).toMatchObject({ status: 'done', error: null, content_type: 'application/pdf' });
      expect(item.size).toBeGreaterThan(500);
      expect(item.started_at).toEqual(expect.any(String));
      expect(item.finished_at).toEqual(expect.any(String));
    } finally {
      await worker.stop();
    }

    const file = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report_id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['cache-control']).toBe('no-store');
    expect(String(file.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+\.pdf"/);
    expect(file.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // At rest the file is sealed with the organisation's key: no PDF in the row, and its size is the plain file's.
    const row = await raw(report_id);
    expect(Buffer.isBuffer(row.file)).toBe(true);
    expect(row.file.includes(Buffer.from('%PDF'))).toBe(false);
    expect(row.size).toBe(file.rawPayload.length);

    // Asking and downloading are recorded: the audit trail and the key-access log (who opened the file, and why).
    await ctx.services.keyAccessLog.flush();
    const audit = await withSystem(ctx.pools.system, (db) =>
      db.query(`select action from audit_logs where target_id = $1`, [report_id]),
    );
    expect(audit.rows.map((x) => x.action)).toContain('report.create');
    const uses = await withSystem(ctx.pools.system, (db) =>
      db.query(`select op, actor_kind, actor_id, purpose from key_access_log where object = $1 order by op`, [
        `report:${report_id}:file`,
      ]),
    );
    expect(uses.rows).toEqual([
      { op: 'decrypt', actor_kind: 'user', actor_id: s.a.users.viewer.id, purpose: 'download' },
      { op: 'encrypt', actor_kind: 'worker', actor_id: null, purpose: 'seal' },
    ]);
  });

  it('renders CSV as well', async () => {
    await clearQueue();
    const { report_id } = expectStatus<{ report_id: string }>(
      await ask('api_key', { kind: 'sla', format: 'csv', target_pct: 99.5, ...week }),
      202,
    );
    const [done] = await ctx.services.reports.runner.runOnce();
    expect(done).toMatchObject({ id: report_id, status: 'done' });
    const file = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report_id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(String(file.headers['content-disposition'])).toMatch(/\.csv"/);
    expect((await reportOf(report_id)).requested_by).toMatchObject({ type: 'api_key', id: s.a.apiKeyId });
  });

  it('lists newest first, paged, with filters', async () => {
    const first = expectStatus<{ report_id: string }>(await ask('admin', { kind: 'compliance', ...week }), 202);
    const second = expectStatus<{ report_id: string }>(await ask('admin', { kind: 'fleet', ...week }), 202);
    const page = expectStatus<{ items: Array<{ id: string }>; total: number; limit: number }>(
      await apiAs(ctx, s, 'viewer').get(`${base}/reports?limit=2`),
      200,
    );
    expect(page.items.map((x) => x.id)).toEqual([second.report_id, first.report_id]);
    expect(page.limit).toBe(2);
    expect(page.total).toBeGreaterThanOrEqual(4);
    const compliance = expectStatus<{ items: Array<{ kind: string }> }>(
      await apiAs(ctx, s, 'viewer').get(`${base}/reports?kind=compliance&status=queued`),
      200,
    );
    expect(compliance.items.length).toBeGreaterThan(0);
    expect(compliance.items.every((x) => x.kind === 'compliance')).toBe(true);
    await clearQueue();
  });

  it(`refuses a ${REPORT_QUEUE_CAP + 1}th report while ${REPORT_QUEUE_CAP} wait (429 report_queue_full)`, async () => {
    await clearQueue();
    for (let i = 0; i < REPORT_QUEUE_CAP; i++) expectStatus(await ask('operator', { kind: 'fleet', ...week }), 202);
    const full = await ask('operator', { kind: 'fleet', ...week });
    expect(full.statusCode).toBe(429);
    expect(full.json().code).toBe('report_queue_full');
    // Another organisation's queue is its own.
    const b = await apiAs(ctx, s, 'operator', s.b).post(`/api/tenants/${s.b.id}/reports`, { kind: 'fleet', ...week });
    expect(b.statusCode).toBe(202);
    // Concurrent requests cannot both take a last free place.
    await withSystem(ctx.pools.system, (db) =>
      db.query(
        `delete from reports where id = (select id from reports where tenant_id = $1 and status = 'queued'
                 order by created_at limit 1)`,
        [s.a.id],
      ),
    );
    const racing = await Promise.all([1, 2, 3].map(() => ask('operator', { kind: 'fleet', ...week })));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([202, 429, 429]);
    await clearQueue();
  });

  it('a build that fails leaves the report failed with its reason', async () => {
    await clearQueue();
    const device = await factories(ctx, s).device();
    const { report_id } = expectStatus<{ report_id: string }>(
      await ask('operator', { kind: 'device', device_id: device.id, ...week }),
      202,
    );
    // The device goes before the worker gets to the report.
    expectStatus(await apiAs(ctx, s, 'admin').delete(`${base}/devices/${device.id}`), 204);
    await ctx.services.reports.runner.runOnce();
    expect(await reportOf(report_id)).toMatchObject({
      status: 'failed',
      error_code: 'report_device_not_found',
      error: expect.any(String),
      policies: { download: false },
    });
    const file = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report_id}/file`);
    expect(file.statusCode).toBe(409);
    expect(file.json().code).toBe('report_not_ready');
  });

  it("an unexpected error is recorded in TOD's words, not the error's", async () => {
    await clearQueue();
    const { report_id } = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    const broken = otherRunner(ctx, {}, async () => {
      throw new Error('connection to 10.1.2.3 failed: password=hunter2');
    });
    await broken.runOnce();
    const item = await reportOf(report_id);
    expect(item).toMatchObject({ status: 'failed', error_code: 'report_failed' });
    expect(JSON.stringify(item)).not.toContain('hunter2');
  });
});

describe('durable rendering', () => {
  it('a report whose worker died is claimed again once its lease ends, and finishes', async () => {
    await clearQueue();
    const { report_id } = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    // A worker claimed it and died: its lease is still running, so nobody else may take it yet.
    await withSystem(ctx.pools.system, (db) =>
      db.query(
        `update reports set status = 'running', claimed_by = 'dead-worker', attempts = 1, started_at = now(),
                claimed_until = now() + interval '1 hour' where id = $1`,
        [report_id],
      ),
    );
    expect(await ctx.services.reports.runner.runOnce()).toEqual([]);
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update reports set claimed_until = now() - interval '1 second' where id = $1`, [report_id]),
    );
    const [done] = await ctx.services.reports.runner.runOnce();
    expect(done).toMatchObject({ id: report_id, status: 'done', attempts: 2 });
    const file = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${report_id}/file`);
    expect(file.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('a report that killed its worker max_attempts times fails instead of being tried again', async () => {
    await clearQueue();
    const { report_id } = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    await withSystem(ctx.pools.system, (db) =>
      db.query(
        `update reports set status = 'running', claimed_by = 'dead-worker', attempts = max_attempts,
                claimed_until = now() - interval '1 second' where id = $1`,
        [report_id],
      ),
    );
    expect(await ctx.services.reports.runner.runOnce()).toEqual([]);
    expect(await reportOf(report_id)).toMatchObject({ status: 'failed', error_code: 'report_interrupted' });
  });

  it('renews its lease while rendering, so a second worker never takes a report that is still rendering', async () => {
    await clearQueue();
    const { report_id } = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    let release!: () => void;
    const gate = new Promise<void>((ok) => {
      release = ok;
    });
    const slow = otherRunner(ctx, { leaseMs: 600 }, async (tenant, p) => {
      await gate;
      return ctx.services.reports.build(tenant, p);
    });
    const running = slow.runOnce();
    await new Promise((ok) => setTimeout(ok, 100));
    const first = (await raw(report_id)).claimed_until as Date;
    // Several leases long: without renewal the second worker would take it over.
    await new Promise((ok) => setTimeout(ok, 1500));
    const later = await raw(report_id);
    expect(later.status).toBe('running');
    expect((later.claimed_until as Date).getTime()).toBeGreaterThan(first.getTime());
    expect(await otherRunner(ctx, { leaseMs: 600 }).runOnce()).toEqual([]);
    release();
    const [done] = await running;
    expect(done).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('renders at most `concurrency` reports at once per worker', async () => {
    await clearQueue();
    for (let i = 0; i < 3; i++) expectStatus(await ask('operator', { kind: 'fleet', ...week }), 202);
    const claimed = await otherRunner(ctx, { concurrency: 2 }).runOnce();
    expect(claimed).toHaveLength(2);
    await ctx.services.reports.runner.runOnce();
  });
});

describe('validation', () => {
  const cases: Array<[string, object]> = [
    ['to before from', { kind: 'fleet', from: week.to, to: week.from }],
    ['more than 366 days', { kind: 'fleet', from: '2023-01-01T00:00:00Z', to: '2024-01-03T00:00:00Z' }],
    ['a device report without device_id', { kind: 'device', ...week }],
    ['an unknown kind', { kind: 'inventory', ...week }],
    ['an unknown format', { kind: 'fleet', format: 'xlsx', ...week }],
    ['a time without offset', { kind: 'fleet', from: '2025-01-01T00:00:00', to: week.to }],
    ['an SLA target above 100', { kind: 'sla', target_pct: 101, ...week }],
    ['an unknown field', { kind: 'fleet', ...week, colour: 'blue' }],
  ];
  for (const [what, body] of cases)
    it(`422 validation_failed: ${what}`, async () => {
      const r = await ask('operator', body);
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().code).toBe('validation_failed');
    });

  it('404 for a device or site of another organisation', async () => {
    const theirs = await factories(ctx, s, s.b).device();
    const device = await ask('operator', { kind: 'device', device_id: theirs.id, ...week });
    expect(device.statusCode).toBe(404);
    expect(device.json().code).toBe('report_device_not_found');
    const site = await factories(ctx, s, s.b).site();
    const scoped = await ask('operator', { kind: 'sla', site_id: site.id, ...week });
    expect(scoped.statusCode).toBe(404);
    expect(scoped.json().code).toBe('report_site_not_found');
  });
});

describe('deleting', () => {
  it('operators delete the reports they asked for, admins any; viewers none', async () => {
    await clearQueue();
    const mine = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    const admins = expectStatus<{ report_id: string }>(await ask('admin', { kind: 'fleet', ...week }), 202);
    const keys = expectStatus<{ report_id: string }>(await ask('api_key', { kind: 'fleet', ...week }), 202);

    expect((await reportOf(admins.report_id)).policies).toMatchObject({ delete: false }); // as the viewer
    const viewer = await apiAs(ctx, s, 'viewer').delete(`${base}/reports/${mine.report_id}`);
    expect(viewer.statusCode).toBe(403);
    const notHers = await apiAs(ctx, s, 'operator').delete(`${base}/reports/${admins.report_id}`);
    expect(notHers.statusCode).toBe(403);
    expect(notHers.json().code).toBe('forbidden');
    const keyOnOperators = await apiAs(ctx, s, 'api_key').delete(`${base}/reports/${mine.report_id}`);
    expect(keyOnOperators.statusCode).toBe(403);

    expect((await apiAs(ctx, s, 'api_key').delete(`${base}/reports/${keys.report_id}`)).statusCode).toBe(204);
    expect((await apiAs(ctx, s, 'operator').delete(`${base}/reports/${mine.report_id}`)).statusCode).toBe(204);
    expect((await apiAs(ctx, s, 'admin').delete(`${base}/reports/${admins.report_id}`)).statusCode).toBe(204);
    expect((await apiAs(ctx, s, 'viewer').get(`${base}/reports/${mine.report_id}`)).statusCode).toBe(404);
    expect((await apiAs(ctx, s, 'admin').delete(`${base}/reports/${mine.report_id}`)).statusCode).toBe(404);

    const audit = await withSystem(ctx.pools.system, (db) =>
      db.query(`select count(*)::int as n from audit_logs where action = 'report.delete' and target_id = any($1)`, [
        [mine.report_id, admins.report_id, keys.report_id],
      ]),
    );
    expect(audit.rows[0].n).toBe(3);
  });
});

describe('other organisations', () => {
  it("never see or touch a report of another organisation: 404 under their own path and under the other's", async () => {
    await clearQueue();
    const { report_id } = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    await ctx.services.reports.runner.runOnce();
    const bBase = `/api/tenants/${s.b.id}`;
    for (const caller of ['viewer', 'operator', 'admin', 'api_key'] as const) {
      const theirs = apiAs(ctx, s, caller, s.b);
      expect((await theirs.get(`${bBase}/reports/${report_id}`)).statusCode).toBe(404);
      expect((await theirs.get(`${bBase}/reports/${report_id}/file`)).statusCode).toBe(404);
      // A viewer may not delete at all: refused before the report is looked for.
      expect((await theirs.delete(`${bBase}/reports/${report_id}`)).statusCode).toBe(caller === 'viewer' ? 403 : 404);
      const list = expectStatus<{ items: Array<{ id: string }> }>(await theirs.get(`${bBase}/reports`), 200);
      expect(list.items.map((x) => x.id)).not.toContain(report_id);
      // And tenant A's path with tenant B's credentials.
      expect((await theirs.get(`${base}/reports/${report_id}`)).statusCode).toBe(404);
    }
    expect((await reportOf(report_id)).status).toBe('done');
  });

  it('a sealed file copied into another report does not open', async () => {
    await clearQueue();
    const one = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    const two = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
    await ctx.services.reports.runner.runOnce();
    await withSystem(ctx.pools.system, (db) =>
      db.query(`update reports set file = (select file from reports where id = $1) where id = $2`, [
        one.report_id,
        two.report_id,
      ]),
    );
    const r = await apiAs(ctx, s, 'viewer').get(`${base}/reports/${two.report_id}/file`);
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('%PDF');
  });
});

describe('live updates', () => {
  it('each step of a report is a `report.updated` message for those who may read reports', async () => {
    await clearQueue();
    const dispatcher = await startEventDispatcher({
      systemPool: ctx.pools.system,
      handlers: ctx.services.assembly.handlers(),
      log: pino({ level: 'silent' }),
      registry: new Registry(),
      bus: ctx.services.bus,
      toLive: ctx.services.assembly.toLive,
      pollMs: 50,
    });
    const seen: LiveMessage[] = [];
    const unsubscribe = ctx.services.bus.subscribeTenant(s.a.id, (m) => {
      if (m.type === 'report.updated') seen.push(m);
    });
    try {
      const { report_id } = expectStatus<{ report_id: string }>(await ask('operator', { kind: 'fleet', ...week }), 202);
      await ctx.services.reports.runner.runOnce();
      expectStatus(await apiAs(ctx, s, 'admin').delete(`${base}/reports/${report_id}`), 204);
      const until = Date.now() + 10_000;
      while (seen.filter((m) => m.report_id === report_id).length < 4 && Date.now() < until)
        await new Promise((ok) => setTimeout(ok, 50));
      expect(seen.filter((m) => m.report_id === report_id)).toEqual(
        ['queued', 'running', 'done', 'deleted'].map((status) => ({
          type: 'report.updated',
          tenantId: s.a.id,
          report_id,
          status,
          kind: 'fleet',
          schedule_id: null,
        })),
      );
      expect(ctx.services.assembly.livePermissions['report.updated']).toBe('reports.read');
    } finally {
      unsubscribe();
      await dispatcher.stop();
    }
  });
});
