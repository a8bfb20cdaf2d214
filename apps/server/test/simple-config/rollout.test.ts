import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiAs, expectStatus } from '../helpers/api.js';
import type { RolloutJson } from '../rollouts/helpers.js';
import { deviceRows, type Env, startEnv } from './helpers.js';

// One Simple Config form on many devices: a rollout whose every device is a safe-change operation, landing on v6
// and v7 alike; a bad form is refused before anything starts.

vi.setConfig({ testTimeout: 180_000 });
let e: Env;
let runner: { stop: () => Promise<void> };

beforeAll(async () => {
  e = await startEnv([
    { version: '7.18.2', identity: 'many-v7' },
    { version: '6.49.10', identity: 'many-v6' },
    { version: '7.16', identity: 'many-v7b' },
  ]);
  runner = e.ctx.services.rollouts.runner.start();
}, 120_000);
afterAll(async () => {
  await runner?.stop();
  await e?.stop();
});

const url = (tab: string) => `${e.base}/simple-config/${tab}/rollouts`;

async function waitDone(id: string): Promise<RolloutJson> {
  for (let i = 0; i < 600; i++) {
    const r = expectStatus<RolloutJson>(await e.admin.get(`${e.base}/rollouts/${id}`), 200);
    if (r.status === 'completed') return r;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('rollout did not complete');
}

describe('Simple Config as a rollout', () => {
  it('applies the DNS form to v6 and v7 devices in waves', async () => {
    const { rollout_id } = expectStatus<{ rollout_id: string }>(
      await apiAs(e.ctx, e.seed, 'operator').post(url('dns'), {
        targets: { device_ids: e.ids },
        form: { servers: ['9.9.9.9', '149.112.112.112'], static: [{ name: 'nas.lan', address: '10.0.0.20' }] },
        rollout: { canary: 1, batch_size: 2 },
      }),
      202,
    );
    const r = await waitDone(rollout_id);
    expect(r.counts.done).toBe(3);
    expect(r.waves.map((w) => w.size)).toEqual([1, 2]);
    for (const i of [0, 1, 2]) {
      expect((await deviceRows(e, i, '/ip/dns'))[0]?.servers).toBe('9.9.9.9,149.112.112.112');
      expect((await deviceRows(e, i, '/ip/dns/static')).find((s) => s.name === 'nas.lan')?.address).toBe('10.0.0.20');
    }
  });

  it('refuses a bad form before starting, naming the field; viewers may not start one', async () => {
    const bad = await e.admin.post(url('dns'), { targets: { device_ids: e.ids }, form: { servers: ['nope'] } });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json())).toContain('servers');
    const list = expectStatus<{ total: number }>(await e.admin.get(`${e.base}/rollouts?kind=simple_config`), 200);
    expect(list.total).toBe(1);
    const viewer = apiAs(e.ctx, e.seed, 'viewer');
    expect(
      (await viewer.post(url('dns'), { targets: { device_ids: e.ids }, form: { servers: ['1.1.1.1'] } })).statusCode,
    ).toBe(403);
    const other = apiAs(e.ctx, e.seed, 'admin', e.seed.b);
    const cross = await other.post(`/api/tenants/${e.seed.b.id}/simple-config/dns/rollouts`, {
      targets: { device_ids: e.ids },
      form: { servers: ['1.1.1.1'] },
    });
    expect(cross.statusCode).toBe(422);
    expect(cross.json().code).toBe('target_not_found');
  });
});
