import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';
import { auditActions } from './helpers.js';

// A device's SSH settings through the devices API: the SSH port on create and update, and an admin clearing a
// pinned host key (audited) so the next session trusts the key the router presents now.

let ctx: TestContext;
let s: Seed;
let fleet: Fleet;

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  fleet = await startFleet({ devices: 1, tls: false, base: { users: [{ name: 'admin', password: 'pw' }] } });
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await ctx?.close();
});

const call = (
  method: 'POST' | 'PATCH' | 'GET',
  url: string,
  payload?: object,
  caller: 'admin' | 'operator' = 'admin',
) => ctx.app.inject({ method, url: `/api/tenants/${s.a.id}${url}`, headers: headersFor(s, caller), payload });

describe('ssh_port', () => {
  it('defaults to 22, is set on create and update, returned, and checked', async () => {
    const plain = await call('POST', '/devices?probe=false', {
      name: 'p',
      host: '10.9.0.1',
      username: 'a',
      password: 'b',
    });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json().ssh_port).toBe(22);
    const d = fleet.devices[0]!;
    const r = await call('POST', '/devices?probe=false', {
      name: 'sim',
      host: d.address,
      port: d.port,
      ssh_port: d.sshPort,
      username: 'admin',
      password: 'pw',
    });
    expect(r.json().ssh_port).toBe(d.sshPort);
    const id = r.json().id as string;
    expect((await call('PATCH', `/devices/${id}`, { ssh_port: 2222 })).json().ssh_port).toBe(2222);
    expect((await call('GET', `/devices/${id}`)).json().ssh_port).toBe(2222);
    expect((await call('PATCH', `/devices/${id}`, { ssh_port: 0 })).statusCode).toBe(422);
    expect((await call('PATCH', `/devices/${id}`, { ssh_port: 70000 })).statusCode).toBe(422);
  });
});

describe('ssh host key reset', () => {
  it('an admin clears the pin (audited, answering the old key); the next session pins the new key', async () => {
    const d = fleet.devices[0]!;
    const created = await call('POST', '/devices?probe=false', {
      name: 'pinned',
      host: d.address,
      port: d.port + 1000,
      ssh_port: d.sshPort,
      username: 'admin',
      password: 'pw',
    });
    const id = created.json().id as string;
    const ref = { tenantId: s.a.id, deviceId: id };
    const access = ctx.services.deviceAccess;
    await access.withSsh(ref, 'backup', (x) => x.exec('/ip ssh regenerate-host-key'));
    const mismatch = await access.openSsh(ref, 'backup').catch((e: { code: string }) => e.code);
    expect(mismatch).toBe('ssh_host_key_mismatch');

    expect((await call('POST', `/devices/${id}/ssh-host-key/reset`, undefined, 'operator')).statusCode).toBe(403);
    const reset = await call('POST', `/devices/${id}/ssh-host-key/reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toEqual({ previous: d.sshHostKey });
    const audit = await auditActions(ctx, s.a.id, 'device.ssh_host_key_reset');
    expect(audit.at(-1)).toMatchObject({ target_id: id, details: { previous: d.sshHostKey } });

    const session = await access.openSsh(ref, 'backup');
    expect(session.pinned).toBe(fleet.device(0).hostKey.fingerprint);
    expect(session.pinned).not.toBe(d.sshHostKey);
    await session.release();
    expect((await call('POST', `/devices/${crypto.randomUUID()}/ssh-host-key/reset`)).statusCode).toBe(404);
  });
});
