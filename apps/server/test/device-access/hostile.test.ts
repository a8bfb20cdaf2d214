import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HostileRouter,
  memory,
  peakSampler,
  pump,
  rows,
} from '../../../../packages/routeros/test/helpers/hostile-router.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { headersFor, type Seed, seed } from '../helpers/seed.js';
import { device, startPipeline, waitFor } from '../poller/poller-fixture.js';
import { saveDevice } from './helpers.js';

// A router that floods every command with endless 1 KB rows (up to 1 GB) must not grow TOD: each purpose's reply
// limit cuts it off (probe 256 KiB, poll 8 MiB), the session is closed, and the failure is `reply_too_large`.

const GB = 1024 ** 3;
let ctx: TestContext;
let s: Seed;
let router: HostileRouter;

beforeAll(async () => {
  // Every command gets 1 GB of 1 KB rows.
  router = new HostileRouter((conn, _path, tag) => pump(conn, rows(tag, 64), GB));
  await router.listen();
  ctx = await createTestContext({ CONNECTION_TIMEOUT_SECONDS: '2', COMMAND_TIMEOUT_SECONDS: '5' });
  s = await seed(ctx);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  await router?.close();
});

/** Growth of heap + ArrayBuffers over the baseline, at the peak while `work` ran. */
async function growth(work: () => Promise<unknown>) {
  const base = memory();
  const sampler = peakSampler();
  await work();
  const peak = sampler.stop();
  return (peak - (base.heap + base.arrayBuffers)) / 1024 / 1024;
}

describe('a router that floods its replies', () => {
  it('ends a probe with reply_too_large after its small limit, without growing TOD', async () => {
    let body: Record<string, unknown> = {};
    const mb = await growth(async () => {
      const r = await ctx.app.inject({
        method: 'POST',
        url: `/api/tenants/${s.a.id}/devices/probe`,
        headers: headersFor(s, 'operator'),
        payload: { host: '127.0.0.1', port: router.port, tls_mode: 'plain', username: 'admin', password: 'x' },
      });
      body = r.json();
    });
    expect(body).toMatchObject({ ok: false, code: 'reply_too_large' });
    const conn = router.connections.at(-1)!;
    await conn.closed;
    expect(conn.sent).toBeLessThan(8 * 1024 * 1024);
    console.log(
      `probe against a flooding router: peak growth ${mb.toFixed(1)} MB, router sent ${(conn.sent / 1e6).toFixed(1)} MB`,
    );
    expect(mb).toBeLessThan(20);
  });

  it('takes a polled device offline as reply_too_large, without growing TOD', async () => {
    const id = await saveDevice(ctx, s.a.id, { host: '127.0.0.1', port: router.port, password: 'x' });
    const before = router.connections.length;
    const pipeline = await startPipeline(ctx, { options: { commandTimeoutMs: 5000 } });
    let reason: string | null = null;
    try {
      const mb = await growth(async () => {
        reason = (
          await waitFor('poll failed', async () => {
            const d = await device(ctx, id);
            return d.status === 'offline' ? d.status_reason : null;
          })
        ).toString();
      });
      const sent = router.connections.slice(before).reduce((n, c) => n + c.sent, 0);
      console.log(
        `poll against a flooding router: peak growth ${mb.toFixed(1)} MB, router sent ${(sent / 1e6).toFixed(1)} MB`,
      );
      expect(sent).toBeLessThan(GB);
      expect(mb).toBeLessThan(20);
    } finally {
      await pipeline.stop();
    }
    expect(reason).toBe('reply_too_large');
  });
});
