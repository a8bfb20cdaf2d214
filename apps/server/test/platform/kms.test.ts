import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../src/platform/kms/envelope.js';
import { localKeyProvider } from '../../src/platform/kms/local.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
let t1: string;
let t2: string;
const master = Buffer.alloc(32, 9);

beforeAll(async () => {
  ctx = await createTestContext();
  const r = await ctx.pools.owner.query("insert into tenants (name) values ('k1'), ('k2') returning id");
  [t1, t2] = r.rows.map((x) => x.id);
});
afterAll(() => ctx?.close());

const envelope = (key = master) => createEnvelope({ systemPool: ctx.pools.system, provider: localKeyProvider(key) });

describe('envelope encryption with per-tenant keys', () => {
  it('round-trips, and the same plaintext encrypts differently each time', async () => {
    const e = envelope();
    const a = await e.encrypt(t1, 'router-password', 'device:1:password');
    const b = await e.encrypt(t1, 'router-password', 'device:1:password');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('router-password'))).toBe(false);
    expect((await e.decrypt(t1, a, 'device:1:password')).toString()).toBe('router-password');
  });

  it('stores only the wrapped data key, one per tenant', async () => {
    const e = envelope();
    await e.encrypt(t2, 'x', 'c');
    const rows = await ctx.pools.owner.query(
      'select tenant_id, version, provider, length(wrapped_key) as n from tenant_keys order by tenant_id',
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows.every((r) => r.provider === 'local' && r.version === 1 && r.n === 60)).toBe(true);
  });

  it('a ciphertext copied to another row or another tenant does not decrypt', async () => {
    const e = envelope();
    const c = await e.encrypt(t1, 'secret', 'device:1:password');
    await expect(e.decrypt(t1, c, 'device:2:password')).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(e.decrypt(t2, c, 'device:1:password')).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('a flipped byte, a foreign blob, or another master key fails cleanly', async () => {
    const e = envelope();
    const c = await e.encrypt(t1, 'secret', 'ctx');
    const tampered = Buffer.from(c);
    tampered[tampered.length - 1]! ^= 1;
    await expect(e.decrypt(t1, tampered, 'ctx')).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(e.decrypt(t1, Buffer.from('hello'), 'ctx')).rejects.toMatchObject({ code: 'bad_ciphertext' });
    await expect(envelope(Buffer.alloc(32, 1)).decrypt(t1, c, 'ctx')).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('rotation: new ciphertexts use the new version, old ones still decrypt', async () => {
    const e = envelope();
    const old = await e.encrypt(t1, 'before', 'ctx');
    expect(await e.rotate(t1)).toBe(2);
    const fresh = await e.encrypt(t1, 'after', 'ctx');
    expect(fresh.readUInt32BE(2)).toBe(2);
    expect((await envelope().decrypt(t1, old, 'ctx')).toString()).toBe('before');
    expect((await envelope().decrypt(t1, fresh, 'ctx')).toString()).toBe('after');
  });

  it('two processes creating a tenant key at once agree on one key', async () => {
    const r = await ctx.pools.owner.query("insert into tenants (name) values ('k3') returning id");
    const t3 = r.rows[0].id;
    const [a, b] = [envelope(), envelope()];
    const [ca, cb] = await Promise.all([a.encrypt(t3, 'x', 'c'), b.encrypt(t3, 'y', 'c')]);
    expect((await b.decrypt(t3, ca, 'c')).toString()).toBe('x');
    expect((await a.decrypt(t3, cb, 'c')).toString()).toBe('y');
  });
});
