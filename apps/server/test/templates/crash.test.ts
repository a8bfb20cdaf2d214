import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChangesEnv, startChangesEnv } from '../changes/helpers.js';
import { addSimDevice, routerApi } from '../config-backups/helpers.js';
import { expectStatus } from '../helpers/api.js';
import { spawnWorker } from '../helpers/cli.js';

// A template push run by a real `tod start --roles worker` that is SIGKILLed mid-rollout: the next process takes
// the rollout over (devices re-attached to their operations after the lease; a change the kill interrupted, which
// the engine undoes, is run again), and every device ends changed once.

vi.setConfig({ testTimeout: 240_000 });
const N = 8;
let e: ChangesEnv;
const ids: string[] = [];
const children: ChildProcess[] = [];
const gitStore = mkdtempSync(join(tmpdir(), 'tod-rollout-git-'));

beforeAll(async () => {
  e = await startChangesEnv(
    Array.from({ length: N }, (_, i) => ({
      version: i % 2 ? '6.49.10' : '7.18.2',
      identity: `crash-${i}`,
      faults: { latencyMs: 60, sshLatencyMs: 10 },
    })),
    { CHANGE_LEASE_SECONDS: '5', ROLLOUT_LEASE_SECONDS: '5', DEVICE_SESSION_LEASE_SECONDS: '6' },
    { runner: false },
  );
  for (let i = 0; i < N; i++) ids.push(await addSimDevice(e, i));
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await e?.stop();
});

function worker(): ChildProcess {
  const child = spawnWorker(e.ctx, {
    GIT_STORE_PATH: gitStore,
    CHANGE_LEASE_SECONDS: '5',
    ROLLOUT_LEASE_SECONDS: '5',
    DEVICE_SESSION_LEASE_SECONDS: '6',
    CHANGE_REVERT_WAIT_SECONDS: '60',
  });
  children.push(child);
  return child;
}

const counts = async (id: string) => {
  const r = await e.ctx.pools.system.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from rollout_devices where rollout_id = $1 group by status',
    [id],
  );
  return Object.fromEntries(r.rows.map((x) => [x.status, x.n])) as Record<string, number>;
};

describe('a TOD restart mid-rollout', () => {
  it('resumes in the next process: every device done, each changed by exactly one operation', async () => {
    const t = expectStatus<{ id: string }>(
      await e.admin.post(`${e.base}/templates`, {
        name: 'ntp',
        body: '/ip dns set servers={{ dns }}\n',
        variables: [{ name: 'dns', type: 'ip', default: '192.0.2.53' }],
      }),
      201,
    );
    const { rollout_id } = expectStatus<{ rollout_id: string }>(
      await e.admin.post(`${e.base}/templates/${t.id}/push`, {
        targets: { device_ids: ids },
        rollout: { canary: 1, batch_size: N, concurrency: 3 },
      }),
      202,
    );
    const first = worker();
    for (let i = 0; i < 600 && ((await counts(rollout_id)).done ?? 0) < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const mid = await counts(rollout_id);
    expect(mid.done ?? 0).toBeLessThan(N);

    worker();
    let c = mid;
    for (let i = 0; i < 1200 && (c.done ?? 0) + (c.failed ?? 0) + (c.reverted ?? 0) < N; i++) {
      await new Promise((r) => setTimeout(r, 150));
      c = await counts(rollout_id);
    }
    expect(c).toEqual({ done: N });
    const r = await e.ctx.pools.system.query<{ status: string }>('select status from rollouts where id = $1', [
      rollout_id,
    ]);
    expect(r.rows[0]?.status).toBe('completed');
    // Each device changed once: one confirmed operation. A change the kill interrupted was undone by TOD's engine
    // (revert reason `interrupted`) and run again by the rollout; nothing else is reverted or failed.
    const ops = await e.ctx.pools.system.query<{ device_id: string; confirmed: number; other: number }>(
      `select device_id, count(*) filter (where status = 'confirmed')::int as confirmed,
              count(*) filter (where status <> 'confirmed' and revert_reason is distinct from 'interrupted')::int as other
         from change_operations where kind = 'template' group by device_id`,
    );
    expect(ops.rows.length).toBe(N);
    expect(ops.rows.filter((x) => Number(x.confirmed) !== 1 || Number(x.other) !== 0)).toEqual([]);
    for (let i = 0; i < N; i++) {
      const cl = await routerApi(e, i);
      try {
        expect((await cl.command('/ip/dns/print'))[0]?.servers).toBe('192.0.2.53');
      } finally {
        await cl.close();
      }
    }
  });
});
