import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRef } from '../../src/features/device-access/leases.js';
import { AppError } from '../../src/platform/http/errors.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTenant } from '../poller/poller-fixture.js';
import { saveDevice, secondProcess, sleep } from './helpers.js';

// RouterOS limits concurrent API logins, and a change must never race another: besides the poller's own session a
// device gets at most DEVICE_MAX_EXTRA_SESSIONS more at once (callers beyond wait, bounded), and one change lock,
// both held in PostgreSQL so every TOD process sees them.

let ctx: TestContext;
let fleet: Fleet;
let ref: DeviceRef;
let other: ReturnType<typeof secondProcess>;

beforeAll(async () => {
  ctx = await createTestContext({
    DEVICE_MAX_EXTRA_SESSIONS: '1',
    CONNECTION_TIMEOUT_SECONDS: '2',
    COMMAND_TIMEOUT_SECONDS: '3',
  });
  fleet = await startFleet({ devices: 1, tls: false, base: { users: [{ name: 'admin', password: 'pw' }] } });
  const tenantId = await createTenant(ctx);
  const d = fleet.devices[0]!;
  ref = { tenantId, deviceId: await saveDevice(ctx, tenantId, { host: d.address, port: d.port, password: 'pw' }) };
  other = secondProcess(ctx, { maxExtraSessions: 1 });
}, 60_000);

afterAll(async () => {
  await other?.close();
  await fleet?.stop();
  await ctx?.close();
});

const access = () => ctx.services.deviceAccess;
const liveSessions = () => fleet.device(0).sessions.size;

/** Samples the device's open sessions every few ms while `work` runs; the most seen at once. */
async function peakSessions(work: Promise<unknown>): Promise<number> {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, liveSessions());
  }, 3);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return peak;
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (e instanceof AppError ? e.code : String(e)),
  );

describe('extra sessions', () => {
  it('are leased one at a time here: callers beyond the bound wait their turn, and none opens more', async () => {
    fleet.device(0).setFault({ latencyMs: 150 });
    const read = () =>
      access().withApi(ref, 'backup', async (c) => (await c.command('/system/identity/print'))[0]?.name);
    const work = Promise.all([read(), read(), read()]);
    expect(await peakSessions(work)).toBe(1);
    expect((await work).every((name) => typeof name === 'string')).toBe(true);
    fleet.device(0).clearFaults();
  });

  it("do not count the poller's own session", async () => {
    const poll = await access().openApi(ref, 'poll');
    const extra = await access().openApi(ref, 'probe');
    expect(liveSessions()).toBe(2);
    await extra.release();
    await poll.release();
  });

  it('answer device_sessions_busy (503) to a caller that waited too long, here and in another process', async () => {
    const held = await access().openApi(ref, 'backup');
    const t0 = Date.now();
    expect(await codeOf(access().openApi(ref, 'change', { waitMs: 200 }))).toBe('device_sessions_busy');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await codeOf(other.access.openApi(ref, 'change', { waitMs: 300 }))).toBe('device_sessions_busy');
    expect(new AppError('device_sessions_busy', '').status).toBe(503);
    // Released: the other process's waiter gets the slot.
    const waiting = other.access.openApi(ref, 'change', { waitMs: 5000 });
    await sleep(300);
    expect(liveSessions()).toBe(1);
    await held.release();
    const got = await waiting;
    expect(got.client.closed).toBe(false);
    await got.release();
    expect(liveSessions()).toBe(0);
    const rows = await ctx.pools.system.query('select * from device_leases where device_id = $1', [ref.deviceId]);
    expect(rows.rowCount).toBe(0);
  });
});

describe('the change lock', () => {
  it('fails fast with device_busy (409) while another process holds it, and waits when asked to', async () => {
    const a = await access().changeLock(ref, { purpose: 'safe_apply', holder: 'op-1', ttlMs: 5000 });
    const t0 = Date.now();
    const busy = await other.access.changeLock(ref, { purpose: 'template' }).catch((e) => e);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(busy).toBeInstanceOf(AppError);
    expect(busy.code).toBe('device_busy');
    expect(busy.status).toBe(409);
    expect(busy.message).toContain('safe_apply');
    const waiting = other.access.changeLock(ref, { purpose: 'template', waitMs: 5000 });
    await sleep(300);
    await a.release();
    const b = await waiting;
    expect(b.purpose).toBe('template');
    await b.release();
  });

  it('expires when its holder stops renewing (a crash), and a renewal after a takeover says so', async () => {
    const a = await access().changeLock(ref, { purpose: 'upgrade', ttlMs: 400 });
    expect(await codeOf(other.access.changeLock(ref, { purpose: 'x' }))).toBe('device_busy');
    await sleep(500);
    const b = await other.access.changeLock(ref, { purpose: 'takeover', ttlMs: 5000 });
    expect(await codeOf(a.renew())).toBe('lease_lost');
    await a.release(); // not its lock any more: releases nothing
    expect(await codeOf(access().changeLock(ref, { purpose: 'y' }))).toBe('device_busy');
    await b.release();
  });

  it('stays held while renewed, for longer than its TTL', async () => {
    const a = await access().changeLock(ref, { purpose: 'safe_apply', ttlMs: 300, autoRenew: true });
    await sleep(900);
    expect(await codeOf(other.access.changeLock(ref, { purpose: 'x' }))).toBe('device_busy');
    await a.release();
    const b = await other.access.changeLock(ref, { purpose: 'x' });
    await b.release();
  });

  it('is taken again by the same holder after a restart (another process, same operation id)', async () => {
    const before = await access().changeLock(ref, { purpose: 'safe_apply', holder: 'op-7', ttlMs: 5000 });
    // The process dies without releasing; the operation resumes elsewhere with its id.
    const after = await other.access.changeLock(ref, { purpose: 'safe_apply', holder: 'op-7', ttlMs: 5000 });
    expect(after.acquiredAt.getTime()).toBe(before.acquiredAt.getTime());
    expect(await codeOf(access().changeLock(ref, { purpose: 'other' }))).toBe('device_busy');
    await after.release();
  });

  it('is not found for an unknown device or one of another tenant', async () => {
    const foreign = await createTenant(ctx);
    expect(await codeOf(access().changeLock({ ...ref, tenantId: foreign }, { purpose: 'x' }))).toBe('not_found');
    expect(
      await codeOf(access().changeLock({ ...ref, deviceId: '00000000-0000-4000-8000-000000000000' }, { purpose: 'x' })),
    ).toBe('not_found');
  });
});
