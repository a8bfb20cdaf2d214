import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certificatesFeature } from '../../src/features/certificates/certificates.feature.js';
import { startDispatcher } from '../events/helpers.js';
import { expectStatus } from '../helpers/api.js';
import { type RolloutEnv, startRolloutEnv, waitRollout } from '../rollouts/helpers.js';

// Certificates on many routers: an RSA CA (for routers that need it), a bulk deploy as a rollout to a RouterOS 6
// router (files over SFTP: no /file/add before 7.9) and a RouterOS 7 one, and the daily rotation job renewing what
// is about to expire — once, however many workers run it.

vi.setConfig({ testTimeout: 240_000 });
let e: RolloutEnv;
const stops: Array<() => Promise<void>> = [];
type Cert = { id: string; device_id: string; state: string; fingerprint: string; error_detail: string | null };

beforeAll(async () => {
  e = await startRolloutEnv([
    { version: '6.49.10', identity: 'old-cpe', tls: 'cert' },
    { version: '7.16', identity: 'tower-1', tls: 'cert' },
  ]);
  // The helper adds them over plain API; certificates are about api-ssl.
  for (const [i, id] of e.devices.entries())
    expectStatus(
      await e.admin.patch(`${e.base}/devices/${id}`, { tls_mode: 'auto', tls_port: e.fleet.devices[i]!.tlsPort }),
      200,
    );
  const handlers = certificatesFeature.handlers!({ service: e.ctx.services.certificates } as never);
  await startDispatcher(stops, { systemPool: e.ctx.pools.system, handlers });
}, 120_000);
afterAll(async () => {
  for (const s of stops) await s();
  await e?.stop();
});

const certs = async () => expectStatus<{ items: Cert[] }>(await e.admin.get(`${e.base}/certificates`), 200).items;
async function until(what: string, ok: (c: Cert[]) => boolean) {
  for (let i = 0; i < 400; i++) {
    const c = await certs();
    if (ok(c)) return c;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: ${JSON.stringify(await certs())}`);
}
const deployedOn = (c: Cert[], id: string) => c.find((x) => x.device_id === id && x.state === 'deployed');

describe('bulk deploy', () => {
  it('puts an RSA certificate on a v6 and a v7 router as a rollout, each proven with verified TLS', async () => {
    expectStatus(await e.admin.post(`${e.base}/certificates/ca`, { key_type: 'rsa-2048' }), 201);
    const r = expectStatus<{ rollout_id: string }>(
      await e.admin.post(`${e.base}/certificates/bulk-deploy`, {
        targets: { device_ids: e.devices },
        rollout: { canary: 1, batch_size: 5 },
      }),
      202,
    );
    const done = await waitRollout(e, r.rollout_id);
    expect(done.counts, JSON.stringify(done.devices)).toMatchObject({ done: 2 });
    const list = await until('both deployed', (c) => e.devices.every((id) => deployedOn(c, id)));
    for (const id of e.devices) {
      const dev = (await e.ctx.pools.owner.query('select tls_mode, tls_fingerprint from devices where id = $1', [id]))
        .rows[0];
      expect(dev).toEqual({ tls_mode: 'verify', tls_fingerprint: deployedOn(list, id)!.fingerprint });
    }
  });
});

describe('the daily rotation job', () => {
  it('renews certificates that end within the window, once across two workers, and leaves the others', async () => {
    const [v6, v7] = e.devices as [string, string];
    const before = await certs();
    // The v6 router's certificate ends in 10 days (inside the default 30-day window); the v7 one stays.
    await e.ctx.pools.owner.query(
      `update device_certificates set not_after = now() + interval '10 days' where device_id = $1 and state = 'deployed'`,
      [v6],
    );
    expect((await certs()).find((c) => c.device_id === v6 && c.state === 'expiring')).toBeDefined();
    const svc = e.ctx.services.certificates;
    const runs = await Promise.all([svc.rotateDue(), svc.rotateDue()]);
    expect(runs.map((r) => r.rotations).sort()).toEqual([0, 1]);
    const after = await until('the v6 router renewed', (c) => {
      const d = deployedOn(c, v6);
      return !!d && d.id !== deployedOn(before, v6)!.id;
    });
    expect(deployedOn(after, v7)!.id).toBe(deployedOn(before, v7)!.id);
    expect(after.find((c) => c.id === deployedOn(before, v6)!.id)?.state).toBe('superseded');
    expect((await svc.rotateDue()).rotations).toBe(0);
  });
});
