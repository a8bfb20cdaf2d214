import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRef } from '../../src/features/device-access/leases.js';
import { devicesRepo } from '../../src/features/devices/devices.repo.js';
import { withTenant } from '../../src/platform/db/tx.js';
import { AppError } from '../../src/platform/http/errors.js';
import { parseCidr } from '../../src/platform/net/cidr.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTenant } from '../poller/poller-fixture.js';
import { saveDevice, secondProcess } from './helpers.js';

// SSH to routers through device access, against simulated routers over real SSH: the host key pinned on first use
// and checked before the password is sent, the taxonomy's SSH codes, the purpose's byte limits, dropped transfers,
// and the same session slots, target policy and tenancy as API sessions.

let ctx: TestContext;
let fleet: Fleet;
let tenantId: string;
const PASSWORD = 'ssh-secret-pw';

beforeAll(async () => {
  ctx = await createTestContext({
    DEVICE_MAX_EXTRA_SESSIONS: '1',
    CONNECTION_TIMEOUT_SECONDS: '2',
    COMMAND_TIMEOUT_SECONDS: '3',
  });
  fleet = await startFleet({
    devices: 4,
    tls: false,
    base: { users: [{ name: 'admin', password: PASSWORD }], generate: { firewallRules: 200 } },
  });
  tenantId = await createTenant(ctx);
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await ctx?.close();
});

const access = () => ctx.services.deviceAccess;

const saved = new Map<string, DeviceRef>();
/** The saved device (one per tenant) for simulated device `i`, on its SSH port, with the right password unless told. */
async function deviceRef(i: number, password = PASSWORD, tenant = tenantId): Promise<DeviceRef> {
  const key = `${tenant}:${i}`;
  const d = fleet.devices[i]!;
  if (!saved.has(key)) {
    const deviceId = await saveDevice(ctx, tenant, { host: d.address, port: d.port, sshPort: d.sshPort!, password });
    saved.set(key, { tenantId: tenant, deviceId });
  }
  return saved.get(key)!;
}

const pinnedKey = (ref: DeviceRef) =>
  withTenant(ctx.pools.app, ref.tenantId, (db) => devicesRepo.sshHostKey(db, ref.deviceId));

