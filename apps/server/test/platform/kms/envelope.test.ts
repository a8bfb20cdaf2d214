import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAccessLog } from '../../../src/platform/kms/access-log.js';
import { createEnvelope } from '../../../src/platform/kms/envelope.js';
import { useByWorker } from '../../../src/platform/kms/key-use.js';
import { localKeyProvider } from '../../../src/platform/kms/local.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let t1: string;
let t2: string;
const master = Buffer.alloc(32, 9);
const use = useByWorker('test');
const logs: ReturnType<typeof createKeyAccessLog>[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  const r = await ctx.pools.owner.query("insert into tenants (name) values ('k1'), ('k2') returning id");
  [t1, t2] = r.rows.map((x) => x.id);
});
afterAll(async () => {
  for (const l of logs) await l.stop();
  await ctx?.close();
});

const envelope = (key = master, cache?: { maxEntries: number; ttlMs: number }) => {
  const accessLog = createKeyAccessLog({ systemPool: ctx.pools.system, log: pino({ level: 'silent' }) });
  logs.push(accessLog);
  return createEnvelope({
    systemPool: ctx.pools.system,
    provider: localKeyProvider(key),
    accessLog,
    ...(cache ? { cache } : {}),
  });
};

describe('envelope encryption with per-tenant keys', () => {
  it('round-trips, and the same plaintext encrypts differently each time', async () => {
    const e = envelope();
    const a = await e.encrypt(t1, 'router-password', 'device:1:password', use);
    const b = await e.encrypt(t1, 'router-password', 'device:1:password', use);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('router-password'))).toBe(false);
    expect((await e.decrypt(t1, a, 'device:1:password', use)).toString()).toBe('router-password');
  });

  it('stores only the wrapped data key, one per tenant', async () => {
    const e = envelope();
    await e.encrypt(t2, 'x', 'c', use);
    const rows = await ctx.pools.owner.query(
      'select tenant_id, version, provider, length(wrapped_key) as n from tenant_keys order by tenant_id',
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows.every((r) => r.provider === 'local' && r.version === 1 && r.n === 60)).toBe(true);
  });

  it('a ciphertext copied to another row or another tenant does not decrypt', async () => {
    const e = envelope();
    const c = await e.encrypt(t1, 'secret', 'device:1:password', use);
    await expect(e.decrypt(t1, c, 'device:2:password', use)).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(e.decrypt(t2, c, 'device:1:password', use)).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('a flipped byte, a foreign blob, or another master key fails cleanly', async () => {
    const e = envelope();
    const c = await e.encrypt(t1, 'secret', 'ctx', use);
    const tampered = Buffer.from(c);
    tampered[tampered.length - 1]! ^= 1;
    await expect(e.decrypt(t1, tampered, 'ctx', use)).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(e.decrypt(t1, Buffer.from('hello'), 'ctx', use)).rejects.toMatchObject({ code: 'bad_ciphertext' });
    await expect(envelope(Buffer.alloc(32, 1)).decrypt(t1, c, 'ctx', use)).rejects.toMatchObject({
      code: 'decrypt_failed',
    });
  });

  it('rotation: new ciphertexts use the new version, old ones still decrypt', async () => {
    const e = envelope();
    const old = await e.encrypt(t1, 'before', 'ctx', use);
    expect(await e.rotate(t1, use)).toBe(2);
    const fresh = await e.encrypt(t1, 'after', 'ctx', use);
    expect(fresh.readUInt32BE(2)).toBe(2);
    expect((await envelope().decrypt(t1, old, 'ctx', use)).toString()).toBe('before');
    expect((await envelope().decrypt(t1, fresh, 'ctx', use)).toString()).toBe('after');
  });

  it('two processes creating a tenant key at once agree on one key', async () => {
    const r = await ctx.pools.owner.query("insert into tenants (name) values ('k3') returning id");
    const t3 = r.rows[0].id;
    const [a, b] = [envelope(), envelope()];
    const [ca, cb] = await Promise.all([a.encrypt(t3, 'x', 'c', use), b.encrypt(t3, 'y', 'c', use)]);
    expect((await b.decrypt(t3, ca, 'c', use)).toString()).toBe('x');
    expect((await a.decrypt(t3, cb, 'c', use)).toString()).toBe('y');
  });

  it('a key that names a provider this process lacks fails with provider_unavailable', async () => {
    const r = await ctx.pools.owner.query("insert into tenants (name) values ('k4') returning id");
    const t4 = r.rows[0].id;
    await ctx.pools.owner.query(
      `insert into tenant_keys (tenant_id, version, provider, key_ref, wrapped_key)
       values ($1, 1, 'transit', $2, 'vault:v1:AAAA')`,
      [t4, `transit/tod-${t4}`],
    );
    const c = Buffer.concat([Buffer.from('T1'), Buffer.from([0, 0, 0, 1]), Buffer.alloc(40)]);
    await expect(envelope().decrypt(t4, c, 'ctx', use)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });

  it('the cache is bounded: with no cache every decrypt unwraps again', async () => {
    const e = envelope(master, { maxEntries: 0, ttlMs: 60_000 });
    const c = await e.encrypt(t1, 'x', 'ctx', use);
    const unwraps = async () =>
      Number(
        (
          await ctx.pools.owner.query(
            "select coalesce(sum(count), 0) as n from key_access_log where tenant_id = $1 and op = 'unwrap' and purpose = 'nocache'",
            [t1],
          )
        ).rows[0].n,
      );
    const nocache = useByWorker('test', 'nocache');
    for (let i = 0; i < 3; i++) await e.decrypt(t1, c, 'ctx', nocache);
    for (const l of logs) await l.flush();
    expect(await unwraps()).toBe(3);
  });
});
