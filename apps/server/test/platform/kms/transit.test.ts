import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAccessLog } from '../../../src/platform/kms/access-log.js';
import { createEnvelope } from '../../../src/platform/kms/envelope.js';
import { useByWorker } from '../../../src/platform/kms/key-use.js';
import { localKeyProvider } from '../../../src/platform/kms/local.js';
import type { KeyProvider } from '../../../src/platform/kms/provider.js';
import { transitKeyName, transitKeyProvider } from '../../../src/platform/kms/transit.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { startTransitServer, type TransitServer } from '../../helpers/transit-server.js';

// The `transit` key provider against a Transit-compatible server of our own (test/helpers/transit-server.ts: OpenBao
// cannot be installed here), over real HTTP on loopback, with the envelope and PostgreSQL as TOD runs them.

let ctx: TestContext;
let bao: TransitServer;
const local = localKeyProvider(Buffer.alloc(32, 7));
const use = useByWorker('test');
const logs: ReturnType<typeof createKeyAccessLog>[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  bao = await startTransitServer();
});
afterAll(async () => {
  for (const l of logs) await l.stop();
  await bao?.close();
  await ctx?.close();
});
afterEach(() => bao.calls.clear());

let made = 0;
const tenant = async (name = 't') =>
  (await ctx.pools.owner.query('insert into tenants (name) values ($1) returning id', [`${name}-${++made}`])).rows[0]
    .id as string;
const transit = (o: Partial<{ addr: string; token: string; timeoutMs: number }> = {}) =>
  transitKeyProvider({ addr: bao.url, token: bao.token, mount: bao.mount, timeoutMs: 2000, ...o });
function envelope(provider: KeyProvider, providers: KeyProvider[] = [local, provider]) {
  const accessLog = createKeyAccessLog({ systemPool: ctx.pools.system, log: pino({ level: 'silent' }) });
  logs.push(accessLog);
  return createEnvelope({ systemPool: ctx.pools.system, provider, providers, accessLog });
}
const keyRows = async (t: string) =>
  (
    await ctx.pools.owner.query<{ version: number; provider: string; key_ref: string; wrapped_key: Buffer }>(
      'select version, provider, key_ref, wrapped_key from tenant_keys where tenant_id = $1 order by version',
      [t],
    )
  ).rows.map(({ wrapped_key, ...r }) => ({ ...r, wrapped: wrapped_key.toString('latin1') }));
const calls = (what: string) => bao.calls.get(what) ?? 0;

