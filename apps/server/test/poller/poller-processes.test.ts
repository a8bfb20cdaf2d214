import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fleet, startFleet } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextEnv, spawnTod } from '../helpers/cli.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { addDevices, createTenant, waitFor } from './poller-fixture.js';

// Two real `tod start --roles poller,worker` processes on one database; one is SIGKILLed (no clean unregister) and
// the other takes its devices over within two intervals.

const INTERVAL_S = 5;
let ctx: TestContext;
let fleet: Fleet;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  fleet = await startFleet({ devices: 8, tls: false, base: { users: [{ name: 'admin', password: 'pw' }] } });
}, 60_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fleet?.stop();
  await ctx?.close();
});

function start(): ChildProcess {
  const child = spawnTod(['start', '--roles', 'poller,worker'], {
    ...contextEnv(ctx),
    POLL_INTERVAL_SECONDS: String(INTERVAL_S),
    CONNECTION_TIMEOUT_SECONDS: '2',
    COMMAND_TIMEOUT_SECONDS: '2',
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    TOD_DATA_DIR: mkdtempSync(join(tmpdir(), 'tod-poller-')),
  });
  child.stdout?.resume();
  child.stderr?.resume();
  children.push(child);
  return child;
}

const owners = async () =>
  (
    await ctx.pools.system.query<{ pid: number; n: number }>(
      `select p.pid, count(*)::int as n from device_poll_schedule s join pollers p on p.id = s.claimed_by group by 1`,
    )
  ).rows;

describe('poller processes', () => {
  it('share the fleet, and a SIGKILLed poller is taken over within two intervals', async () => {
    const tenant = await createTenant(ctx);
    const devs = await addDevices(ctx, tenant, fleet, { tlsMode: () => 'plain' });
    const a = start();
    const b = start();
    // Both registered and both owning devices; every device online.
    await waitFor(
      'both pollers own devices',
      async () => {
        const o = await owners();
        return o.length === 2 && o.every((x) => x.n > 0) && o.reduce((s, x) => s + x.n, 0) === devs.length;
      },
      40_000,
    );
    await waitFor(
      'all online',
      async () =>
        (await ctx.pools.system.query(`select count(*)::int as n from devices where status = 'online'`)).rows[0].n ===
        devs.length,
      20_000,
    );
    const killedAt = new Date();
    a.kill('SIGKILL');
    await waitFor(
      'takeover by the survivor',
      async () => {
        const r = await ctx.pools.system.query<{ n: number }>(
          `select count(*)::int as n from device_poll_schedule s join pollers p on p.id = s.claimed_by
            where p.pid = $1 and s.claimed_at > $2`,
          [b.pid, killedAt],
        );
        return r.rows[0]!.n === devs.length;
      },
      4 * INTERVAL_S * 1000,
    );
    expect(Date.now() - killedAt.getTime()).toBeLessThanOrEqual(2 * INTERVAL_S * 1000 + 1000);
    // And the survivor's polls reach the database (its own worker ingests them).
    await waitFor('polled after the kill', async () => {
      const r = await ctx.pools.system.query(`select count(*)::int as n from devices where last_polled_at > $1`, [
        killedAt,
      ]);
      return r.rows[0].n === devs.length;
    });
    b.kill('SIGTERM');
    await new Promise((r) => b.once('exit', r));
  }, 90_000);
});