/** The failure code of a promise that should fail, and its detail. */
async function failure(p: Promise<unknown>): Promise<{ code: string; detail: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, detail: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

const sshLogins = (i: number) => fleet.device(i).logs.filter((l) => l.message.endsWith('via ssh')).length;

describe('host key', () => {
  it('the first session pins the key it saw; later sessions check it and pin nothing', async () => {
    const ref = await deviceRef(0);
    const s = await access().openSsh(ref, 'backup');
    expect(s.hostKey).toBe(fleet.devices[0]!.sshHostKey);
    expect(s.pinned).toBe(s.hostKey);
    await s.release();
    await s.release(); // twice is fine
    expect(await pinnedKey(ref)).toBe(fleet.devices[0]!.sshHostKey);
    const again = await access().openSsh(ref, 'backup');
    expect(again.pinned).toBeUndefined();
    await again.release();
  });

  it('a regenerated key is refused before the password is sent, until the pin is cleared', async () => {
    const ref = await deviceRef(1);
    await access().withSsh(ref, 'backup', async () => {});
    await access().withSsh(ref, 'backup', (s) => s.exec('/ip ssh regenerate-host-key'));
    const before = sshLogins(1);
    const f = await failure(access().openSsh(ref, 'backup'));
    expect(f.code).toBe('ssh_host_key_mismatch');
    expect(f.detail).toContain(fleet.device(1).hostKey.fingerprint);
    // No login was attempted: the device logged neither a success nor a failure.
    expect(sshLogins(1)).toBe(before);
    expect(await pinnedKey(ref)).toBe(fleet.devices[1]!.sshHostKey);

    const cleared = await withTenant(ctx.pools.app, tenantId, (db) => devicesRepo.clearSshHostKey(db, ref.deviceId));
    expect(cleared?.previous).toBe(fleet.devices[1]!.sshHostKey);
    const s = await access().openSsh(ref, 'backup');
    expect(s.pinned).toBe(fleet.device(1).hostKey.fingerprint);
    await s.release();
  });
});

describe('exec and SFTP', () => {
  it('exports, reads the file it wrote, uploads, stats and removes files', async () => {
    const ref = await deviceRef(0);
    await access().withSsh(ref, 'backup', async (s) => {
      const r = await s.exec('/export terse show-sensitive');
      expect(r.complete).toBe(true);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.toString('latin1')).toMatch(/^# .* by RouterOS 7\.16\r\n/);
      expect((await s.exec('/export file=tod-t')).stdout.length).toBe(0);
      const file = await s.readFile('tod-t.rsc');
      expect(file.toString('latin1')).toContain('/ip firewall filter');
      expect(await s.stat('tod-t.rsc')).toEqual({ size: file.length });
      await s.remove('tod-t.rsc');
      await s.remove('tod-t.rsc'); // already gone: fine
      expect(await s.stat('tod-t.rsc')).toBeUndefined();
      await s.writeFile('up.bin', Buffer.from([0, 1, 2, 3, 255]));
      expect(await s.readFile('up.bin')).toEqual(Buffer.from([0, 1, 2, 3, 255]));
      await s.remove('up.bin');
      const missing = await failure(s.readFile('nope.rsc'));
      expect(missing.code).toBe('error');
    });
  });

  it("the purpose's byte limit, or a caller's lower one, ends a reply with reply_too_large", async () => {
    const ref = await deviceRef(0);
    await access().withSsh(ref, 'backup', async (s) => {
      expect((await failure(s.exec('/export', { maxBytes: 1000 }))).code).toBe('reply_too_large');
      await s.exec('/export file=tod-big');
      expect((await failure(s.readFile('tod-big.rsc', { maxBytes: 1000 }))).code).toBe('reply_too_large');
      // The session is still usable afterwards.
      expect((await s.exec('/export terse')).complete).toBe(true);
      await s.remove('tod-big.rsc');
    });
  });
});

describe('failures', () => {
  it('a wrong password is ssh_auth_failed, and the error never carries the password', async () => {
    const ref = await deviceRef(2, 'not-the-password', await createTenant(ctx));
    const f = await failure(access().openSsh(ref, 'backup'));
    expect(f.code).toBe('ssh_auth_failed');
    expect(f.detail).not.toContain('not-the-password');
    fleet.device(2).setFault({ wrongPassword: true });
    expect((await failure(access().openSsh(await deviceRef(2), 'backup'))).code).toBe('ssh_auth_failed');
    fleet.device(2).setFault({ wrongPassword: undefined });
  });

  it('SSH off is ssh_refused; a silent SSH service is ssh_timeout', async () => {
    const ref = await deviceRef(2);
    fleet.device(2).setFault({ sshRefuse: true });
    await new Promise((r) => setTimeout(r, 50));
    expect((await failure(access().openSsh(ref, 'backup'))).code).toBe('ssh_refused');
    fleet.device(2).setFault({ sshRefuse: undefined, sshTimeout: true });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    expect((await failure(access().openSsh(ref, 'backup', { connectTimeoutMs: 300 }))).code).toBe('ssh_timeout');
    expect(Date.now() - t0).toBeLessThan(2000);
    fleet.device(2).setFault({ sshTimeout: undefined });
  });

  it('a connection dropped mid-transfer: exec is incomplete, a file read is ssh_transfer_incomplete', async () => {
    const ref = await deviceRef(3);
    await access().withSsh(ref, 'backup', (s) => s.exec('/export file=tod-drop'));
    fleet.device(3).setFault({ sshDropAfterBytes: 4000 });
    await access().withSsh(ref, 'backup', async (s) => {
      const r = await s.exec('/export');
      expect(r.complete).toBe(false);
      expect(r.stdout.length).toBeLessThanOrEqual(4000);
    });
    const f = await failure(access().withSsh(ref, 'backup', (s) => s.readFile('tod-drop.rsc')));
    expect(f.code).toBe('ssh_transfer_incomplete');
    fleet.device(3).setFault({ sshDropAfterBytes: undefined });
    await access().withSsh(ref, 'backup', (s) => s.remove('tod-drop.rsc'));
  });

  it("another tenant's device id is not found", async () => {
    const other = await createTenant(ctx);
    const ref = await deviceRef(0);
    expect((await failure(access().openSsh({ tenantId: other, deviceId: ref.deviceId }, 'backup'))).code).toBe(
      'not_found',
    );
  });
});

describe('shared rules', () => {
  it('an SSH session takes one of the extra-session slots that API sessions use', async () => {
    const ref = await deviceRef(0);
    const s = await access().openSsh(ref, 'backup');
    expect((await failure(access().openApi(ref, 'backup', { waitMs: 200 }))).code).toBe('device_sessions_busy');
    const api = access().openApi(ref, 'backup', { waitMs: 5000 });
    await s.release();
    await (await api).release();
    const held = await access().openApi(ref, 'backup');
    expect((await failure(access().openSsh(ref, 'backup', { waitMs: 200 }))).code).toBe('device_sessions_busy');
    await held.release();
  });

  it("the target policy applies to the SSH port: denied networks and TOD's own ports", async () => {
    const ref = await deviceRef(0);
    const denied = secondProcess(ctx, { deny: [parseCidr('127.0.0.0/8')] });
    const own = secondProcess(ctx, { own: [{ port: fleet.devices[0]!.sshPort! }] });
    try {
      const before = fleet.device(0).logs.length;
      expect((await failure(denied.access.openSsh(ref, 'backup'))).code).toBe('target_denied');
      expect((await failure(own.access.openSsh(ref, 'backup'))).code).toBe('target_denied');
      expect(fleet.device(0).logs.length).toBe(before);
    } finally {
      await denied.close();
      await own.close();
    }
  });
});