describe('transit key provider', () => {
  it('round-trips: the data key is made by Transit, stored as its ciphertext, and unwrapped once per cache', async () => {
    const t = await tenant();
    const e = envelope(transit());
    const c = await e.encrypt(t, 'router-password', 'device:1:password', use);
    expect(calls('POST keys')).toBe(1);
    expect(calls('POST datakey')).toBe(1);
    const [row] = await keyRows(t);
    expect(row).toMatchObject({ version: 1, provider: 'transit', key_ref: `transit/${transitKeyName(t)}` });
    expect(row!.wrapped).toMatch(/^vault:v1:[A-Za-z0-9+/]+=*$/);
    expect(bao.keys.has(transitKeyName(t))).toBe(true);

    // This process made the key: no unwrap needed. Another process unwraps it once, then decrypts from its cache.
    expect((await e.decrypt(t, c, 'device:1:password', use)).toString()).toBe('router-password');
    expect(calls('POST decrypt')).toBe(0);
    const other = envelope(transit());
    for (let i = 0; i < 5; i++)
      expect((await other.decrypt(t, c, 'device:1:password', use)).toString()).toBe('router-password');
    expect(calls('POST decrypt')).toBe(1);
  });

  it('concurrent cache misses share one unwrap', async () => {
    const t = await tenant();
    const c = await envelope(transit()).encrypt(t, 'x', 'ctx', use);
    bao.calls.clear();
    const cold = envelope(transit());
    const out = await Promise.all(Array.from({ length: 50 }, () => cold.decrypt(t, c, 'ctx', use)));
    expect(out.every((b) => b.toString() === 'x')).toBe(true);
    expect(calls('POST decrypt')).toBe(1);
  });

  it('rotation adds a data key wrapped by a new Transit key version; rewrap moves old wraps to it', async () => {
    const t = await tenant();
    const e = envelope(transit());
    const before = await e.encrypt(t, 'before', 'ctx', use);
    expect(await e.rotate(t, use)).toBe(2);
    expect(calls('POST rotate')).toBe(1);
    const after = await e.encrypt(t, 'after', 'ctx', use);
    expect(after.readUInt32BE(2)).toBe(2);
    expect((await keyRows(t)).map((r) => r.wrapped.slice(0, 9))).toEqual(['vault:v1:', 'vault:v2:']);

    const r = await e.rewrap({ tenantId: t, use });
    expect(r).toEqual({ checked: 2, rewrapped: 1, unchanged: 1 });
    expect(calls('POST rewrap')).toBe(2);
    expect((await keyRows(t)).map((k) => k.wrapped.slice(0, 9))).toEqual(['vault:v2:', 'vault:v2:']);

    // Transit's version 1 may now be retired: nothing TOD stores needs it, and both ciphertexts still open.
    bao.keys.get(transitKeyName(t))!.minDecryption = 2;
    const fresh = envelope(transit());
    expect((await fresh.decrypt(t, before, 'ctx', use)).toString()).toBe('before');
    expect((await fresh.decrypt(t, after, 'ctx', use)).toString()).toBe('after');
    // A second rewrap has nothing to move.
    expect(await e.rewrap({ tenantId: t, use })).toEqual({ checked: 2, rewrapped: 0, unchanged: 2 });
  });

  it('a wrap older than the min decryption version no longer opens (decrypt_failed, Transit says why)', async () => {
    const t = await tenant();
    const c = await envelope(transit()).encrypt(t, 'x', 'ctx', use);
    await transit().rotate!(t);
    bao.keys.get(transitKeyName(t))!.minDecryption = 2;
    await expect(envelope(transit()).decrypt(t, c, 'ctx', use)).rejects.toMatchObject({
      code: 'decrypt_failed',
      message: expect.stringContaining('too old'),
    });
  });

  it('a wrong token is provider_denied, and no error names the token', async () => {
    const t = await tenant();
    const wrong = 's.not-the-token-0123456789';
    const err = await envelope(transit({ token: wrong }))
      .encrypt(t, 'x', 'ctx', use)
      .catch((e) => e);
    expect(err).toMatchObject({ name: 'KmsError', code: 'provider_denied' });
    expect(err.message).toContain('403');
    expect(err.message).toContain('permission denied');
    expect(JSON.stringify(err)).not.toContain(wrong);
    expect(err.message).not.toContain(wrong);
    expect(await keyRows(t)).toEqual([]);
  });

  it('a server that is down or does not answer is provider_unreachable, with its origin only', async () => {
    const t = await tenant();
    const down = await startTransitServer();
    const url = down.url;
    await down.close();
    const err = await envelope(transit({ addr: url, token: 'tok-secret-xyz' }))
      .encrypt(t, 'x', 'ctx', use)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'provider_unreachable' });
    expect(err.message).toBe(`OpenBao at ${url} is unreachable: connection refused`);

    bao.hang = true;
    try {
      const started = Date.now();
      const slow = await envelope(transit({ timeoutMs: 300 }))
        .encrypt(t, 'x', 'ctx', use)
        .catch((e) => e);
      expect(slow).toMatchObject({ code: 'provider_unreachable', message: expect.stringContaining('no reply within') });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      bao.hang = false;
    }
  });

  it("isolates tenants: a wrapped key copied into another tenant's row does not unwrap", async () => {
    const [a, b] = [await tenant('a'), await tenant('b')];
    const e = envelope(transit());
    const ca = await e.encrypt(a, 'secret-a', 'ctx', use);
    await e.encrypt(b, 'secret-b', 'ctx', use);
    expect(transitKeyName(a)).not.toBe(transitKeyName(b));
    // B's row now holds A's wrap, under A's key reference and under B's.
    const [rowA] = await keyRows(a);
    await ctx.pools.owner.query(`update tenant_keys set wrapped_key = $2, key_ref = $3 where tenant_id = $1`, [
      b,
      Buffer.from(rowA!.wrapped),
      rowA!.key_ref,
    ]);
    await expect(envelope(transit()).decrypt(b, ca, 'ctx', use)).rejects.toMatchObject({ code: 'unknown_key_version' });
    await ctx.pools.owner.query(`update tenant_keys set key_ref = $2 where tenant_id = $1`, [
      b,
      `transit/${transitKeyName(b)}`,
    ]);
    await expect(envelope(transit()).decrypt(b, ca, 'ctx', use)).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('keys wrapped by local stay readable after switching to transit, and rewrap moves them to Transit', async () => {
    const t = await tenant();
    const before = await envelope(local, [local]).encrypt(t, 'kept', 'device:9:password', use);
    expect((await keyRows(t))[0]!.provider).toBe('local');

    // Switched: new keys come from Transit, the local one still opens what it sealed.
    const switched = envelope(transit());
    expect((await switched.decrypt(t, before, 'device:9:password', use)).toString()).toBe('kept');
    expect(calls('POST decrypt')).toBe(0);

    expect(await switched.rewrap({ tenantId: t, use })).toEqual({ checked: 1, rewrapped: 1, unchanged: 0 });
    const [row] = await keyRows(t);
    expect(row).toMatchObject({ version: 1, provider: 'transit', key_ref: `transit/${transitKeyName(t)}` });
    // Without the local provider at all: still readable, now through Transit.
    const transitOnly = envelope(transit(), []);
    expect((await transitOnly.decrypt(t, before, 'device:9:password', use)).toString()).toBe('kept');
    expect(calls('POST decrypt')).toBeGreaterThan(0);
  });

  it('records every unwrap, rotation and rewrap in the key-access log', async () => {
    const t = await tenant();
    const e = envelope(transit());
    const c = await e.encrypt(t, 'x', 'device:7:password', useByWorker('seed', 'seal'));
    await e.rotate(t, useByWorker('keys', 'rotate'));
    await e.rewrap({ tenantId: t, use: useByWorker('keys', 'rewrap') });
    await envelope(transit()).decrypt(t, c, 'device:7:password', useByWorker('poller-test', 'poll'));
    for (const l of logs) await l.flush();
    const rows = (
      await ctx.pools.owner.query(
        `select op, actor_label, provider, key_version, object, purpose, count from key_access_log
          where tenant_id = $1 order by op, key_version`,
        [t],
      )
    ).rows;
    expect(rows).toEqual([
      {
        op: 'decrypt',
        actor_label: 'worker:poller-test',
        provider: 'transit',
        key_version: 1,
        object: 'device:7:password',
        purpose: 'poll',
        count: 1,
      },
      {
        op: 'encrypt',
        actor_label: 'worker:seed',
        provider: 'transit',
        key_version: 1,
        object: 'device:7:password',
        purpose: 'seal',
        count: 1,
      },
      {
        op: 'generate',
        actor_label: 'worker:seed',
        provider: 'transit',
        key_version: 1,
        object: 'tenant_key',
        purpose: 'seal',
        count: 1,
      },
      {
        op: 'rewrap',
        actor_label: 'worker:keys',
        provider: 'transit',
        key_version: 1,
        object: 'tenant_key',
        purpose: 'rewrap',
        count: 1,
      },
      {
        op: 'rotate',
        actor_label: 'worker:keys',
        provider: 'transit',
        key_version: 2,
        object: 'tenant_key',
        purpose: 'rotate',
        count: 1,
      },
      {
        op: 'unwrap',
        actor_label: 'worker:poller-test',
        provider: 'transit',
        key_version: 1,
        object: 'device:7:password',
        purpose: 'poll',
        count: 1,
      },
    ]);
  });
});
